package beat_test

import (
	"reflect"
	"strings"
	"testing"

	"sangstudio/internal/fuzzcheck"
	"sangstudio/midi/beat"
	"sangstudio/projects"
)

func TestParse(t *testing.T) {
	p, err := beat.Parse("kick:x...x...x...x...,snare:....x.......x...,hat:x.x.x.x.x.x.x.x.", fourFour(), false)
	if err != nil {
		t.Fatal(err)
	}
	if p.Bars != 1 || len(p.Lanes) != 3 || p.Velocity != projects.DefaultVelocities() {
		t.Fatalf("%+v", p)
	}
	for i, want := range []struct {
		name  string
		note  int
		steps string
	}{{"kick", 36, "x...x...x...x..."}, {"snare", 38, "....x.......x..."}, {"hat", 42, "x.x.x.x.x.x.x.x."}} {
		l := p.Lanes[i]
		if l.Name != want.name || l.Note != want.note || l.Steps.String() != want.steps || l.Volume != 1 {
			t.Errorf("lane %d: %+v, want %+v", i+1, l, want)
		}
	}
	// Shorter lanes repeat; names in Norwegian, short names and numbers;
	// separators; new lines.
	p, err = beat.Parse("Basstromme: x...\n sd:....x... | ....x...; HH:x.x.x.x.x.x.x.x. x.x.x.x.x.x.x.X3. ,56:x", fourFour(), false)
	if err != nil {
		t.Fatal(err)
	}
	want := "kick:x...x...x...x...x...x...x...x...,snare:....x.......x.......x.......x...,hat:x.x.x.x.x.x.x.x.x.x.x.x.x.x.x.X3.,cowbell:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	if p.Bars != 2 || beat.Text(p) != want {
		t.Errorf("Text = %q (%d bars)\nwant %q", beat.Text(p), p.Bars, want)
	}
	// A lane by a number that is no drum of the list keeps the number.
	p, err = beat.Parse("60:x...", fourFour(), false)
	if err != nil || p.Lanes[0].Name != "60" || p.Lanes[0].Note != 60 {
		t.Errorf("60:x... gave %+v, %v", p, err)
	}
	// 3/4 and 6/8 bars have 12 steps, 4/4 in triplets 12.
	for _, c := range []struct {
		m        projects.TimeSig
		triplets bool
	}{{projects.TimeSig{Beats: 3, Unit: 4}, false}, {projects.TimeSig{Beats: 6, Unit: 8}, false}, {fourFour(), true}} {
		if p, err := beat.Parse("kick:x.....x.....,hat:x.x.", c.m, c.triplets); err != nil || p.Bars != 1 || p.Len() != 12 {
			t.Errorf("%s triplets %v: %v", c.m, c.triplets, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"", "no lanes"},
		{" , ,", "no lanes"},
		{"kick", "write a lane as a drum, ':' and its steps"},
		{":x...", "write a lane as a drum"},
		{"gong:x...", `"gong" is not a drum`},
		{"200:x...", `"200" is not a drum`},
		{"kick:x...,bd:..x.", "bd is given twice"},
		{"kick:x..y", `'y' at character 4 is not a step`},
		{"kick:", "kick has no steps"},
		{"kick:x.....", "the longest lane has 6 steps: a bar has 16, and a pattern is 1 to 4 bars (16, 32, 48 or 64 steps)"},
		{"kick:" + strings.Repeat("x...", 20), "the longest lane has 80 steps"},
		{"kick:x...x...x...x...,hat:x.x", "hat has 3 steps, which does not divide the pattern's 16: give it 1, 2, 4, 8 or 16 steps"},
		{"a:x,b:x,c:x,d:x,e:x,f:x,g:x,h:x,i:x,j:x,k:x,l:x,m:x", "is not a drum"},
		{"kick:x,snare:x,clap:x,hat:x,pedalhat:x,openhat:x,floortom:x,lowtom:x,hightom:x,crash:x,ride:x,cowbell:x,shaker:x", "13 lanes; at most 12"},
		{strings.Repeat("x", 20000), "too long"},
	} {
		_, err := beat.Parse(c.text, fourFour(), false)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%.40q) = %v, want %q", c.text, err, c.want)
		}
	}
	if _, err := beat.Parse("kick:x...", projects.TimeSig{Beats: 6, Unit: 8}, true); err == nil || !strings.Contains(err.Error(), "cannot be made in 6/8 with triplets") {
		t.Errorf("6/8 in triplets: %v", err)
	}
}

// FuzzParse: any text gives a valid pattern or an error in words, never a
// panic; a pattern's Text reads back to the same pattern.
func FuzzParse(f *testing.F) {
	for _, p := range beat.Presets() {
		f.Add(p.Text, p.Meter.Beats, p.Meter.Unit, p.Triplets)
	}
	for _, fl := range beat.Fills() {
		f.Add(fl.Text[16], 4, 4, false)
	}
	f.Add("kick:x...x...,snare:....x...", 4, 4, false)
	f.Add("kick:x3.,hat:X4o2", 3, 4, true)
	f.Add("bd:x|x|x, 60:..", 7, 8, false)
	f.Add("kick:x.x.\nhat::", 5, 16, false)
	f.Fuzz(func(t *testing.T, text string, beats, unit int, triplets bool) {
		m := projects.TimeSig{Beats: beats, Unit: unit}
		var p *beat.Pattern
		var err error
		fuzzcheck.Call(t, len(text), fuzzcheck.Limit{Base: 256 << 10, PerByte: 256}, func() { p, err = beat.Parse(text, m, triplets) })
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without words")
			}
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse(%q) gave an invalid pattern: %v", text, err)
		}
		again, err := beat.Parse(beat.Text(p), m, triplets)
		if err != nil {
			t.Fatalf("Parse(Text(%q)) = %v", text, err)
		}
		if !reflect.DeepEqual(again, p) {
			t.Fatalf("Parse(Text(p)) changed the pattern:\n%+v\n%+v", again, p)
		}
		if _, err := beat.Notes(p, ppq); err != nil {
			t.Fatalf("Notes of a parsed pattern: %v", err)
		}
	})
}
