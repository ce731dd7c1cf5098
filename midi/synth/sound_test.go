package synth

import (
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	for p, want := range map[int]string{0: "Acoustic Grand Piano", 127: "Gunshot", 24: "Acoustic Guitar (nylon)", 73: "Flute", 128: "Program 128"} {
		if got := ProgramName(p); got != want {
			t.Errorf("ProgramName(%d) = %q, want %q", p, got, want)
		}
	}
	for p, want := range map[int]int{0: 0, 7: 0, 8: 1, 16: 2, 127: 15} {
		if got := Family(p); got != want {
			t.Errorf("Family(%d) = %d, want %d", p, got, want)
		}
	}
	if FamilyName(8, "nb") != "Rørblad" || FamilyName(8, "en") != "Reed" || FamilyName(FamilyPipe, "nb") != "Fløyter" || FamilyName(16, "en") != "" {
		t.Error("FamilyName")
	}
	for s, want := range map[Sound]string{{Program: 0}: "Acoustic Grand Piano", {Drums: true}: "Drum kit", {Drums: true, Program: 32}: "Drum kit (Jazz)", {Drums: true, Program: 3}: "Drum kit 3"} {
		if got := s.Name(); got != want {
			t.Errorf("%#v.Name() = %q, want %q", s, got, want)
		}
	}
}

func TestParseSound(t *testing.T) {
	for in, want := range map[string]Sound{
		"1": {Program: 0}, "128": {Program: 127}, " 41 ": {Program: 40},
		"piano": {Program: 0}, "Piano": {Program: 0}, "organ": {Program: 16}, "strings": {Program: 48},
		"bass": {Program: 32}, "nylon": {Program: 24}, "drums": {Drums: true}, "Drum kit": {Drums: true},
		"flute": {Program: 73}, "acoustic grand piano": {Program: 0}, "church org": {Program: 19},
		"electric piano": {Program: 4}, "honky tonk": {Program: 3}, "slap": {Program: 36},
		"guitar nylon": {Program: 24}, "orgel": {Program: 16}, "gitar": {Program: 24}, "gunshot": {Program: 127},
		"bag": {Program: 109}, "Lead 2 (sawtooth)": {Program: 81}, "sawtooth": {Program: 81},
	} {
		got, err := ParseSound(in)
		if err != nil || got != want {
			t.Errorf("ParseSound(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for in, says := range map[string]string{
		"0": "1 to 128", "129": "1 to 128", "": "no sound", "sax": "Alto Sax", "xyzzy": "no General MIDI sound",
		"lead": "several",
	} {
		_, err := ParseSound(in)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("ParseSound(%q) error %v, want one saying %q", in, err, says)
		}
	}
}
