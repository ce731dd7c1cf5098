package engine_test

import (
	"math"
	"path/filepath"
	"testing"

	"sangstudio/audio/engine"
	"sangstudio/midi"
	"sangstudio/projects"
)

// twoTrackSong: track A (unchanged in the tests) panned hard right, track
// B (the one edited) hard left. The right output then carries A alone,
// exactly (B's right gain is exactly 0 at pan -1).
func twoTrackSong(t testing.TB) (string, *projects.Song) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("Live", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	a := projects.NewTrack("A", 1)
	a.Pan = 1
	a.Clips = []projects.Clip{{Take: writeTake(t, dir, s, "A", [][]float32{signal(200000, 0.011, 0.5)}), Length: 200000}}
	b := projects.NewTrack("B", 1)
	b.Pan = -1
	b.Clips = []projects.Clip{{Take: writeTake(t, dir, s, "B", [][]float32{signal(200000, 0.029, 0.6)}), Length: 200000}}
	s.Tracks = []*projects.Track{a, b}
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir, s
}

// playOut runs n buffers and returns both outputs.
func (r *rig) playOut(n int) (l, rr []float32) {
	for range n {
		r.step(nil)
		l = append(l, r.out[0]...)
		rr = append(rr, r.out[1]...)
	}
	return l, rr
}

// TestEditWhilePlaying: B's clip is moved while the song plays. A (not
// changed) plays on sample for sample, with no gap; B is heard at its new
// place from the next buffer, after a crossfade of at most 256 frames; the
// graph switch allocates nothing (TestProcessAllocatesNothingAcrossGraphs).
func TestEditWhilePlaying(t *testing.T) {
	dir, s := twoTrackSong(t)
	ref := newRig(t, dir, s, 256, 1, nil, false)
	ref.e.Play()
	_, wantA := ref.playOut(200)

	r := newRig(t, dir, s, 256, 1, nil, false)
	r.e.Play()
	_, gotA := r.playOut(80)
	// Move B 3000 frames later, as an edit in the window would.
	s.Tracks[1].Clips[0].Position = 3000
	r.update(nil, false, map[int]bool{1: true})
	movedAt := r.e.Position()
	gotB, a2 := r.playOut(120)
	gotA = append(gotA, a2...)
	for i := range gotA {
		if gotA[i] != wantA[i] {
			t.Fatalf("the unchanged track differs at frame %d: %v, want %v", i, gotA[i], wantA[i])
		}
	}
	// B from the move on equals a fresh playback of the moved song, once
	// the crossfade is over.
	ref2 := newRig(t, dir, s, 256, 1, nil, false)
	ref2.e.Locate(movedAt)
	ref2.e.Play()
	ref2.step(nil)
	for ref2.e.Position() == movedAt {
		ref2.step(nil)
	}
	wantB, _ := ref2.playOut(100)
	start := ref2.e.Position() - 100*256 - movedAt // frames into gotB where wantB starts
	heard := -1
	for i := int(start); i < len(wantB); i++ {
		if gotB[i] != wantB[i-int(start)] {
			heard = -1
			continue
		}
		if heard < 0 {
			heard = i
		}
	}
	if heard < 0 || heard > 256+256 {
		t.Fatalf("the moved clip is heard in its new place from frame %d after the edit, want within a buffer and the crossfade", heard)
	}
	if u := r.e.Underruns(); u != 0 {
		t.Errorf("%d underruns", u)
	}
}

