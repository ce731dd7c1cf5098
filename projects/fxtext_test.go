package projects

import (
	"strings"
	"testing"
)

// TestParseEQ: the bands as the command line writes them, and the
// mistakes it refuses, saying what is wrong.
func TestParseEQ(t *testing.T) {
	var e Effects
	if err := ParseEQ("low:+2@120,p1:-3@400/1.0,p2:+2@3k/0.7,high:+1@10000", &e); err != nil {
		t.Fatal(err)
	}
	if e.Low != (Shelf{120, 2}) || e.Mid1 != (Bell{400, -3, 1}) || e.Mid2 != (Bell{3000, 2, 0.7}) || e.High != (Shelf{10000, 1}) {
		t.Fatalf("parsed %+v", e)
	}
	if err := ParseEQ("P1:+4@800", &e); err != nil || e.Mid1 != (Bell{800, 4, 1}) || e.Low != (Shelf{120, 2}) {
		t.Fatalf("one band: %v %+v", err, e)
	}
	if err := ParseEQ("off", &e); err != nil || e.Low != (Shelf{}) || e.Mid1 != (Bell{}) {
		t.Fatalf("off: %v %+v", err, e)
	}
	for text, want := range map[string]string{
		"low+2@120":      "BAND:GAIN@FREQ",
		"low:+2":         "frequency is missing",
		"mid:+2@100":     "bands are low, p1, p2 and high",
		"low:+2@100/0.7": "a shelf has no Q",
		"p1:x@100":       "not a number",
		"p1:1@NaN":       "not a number",
	} {
		if err := ParseEQ(text, &e); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseEQ(%q) = %v, want %q", text, err, want)
		}
	}
}

// TestParseComp: settings change the current compressor (or the default
// one, turned on); "off" turns it off keeping its settings.
func TestParseComp(t *testing.T) {
	c, err := ParseComp("thr:-18,ratio:3,att:10,rel:120,knee:6,makeup:4", Comp{})
	if err != nil || c != comp(-18, 3, 6, 10, 120, 4) {
		t.Fatalf("%v %+v", err, c)
	}
	c, err = ParseComp("ratio:6", c)
	if err != nil || c.Ratio != 6 || c.ThresholdDB != -18 || !c.On {
		t.Fatalf("%v %+v", err, c)
	}
	if c, _ = ParseComp("OFF", c); c.On || c.Ratio != 6 {
		t.Fatalf("off: %+v", c)
	}
	if c, _ = ParseComp("makeup:2", Comp{}); c != comp(-18, 3, 6, 10, 120, 2) {
		t.Fatalf("from nothing: %+v", c)
	}
	for _, bad := range []string{"ratio", "ratio:x", "gain:3", ""} {
		if _, err := ParseComp(bad, Comp{}); err == nil {
			t.Errorf("ParseComp(%q) accepted", bad)
		}
	}
}

// TestEffectsText: what info prints for a track's effects and the buses.
func TestEffectsText(t *testing.T) {
	p, _ := FindPreset("vocal-warm")
	tr := NewTrack("v", 1)
	tr.ApplyPreset(p)
	tr.Effects.MarkChanged()
	got := tr.Effects.Text()
	for _, want := range []string{"preset Vocal – warm (changed)", "high-pass 90 Hz", "EQ low +1.5 dB at 200 Hz, p2 -1.5 dB at 3500 Hz Q 1, high +1 dB at 10000 Hz",
		"compressor -18 dB 3:1 (knee 6 dB, attack 10 ms, release 120 ms, makeup +4 dB)", "reverb send -12 dB"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	if (Effects{}).Text() != "" {
		t.Error("no effects are not said as nothing")
	}
	if got := DefaultBuses().Text(); got != "reverb: room 0.5, damping 0.5, width 1, back at -6 dB; delay: 0.75 beats, feedback 0.3, low-pass 5000 Hz, back at -6 dB" {
		t.Errorf("buses: %q", got)
	}
}

// FuzzParseFX: whatever text the command line is given, the parsers return
// an error or settings (never panic), and settings they return within the
// ranges pass validation as a track's effects.
func FuzzParseFX(f *testing.F) {
	for _, s := range []string{"low:+2@120,p1:-3@400/1.0,p2:+2@3000/0.7,high:+1@10000", "off", "thr:-18,ratio:3", "p1:1e308@1e308/1e-308", ",,:@/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var e Effects
		if err := ParseEQ(text, &e); err == nil {
			_ = e.Text()
		}
		if c, err := ParseComp(text, Comp{}); err == nil {
			e.Comp = c
			_ = e.Text()
		}
		s := testSong()
		s.Tracks[0].Effects = e
		if err := s.Validate(); err == nil {
			for _, g := range []float64{e.Low.GainDB, e.Mid1.GainDB, e.Mid2.GainDB, e.High.GainDB} {
				if g < -18 || g > 18 {
					t.Fatalf("%q: a gain of %v dB passed validation", text, g)
				}
			}
		}
	})
}
