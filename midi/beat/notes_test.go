package beat_test

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"

	gomidi "gitlab.com/gomidi/midi/v2/smf"

	"sangstudio/midi"
	"sangstudio/midi/beat"
	"sangstudio/midi/smf"
	"sangstudio/projects"
)

const ppq = smf.PPQ

func fourFour() projects.TimeSig { return projects.TimeSig{Beats: 4, Unit: 4} }

// randomPattern is a one-bar 4/4 pattern on the default lanes with each
// step played at a random level (about a third of them), no rolls.
func randomPattern(t testing.TB, r *rand.Rand) *beat.Pattern {
	t.Helper()
	p, err := beat.New(fourFour(), 1, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Lanes {
		for k := range p.Lanes[i].Steps {
			if r.IntN(3) == 0 {
				p.Lanes[i].Steps[k] = beat.Hit(beat.Level(1+r.IntN(3)), 1)
			}
		}
	}
	return p
}

// note is a note-on as the tests compare them.
type note struct {
	tick int64
	key  byte
	vel  byte
}

// ons are the note-ons of events, checking that every event is on
// channel 10 and that each note-on has its note-off after it.
func ons(t *testing.T, events []beat.Event) []note {
	t.Helper()
	var out []note
	open := map[byte]int64{}
	for _, e := range events {
		ev := midi.Event{Msg: e.Msg}
		if ev.Channel() != midi.DrumChannel {
			t.Fatalf("event % X at tick %d is not on channel 10", e.Msg, e.Tick)
		}
		switch {
		case ev.IsNoteOn():
			if _, ok := open[e.Msg[1]]; ok {
				t.Fatalf("note %d starts again at tick %d before it ended", e.Msg[1], e.Tick)
			}
			open[e.Msg[1]] = e.Tick
			out = append(out, note{e.Tick, e.Msg[1], e.Msg[2]})
		case ev.IsNoteOff():
			on, ok := open[e.Msg[1]]
			if !ok || e.Tick <= on {
				t.Fatalf("note-off of %d at tick %d without a note-on before it", e.Msg[1], e.Tick)
			}
			delete(open, e.Msg[1])
		default:
			t.Fatalf("unexpected event % X", e.Msg)
		}
	}
	if len(open) > 0 {
		t.Fatalf("notes never end: %v", open)
	}
	return out
}

// expected are the note-ons the steps of p say, with step k at tick
// at(k), sorted as Notes sorts them.
func expected(p *beat.Pattern, at func(k int) int64) []note {
	var out []note
	for _, l := range p.Lanes {
		for k, s := range l.Steps {
			if s.On() {
				out = append(out, note{at(k), byte(l.Note), byte(p.Velocity.Of(s.Level))})
			}
		}
	}
	slices.SortFunc(out, func(a, b note) int {
		if a.tick != b.tick {
			return int(a.tick - b.tick)
		}
		return int(a.key) - int(b.key)
	})
	return out
}

// TestSixteenStepsExactTicks: a 16-step pattern writes each note at
// exactly step·PPQ/4 ticks, on channel 10, with the lane's General MIDI
// note and its level's velocity; read back from the take's file by
// gomidi's own reader, the ticks are the same.
func TestSixteenStepsExactTicks(t *testing.T) {
	gm := map[string]int{"kick": 36, "snare": 38, "clap": 39, "hat": 42, "pedalhat": 44, "openhat": 46,
		"floortom": 41, "lowtom": 45, "hightom": 48, "crash": 49, "ride": 51}
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		p := randomPattern(t, r)
		for _, l := range p.Lanes {
			if gm[l.Name] != l.Note {
				t.Fatalf("lane %s plays note %d, want %d", l.Name, l.Note, gm[l.Name])
			}
		}
		events, err := beat.Notes(p, ppq)
		if err != nil {
			t.Fatal(err)
		}
		got := ons(t, events)
		want := expected(p, func(k int) int64 { return int64(k) * ppq / 4 })
		if !slices.Equal(got, want) {
			t.Fatalf("notes %v\nwant %v", got, want)
		}
		data, err := smf.EncodeTicks(events, 120, [2]int{4, 4}, "Beat")
		if err != nil {
			t.Fatal(err)
		}
		if back := readTicks(t, data); !slices.Equal(back, want) {
			t.Fatalf("read back by gomidi: %v\nwant %v", back, want)
		}
	}
}

