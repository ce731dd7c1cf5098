package projects

import "testing"

// TestPresets: at least the eleven named presets, each found by its ID and
// by its English and Norwegian names, all within the effects' ranges, and
// applying one marks the track as set from it.
func TestPresets(t *testing.T) {
	want := []string{"Vokal – varm", "Vokal – tydelig", "Rap/tale", "Kor", "Akustisk gitar", "El-gitar", "Bass", "Piano", "Trommer"}
	for _, nb := range want {
		p, ok := FindPreset(nb)
		if !ok {
			t.Fatalf("no preset %q", nb)
		}
		for _, n := range []string{p.ID, p.Name, p.Nb} {
			if q, ok := FindPreset(n); !ok || q.ID != p.ID {
				t.Errorf("%q does not find %s", n, p.ID)
			}
		}
		s := testSong()
		s.Tracks[0].ApplyPreset(p)
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
		if e := s.Tracks[0].Effects; e.Preset != p.ID || e.Changed || e.Comp != p.Effects.Comp {
			t.Errorf("%s applied: %+v", p.ID, e)
		}
		s.Tracks[0].Effects.MarkChanged()
		if !s.Tracks[0].Effects.Changed {
			t.Errorf("%s: not marked changed", p.ID)
		}
	}
	if _, ok := FindPreset("vokal - VARM"); !ok {
		t.Error("a preset's name with another dash and case is not found")
	}
	for _, nb := range []string{"Lite rom", "Stor sal"} {
		p, ok := FindReverbPreset(nb)
		if !ok {
			t.Fatalf("no reverb preset %q", nb)
		}
		s := testSong()
		b := DefaultBuses()
		b.Reverb = p.Reverb
		s.Buses = &b
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
	}
	small, _ := FindReverbPreset("small-room")
	big, _ := FindReverbPreset("big-hall")
	if small.Reverb.Room >= big.Reverb.Room {
		t.Error("the small room is not smaller than the big hall")
	}
}
