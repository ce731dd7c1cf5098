package beat

import (
	"fmt"
	"strings"

	"sangstudio/projects"
)

// Preset is a named starting point: a groove in a common style. Choosing
// one sets the pattern's lanes, steps, swing and meter; the user edits
// from there.
type Preset struct {
	ID   string // stable, kept in song.json (Pattern.Preset)
	Name string // in English
	Nb   string // in Norwegian (bokmål)
	// Tempo is the usual range of the style, in BPM (the song's beats),
	// and a tempo to suggest.
	Tempo    TempoHint
	Meter    projects.TimeSig
	Triplets bool
	Swing    float64
	// Text is the pattern in the text form (see Parse): its lanes, over
	// its bars (lanes shorter than the pattern repeat).
	Text string
}

// TempoHint is a style's usual tempo range and a tempo to suggest, in BPM.
type TempoHint struct{ Low, High, Suggest float64 }

func (t TempoHint) String() string { return fmt.Sprintf("%g–%g BPM", t.Low, t.High) }

// The meters of the presets.
func fourFour() projects.TimeSig  { return projects.TimeSig{Beats: 4, Unit: 4} }
func threeFour() projects.TimeSig { return projects.TimeSig{Beats: 3, Unit: 4} }
func sixEight() projects.TimeSig  { return projects.TimeSig{Beats: 6, Unit: 8} }

// Presets are the presets, in the order they are offered.
func Presets() []Preset {
	return []Preset{
		{ID: "pop", Name: "Pop 4/4", Nb: "Pop 4/4", Tempo: TempoHint{100, 125, 110}, Meter: fourFour(),
			Text: "kick:x.......x.x.....,snare:....x.......x...,hat:x.x.x.x.x.x.x.x."},
		{ID: "rock", Name: "Rock", Nb: "Rock", Tempo: TempoHint{110, 150, 120}, Meter: fourFour(),
			Text: "kick:x.......x.......|x.......x.x.....,snare:....x.......x...,hat:X.x.X.x.X.x.X.x."},
		{ID: "ballad", Name: "Ballad", Nb: "Ballade", Tempo: TempoHint{60, 85, 72}, Meter: fourFour(),
			Text: "kick:x.........x.....,snare:....x.......x...,hat:x.o.x.o.x.o.x.o."},
		{ID: "hip-hop", Name: "Hip-hop (boom bap)", Nb: "Hiphop (boom bap)", Tempo: TempoHint{80, 100, 90}, Meter: fourFour(), Swing: 0.25,
			Text: "kick:x......x.xx.....|x.........x.x...,snare:....X.......X...,hat:x.x.x.x.x.x.x...,openhat:..............x."},
		{ID: "trap", Name: "Trap", Nb: "Trap", Tempo: TempoHint{130, 160, 140}, Meter: fourFour(),
			Text: "kick:x......x.x......|x.....x...x..x..,snare:........X.......,clap:........x.......," +
				"hat:x.x.x.x.x.x.x.x2x3|x.x.x.x3x.x.x.x4x.,openhat:................|..............x."},
		{ID: "reggae", Name: "Reggae one-drop", Nb: "Reggae one drop", Tempo: TempoHint{66, 85, 76}, Meter: fourFour(), Swing: 0.3,
			Text: "kick:........x.......,sidestick:........x.......,hat:x.x.x.x.x.x.x.x."},
		{ID: "disco", Name: "Disco", Nb: "Disko", Tempo: TempoHint{110, 130, 120}, Meter: fourFour(),
			Text: "kick:x...x...x...x...,snare:....x.......x...,hat:x...x...x...x...,openhat:..x...x...x...x."},
		{ID: "bossa", Name: "Bossa nova", Nb: "Bossa nova", Tempo: TempoHint{110, 145, 130}, Meter: fourFour(),
			Text: "kick:x..xx..xx..xx..x,sidestick:x..x..x...x..x..|..x..x..x..x....,hat:x.x.x.x.x.x.x.x."},
		{ID: "waltz", Name: "Waltz 3/4", Nb: "Vals 3/4", Tempo: TempoHint{84, 180, 96}, Meter: threeFour(),
			Text: "kick:x...........,snare:....x...x...,hat:x.x.x.x.x.x."},
		{ID: "six-eight", Name: "6/8", Nb: "6/8", Tempo: TempoHint{100, 180, 132}, Meter: sixEight(),
			Text: "kick:x.........x.,snare:......x.....,hat:x.x.x.x.x.x."},
		{ID: "house", Name: "House", Nb: "House", Tempo: TempoHint{118, 130, 124}, Meter: fourFour(),
			Text: "kick:x...x...x...x...,clap:....x.......x...,hat:x.x.x.x.x.x.x.x.,openhat:..x...x...x...x."},
		{ID: "funk", Name: "Funk", Nb: "Funk", Tempo: TempoHint{90, 115, 100}, Meter: fourFour(),
			Text: "kick:x..x..x...x..x..,snare:....X..o.o..X..o,hat:xxxxxxxxxxxxxxxx"},
		{ID: "shuffle", Name: "Shuffle (triplets)", Nb: "Shuffle (trioler)", Tempo: TempoHint{80, 130, 100}, Meter: fourFour(), Triplets: true,
			Text: "kick:x.....x.....,snare:...x.....x..,hat:x.xx.xx.xx.x"},
	}
}