// TestTracksAddedAndRemovedWhilePlaying: a track added while playing fades
// in, one removed fades out (no jump in the output beyond what the music
// does), and the others play on undisturbed.
func TestTracksAddedAndRemovedWhilePlaying(t *testing.T) {
	dir, s := twoTrackSong(t)
	ref := newRig(t, dir, s, 256, 1, nil, false)
	ref.e.Play()
	_, wantA := ref.playOut(120)

	r := newRig(t, dir, s, 256, 1, nil, false)
	r.e.Play()
	_, gotA := r.playOut(40)
	b := s.Tracks[1]
	s.Tracks = s.Tracks[:1] // B removed
	r.update(nil, false, map[int]bool{})
	l1, a1 := r.playOut(40)
	s.Tracks = append(s.Tracks, b) // B back (an undo)
	r.update(nil, false, map[int]bool{1: true})
	l2, a2 := r.playOut(40)
	gotA = append(append(gotA, a1...), a2...)
	for i := range gotA {
		if gotA[i] != wantA[i] {
			t.Fatalf("the track that stayed differs at frame %d", i)
		}
	}
	maxStep := func(x []float32) float64 {
		m := 0.0
		for i := 1; i < len(x); i++ {
			m = max(m, math.Abs(float64(x[i]-x[i-1])))
		}
		return m
	}
	// B is a 0.6 sine at 0.029 rad/frame: its own steps are at most
	// 0.6·0.029 ≈ 0.0174; a cut would jump by up to 0.6.
	if m := maxStep(l1[:512]); m > 0.02 {
		t.Errorf("removing B: a step of %.3f in the output (a click)", m)
	}
	if m := maxStep(l2[:512]); m > 0.02 {
		t.Errorf("adding B: a step of %.3f in the output (a click)", m)
	}
	if p := peak(l1[512:]); p > 1e-6 { // A leaks cos(π/2) ≈ 6e-17 into the left
		t.Fatalf("the removed track still sounds after its fade (peak %v)", p)
	}
	if peak(l2[1024:]) < 0.5 {
		t.Fatal("the added track is not heard after its fade-in")
	}
}

// TestArmOnTheFly: while recording, a track armed at a buffer starts its
// take there (punch in) and a track disarmed ends its take there (punch
// out); both takes hold exactly the input of those frames, and the take
// that went on while the other was armed is one continuous take.
func TestArmOnTheFly(t *testing.T) {
	dir, s := twoTrackSong(t)
	s.Tracks = append(s.Tracks, projects.NewTrack("X", 1), projects.NewTrack("Y", 2))
	input := func(pos int64, ch int) float32 { return float32((pos*7+int64(ch)*1000)%8191)/8191 - 0.5 }
	fill := func(pos int64, in [][]float32) {
		for c := range in {
			for i := range in[c] {
				in[c][i] = input(pos+int64(i), c)
			}
		}
	}
	r := newRig(t, dir, s, 256, 3, map[int][]int{2: {0}}, false)
	r.e.Locate(1000)
	r.step(fill)
	r.e.Record(0)
	for r.e.Position() < 20000 {
		r.step(fill)
	}
	armY := r.e.Position()
	r.update(map[int][]int{2: {0}, 3: {1, 2}}, false, map[int]bool{})
	for r.e.Position() < 50000 {
		r.step(fill)
	}
	disarmX := r.e.Position()
	r.update(map[int][]int{3: {1, 2}}, false, map[int]bool{})
	for r.e.Position() < 70000 {
		r.step(fill)
	}
	end := r.e.Position()
	r.e.Stop()
	for i := 0; i < 5; i++ {
		r.step(fill)
	}
	if err := r.b.Err(); err != nil {
		t.Fatal(err)
	}
	takes := r.b.TakeRecorded()
	if len(takes) != 2 {
		t.Fatalf("%d takes, want 2", len(takes))
	}
	want := map[int][3]int64{2: {1000, disarmX - 1000}, 3: {armY, end - armY}}
	for _, tk := range takes {
		i := r.index(tk)
		w, ok := want[i]
		if !ok || tk.Start != w[0] || tk.Frames != w[1] {
			t.Fatalf("track %d: take from %d, %d frames; want from %d, %d frames", i, tk.Start, tk.Frames, w[0], w[1])
		}
		audio := readWav(t, projects.AudioPath(dir, tk.File))
		chans := map[int][]int{2: {0}, 3: {1, 2}}[i]
		for c, ch := range chans {
			if int64(len(audio[c])) != tk.Frames {
				t.Fatalf("take %s has %d frames, want %d", tk.File, len(audio[c]), tk.Frames)
			}
			for k, v := range audio[c] {
				if v != input(tk.Start+int64(k), ch) {
					t.Fatalf("take %s channel %d frame %d: %v, want %v", tk.File, c, k, v, input(tk.Start+int64(k), ch))
				}
			}
		}
	}
}

