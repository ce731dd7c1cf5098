package engine_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"sangstudio/audio/engine"
	"sangstudio/audio/mix"
	"sangstudio/audio/render"
	"sangstudio/audio/source"
	"sangstudio/audio/wav"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// rig is an engine and its butler for a song, driven by hand: each step
// runs the butler once and the audio callback once, like a device would.
type rig struct {
	t      testing.TB
	dir    string
	song   *projects.Song
	e      *engine.Engine
	b      *engine.Butler
	in     [][]float32
	out    [][]float32
	block  int
	inputs int
	tick   func() // called as each buffer starts (advances a test clock), or nil
	inst   engine.Instrument
	keep   int64 // Layout.Keep
	// armedAt: TrackSpec.ArmedAt by track index (where a track armed
	// while recording starts its take).
	armedAt map[int]int64
}

func newRig(t testing.TB, dir string, s *projects.Song, block, inputs int, arm map[int][]int, monitor bool) *rig {
	t.Helper()
	r := bareRig(t, dir, s, block, inputs, engine.Config{})
	r.update(arm, monitor, nil)
	return r
}

// bareRig is a rig whose engine plays nothing yet (cfg's Rate and MaxBlock
// are set from s and block).
func bareRig(t testing.TB, dir string, s *projects.Song, block, inputs int, cfg engine.Config) *rig {
	cfg.Rate, cfg.MaxBlock = s.Rate, block
	e := engine.New(cfg)
	r := &rig{t: t, dir: dir, song: s, e: e, b: engine.NewButler(e), block: block, inputs: inputs}
	r.in = make([][]float32, inputs)
	for c := range r.in {
		r.in[c] = make([]float32, block)
	}
	r.out = [][]float32{make([]float32, block), make([]float32, block)}
	return r
}

// update gives the engine the rig's song with the tracks in arm armed (by
// index: their inputs; MIDI tracks: any). Tracks in fresh (by index; nil:
// all) get new sources; the others play on.
func (r *rig) update(arm map[int][]int, monitor bool, fresh map[int]bool) {
	r.t.Helper()
	s := r.song
	l := engine.Layout{Tempo: s.Tempo, BeatsPerBar: s.TimeSig.Beats, BeatUnit: s.TimeSig.Unit, Keep: r.keep, Inputs: r.inputs,
		Takes: func(key string, _ int64) (*os.File, string, error) {
			ext := ".wav"
			if s.Tracks[s.TrackByID(key)].IsMIDI() {
				ext = ".mid"
			}
			return projects.NewTakeFile(r.dir, s, s.Tracks[s.TrackByID(key)].Name, ext)
		}}
	var keys []string
	for i, tr := range s.Tracks {
		ts := engine.TrackSpec{Key: tr.ID, Channels: tr.Channels, MIDI: tr.IsMIDI()}
		if in, ok := arm[i]; ok {
			ts.Armed, ts.Inputs, ts.Monitor, ts.ArmedAt = true, in, monitor, r.armedAt[i]
			if tr.IsMIDI() {
				ts.Inputs, ts.Instrument = nil, r.inst
			}
		}
		if fresh == nil || fresh[i] {
			src, err := source.OpenSong(r.dir, s, i, nil)
			if err != nil {
				r.t.Fatal(err)
			}
			ts.Source = src
		}
		l.Tracks = append(l.Tracks, ts)
		keys = append(keys, tr.ID)
	}
	r.e.SetMix(keys, mix.Strips(s), mix.BusesOf(s))
	if err := r.b.Update(l); err != nil {
		r.t.Fatal(err)
	}
}

// index is the song track of a take.
func (r *rig) index(tk engine.Recorded) int { return r.song.TrackByID(tk.Key) }

// step runs the butler and one buffer; fillIn (if set) writes the inputs
// for the buffer that starts at the engine's current position.
func (r *rig) step(fillIn func(pos int64, in [][]float32)) {
	r.b.Service()
	if fillIn != nil {
		fillIn(r.e.Position(), r.in)
	}
	if r.tick != nil {
		r.tick()
	}
	r.e.Process(r.in, r.out, false)
}

func writeTake(t testing.TB, dir string, s *projects.Song, name string, audio [][]float32) string {
	return wavtest.Take(t, dir, s, name, audio)
}

func signal(n int, f float64, a float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = a * float32(math.Sin(float64(i)*f))
	}
	return x
}

