package beat_test

import (
	"slices"
	"strings"
	"testing"

	"sangstudio/midi/beat"
	"sangstudio/projects"
)

// onSteps are the steps lane name plays in p (nil if it has no such lane).
func onSteps(p *beat.Pattern, name string) []int {
	for _, l := range p.Lanes {
		if l.Name != name {
			continue
		}
		out := []int{}
		for k, s := range l.Steps {
			if s.On() {
				out = append(out, k)
			}
		}
		return out
	}
	return nil
}

// TestPresets: each preset, checked against where its kicks and its
// backbeat (snare, clap or side stick) fall, as steps of its own grid
// (16ths; a 4/4 bar is steps 0–15, a second bar 16–31).
func TestPresets(t *testing.T) {
	table := []struct {
		id       string
		meter    string
		bars     int
		kick     []int
		backbeat string
		snare    []int
	}{
		{"pop", "4/4", 1, []int{0, 8, 10}, "snare", []int{4, 12}},
		{"rock", "4/4", 2, []int{0, 8, 16, 24, 26}, "snare", []int{4, 12, 20, 28}},
		{"ballad", "4/4", 1, []int{0, 10}, "snare", []int{4, 12}},
		{"hip-hop", "4/4", 2, []int{0, 7, 9, 10, 16, 26, 28}, "snare", []int{4, 12, 20, 28}},
		{"trap", "4/4", 2, []int{0, 7, 9, 16, 22, 26, 29}, "snare", []int{8, 24}},
		{"reggae", "4/4", 1, []int{8}, "sidestick", []int{8}},
		{"disco", "4/4", 1, []int{0, 4, 8, 12}, "snare", []int{4, 12}},
		{"bossa", "4/4", 2, []int{0, 3, 4, 7, 8, 11, 12, 15, 16, 19, 20, 23, 24, 27, 28, 31}, "sidestick", []int{0, 3, 6, 10, 13, 18, 21, 24, 27}},
		{"waltz", "3/4", 1, []int{0}, "snare", []int{4, 8}},
		{"six-eight", "6/8", 1, []int{0, 10}, "snare", []int{6}},
		{"house", "4/4", 1, []int{0, 4, 8, 12}, "clap", []int{4, 12}},
		{"funk", "4/4", 1, []int{0, 3, 6, 10, 13}, "snare", []int{4, 7, 9, 12, 15}},
		{"shuffle", "4/4", 1, []int{0, 6}, "snare", []int{3, 9}},
	}
	presets := beat.Presets()
	if len(presets) < 10 || len(presets) != len(table) {
		t.Fatalf("%d presets, %d in the table", len(presets), len(table))
	}
	for i, c := range table {
		pr := presets[i]
		if pr.ID != c.id {
			t.Fatalf("preset %d is %s, the table says %s", i+1, pr.ID, c.id)
		}
		p, err := beat.FromPreset(pr, 0)
		if err != nil {
			t.Fatalf("%s: %v", c.id, err)
		}
		if p.Meter.String() != c.meter || p.Bars != c.bars || p.Preset != c.id || p.Swing != pr.Swing {
			t.Errorf("%s: %s, %d bars, preset %q, swing %v", c.id, p.Meter, p.Bars, p.Preset, p.Swing)
		}
		if got := onSteps(p, "kick"); !slices.Equal(got, c.kick) {
			t.Errorf("%s: kicks on %v, want %v", c.id, got, c.kick)
		}
		if got := onSteps(p, c.backbeat); !slices.Equal(got, c.snare) {
			t.Errorf("%s: %s on %v, want %v", c.id, c.backbeat, got, c.snare)
		}
		if h := pr.Tempo; !(h.Low < h.Suggest && h.Suggest < h.High) || pr.Name == "" || pr.Nb == "" {
			t.Errorf("%s: tempo %v (suggest %v), names %q %q", c.id, h, h.Suggest, pr.Name, pr.Nb)
		}
		for _, name := range []string{pr.ID, pr.Name, pr.Nb, strings.ToUpper(pr.Name)} {
			if f, ok := beat.FindPreset(name); !ok || f.ID != pr.ID {
				t.Errorf("FindPreset(%q) = %s, %v", name, f.ID, ok)
			}
		}
	}
	// The trap hats have 32nd rolls: steps of 2, 3 and 4 hits.
	trap, _ := beat.FromPreset(presets[4], 0)
	hits := map[int]bool{}
	for _, s := range trap.Lanes[slices.IndexFunc(trap.Lanes, func(l beat.Lane) bool { return l.Name == "hat" })].Steps {
		hits[s.Hits] = true
	}
	if !hits[2] || !hits[3] || !hits[4] {
		t.Errorf("the trap hats' rolls: %v", hits)
	}
	for name, id := range map[string]string{"Hiphop": "hip-hop", "boom bap": "hip-hop", "vals": "waltz", "Waltz": "waltz", "Reggae one drop": "reggae", "Disko": "disco", "6/8": "six-eight"} {
		if f, ok := beat.FindPreset(name); !ok || f.ID != id {
			t.Errorf("FindPreset(%q) = %q, %v; want %s", name, f.ID, ok, id)
		}
	}
	for _, name := range []string{"polka", "", " ", "()"} {
		if f, ok := beat.FindPreset(name); ok {
			t.Errorf("FindPreset(%q) found %s", name, f.ID)
		}
	}
}

