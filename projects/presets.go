package projects

import "strings"

// Preset is a named starting point for a track's effects, for people who
// are not sound engineers: pick "Vokal – varm" and the vocal is warm and
// present. It is a plain set of values: applying it copies them into the
// track (with the preset's ID), and changing any of them afterwards marks
// the track as changed from it.
type Preset struct {
	ID      string // stable, kept in song.json
	Name    string // in English
	Nb      string // in Norwegian (bokmål)
	Effects Effects
}

// ReverbPreset is a named setting of the song's reverb.
type ReverbPreset struct {
	ID, Name, Nb string
	Reverb       ReverbBus
}

// comp is a compressor that is on.
func comp(threshold, ratio, knee, attack, release, makeup float64) Comp {
	return Comp{On: true, ThresholdDB: threshold, Ratio: ratio, KneeDB: knee, AttackMs: attack, ReleaseMs: release, MakeupDB: makeup}
}

// send is a send that is on.
func send(db float64) Send { return Send{On: true, DB: db} }

// Presets are the track presets, in the order they are offered.
func Presets() []Preset {
	return []Preset{
		{"vocal-warm", "Vocal – warm", "Vokal – varm", Effects{HighPass: 90,
			Low: Shelf{200, 1.5}, Mid2: Bell{3500, -1.5, 1}, High: Shelf{10000, 1},
			Comp: comp(-18, 3, 6, 10, 120, 4), Reverb: send(-12)}},
		{"vocal-clear", "Vocal – clear", "Vokal – tydelig", Effects{HighPass: 110,
			Mid1: Bell{300, -3, 1.2}, Mid2: Bell{3000, 3, 0.8}, High: Shelf{12000, 2.5},
			Comp: comp(-20, 4, 6, 5, 100, 5), Reverb: send(-15), Delay: send(-20)}},
		{"rap-speech", "Rap/speech", "Rap/tale", Effects{HighPass: 100,
			Mid1: Bell{250, -3, 1}, Mid2: Bell{4000, 2, 1},
			Comp: comp(-22, 5, 3, 3, 80, 6), Reverb: send(-24)}},
		{"choir", "Choir", "Kor", Effects{HighPass: 120,
			Mid1: Bell{400, -2, 0.8}, High: Shelf{9000, 2},
			Comp: comp(-24, 2, 10, 20, 200, 2), Reverb: send(-8)}},
		{"acoustic-guitar", "Acoustic guitar", "Akustisk gitar", Effects{HighPass: 80,
			Mid1: Bell{220, -3, 1.4}, Mid2: Bell{5000, 2, 0.9}, High: Shelf{11000, 1.5},
			Comp: comp(-20, 3, 6, 15, 150, 3), Reverb: send(-14)}},
		{"electric-guitar", "Electric guitar", "El-gitar", Effects{HighPass: 90,
			Mid1: Bell{500, -2, 1}, Mid2: Bell{2500, 2, 1}, High: Shelf{8000, -1.5},
			Comp: comp(-18, 2.5, 6, 20, 150, 2), Reverb: send(-18), Delay: send(-18)}},
		{"bass", "Bass", "Bass", Effects{HighPass: 35,
			Low: Shelf{90, 2}, Mid1: Bell{250, -3, 1.2}, Mid2: Bell{800, 2, 1},
			Comp: comp(-20, 4, 6, 15, 200, 4)}},
		{"piano", "Piano", "Piano", Effects{HighPass: 40,
			Mid1: Bell{300, -1.5, 1}, Mid2: Bell{3000, 1.5, 0.8}, High: Shelf{10000, 1},
			Comp: comp(-18, 2, 10, 20, 200, 2), Reverb: send(-14)}},
		{"drums", "Drums", "Trommer", Effects{HighPass: 30,
			Low: Shelf{80, 2}, Mid1: Bell{400, -3, 1}, Mid2: Bell{5000, 2, 0.8}, High: Shelf{10000, 1.5},
			Comp: comp(-16, 4, 4, 10, 100, 3), Reverb: send(-18)}},
	}
}

// ReverbPresets are the reverb presets, in the order they are offered.
func ReverbPresets() []ReverbPreset {
	return []ReverbPreset{
		{"small-room", "Small room", "Lite rom", ReverbBus{Room: 0.35, Damp: 0.6, Width: 0.8, WetDB: -6}},
		{"big-hall", "Big hall", "Stor sal", ReverbBus{Room: 0.85, Damp: 0.35, Width: 1, WetDB: -4}},
	}
}

// FindPreset finds a track preset by its ID or its name in either
// language (ignoring case and the kind of dash).
func FindPreset(name string) (Preset, bool) {
	for _, p := range Presets() {
		if samePresetName(name, p.ID, p.Name, p.Nb) {
			return p, true
		}
	}
	return Preset{}, false
}

// FindReverbPreset finds a reverb preset as FindPreset does.
func FindReverbPreset(name string) (ReverbPreset, bool) {
	for _, p := range ReverbPresets() {
		if samePresetName(name, p.ID, p.Name, p.Nb) {
			return p, true
		}
	}
	return ReverbPreset{}, false
}

func samePresetName(name string, names ...string) bool {
	norm := func(s string) string {
		return strings.ToLower(strings.NewReplacer("–", "-", "—", "-", " ", "").Replace(s))
	}
	for _, n := range names {
		if norm(name) == norm(n) {
			return true
		}
	}
	return false
}

// ApplyPreset sets the track's effects to the preset's.
func (t *Track) ApplyPreset(p Preset) {
	t.Effects = p.Effects
	t.Effects.Preset, t.Effects.Changed = p.ID, false
}

// MarkChanged notes that the track's effects were changed by hand since
// their preset (if any).
func (e *Effects) MarkChanged() {
	e.Changed = e.Preset != ""
}