// TestPunchInWhereArmed: a track armed while recording starts its take
// where it was armed (TrackSpec.ArmedAt), however many buffers later the
// change reaches the audio thread, with exactly what its inputs played
// from there; only as far back as the engine keeps its inputs (half a
// second), and never before the recording started.
func TestPunchInWhereArmed(t *testing.T) {
	input := func(pos int64, ch int) float32 { return float32((pos*5+int64(ch)*777)%4099)/4099 - 0.5 }
	fill := func(pos int64, in [][]float32) {
		for c := range in {
			for i := range in[c] {
				in[c][i] = input(pos+int64(i), c)
			}
		}
	}
	for _, tc := range []struct {
		name       string
		late       int   // buffers between arming and the change reaching the engine
		armAt      int64 // timeline frame of arming (the recording starts at 1000; -1: before it started)
		wantOffset int64 // where the take starts, from where the change was heard (≤ 0)
	}{
		{"3 buffers late", 3, 20000, -3 * 256},
		{"30 buffers late", 30, 20000, -30 * 256},
		{"beyond what is kept", 200, 20000, -24000},
		{"armed before the recording started", 20, -1, -24000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, s := twoTrackSong(t)
			s.Tracks = append(s.Tracks, projects.NewTrack("X", 1), projects.NewTrack("Y", 2))
			r := newRig(t, dir, s, 256, 3, map[int][]int{2: {0}}, false)
			r.e.Locate(1000)
			r.step(fill)
			r.e.Play()
			for range 3 {
				r.step(fill)
			}
			r.armedAt = map[int]int64{3: r.e.Frames()}
			armed := r.e.Position()
			r.step(fill)
			recStart := r.e.Position()
			r.e.Record(0) // from here on, no count-in
			r.step(fill)
			if tc.armAt >= 0 {
				for r.e.Position() < tc.armAt {
					r.step(fill)
				}
				r.armedAt = map[int]int64{3: r.e.Frames()}
				armed = r.e.Position()
			}
			for range tc.late {
				r.step(fill)
			}
			heard := r.e.Position()
			r.update(map[int][]int{2: {0}, 3: {1, 2}}, false, map[int]bool{})
			for r.e.Position() < heard+20000 {
				r.step(fill)
			}
			end := r.e.Position()
			r.e.Stop()
			for range 5 {
				r.step(fill)
			}
			if err := r.b.Err(); err != nil {
				t.Fatal(err)
			}
			wantStart := max(heard+tc.wantOffset, recStart)
			if tc.late <= 30 && wantStart != max(armed, recStart) {
				t.Fatalf("test: armed at %d but expecting the take at %d", armed, wantStart)
			}
			var got *engine.Recorded
			for _, tk := range r.b.TakeRecorded() {
				if r.index(tk) == 3 {
					got = &tk
				}
			}
			if got == nil {
				t.Fatal("no take on the track armed while recording")
			}
			t.Logf("armed at %d, heard at %d: the take starts at %d", armed, heard, got.Start)
			if got.Start != wantStart || got.Frames != end-wantStart {
				t.Fatalf("take from %d, %d frames; want from %d, %d frames", got.Start, got.Frames, wantStart, end-wantStart)
			}
			audio := readWav(t, projects.AudioPath(dir, got.File))
			for c, ch := range []int{1, 2} {
				for k, v := range audio[c] {
					if w := input(got.Start+int64(k), ch); v != w {
						t.Fatalf("channel %d frame %d (timeline %d): %v, want %v", c, k, got.Start+int64(k), v, w)
					}
				}
			}
		})
	}
}

// keepRig is a rig whose engine keeps keep frames of the armed inputs
// (with little slack, so tests can wrap the rings quickly).
func keepRig(t testing.TB, keep int64) (*rig, *projects.Song) {
	dir, s := twoTrackSong(t)
	s.Tracks = append(s.Tracks, projects.NewTrack("Mic", 1))
	r := bareRig(t, dir, s, 256, 2, engine.Config{KeepSlack: 4096})
	r.keep = keep
	r.update(map[int][]int{2: {1}}, false, nil)
	return r, s
}

