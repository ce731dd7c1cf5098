package engine_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/audio/engine"
	"sangstudio/audio/mix"
	"sangstudio/internal/testtool"
	"sangstudio/projects"
)

// play runs n buffers and returns the left output.
func (r *rig) play(n int, fill func(int64, [][]float32)) []float32 {
	var out []float32
	for i := 0; i < n; i++ {
		r.step(fill)
		out = append(out, r.out[0]...)
	}
	return out
}

func TestLocateAndLoop(t *testing.T) {
	dir, s := testSong(t)
	r := newRig(t, dir, s, 256, 2, nil, false)
	// Reference: the whole song from 0.
	r.e.Play()
	ref := r.play(160, nil)
	// Locate to 20000 while playing: the output continues from there.
	r2 := newRig(t, dir, s, 256, 2, nil, false)
	r2.e.Play()
	r2.play(3, nil)
	r2.e.Locate(20000)
	r2.step(nil) // the locate takes effect; this buffer may be silent while the butler refills
	got := r2.play(4, nil)
	pos0 := r2.e.Position() - 4*256
	for i, v := range got {
		if v != ref[pos0+int64(i)] {
			t.Fatalf("after locate, frame %d: %v, want %v", pos0+int64(i), v, ref[pos0+int64(i)])
		}
	}
	// A loop [10000, 12000) repeats those frames.
	r3 := newRig(t, dir, s, 256, 2, nil, false)
	r3.e.SetLoop(10000, 12000, true)
	r3.e.Locate(10000)
	r3.e.Play()
	r3.step(nil)
	for r3.e.State() != engine.Playing || r3.e.Position() == 10000 {
		r3.step(nil)
	}
	// Collect 3 loops' worth starting from a known position.
	start := r3.e.Position() - 256
	got3 := append([]float32{}, r3.out[0]...)
	got3 = append(got3, r3.play(24, nil)...)
	for i, v := range got3 {
		p := start + int64(i)
		p = 10000 + (p-10000)%2000
		if v != ref[p] {
			t.Fatalf("loop frame %d (song frame %d): %v, want %v", i, p, v, ref[p])
		}
	}
	if r3.e.Position() < 10000 || r3.e.Position() >= 12000 {
		t.Fatalf("position %d outside the loop", r3.e.Position())
	}
}

func TestMonitoringMetersAndClick(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	s := projects.New("x", 48000)
	s.Tempo = 120 // a beat every 24000 frames
	projects.Create(dir, s)
	s.Tracks = []*projects.Track{projects.NewTrack("Mic", 1)}
	// Armed and monitored: a 0.5 input is heard at -3 dB each side (centre pan).
	r := newRig(t, dir, s, 256, 1, map[int][]int{0: {0}}, true)
	half := func(pos int64, in [][]float32) {
		for i := range in[0] {
			in[0][i] = 0.5
		}
	}
	r.step(half)
	want := float32(0.5 * math.Sqrt2 / 2)
	if math.Abs(float64(r.out[0][10]-want)) > 1e-6 {
		t.Fatalf("monitored input: %v, want %v", r.out[0][10], want)
	}
	// An armed track's meter shows its input's level (0.5, before the
	// fader and the pan), so that levels can be set before Record; the
	// master shows what is heard.
	const input = 0.5
	if p, h := r.e.TrackMeter(s.Tracks[0].ID); p != input || h < p {
		t.Fatalf("track meter %v hold %v, want the input's %v", p, h, input)
	}
	if p, _ := r.e.MasterMeter(); math.Abs(float64(p-want)) > 1e-6 {
		t.Fatalf("master meter %v", p)
	}
	// Silence: the peak falls, the hold stays for two seconds, then falls too.
	silent := func(pos int64, in [][]float32) { clear(in[0]) }
	r.play(20, silent)
	p, h := r.e.TrackMeter(s.Tracks[0].ID)
	if p >= input || h != input {
		t.Fatalf("after 0.1 s of silence: peak %v hold %v", p, h)
	}
	r.play(400, silent)
	if _, h := r.e.TrackMeter(s.Tracks[0].ID); h >= input {
		t.Fatalf("hold %v still up after 2 s", h)
	}
	// Not monitored, the input is not heard, but its level still shows.
	r4 := newRig(t, dir, s, 256, 1, map[int][]int{0: {0}}, false)
	r4.step(half)
	if p, _ := r4.e.TrackMeter(s.Tracks[0].ID); p != input {
		t.Fatalf("an armed, unmonitored track's meter: %v, want the input's %v", p, input)
	}
	if p, _ := r4.e.MasterMeter(); p != 0 {
		t.Fatalf("an unmonitored input is heard: master %v", p)
	}

	// The click sounds on the beats: frames 0, 24000, 48000 … with a count-in bar before 0.
	r2 := newRig(t, dir, s, 256, 1, nil, false)
	r2.e.SetClick(true)
	r2.e.Record(1) // count-in: the transport starts one bar (96000 frames) early
	var out []float32
	var first int64 = math.MinInt64
	for len(out) < 4*24000+96000 {
		r2.step(silent)
		if r2.e.State() == engine.Recording && first == math.MinInt64 && r2.e.Position() > -96000 {
			first = r2.e.Position() - 256
		}
		if first != math.MinInt64 {
			out = append(out, r2.out[0]...)
		}
	}
	if first != -96000 {
		t.Fatalf("count-in started at %d, want -96000", first)
	}
	for beat := 0; beat < 8; beat++ {
		at := beat * 24000
		if out[at] != 0 || out[at+10] == 0 {
			t.Errorf("beat %d: no click at frame %d", beat-4, at-96000)
		}
		if out[at+12000] != 0 {
			t.Errorf("sound between beats at %d", at+12000-96000)
		}
	}
}