// testSong: a mono and a stereo track with gains, pans, an offset clip and fades.
func testSong(t testing.TB) (string, *projects.Song) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("Test", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	a := projects.NewTrack("Vokal", 1)
	a.GainDB, a.Pan = -4, -0.3
	ta := writeTake(t, dir, s, "Vokal", [][]float32{signal(40000, 0.031, 0.7)})
	a.Clips = []projects.Clip{{Take: ta, Position: 700, Offset: 100, Length: 30000, FadeIn: 500, FadeOut: 900, GainDB: -2}}
	b := projects.NewTrack("Gitar", 2)
	b.GainDB, b.Pan = 1, 0.6
	tb := writeTake(t, dir, s, "Gitar", [][]float32{signal(20000, 0.013, 0.5), signal(20000, 0.017, -0.4)})
	b.Clips = []projects.Clip{{Take: tb, Position: 15000, Length: 20000}}
	s.Tracks = []*projects.Track{a, b}
	s.Master.GainDB = -1.5
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir, s
}

func readWav(t testing.TB, path string) [][]float32 {
	_, audio := wavtest.Read(t, path)
	return audio
}

// TestPlaybackEqualsRender: what the engine plays is sample-identical to the
// offline render of the same song.
func TestPlaybackEqualsRender(t *testing.T) {
	dir, s := testSong(t)
	mixPath := filepath.Join(t.TempDir(), "mix.wav")
	_, err := render.Render(context.Background(), dir, s, render.Options{Mix: mixPath, Encoding: wav.Float32})
	if err != nil {
		t.Fatal(err)
	}
	want := readWav(t, mixPath)
	playsAsRendered(t, dir, s, want)
}

// playsAsRendered plays s (in dir) on the engine at 128-, 256- and
// 1000-frame buffers and checks it is want (the render) sample for sample,
// without underruns.
func playsAsRendered(t *testing.T, dir string, s *projects.Song, want [][]float32) {
	t.Helper()
	frames := int64(len(want[0]))
	for _, block := range []int{128, 256, 1000} {
		r := newRig(t, dir, s, block, 2, nil, false)
		r.e.Play()
		var got [2][]float32
		for int64(len(got[0])) < frames {
			r.step(nil)
			got[0] = append(got[0], r.out[0]...)
			got[1] = append(got[1], r.out[1]...)
		}
		for i := int64(0); i < frames; i++ {
			if got[0][i] != want[0][i] || got[1][i] != want[1][i] {
				t.Fatalf("block %d, frame %d: played %v %v, rendered %v %v", block, i, got[0][i], got[1][i], want[0][i], want[1][i])
			}
		}
		if u := r.e.Underruns(); u != 0 {
			t.Errorf("block %d: %d underruns", block, u)
		}
	}
}

// TestRecordTakeLinesUp records a known input while the song plays: the take
// holds exactly the input from the record position on, and starts there.
func TestRecordTakeLinesUp(t *testing.T) {
	for _, countIn := range []int{0, 1} {
		dir, s := testSong(t)
		s.Tracks = append(s.Tracks, projects.NewTrack("Ny", 1), projects.NewTrack("Stereo", 2))
		r := newRig(t, dir, s, 256, 4, map[int][]int{2: {1}, 3: {2, 3}}, false)
		input := func(pos int64, ch int) float32 { return float32(pos%9973)/9973 - 0.5 + float32(ch)/10 }
		fill := func(pos int64, in [][]float32) {
			for c := range in {
				for i := range in[c] {
					in[c][i] = input(pos+int64(i), c)
				}
			}
		}
		const start = 5000
		r.e.Locate(start)
		r.step(fill)
		r.e.Record(countIn)
		for r.e.Position() < start+30000 {
			r.step(fill)
		}
		if r.e.State() != engine.Recording {
			t.Fatalf("state %v, want recording", r.e.State())
		}
		r.e.Stop()
		for i := 0; i < 10 && (r.b.Recording() || i < 2); i++ {
			r.step(fill)
		}
		if err := r.b.Err(); err != nil {
			t.Fatal(err)
		}
		takes := r.b.TakeRecorded()
		if len(takes) != 2 {
			t.Fatalf("count-in %d: %d takes, want 2", countIn, len(takes))
		}
		for _, tk := range takes {
			if tk.Start != start {
				t.Errorf("count-in %d: take starts at %d, want %d", countIn, tk.Start, start)
			}
			audio := readWav(t, projects.AudioPath(dir, tk.File))
			if int64(len(audio[0])) != tk.Frames || tk.Frames < 30000 {
				t.Fatalf("take %s: %d frames in the file, %d reported", tk.File, len(audio[0]), tk.Frames)
			}
			inputs := []int{1}
			if r.index(tk) == 3 {
				inputs = []int{2, 3}
			}
			for c, ch := range inputs {
				for i, v := range audio[c] {
					if want := input(start+int64(i), ch); v != want {
						t.Fatalf("count-in %d, take %s channel %d frame %d: %v, want %v", countIn, tk.File, c, i, v, want)
					}
				}
			}
		}
	}
}