// counter is an input whose every frame says which retro frame it is.
func counter(frames *int64) func(int64, [][]float32) {
	return func(_ int64, in [][]float32) {
		for c := range in {
			for i := range in[c] {
				in[c][i] = float32((*frames + int64(i)) % 1000003)
			}
		}
		*frames += int64(len(in[0]))
	}
}

func readKept(t *testing.T, kt engine.KeepTrack) []float32 {
	t.Helper()
	out := make([]float32, kt.Frames)
	for off := int64(0); off < kt.Frames; off += 5000 {
		n := min(5000, kt.Frames-off)
		if err := kt.Read(off, [][]float32{out[off : off+n]}); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestKeepWhenStopped: stopped, Keep gives the last frames heard (a ring
// that wrapped three times plus a remainder), ending at the playhead.
func TestKeepWhenStopped(t *testing.T) {
	const keep = 10000
	r, _ := keepRig(t, keep)
	var w int64
	in := counter(&w)
	r.e.Locate(50000)
	size := int64(keep + 4096)
	for w < 3*size+7777 {
		r.step(in)
	}
	plan, err := r.b.Keep(0)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Rolling || len(plan.Tracks) != 1 {
		t.Fatalf("plan %+v, want one track, stopped", plan)
	}
	kt := plan.Tracks[0]
	if kt.Frames != keep || len(kt.Pieces) != 1 || kt.Pieces[0].Position != 50000-keep {
		t.Fatalf("kept %d frames in %+v, want %d ending at the playhead 50000", kt.Frames, kt.Pieces, keep)
	}
	got := readKept(t, kt)
	for i, v := range got {
		if want := float32((w - keep + int64(i)) % 1000003); v != want {
			t.Fatalf("kept frame %d: %v, want %v", i, v, want)
		}
	}
	// Shorter than kept: what there is, still ending at the playhead.
	r2, _ := keepRig(t, keep)
	var w2 int64
	r2.e.Locate(3000)
	for w2 < 5000 {
		r2.step(counter(&w2))
	}
	plan, err = r2.b.Keep(0)
	if err != nil {
		t.Fatal(err)
	}
	kt = plan.Tracks[0]
	if kt.Frames != 3000 || kt.Pieces[0].Position != 0 {
		t.Fatalf("a short ring near the start: %d frames at %d, want the last 3000 at 0", kt.Frames, kt.Pieces[0].Position)
	}
}

// TestKeepWhilePlaying: playing, Keep gives what was played since Play,
// at its place; in a loop, every place once, from its latest pass.
func TestKeepWhilePlaying(t *testing.T) {
	r, _ := keepRig(t, 200000)
	var w int64
	in := counter(&w)
	r.e.Locate(30000)
	r.step(in)
	r.step(in)
	r.e.Play()
	var startW int64 = -1
	for r.e.Position() < 60000 {
		before := r.e.Position()
		r.step(in)
		if startW < 0 && r.e.Position() != before {
			startW = w - 256
		}
	}
	plan, err := r.b.Keep(0)
	if err != nil {
		t.Fatal(err)
	}
	kt := plan.Tracks[0]
	end := r.e.Position()
	if !plan.Rolling || len(kt.Pieces) != 1 || kt.Pieces[0].Position != 30000 || kt.Frames != end-30000 {
		t.Fatalf("kept %+v (%d frames), want one piece from 30000 to %d", kt.Pieces, kt.Frames, end)
	}
	for i, v := range readKept(t, kt) {
		if want := float32((startW + int64(i)) % 1000003); v != want {
			t.Fatalf("frame %d: %v, want %v", i, v, want)
		}
	}

	// A loop [10000, 20000) played 2.5 times from 12000.
	r2, _ := keepRig(t, 200000)
	var w2 int64
	in2 := counter(&w2)
	r2.e.SetLoop(10000, 20000, true)
	r2.e.Locate(12000)
	r2.step(in2)
	r2.e.Play()
	type at struct{ w, pos int64 }
	var heard []at // the retro frame of each buffer, and where it played
	for len(heard)*256 < 33000 {
		pos := r2.e.Position()
		r2.step(in2)
		if r2.e.State() == engine.Playing && r2.e.Position() != pos {
			heard = append(heard, at{w2 - 256, pos})
		}
	}
	plan, err = r2.b.Keep(0)
	if err != nil {
		t.Fatal(err)
	}
	kt = plan.Tracks[0]
	if kt.Frames != 10000 {
		t.Fatalf("kept %d frames of a 10000-frame loop: %+v", kt.Frames, kt.Pieces)
	}
	// Expected: each timeline frame of the loop from the latest buffer that played it.
	latest := map[int64]float32{}
	for _, h := range heard {
		for i := int64(0); i < 256; i++ {
			p := h.pos + i
			if p >= 20000 {
				p = 10000 + (p-20000)%10000
			}
			latest[p] = float32((h.w + i) % 1000003)
		}
	}
	got := readKept(t, kt)
	for _, pc := range kt.Pieces {
		for i := int64(0); i < pc.Frames; i++ {
			if v, want := got[pc.Offset+i], latest[pc.Position+i]; v != want {
				t.Fatalf("loop frame %d: kept %v, want %v (the latest pass)", pc.Position+i, v, want)
			}
		}
	}
}

// TestKeepMIDI: the keyboard played while stopped is kept, ending at the
// playhead; whole notes.
func TestKeepMIDI(t *testing.T) {
	dir, s := midiSong(t)
	r := newMIDIRig(t, dir, s, 256, 0, fallback(t, 256))
	r.keep = 48000 * 60
	r.update(map[int][]int{0: nil}, false, map[int]bool{})
	r.e.Locate(96000)
	r.step(nil)
	for i := range 20 {
		if i == 5 {
			r.e.MIDIIn([3]byte{midi.NoteOn, 60, 100})
		}
		if i == 12 {
			r.e.MIDIIn([3]byte{midi.NoteOff, 60, 0})
			r.e.MIDIIn([3]byte{midi.NoteOn, 64, 90}) // held at the end
		}
		r.step(nil)
	}
	plan, err := r.b.Keep(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Tracks) != 1 || !plan.Tracks[0].MIDI {
		t.Fatalf("plan %+v, want the MIDI track", plan)
	}
	kt := plan.Tracks[0]
	ev := kt.Events
	if len(ev) != 4 || !ev[0].IsNoteOn() || ev[0].Msg[1] != 60 || !ev[1].IsNoteOff() || ev[1].Frame-ev[0].Frame != 7*256 ||
		!ev[2].IsNoteOn() || ev[2].Msg[1] != 64 || !ev[3].IsNoteOff() || ev[3].Frame != kt.Frames-1 {
		t.Fatalf("kept events %+v (take of %d frames)", ev, kt.Frames)
	}
	if p := kt.Pieces[0]; p.Position+p.Frames != 96000 {
		t.Fatalf("the kept notes end at %d, want at the playhead 96000", p.Position+p.Frames)
	}
}

// TestRecordWhilePlayingGoesOn: Record pressed while playing starts the
// takes where the song is, and what is played goes on without a break.
func TestRecordWhilePlayingGoesOn(t *testing.T) {
	dir, s := twoTrackSong(t)
	s.Tracks = append(s.Tracks, projects.NewTrack("X", 1))
	ref := newRig(t, dir, s, 256, 1, nil, false)
	ref.e.Play()
	_, want := ref.playOut(60)
	r := newRig(t, dir, s, 256, 1, map[int][]int{2: {0}}, false)
	r.e.Play()
	_, got := r.playOut(20)
	at := r.e.Position()
	r.e.Record(0)
	_, more := r.playOut(40)
	got = append(got, more...)
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("frame %d: %v, want %v: playback broke when recording started", i, got[i], want[i])
		}
	}
	r.e.Stop()
	r.step(nil)
	r.step(nil)
	takes := r.b.TakeRecorded()
	if len(takes) != 1 || takes[0].Start != at || takes[0].Frames != 40*256 {
		t.Fatalf("takes %+v, want one from %d of %d frames", takes, at, 40*256)
	}
}