// TestFromPresetBars: more bars repeat the preset's, fewer cut it.
func TestFromPresetBars(t *testing.T) {
	pr, _ := beat.FindPreset("rock")
	p, err := beat.FromPreset(pr, 4)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 8, 16, 24, 26, 32, 40, 48, 56, 58}; !slices.Equal(onSteps(p, "kick"), want) {
		t.Errorf("rock over 4 bars: kicks %v, want %v", onSteps(p, "kick"), want)
	}
	p, _ = beat.FromPreset(pr, 1)
	if want := []int{0, 8}; p.Bars != 1 || !slices.Equal(onSteps(p, "kick"), want) {
		t.Errorf("rock in 1 bar: kicks %v", onSteps(p, "kick"))
	}
	if _, err := beat.FromPreset(pr, 5); err == nil {
		t.Error("5 bars were accepted")
	}
}

// TestFills: every fill fits bars of 16 and of 12 steps and replaces only
// the last bar, adding the lanes it needs.
func TestFills(t *testing.T) {
	for _, f := range beat.Fills() {
		if g, ok := beat.FindFill(f.Nb); !ok || g.ID != f.ID {
			t.Errorf("FindFill(%q) = %v", f.Nb, ok)
		}
		for _, id := range []string{"rock", "waltz", "shuffle", "six-eight"} {
			pr, _ := beat.FindPreset(id)
			p, _ := beat.FromPreset(pr, 2)
			q, err := beat.ApplyFill(p, f)
			if err != nil {
				t.Fatalf("%s on %s: %v", f.ID, id, err)
			}
			n := p.StepsPerBar()
			for _, l := range p.Lanes {
				i := slices.IndexFunc(q.Lanes, func(m beat.Lane) bool { return m.Name == l.Name })
				if !slices.Equal(q.Lanes[i].Steps[:n], l.Steps[:n]) {
					t.Errorf("%s on %s changed the first bar of %s", f.ID, id, l.Name)
				}
			}
			if !slices.ContainsFunc(q.Lanes, func(l beat.Lane) bool { return slices.ContainsFunc(l.Steps[n:], beat.Step.On) }) {
				t.Errorf("%s on %s: nothing in the last bar", f.ID, id)
			}
		}
	}
	toms, _ := beat.FindFill("toms")
	pr, _ := beat.FindPreset("pop")
	p, _ := beat.FromPreset(pr, 2)
	q, _ := beat.ApplyFill(p, toms)
	if got := onSteps(q, "floortom"); !slices.Equal(got, []int{28, 30, 31}) || len(q.Lanes) != 7 {
		t.Errorf("toms on pop: floor tom on %v, %d lanes", got, len(q.Lanes))
	}
	if got := onSteps(q, "hat"); !slices.Equal(got, []int{0, 2, 4, 6, 8, 10, 12, 14, 16}) {
		t.Errorf("toms on pop: hats on %v", got)
	}
	odd, _ := beat.New(projects.TimeSig{Beats: 5, Unit: 4}, 2, false)
	if _, err := beat.ApplyFill(odd, toms); err == nil || !strings.Contains(err.Error(), "for bars of 16 or 12 steps; this pattern's bars have 20") {
		t.Errorf("a fill in 5/4: %v", err)
	}
}