// TestDiskFullWhileRecording: the disk fills up during a take; recording
// stops, the take up to the failure is kept and readable, and the error says
// the disk is full.
func TestDiskFullWhileRecording(t *testing.T) {
	small := testtool.SmallDisk(t, "1m")
	dir := filepath.Join(small, "song")
	s := projects.New("x", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	s.Tracks = []*projects.Track{projects.NewTrack("Mic", 2)}
	r := newRig(t, dir, s, 256, 2, map[int][]int{0: {0, 1}}, false)
	fill := func(pos int64, in [][]float32) {
		for c := range in {
			for i := range in[c] {
				in[c][i] = float32((pos+int64(i))%1000) / 1000
			}
		}
	}
	r.e.Record(0)
	for i := 0; i < 2000 && r.b.Err() == nil; i++ { // 2000 buffers = 10 s = 3.8 MB: more than the disk
		r.step(fill)
	}
	for i := 0; i < 5; i++ {
		r.step(fill)
	}
	err := r.b.Err()
	if err == nil || !strings.Contains(err.Error(), "disk is full") {
		t.Fatalf("got %v, want a disk-full error", err)
	}
	if r.e.State() != engine.Stopped {
		t.Fatalf("still rolling after the disk filled (state %v)", r.e.State())
	}
	takes := r.b.TakeRecorded()
	if len(takes) != 1 || takes[0].Frames < 48000 {
		t.Fatalf("takes %+v: the audio before the failure should be kept", takes)
	}
	audio := readWav(t, projects.AudioPath(dir, takes[0].File))
	if int64(len(audio[0])) < takes[0].Frames {
		t.Fatalf("take file has %d frames, %d were written", len(audio[0]), takes[0].Frames)
	}
	for i := 0; i < int(takes[0].Frames); i += 997 {
		if audio[0][i] != float32(i%1000)/1000 {
			t.Fatalf("frame %d: %v", i, audio[0][i])
		}
	}
	os.Remove(projects.AudioPath(dir, takes[0].File))
}

// TestSetMixLive: a mix change takes effect at the next buffer.
func TestSetMixLive(t *testing.T) {
	dir, s := testSong(t)
	r := newRig(t, dir, s, 256, 2, nil, false)
	r.e.Play()
	r.play(80, nil)
	s.Tracks[0].Mute, s.Tracks[1].Mute = true, true
	r.e.SetMix([]string{s.Tracks[0].ID, s.Tracks[1].ID}, mix.Strips(s), mix.BusesOf(s))
	r.step(nil)
	for _, v := range r.out[0] {
		if v != 0 {
			t.Fatal("muted tracks still sound")
		}
	}
}

// TestRecordForPunchesOut: RecordFor records exactly that many frames and
// the transport keeps playing.
func TestRecordForPunchesOut(t *testing.T) {
	dir, s := testSong(t)
	s.Tracks = append(s.Tracks, projects.NewTrack("Ny", 1))
	r := newRig(t, dir, s, 256, 1, map[int][]int{2: {0}}, false)
	r.e.Locate(333)
	r.e.RecordFor(0, 10007)
	r.play(60, nil)
	if r.e.State() != engine.Playing {
		t.Fatalf("state %v after the punch-out, want playing", r.e.State())
	}
	r.play(3, nil)
	takes := r.b.TakeRecorded()
	if len(takes) != 1 || takes[0].Frames != 10007 || takes[0].Start != 333 {
		t.Fatalf("takes %+v, want one of 10007 frames from 333", takes)
	}
}

// TestEmptySong: a song without tracks plays (silence, the playhead moves)
// and the butler does not spin.
func TestEmptySong(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "s")
	s := projects.New("x", 48000)
	projects.Create(dir, s)
	r := newRig(t, dir, s, 256, 1, nil, false)
	r.e.Play()
	r.play(10, nil)
	if r.e.Position() < 8*256 || r.e.State() != engine.Playing {
		t.Fatalf("empty song: position %d, state %v", r.e.Position(), r.e.State())
	}
}

// TestBufferLongerThanMaxBlock: a device buffer longer than MaxBlock is
// processed in parts, without allocating, and the output matches.
func TestBufferLongerThanMaxBlock(t *testing.T) {
	dir, s := testSong(t)
	ref := newRig(t, dir, s, 256, 2, nil, false)
	ref.e.Play()
	want := ref.play(40, nil)
	r := newRig(t, dir, s, 256, 2, nil, false)
	r.e.Play()
	r.step(nil) // the first buffer: the butler fills, playback starts
	big := [][]float32{make([]float32, 1000), make([]float32, 1000)}
	bigIn := [][]float32{make([]float32, 1000), make([]float32, 1000)}
	r.b.Service()
	r.e.Process(bigIn, big, false)
	for i := range big[0] {
		if big[0][i] != want[256+i] {
			t.Fatalf("frame %d: %v, want %v", 256+i, big[0][i], want[256+i])
		}
	}
	if a := testing.AllocsPerRun(20, func() { r.e.Process(bigIn, big, false) }); a != 0 {
		t.Fatalf("%v allocations", a)
	}
}