// setupBig makes a song with n tracks of 10 s audio and arms the last armed of them.
func setupBig(t testing.TB, tracks, armed, block int) *rig {
	dir := filepath.Join(t.TempDir(), "big")
	s := projects.New("big", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	take := writeTake(t, dir, s, "t", [][]float32{signal(480000, 0.01, 0.3)})
	for i := 0; i < tracks; i++ {
		tr := projects.NewTrack("t", 1)
		tr.Pan = float64(i)/float64(tracks) - 0.5
		tr.Clips = []projects.Clip{{Take: take, Length: 480000}}
		s.Tracks = append(s.Tracks, tr)
	}
	arm := map[int][]int{}
	for i := 0; i < armed; i++ {
		s.Tracks = append(s.Tracks, projects.NewTrack("rec", 1))
		arm[tracks+i] = []int{i}
	}
	r := newRig(t, dir, s, block, 8, arm, true)
	r.e.Play()
	r.e.Record(0)
	r.e.SetClick(true)
	r.step(nil)
	r.step(nil)
	return r
}

// TestProcessAllocatesNothing: the audio callback, playing 32 tracks and
// recording 8 with monitoring, meters and the click, allocates nothing.
func TestProcessAllocatesNothing(t *testing.T) {
	r := setupBig(t, 32, 8, 256)
	if a := testing.AllocsPerRun(200, func() { r.e.Process(r.in, r.out, false) }); a != 0 {
		t.Fatalf("Process allocates %v times per buffer, want 0", a)
	}
	if r.e.State() != engine.Recording || r.e.Underruns() != 0 {
		t.Fatalf("state %v, underruns %d", r.e.State(), r.e.Underruns())
	}
}

// BenchmarkProcess32Play8Rec256: one 256-frame buffer with 32 playing tracks
// and 8 recording (monitored), meters and click. budget_% is the share of
// the buffer's real-time budget (5.33 ms at 48 kHz).
func BenchmarkProcess32Play8Rec256(b *testing.B) {
	r := setupBig(b, 32, 8, 256)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%200 == 199 {
			b.StopTimer()
			r.b.Service() // refill the read-ahead, drain the captures
			b.StartTimer()
		}
		r.e.Process(r.in, r.out, false)
	}
	perBlock := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(100*perBlock/(256.0/48000), "budget_%")
}

// withEffects gives s's tracks every effect: high-pass, four EQ bands, a
// compressor working hard, and sends to the reverb and the delay.
func withEffects(s *projects.Song) {
	for i, t := range s.Tracks {
		t.Effects = projects.Effects{HighPass: 60 + float64(i)*40,
			Low: projects.Shelf{Freq: 150, GainDB: 3}, Mid1: projects.Bell{Freq: 500, GainDB: -5, Q: 1.4},
			Mid2: projects.Bell{Freq: 2500, GainDB: 4, Q: 0.8}, High: projects.Shelf{Freq: 9000, GainDB: 2},
			Comp:   projects.Comp{On: true, ThresholdDB: -24, Ratio: 4, KneeDB: 6, AttackMs: 3, ReleaseMs: 80, MakeupDB: 5},
			Reverb: projects.Send{On: true, DB: -4 - float64(i)}, Delay: projects.Send{On: true, DB: -10}}
	}
	b := projects.DefaultBuses()
	b.Reverb.Room, b.Delay.Beats, b.Delay.Ms = 0.7, 0, 180
	s.Buses = &b
}

// TestPlaybackEqualsRenderWithEffects: with every effect on, what the
// engine plays at 128-, 256- and 1000-frame buffers is sample-identical
// to the offline render.
func TestPlaybackEqualsRenderWithEffects(t *testing.T) {
	dir, s := testSong(t)
	withEffects(s)
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	mixPath := filepath.Join(t.TempDir(), "mix.wav")
	_, err := render.Render(context.Background(), dir, s, render.Options{Mix: mixPath, Encoding: wav.Float32})
	if err != nil {
		t.Fatal(err)
	}
	want := readWav(t, mixPath)
	dry := filepath.Join(t.TempDir(), "dry.wav")
	_, ds := testSong(t)
	if _, err := render.Render(context.Background(), dir, ds, render.Options{Mix: dry, Encoding: wav.Float32}); err != nil {
		t.Fatal(err)
	}
	if d := readWav(t, dry); d[0][20000] == want[0][20000] {
		t.Fatal("the effects change nothing in the render")
	}
	playsAsRendered(t, dir, s, want)
}