// FindPreset finds a preset by its ID or its name in English or Norwegian
// (case, spaces and dashes do not matter: "hip-hop", "Hiphop", "vals").
func FindPreset(name string) (Preset, bool) {
	n := norm(name)
	if n == "" {
		return Preset{}, false
	}
	for _, p := range Presets() {
		if n == norm(p.ID) || n == norm(p.Name) || n == norm(p.Nb) {
			return p, true
		}
	}
	// The name without the meter or the part in brackets: "waltz", "vals",
	// "hiphop", "boom bap".
	for _, p := range Presets() {
		for _, full := range []string{p.Name, p.Nb} {
			short, inside, _ := strings.Cut(strings.TrimSuffix(full, ")"), "(")
			short = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(short), p.Meter.String()))
			if ns, ni := norm(short), norm(inside); ns != "" && n == ns || ni != "" && n == ni {
				return p, true
			}
		}
	}
	return Preset{}, false
}

// FromPreset is the preset's pattern over bars bars (0: the preset's own
// length): a longer one repeats the preset's bars, a shorter one is cut.
func FromPreset(pr Preset, bars int) (*Pattern, error) {
	p, err := Parse(pr.Text, pr.Meter, pr.Triplets)
	if err != nil {
		return nil, fmt.Errorf("beat: preset %s: %v", pr.ID, err)
	}
	p.Preset, p.Swing = pr.ID, pr.Swing
	if bars == 0 || bars == p.Bars {
		return p, nil
	}
	return SetBars(p, bars)
}

// Fill is a fill for a pattern's last bar: the steps of the lanes it
// plays, for bars of 16 steps (4/4) and of 12 (3/4, 6/8, 4/4 in triplets).
// Lanes it does not name keep their steps.
type Fill struct {
	ID, Name, Nb string
	Text         map[int]string // steps a bar → lanes in the text form, one bar
}

// Fills are the fills, in the order they are offered.
func Fills() []Fill {
	return []Fill{
		{ID: "snare", Name: "Snare fill", Nb: "Skarptromme-fill", Text: map[int]string{
			16: "kick:x.......x.......,snare:....x..x.xxxXXXX,hat:x.x.x.x.........,openhat:................",
			12: "kick:x...........,snare:...x..xxxXXX,hat:x.x.........,openhat:............"}},
		{ID: "toms", Name: "Tom fill", Nb: "Tam-fill", Text: map[int]string{
			16: "kick:x...............,snare:x.x.............,hightom:....x.x.........,lowtom:........x.x.....,floortom:............x.xX,hat:x...............,openhat:................",
			12: "kick:x...........,snare:x.x.........,hightom:...x.x......,lowtom:......x.x...,floortom:.........xxX,hat:x...........,openhat:............"}},
		{ID: "build", Name: "Build-up", Nb: "Opptrapping", Text: map[int]string{
			16: "kick:x...x...x...x...,snare:x.x.x.x.xxxxXXXX,clap:................,hat:................,openhat:................",
			12: "kick:x..x..x..x..,snare:x.x.x.xxxXXX,clap:............,hat:............,openhat:............"}},
		{ID: "hat-roll", Name: "Hi-hat roll", Nb: "Hihat-rull", Text: map[int]string{
			16: "hat:x.x.x3.x.x3x3x3x3X4x4x2x2,openhat:................",
			12: "hat:x.x.x3x3x3x3X4x4x2x2,openhat:............"}},
		{ID: "stop", Name: "Stop", Nb: "Stopp", Text: map[int]string{
			16: "kick:x...............,snare:x...............,clap:................,hat:................,openhat:................,crash:x...............,ride:................",
			12: "kick:x...........,snare:x...........,clap:............,hat:............,openhat:............,crash:x...........,ride:............"}},
	}
}

// FindFill finds a fill by its ID or its name in English or Norwegian.
func FindFill(name string) (Fill, bool) {
	n := norm(name)
	for _, f := range Fills() {
		if n == norm(f.ID) || n == norm(f.Name) || n == norm(f.Nb) {
			return f, true
		}
	}
	return Fill{}, false
}

// ApplyFill returns p with fill f in its last bar: the lanes the fill
// names take its steps there (lanes it names that p lacks are added, at
// most MaxLanes in all); other lanes keep theirs.
func ApplyFill(p *Pattern, f Fill) (*Pattern, error) {
	if err := check(p); err != nil {
		return nil, err
	}
	perBar := p.StepsPerBar()
	text, ok := f.Text[perBar]
	if !ok {
		return nil, fmt.Errorf("the fill %q is for bars of %s; this pattern's bars have %d steps", f.Name, fillSizes(f), perBar)
	}
	bar, err := Parse(text, p.Meter, p.Triplets)
	if err != nil {
		return nil, fmt.Errorf("beat: fill %s: %v", f.ID, err)
	}
	out := p.Clone()
	last := (p.Bars - 1) * perBar
	for _, fl := range bar.Lanes {
		i := laneIndex(out, fl.Name)
		if i < 0 {
			if len(out.Lanes) == MaxLanes {
				return nil, fmt.Errorf("the fill %q needs the lane %s, and the pattern has %d lanes already", f.Name, fl.Name, MaxLanes)
			}
			fl.Steps = make(Steps, p.Len())
			out.Lanes = append(out.Lanes, fl)
			i = len(out.Lanes) - 1
		}
		copy(out.Lanes[i].Steps[last:], bar.Lanes[laneIndex(bar, fl.Name)].Steps)
	}
	return out, check(out)
}

// fillSizes says which bars a fill is for: "16 or 12 steps".
func fillSizes(f Fill) string {
	var s []string
	for _, n := range []int{16, 12} {
		if _, ok := f.Text[n]; ok {
			s = append(s, fmt.Sprint(n))
		}
	}
	return strings.Join(s, " or ") + " steps"
}

// laneIndex is the index of the lane named name (a drum's key), or -1.
func laneIndex(p *Pattern, name string) int {
	for i, l := range p.Lanes {
		if l.Name == name {
			return i
		}
	}
	return -1
}
