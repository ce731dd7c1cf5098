package projects

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// schema2Song is a song as Sangstudio saved it before drum patterns
// (schema 2): effects, a MIDI drum track with a clip.
const schema2Song = `{"schema":2,"title":"Før beats","rate":48000,"tempo":96,"time_signature":{"beats":4,"unit":4},
"tracks":[{"id":"d1","name":"Trommer","kind":"midi","channels":2,"gain_db":-1,"pan":0,"mute":false,"solo":false,"drums":true,
"clips":[{"take":"0001-Trommer.mid","position":480,"offset":0,"length":96000,"gain_db":0,"fade_in":0,"fade_out":0}],
"effects":{"preset":"drums","high_pass":30,"reverb":{"on":true,"db":-18}}}],
"markers":[{"name":"Vers","position":0}],"lyrics":"","master":{"gain_db":0},"next_take":1}
`

// TestSchema2SongsOpenUnchanged: a song saved before drum patterns opens
// with no pattern on its clips, everything else as it was; saved, it is
// the current version, with no "beat" in it, and reads back the same.
func TestSchema2SongsOpenUnchanged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "old")
	if err := os.MkdirAll(filepath.Join(dir, AudioDir), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, AudioDir, "0001-Trommer.mid"), []byte("MThd"), 0o644)
	if err := os.WriteFile(filepath.Join(dir, SongFile), []byte(schema2Song), 0o644); err != nil {
		t.Fatal(err)
	}
	s, rec, err := Load(dir)
	if err != nil || rec != nil {
		t.Fatalf("Load: %v, %v", err, rec)
	}
	tr := s.Tracks[0]
	c := tr.Clips[0]
	if s.Schema != Schema || c.Beat != nil || c.Take != "0001-Trommer.mid" || c.Position != 480 || c.Length != 96000 {
		t.Fatalf("read as schema %d, clip %+v", s.Schema, c)
	}
	if !tr.Drums || tr.Effects.Preset != "drums" || tr.Effects.Reverb != (Send{On: true, DB: -18}) || s.Tempo != 96 || s.Title != "Før beats" {
		t.Fatalf("the song changed: %+v %+v", s, tr)
	}
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, SongFile))
	if !bytes.Contains(data, fmt.Appendf(nil, `"schema": %d`, Schema)) || bytes.Contains(data, []byte(`"beat"`)) {
		t.Errorf("saved as:\n%s", data)
	}
	again, _, err := Load(dir)
	if err != nil || !reflect.DeepEqual(again, s) {
		t.Fatalf("read back: %v\n%+v\nwant %+v", err, again, s)
	}
}

// testPattern is a valid one-bar pattern in 4/4.
func testPattern() *Pattern {
	kick, _ := ParseSteps("x...x...x...x...")
	hat, _ := ParseSteps("x.o.X2.x.x.x.x3.x.")
	return &Pattern{Meter: TimeSig{4, 4}, Bars: 1, Swing: 0.25, Humanize: 0.1, Seed: 7, Velocity: DefaultVelocities(),
		Lanes: []BeatLane{{Name: "kick", Note: 36, Volume: 1, Steps: kick}, {Name: "hat", Note: 42, Volume: 0.8, Mute: true, Steps: hat}}}
}