// readTicks reads the note-ons of a MIDI file with gomidi's reader, at
// their absolute ticks, sorted as Notes sorts them.
func readTicks(t *testing.T, data []byte) []note {
	t.Helper()
	f, err := gomidi.ReadFrom(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("gomidi cannot read the file: %v", err)
	}
	if tf, ok := f.TimeFormat.(gomidi.MetricTicks); !ok || tf.Resolution() != ppq {
		t.Fatalf("time format %v", f.TimeFormat)
	}
	var out []note
	for _, tr := range f.Tracks {
		var tick int64
		for _, ev := range tr {
			tick += int64(ev.Delta)
			var ch, key, vel uint8
			if ev.Message.GetNoteStart(&ch, &key, &vel) {
				if ch != midi.DrumChannel {
					t.Fatalf("a note on channel %d", ch+1)
				}
				out = append(out, note{tick, key, vel})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b note) int {
		if a.tick != b.tick {
			return int(a.tick - b.tick)
		}
		return int(a.key) - int(b.key)
	})
	return out
}

// TestSwing: only the off-beat 16ths (odd steps) move, later by
// round(f·PPQ/8) ticks: 48 at f = 0.4; at f = 0 the file is byte for byte
// the one without swing.
func TestSwing(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	p := randomPattern(t, r)
	straight, _ := beat.Notes(p, ppq)
	for _, c := range []struct {
		f    float64
		move int64
	}{{0, 0}, {0.1, 12}, {0.25, 30}, {0.4, 48}, {1, 120}} {
		if got := beat.SwingTicks(c.f, ppq); got != c.move {
			t.Errorf("SwingTicks(%v, %d) = %d, want %d", c.f, ppq, got, c.move)
		}
		q, err := beat.SetSwing(p, c.f)
		if err != nil {
			t.Fatal(err)
		}
		events, _ := beat.Notes(q, ppq)
		want := expected(p, func(k int) int64 { return int64(k)*ppq/4 + int64(k%2)*c.move })
		if got := ons(t, events); !slices.Equal(got, want) {
			t.Errorf("swing %v: %v\nwant %v", c.f, got, want)
		}
		if c.f == 0 {
			a, _ := smf.EncodeTicks(events, 100, [2]int{4, 4}, "")
			b, _ := smf.EncodeTicks(straight, 100, [2]int{4, 4}, "")
			if !bytes.Equal(a, b) {
				t.Error("swing 0 changed the file")
			}
		}
	}
	// At another resolution the formula holds too: PPQ 96, f 0.4 → 5.
	q, _ := beat.SetSwing(p, 0.4)
	events, _ := beat.Notes(q, 96)
	if got, want := ons(t, events), expected(p, func(k int) int64 { return int64(k)*24 + int64(k%2)*5 }); !slices.Equal(got, want) {
		t.Errorf("PPQ 96: %v\nwant %v", got, want)
	}
}

// TestVelocities: soft, normal and accent map to the pattern's velocities
// (60/100/127 by default, and others when set), scaled by the lane's
// volume; every velocity is within 1–127, also with humanize at its most.
func TestVelocities(t *testing.T) {
	p, _ := beat.Parse("kick:o.x.X...,snare:X.......", fourFour(), false)
	events, _ := beat.Notes(p, ppq)
	want := []note{{0, 36, 60}, {0, 38, 127}, {480, 36, 100}, {960, 36, 127}, {1920, 36, 60}, {1920, 38, 127}, {2400, 36, 100}, {2880, 36, 127}}
	if got := ons(t, events); !slices.Equal(got, want) {
		t.Errorf("default velocities: %v\nwant %v", got, want)
	}
	q, _ := beat.SetVelocities(p, beat.Velocities{Soft: 1, Normal: 64, Accent: 120})
	q, _ = beat.SetLaneVolume(q, 1, 0.5)
	events, _ = beat.Notes(q, ppq)
	want = []note{{0, 36, 1}, {0, 38, 60}, {480, 36, 64}, {960, 36, 120}, {1920, 36, 1}, {1920, 38, 60}, {2400, 36, 64}, {2880, 36, 120}}
	if got := ons(t, events); !slices.Equal(got, want) {
		t.Errorf("velocities 1/64/120, snare at 0.5: %v\nwant %v", got, want)
	}
	if _, err := beat.SetVelocities(p, beat.Velocities{Soft: 0, Normal: 100, Accent: 128}); err == nil {
		t.Error("velocities 0 and 128 were accepted")
	}
	r := rand.New(rand.NewPCG(7, 8))
	for range 50 {
		p := randomPattern(t, r)
		p, _ = beat.SetVelocities(p, beat.Velocities{Soft: 1 + r.IntN(127), Normal: 1 + r.IntN(127), Accent: 1 + r.IntN(127)})
		p, _ = beat.SetHumanize(p, 1, r.Uint32())
		p, _ = beat.SetLaneVolume(p, 0, r.Float64())
		events, _ := beat.Notes(p, ppq)
		for _, n := range ons(t, events) {
			if n.vel < 1 || n.vel > 127 {
				t.Fatalf("velocity %d", n.vel)
			}
		}
	}
}

// TestMuteSolo: a muted lane, a lane at volume 0 and, while any lane is
// soloed, the lanes that are not, play nothing.
func TestMuteSolo(t *testing.T) {
	p, _ := beat.Parse("kick:x...,snare:..x.,hat:x.x.", fourFour(), false)
	keys := func(p *beat.Pattern) []byte {
		events, _ := beat.Notes(p, ppq)
		var k []byte
		for _, n := range ons(t, events) {
			if !slices.Contains(k, n.key) {
				k = append(k, n.key)
			}
		}
		slices.Sort(k)
		return k
	}
	m, _ := beat.SetLaneMute(p, 0, true)
	s, _ := beat.SetLaneSolo(p, 2, true)
	ms, _ := beat.SetLaneMute(s, 2, true)
	v, _ := beat.SetLaneVolume(p, 1, 0)
	for _, c := range []struct {
		name string
		p    *beat.Pattern
		want []byte
	}{{"all", p, []byte{36, 38, 42}}, {"kick muted", m, []byte{38, 42}}, {"hat soloed", s, []byte{42}},
		{"hat soloed and muted", ms, nil}, {"snare at volume 0", v, []byte{36, 42}}} {
		if got := keys(c.p); !slices.Equal(got, c.want) {
			t.Errorf("%s: notes %v, want %v", c.name, got, c.want)
		}
	}
}

// TestRolls: a roll of n hits in a 16th step spreads them evenly over it
// (32nds for 2, 32nd triplets for 3), also on a swung off-beat, where they
// fill the rest of the step.
func TestRolls(t *testing.T) {
	p, _ := beat.Parse("hat:x2x3x4.", fourFour(), false)
	events, _ := beat.Notes(p, ppq)
	var got []int64
	for _, n := range ons(t, events)[:9] {
		got = append(got, n.tick)
	}
	want := []int64{0, 120, 240, 320, 400, 480, 540, 600, 660}
	if !slices.Equal(got, want) {
		t.Errorf("roll ticks %v, want %v", got, want)
	}
	q, _ := beat.SetSwing(p, 0.4)
	events, _ = beat.Notes(q, ppq)
	got = got[:0]
	for _, n := range ons(t, events)[2:5] {
		got = append(got, n.tick)
	}
	if want := []int64{288, 352, 416}; !slices.Equal(got, want) {
		t.Errorf("swung roll of 3 at %v, want %v", got, want)
	}
}

// TestHumanize: the same pattern and seed give the same notes and the
// same bytes every time; another seed other notes; each hit stays within
// Humanize·PPQ/32 ticks of its step, and hits keep their order.
func TestHumanize(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	p := randomPattern(t, r)
	p.Lanes[3].Steps[5] = beat.Hit(beat.Accent, 4)
	h, _ := beat.SetHumanize(p, 0.8, 12345)
	s := projects.New("h", 48000)
	a, err := beat.MakeTake(s, h, 10*48000)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := beat.MakeTake(s, h.Clone(), 10*48000)
	if !bytes.Equal(a.Data, b.Data) || a.Name != b.Name {
		t.Fatal("the same pattern and seed gave different takes")
	}
	other, _ := beat.SetHumanize(p, 0.8, 12346)
	if c, _ := beat.MakeTake(s, other, 10*48000); bytes.Equal(c.Data, a.Data) {
		t.Error("another seed gave the same take")
	}
	straight, _ := beat.Notes(p, ppq)
	moved, _ := beat.Notes(h, ppq)
	so, mo := ons(t, straight), ons(t, moved)
	if len(so) != len(mo) {
		t.Fatalf("%d notes, humanized %d", len(so), len(mo))
	}
	// Hits of one lane keep their order: sorted by note (stably), the
	// humanized hits line up with the straight ones.
	slices.SortStableFunc(mo, func(a, b note) int { return int(a.key) - int(b.key) })
	slices.SortStableFunc(so, func(a, b note) int { return int(a.key) - int(b.key) })
	changed := 0
	limit := int64(0.8 * ppq / 32)
	for i := range so {
		if d := mo[i].tick - so[i].tick; d < -limit || d > limit {
			t.Errorf("a hit moved %d ticks (at most %d)", d, limit)
		}
		if mo[i] != so[i] {
			changed++
		}
	}
	if changed < len(so)/2 {
		t.Errorf("humanize changed only %d of %d notes", changed, len(so))
	}
}

// TestStepAt: the step a tick falls in, for the playhead's cell.
func TestStepAt(t *testing.T) {
	p, _ := beat.New(fourFour(), 2, false)
	tr, _ := beat.New(fourFour(), 1, true)
	for _, c := range []struct {
		p    *beat.Pattern
		tick int64
		want int
	}{{p, 0, 0}, {p, 239, 0}, {p, 240, 1}, {p, 3839, 15}, {p, 3840, 16}, {p, 7679, 31}, {p, 7680, 0}, {p, -1, 31},
		{tr, 319, 0}, {tr, 320, 1}, {tr, 3839, 11}} {
		if got, err := beat.StepAt(c.p, ppq, c.tick); err != nil || got != c.want {
			t.Errorf("StepAt(%d steps, %d) = %d, %v; want %d", c.p.Len(), c.tick, got, err, c.want)
		}
	}
}

// TestTriplets: in triplets, step k lies at k·PPQ/3, and a 3/4 bar has 9
// steps.
func TestTriplets(t *testing.T) {
	p, err := beat.Parse("kick:x..x..x..x..", fourFour(), true)
	if err != nil {
		t.Fatal(err)
	}
	events, _ := beat.Notes(p, ppq)
	want := expected(p, func(k int) int64 { return int64(k) * ppq / 3 })
	if got := ons(t, events); !slices.Equal(got, want) || len(got) != 4 {
		t.Errorf("triplets %v, want %v", got, want)
	}
	if _, err := beat.SetSwing(p, 0.3); err == nil {
		t.Error("swing was accepted on triplets")
	}
	w, _ := beat.New(projects.TimeSig{Beats: 3, Unit: 4}, 1, true)
	if w.Len() != 9 {
		t.Errorf("3/4 in triplets has %d steps", w.Len())
	}
}

// TestNotesOver: the pattern repeats from tick 0 and is cut at the end:
// no note starts at or after it, notes sounding there end there.
func TestNotesOver(t *testing.T) {
	p, _ := beat.Parse("kick:x...x...x...x...,hat:x.x.x.x.x.x.x.x.", fourFour(), false)
	pass, _ := beat.PassTicks(p, ppq)
	if pass != 4*ppq {
		t.Fatalf("a 4/4 bar is %d ticks", pass)
	}
	length := 2*pass + 600 // two bars and a beat and a half
	events, err := beat.NotesOver(p, ppq, length)
	if err != nil {
		t.Fatal(err)
	}
	var kicks []int64
	for _, n := range ons(t, events) {
		if n.key == 36 {
			kicks = append(kicks, n.tick)
		}
	}
	if want := []int64{0, 960, 1920, 2880, 3840, 4800, 5760, 6720, 7680}; !slices.Equal(kicks, want) {
		t.Errorf("kicks at %v, want %v", kicks, want)
	}
	last := events[len(events)-1]
	if last.Tick > length {
		t.Errorf("an event at %d, after the end %d", last.Tick, length)
	}
	// The hat at 8160 lasts 120 ticks and ends at the end, 8280; the one
	// at 8640 is not played.
	for _, e := range events {
		if e.Tick >= length && (midi.Event{Msg: e.Msg}).IsNoteOn() {
			t.Errorf("a note starts at %d, at or after the end", e.Tick)
		}
	}
	if _, err := beat.NotesOver(p, ppq, -1); err == nil {
		t.Error("a negative length was accepted")
	}
	if _, err := beat.Notes(p, 12); err == nil {
		t.Error("PPQ 12 was accepted")
	}
}
