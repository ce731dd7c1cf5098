package beat_test

import (
	"reflect"
	"strings"
	"testing"

	"sangstudio/midi/beat"
	"sangstudio/projects"
)

// TestEdits: each edit gives the pattern it says and leaves the one it
// was given exactly as it was.
func TestEdits(t *testing.T) {
	base, _ := beat.Parse("kick:x...x...x...x...,snare:....x.......x...", fourFour(), false)
	kick, _ := beat.FindDrum("kick")
	ride, _ := beat.FindDrum("ride")
	for _, c := range []struct {
		name string
		do   func(p *beat.Pattern) (*beat.Pattern, error)
		want string // Text of the result
		f    func(p *beat.Pattern) bool
	}{
		{"toggle on", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.Toggle(p, 1, 1) },
			"kick:x...x...x...x...,snare:.x..x.......x...", nil},
		{"toggle off", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.Toggle(p, 0, 4) },
			"kick:x.......x...x...,snare:....x.......x...", nil},
		{"accent", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetLevel(p, 1, 12, beat.Accent) },
			"kick:x...x...x...x...,snare:....x.......X...", nil},
		{"soft on an empty step", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetLevel(p, 1, 15, beat.Soft) },
			"kick:x...x...x...x...,snare:....x.......x..o", nil},
		{"roll", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetRoll(p, 1, 14, 3) },
			"kick:x...x...x...x...,snare:....x.......x.x3.", nil},
		{"step off", func(p *beat.Pattern) (*beat.Pattern, error) {
			return beat.SetStep(p, 1, 4, beat.Step{Level: beat.Off, Hits: 3})
		},
			"kick:x...x...x...x...,snare:............x...", nil},
		{"clear", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.ClearLane(p, 0) },
			"kick:................,snare:....x.......x...", nil},
		{"add a lane", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.AddLane(p, ride) },
			"kick:x...x...x...x...,snare:....x.......x...,ride:................", nil},
		{"remove a lane", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.RemoveLane(p, 0) },
			"snare:....x.......x...", nil},
		{"another drum", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetLaneDrum(p, 1, kick) },
			"kick:x...x...x...x...,kick:....x.......x...", nil},
		{"two bars", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetBars(p, 2) },
			"kick:x...x...x...x...x...x...x...x...,snare:....x.......x.......x.......x...", nil},
		{"triplets", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetTriplets(p, true) },
			"kick:x..x..x..x..,snare:...x.....x..", nil},
		{"swing", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetSwing(p, 0.4) }, "",
			func(p *beat.Pattern) bool { return p.Swing == 0.4 }},
		{"humanize", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetHumanize(p, 0.3, 99) }, "",
			func(p *beat.Pattern) bool { return p.Humanize == 0.3 && p.Seed == 99 }},
		{"volume", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetLaneVolume(p, 1, 0.25) }, "",
			func(p *beat.Pattern) bool { return p.Lanes[1].Volume == 0.25 }},
		{"mute", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetLaneMute(p, 0, true) }, "",
			func(p *beat.Pattern) bool { return p.Lanes[0].Mute }},
		{"solo", func(p *beat.Pattern) (*beat.Pattern, error) { return beat.SetLaneSolo(p, 0, true) }, "",
			func(p *beat.Pattern) bool { return p.Lanes[0].Solo }},
	} {
		before := base.Clone()
		got, err := c.do(base)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(base, before) {
			t.Errorf("%s changed the pattern it was given", c.name)
		}
		if c.want != "" && beat.Text(got) != c.want {
			t.Errorf("%s: %s\nwant %s", c.name, beat.Text(got), c.want)
		}
		if c.f != nil && !c.f(got) {
			t.Errorf("%s: %+v", c.name, got)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	back, _ := beat.SetTriplets(base, true)
	back, _ = beat.SetTriplets(back, false)
	if beat.Text(back) != beat.Text(base) {
		t.Errorf("16ths → triplets → 16ths: %s", beat.Text(back))
	}
}

func TestEditErrors(t *testing.T) {
	p, _ := beat.Parse("kick:x...", fourFour(), false)
	twelve, _ := beat.New(fourFour(), 1, false)
	ride, _ := beat.FindDrum("ride")
	twelve, _ = beat.AddLane(twelve, ride)
	six, _ := beat.New(projects.TimeSig{Beats: 6, Unit: 8}, 1, false)
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"lane", second(beat.Toggle(p, 1, 0)), "there is no lane 2 (the pattern has 1)"},
		{"step", second(beat.Toggle(p, 0, 16)), "there is no step 17 (the pattern has 16)"},
		{"negative step", second(beat.SetLevel(p, 0, -1, beat.Soft)), "there is no step 0"},
		{"roll", second(beat.SetRoll(p, 0, 0, 5)), "1 to 4 hits, not 5"},
		{"swing", second(beat.SetSwing(p, 1.5)), "swing is from 0 to 1, not 1.5"},
		{"humanize", second(beat.SetHumanize(p, -1, 0)), "humanize is from 0 to 1"},
		{"volume", second(beat.SetLaneVolume(p, 0, 2)), "a lane's volume is from 0 to 1"},
		{"bars", second(beat.SetBars(p, 0)), "1 to 4 bars, not 0"},
		{"lanes", second(beat.AddLane(twelve, ride)), "at most 12 lanes"},
		{"last lane", second(beat.RemoveLane(p, 0)), "at least one lane"},
		{"triplets in 6/8", second(beat.SetTriplets(six, true)), "triplets are for meters counted in quarter notes"},
		{"no pattern", second(beat.Toggle(nil, 0, 0)), "there is no pattern"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, c.err, c.want)
		}
	}
}

func second(_ *beat.Pattern, err error) error { return err }

func TestDrums(t *testing.T) {
	for name, want := range map[string]int{"kick": 36, "BD": 36, "Basstromme": 36, "closed hat": 42, "hi-hat": 42, "Åpen hihat": 46,
		"oh": 46, "gulvtam": 41, "tom": 45, "Høy tam": 48, "rim": 37, "51": 51, "kubjelle": 56} {
		if d, ok := beat.FindDrum(name); !ok || d.Note != want {
			t.Errorf("FindDrum(%q) = %d, %v; want %d", name, d.Note, ok, want)
		}
	}
	if _, ok := beat.FindDrum("60"); ok {
		t.Error("note 60 is a drum of the list")
	}
	p, _ := beat.New(fourFour(), 1, false)
	var en, nb []string
	for _, l := range p.Lanes {
		en, nb = append(en, beat.LaneName(l, "en")), append(nb, beat.LaneName(l, "nb"))
	}
	if strings.Join(en, ", ") != "Kick, Snare, Clap, Closed hat, Pedal hat, Open hat, Floor tom, Low tom, High tom, Crash, Ride" ||
		strings.Join(nb, ", ") != "Basstromme, Skarptromme, Klapp, Lukket hihat, Pedal-hihat, Åpen hihat, Gulvtam, Lav tam, Høy tam, Crash, Ride" {
		t.Errorf("lane names:\n%s\n%s", en, nb)
	}
	if got := beat.LaneName(beat.Lane{Name: "Min tromme"}, "nb"); got != "Min tromme" {
		t.Errorf("a lane of the user's name: %q", got)
	}
}