// TestPatternRoundTrip: a clip's pattern survives a save, its steps as
// readable text in song.json.
func TestPatternRoundTrip(t *testing.T) {
	s := New("Beat", 48000)
	tr := NewMIDITrack("Beat", 0, true)
	tr.Clips = []Clip{{Take: "beat-0123456789abcdef.mid", Length: 120000, Beat: testPattern()}}
	s.Tracks = append(s.Tracks, tr)
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"steps": "x...x...x...x..."`, `"steps": "x.o.X2.x.x.x.x3.x."`, `"meter": {`, `"velocity": {`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("song.json lacks %s:\n%s", want, data)
		}
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Tracks[0].Clips[0].Beat, s.Tracks[0].Clips[0].Beat) {
		t.Fatalf("read back %+v\nwant %+v", got.Tracks[0].Clips[0].Beat, s.Tracks[0].Clips[0].Beat)
	}
}

func TestParseSteps(t *testing.T) {
	for _, c := range []struct {
		text, want, err string
	}{
		{"x...X...o...x...", "x...X...o...x...", ""},
		{"x... x... | x2.X4.", "x...x...x2.X4.", ""},
		{"", "", ""},
		{"x1", "", "a roll has 2 to 4 hits"},
		{"x5", "", "a roll has 2 to 4 hits"},
		{".2", "", "comes right after a step that is played"},
		{"x23", "", "comes right after a step that is played"},
		{"3x", "", "comes right after a step that is played"},
		{"x-x", "", `'-' at character 2 is not a step`},
		{"xø", "", `'ø' at character 2 is not a step`},
	} {
		st, err := ParseSteps(c.text)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("ParseSteps(%q) = %v, want an error with %q", c.text, err, c.err)
		case c.err == "" && (err != nil || st.String() != c.want):
			t.Errorf("ParseSteps(%q) = %q, %v; want %q", c.text, st, err, c.want)
		}
	}
	st, _ := ParseSteps("o.xX3")
	want := Steps{{StepSoft, 1}, {StepOff, 0}, {StepNormal, 1}, {StepAccent, 3}}
	if !reflect.DeepEqual(st, want) {
		t.Errorf("ParseSteps(o.xX3) = %+v, want %+v", st, want)
	}
}

// TestPatternValidated: values out of range are refused, saying which.
func TestPatternValidated(t *testing.T) {
	pt := func(f func(p *Pattern)) *Pattern { p := testPattern(); f(p); return p }
	for _, c := range []struct {
		p    *Pattern
		want string
	}{
		{pt(func(p *Pattern) { p.Bars = 5 }), "has 5 bars (1–4)"},
		{pt(func(p *Pattern) { p.Meter = TimeSig{4, 3} }), "the beat unit 2, 4, 8 or 16"},
		{pt(func(p *Pattern) { p.Meter = TimeSig{6, 8}; p.Triplets = true }), "triplets are for meters counted in quarter notes"},
		{pt(func(p *Pattern) { p.Meter = TimeSig{16, 4} }), "64 steps a bar"},
		{pt(func(p *Pattern) { p.Swing = 1.5 }), "swing 1.5"},
		{pt(func(p *Pattern) { p.Humanize = -0.1 }), "humanize -0.1"},
		{pt(func(p *Pattern) { p.Velocity.Accent = 128 }), "accent velocity of 128"},
		{pt(func(p *Pattern) { p.Velocity.Soft = 0 }), "soft velocity of 0"},
		{pt(func(p *Pattern) { p.Lanes = nil }), "0 lanes"},
		{pt(func(p *Pattern) { p.Lanes[1].Note = 128 }), "lane 2 has note 128"},
		{pt(func(p *Pattern) { p.Lanes[0].Volume = 1.1 }), "lane 1 has volume 1.1"},
		{pt(func(p *Pattern) { p.Lanes[0].Name = " " }), "lane 1's name is empty"},
		{pt(func(p *Pattern) { p.Lanes[0].Steps = p.Lanes[0].Steps[:8] }), "has 8 steps; the pattern has 16"},
		{pt(func(p *Pattern) { p.Lanes[0].Steps[3] = Step{StepOff, 2} }), "step 4 is not a step"},
		{pt(func(p *Pattern) { p.Lanes[0].Steps[3] = Step{StepAccent, 5} }), "step 4 is not a step"},
	} {
		if err := c.p.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate() = %v, want %q", err, c.want)
		}
	}
	if err := testPattern().Validate(); err != nil {
		t.Errorf("a good pattern: %v", err)
	}
	p := testPattern()
	p.Meter, p.Triplets = TimeSig{3, 4}, true
	for i := range p.Lanes {
		p.Lanes[i].Steps = p.Lanes[i].Steps[:9]
	}
	if p.StepsPerBar() != 9 || p.Validate() != nil {
		t.Errorf("3/4 in triplets: %d steps a bar, %v", p.StepsPerBar(), p.Validate())
	}
}

// TestPatternClone: a clone shares no steps with the original.
func TestPatternClone(t *testing.T) {
	p := testPattern()
	c := p.Clone()
	c.Lanes[0].Steps[1] = Step{StepAccent, 1}
	c.Lanes[1].Name = "other"
	if p.Lanes[0].Steps[1].On() || p.Lanes[1].Name != "hat" {
		t.Error("changing the clone changed the original")
	}
}
