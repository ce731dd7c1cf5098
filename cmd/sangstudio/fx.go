package main

import (
	"context"
	"strconv"
	"strings"

	flag "github.com/spf13/pflag"

	"sangstudio/projects"
)

// fxFlags are fx's flags: a track's effects, or the song's reverb or delay.
type fxFlags struct {
	fs                                   *flag.FlagSet
	preset, hpf, eq, comp, reverb, delay *string
	off, list                            *bool
	room, damp, width, wet               *float64
	ms, beats, feedback, lowpass         *float64
}

func newFxFlags() fxFlags {
	fs := flag.NewFlagSet("fx", flag.ContinueOnError)
	return fxFlags{
		fs:       fs,
		preset:   fs.String("preset", "", "a preset by name (see --list), in English or Norwegian"),
		hpf:      fs.String("hpf", "", "the high-pass filter: HZ (20–400) or off"),
		eq:       fs.String("eq", "", `EQ bands: "low:+2@120,p1:-3@400/1.0,p2:+2@3000/0.7,high:+1@10000", or off`),
		comp:     fs.String("comp", "", `the compressor: "thr:-18,ratio:3,att:10,rel:120,knee:6,makeup:4", or off`),
		reverb:   fs.String("reverb", "", "the send to the reverb: DB (-60…+6) or off"),
		delay:    fs.String("delay", "", "the send to the delay: DB (-60…+6) or off"),
		off:      fs.Bool("off", false, "turn every effect of the track off"),
		list:     fs.Bool("list", false, "list the presets"),
		room:     fs.Float64("room", 0, "reverb: room size 0–1"),
		damp:     fs.Float64("damp", 0, "reverb: damping 0–1"),
		width:    fs.Float64("width", 0, "reverb: stereo width 0–1"),
		wet:      fs.Float64("wet", 0, "reverb or delay: how loud it comes back, dB (-60…+6)"),
		ms:       fs.Float64("ms", 0, "delay: time in ms (1–2000)"),
		beats:    fs.Float64("beats", 0, "delay: time in beats of the song's tempo (1/16–8)"),
		feedback: fs.Float64("feedback", 0, "delay: feedback 0–0.95"),
		lowpass:  fs.Float64("lowpass", 0, "delay: low-pass in the echoes, Hz (500–20000)"),
	}
}

func cmdFx(_ context.Context, e *env, args []string) error {
	f := newFxFlags()
	pos, err := parse(f.fs, args, 0, 2)
	if err != nil {
		return err
	}
	if *f.list {
		listPresets(e)
		return nil
	}
	if len(pos) != 2 {
		return usagef("give the song folder and a track (a number or a name), reverb or delay; --list shows the presets")
	}
	dir, ref := pos[0], pos[1]
	switch strings.ToLower(ref) {
	case "reverb":
		return f.setReverb(e, dir)
	case "delay":
		return f.setDelay(e, dir)
	}
	return f.setTrack(e, dir, ref)
}

// listPresets prints the presets, for tracks and for the reverb.
func listPresets(e *env) {
	e.printf("Track presets (sangstudio fx SONG TRACK --preset NAME):\n")
	for _, p := range projects.Presets() {
		e.printf("  %-16s %s / %s\n", p.ID, p.Name, p.Nb)
	}
	e.printf("Reverb presets (sangstudio fx SONG reverb --preset NAME):\n")
	for _, p := range projects.ReverbPresets() {
		e.printf("  %-16s %s / %s\n", p.ID, p.Name, p.Nb)
	}
}

// only refuses the flags that are not the given ones.
func (f fxFlags) only(what string, names ...string) error {
	var bad []string
	f.fs.Visit(func(fl *flag.Flag) {
		for _, n := range names {
			if fl.Name == n {
				return
			}
		}
		bad = append(bad, "--"+fl.Name)
	})
	if len(bad) > 0 {
		return usagef("%s: not for %s", strings.Join(bad, ", "), what)
	}
	if f.fs.NFlag() == 0 {
		return usagef("nothing to change for %s: give --%s", what, strings.Join(names, ", --"))
	}
	return nil
}

// setTrack changes a track's effects: --off first, then --preset, then
// the settings given by hand (which mark the preset as changed).
func (f fxFlags) setTrack(e *env, dir, ref string) error {
	if err := f.only("a track", "preset", "hpf", "eq", "comp", "reverb", "delay", "off"); err != nil {
		return err
	}
	preset, err := presetFlag(f, "preset", projects.FindPreset)
	if err != nil {
		return err
	}
	var t *projects.Track
	var i int
	_, err = changeSong(e, dir, "fx", func(s *projects.Song) error {
		var err error
		if i, err = s.FindTrack(ref); err != nil {
			return err
		}
		t = s.Tracks[i]
		if *f.off {
			t.Effects = projects.Effects{}
		}
		if preset.ID != "" {
			t.ApplyPreset(preset)
		}
		return f.byHand(&t.Effects)
	})
	if err != nil {
		return err
	}
	text := t.Effects.Text()
	if text == "" {
		text = "no effects"
	}
	e.printf("Track %d (%s): %s.\n", i+1, shown(t.Name), text)
	return nil
}

// byHand applies the settings given by hand to e.
func (f fxFlags) byHand(e *projects.Effects) error {
	changed := false
	if f.fs.Changed("hpf") {
		v, _, err := offOrNumber("--hpf", *f.hpf)
		if err != nil {
			return err
		}
		e.HighPass, changed = v, true // off is 0
	}
	if f.fs.Changed("eq") {
		if err := projects.ParseEQ(*f.eq, e); err != nil {
			return usagef("--eq: %v", err)
		}
		changed = true
	}
	if f.fs.Changed("comp") {
		c, err := projects.ParseComp(*f.comp, e.Comp)
		if err != nil {
			return usagef("--comp: %v", err)
		}
		e.Comp, changed = c, true
	}
	for _, s := range []struct {
		name string
		text *string
		send *projects.Send
	}{{"reverb", f.reverb, &e.Reverb}, {"delay", f.delay, &e.Delay}} {
		if !f.fs.Changed(s.name) {
			continue
		}
		v, on, err := offOrNumber("--"+s.name, *s.text)
		if err != nil {
			return err
		}
		*s.send, changed = projects.Send{On: on, DB: v}, true
	}
	if changed {
		e.MarkChanged()
	}
	return nil
}

// offOrNumber reads "off" (0, false) or a number (it, true).
func offOrNumber(flagName, text string) (float64, bool, error) {
	if strings.EqualFold(strings.TrimSpace(text), "off") {
		return 0, false, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || v-v != 0 {
		return 0, false, usagef("%s %q: give a number or off", flagName, text)
	}
	return v, true, nil
}

// presetFlag is the preset --preset names, found by find (the zero
// value without --preset); what names the kind in the message when there
// is none of that name.
func presetFlag[P any](f fxFlags, what string, find func(string) (P, bool)) (P, error) {
	var p P
	if !f.fs.Changed("preset") {
		return p, nil
	}
	p, ok := find(*f.preset)
	if !ok {
		return p, usagef("there is no %s %q (sangstudio fx --list shows them)", what, *f.preset)
	}
	return p, nil
}

// setReverb changes the song's reverb.
func (f fxFlags) setReverb(e *env, dir string) error {
	if err := f.only("the reverb", "preset", "room", "damp", "width", "wet"); err != nil {
		return err
	}
	preset, err := presetFlag(f, "reverb preset", projects.FindReverbPreset)
	if err != nil {
		return err
	}
	s, err := changeSong(e, dir, "fx", func(s *projects.Song) error {
		b := s.BusesOrDefault()
		r := &b.Reverb
		if preset.ID != "" {
			*r = preset.Reverb
		}
		f.setNumbers(numFlag{"room", &r.Room}, numFlag{"damp", &r.Damp}, numFlag{"width", &r.Width}, numFlag{"wet", &r.WetDB})
		s.Buses = &b
		return nil
	})
	if err != nil {
		return err
	}
	e.printf("Buses: %s.\n", s.BusesOrDefault().Text())
	return nil
}

// setDelay changes the song's delay.
func (f fxFlags) setDelay(e *env, dir string) error {
	if err := f.only("the delay", "ms", "beats", "feedback", "lowpass", "wet"); err != nil {
		return err
	}
	if f.fs.Changed("ms") && f.fs.Changed("beats") {
		return usagef("--ms and --beats together: the delay's time is one or the other")
	}
	s, err := changeSong(e, dir, "fx", func(s *projects.Song) error {
		b := s.BusesOrDefault()
		d := &b.Delay
		if f.fs.Changed("ms") {
			d.Beats = 0
		}
		if f.fs.Changed("beats") {
			d.Ms = 0
		}
		f.setNumbers(numFlag{"ms", &d.Ms}, numFlag{"beats", &d.Beats}, numFlag{"feedback", &d.Feedback},
			numFlag{"lowpass", &d.LowPassHz}, numFlag{"wet", &d.WetDB})
		s.Buses = &b
		return nil
	})
	if err != nil {
		return err
	}
	e.printf("Buses: %s.\n", s.BusesOrDefault().Text())
	return nil
}

// numFlag is a numeric flag's name and the field it sets.
type numFlag struct {
	name  string
	field *float64
}

// setNumbers copies the numeric flags given to their fields.
func (f fxFlags) setNumbers(flags ...numFlag) {
	for _, nf := range flags {
		if f.fs.Changed(nf.name) {
			*nf.field, _ = f.fs.GetFloat64(nf.name)
		}
	}
}
