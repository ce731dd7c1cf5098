package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	flag "github.com/spf13/pflag"

	"sangstudio/internal/durable"
	"sangstudio/internal/fserr"
	"sangstudio/midi/beat"
	"sangstudio/projects"
)

// beatFlags are beat's flags.
type beatFlags struct {
	fs                           *flag.FlagSet
	preset, pattern, fill, track *string
	from, to, export             *string
	bars, times                  *int
	swing, humanize              *float64
	seed                         *uint32
	soft, normal, accent         *int
	triplets, list               *bool
}

func newBeatFlags() beatFlags {
	fs := flag.NewFlagSet("beat", flag.ContinueOnError)
	return beatFlags{
		fs:       fs,
		preset:   fs.String("preset", "", "a preset by name (see --list), in English or Norwegian"),
		pattern:  fs.String("pattern", "", `the pattern as text: "kick:x...x...,snare:....x..." (see --list)`),
		fill:     fs.String("fill", "", "a fill in the pattern's last bar (see --list)"),
		track:    fs.String("track", "Beat", "the beat track (a number or a name); made if there is none of that name"),
		from:     fs.String("from", "", `where the beat starts: a marker's name, "bar N" or "start" (default: the song's start)`),
		to:       fs.String("to", "", `where it stops: a marker's name, "bar N" or "end" (default: the next marker, else the song's end, else one time through)`),
		export:   fs.String("export", "", "write the beat track as a Standard MIDI File (FILE.mid) instead"),
		bars:     fs.Int("bars", 0, "the pattern's length in bars, 1–4 (default: the preset's or the text's)"),
		times:    fs.Int("times", 0, "play the pattern this many times from --from (instead of --to)"),
		swing:    fs.Float64("swing", 0, "swing, 0–1: the off-beat 16ths come later by swing × 1/32 note"),
		humanize: fs.Float64("humanize", 0, "humanize, 0–1: each hit a little early or late, softer or harder"),
		seed:     fs.Uint32("seed", 0, "the seed humanize draws from (default: a new one, which is kept)"),
		soft:     fs.Int("soft", 0, "the velocity of soft steps (o), 1–127 (default 60)"),
		normal:   fs.Int("normal", 0, "the velocity of normal steps (x), 1–127 (default 100)"),
		accent:   fs.Int("accent", 0, "the velocity of accented steps (X), 1–127 (default 127)"),
		triplets: fs.Bool("triplets", false, "--pattern in 8th-note triplets (three steps a beat) instead of 16ths"),
		list:     fs.Bool("list", false, "list the presets, the fills, the drums and the text form"),
	}
}

func cmdBeat(_ context.Context, e *env, args []string) error {
	f := newBeatFlags()
	pos, err := parse(f.fs, args, 0, 1)
	if err != nil {
		return err
	}
	if *f.list {
		if len(pos) > 0 || f.fs.NFlag() > 1 {
			return usagef("--list takes nothing else")
		}
		listBeats(e)
		return nil
	}
	if len(pos) != 1 {
		return usagef("give the song folder; --list shows the presets")
	}
	if f.fs.Changed("export") {
		return f.exportBeat(e, pos[0])
	}
	if err := f.check(); err != nil {
		return err
	}
	return f.placeBeat(e, pos[0])
}

// listBeats prints the presets, the fills, the drums and the text form.
func listBeats(e *env) {
	e.printf("Presets (sangstudio beat SONG --preset NAME):\n")
	for _, pr := range beat.Presets() {
		p, _ := beat.FromPreset(pr, 0)
		e.printf("  %-10s %-40s %s, %s, %s\n", pr.ID, pr.Name+" / "+pr.Nb, pr.Meter, plural(p.Bars, "bar", "bars"), pr.Tempo)
	}
	e.printf("Fills, in the pattern's last bar (--fill NAME, with 2 bars or more):\n")
	for _, f := range beat.Fills() {
		e.printf("  %-10s %s / %s\n", f.ID, f.Name, f.Nb)
	}
	e.printf("Drums (lanes of --pattern; General MIDI notes on channel 10):\n")
	for _, d := range beat.Drums() {
		e.printf("  %-11s %3d  %-28s also: %s\n", d.Key, d.Note, d.Name+" / "+d.Nb, strings.Join(d.Also, ", "))
	}
	e.printf(`The text form (--pattern): lanes separated by commas, each a drum, ':' and its steps:
  kick:x...x...x...x...,snare:....x.......x...,hat:x.x.x.x.x.x.x.x.
  One character a step: . off, o soft, x normal, X accent (velocities 60, 100, 127:
  --soft, --normal, --accent change them). A digit 2-4 right after a step is a roll of
  that many hits in it: hat:x.x.x3.x. plays 32nd-note triplets on the third 8th.
  A 4/4 bar has 16 steps (16ths), 3/4 and 6/8 bars 12; with --triplets a beat has 3.
  The longest lane is 1-4 bars or a part of a bar; shorter lanes repeat. Spaces and |
  between steps are ignored; a drum may also be a General MIDI note number (56:x...).
Swing (--swing F, 0-1): the off-beat 16ths come later by F x 1/32 note (Hydrogen's rule).
`)
}

// plural is "1 bar", "2 bars".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// check refuses flags that do not go together, before the song is read.
func (f beatFlags) check() error {
	switch {
	case f.fs.Changed("preset") == f.fs.Changed("pattern"):
		return usagef("give --preset NAME or --pattern TEXT (one of them; --list shows the presets)")
	case f.fs.Changed("triplets") && !f.fs.Changed("pattern"):
		return usagef("--triplets is for --pattern (the presets choose their own steps)")
	case f.fs.Changed("to") && f.fs.Changed("times"):
		return usagef("--to and --times together: give one of them")
	case f.fs.Changed("times") && (*f.times < 1 || *f.times > 10000):
		return usagef("--times %d: give 1 or more", *f.times)
	case f.fs.Changed("bars") && (*f.bars < 1 || *f.bars > beat.MaxBars):
		return usagef("--bars %d: a pattern is 1 to %d bars", *f.bars, beat.MaxBars)
	case f.fs.Changed("seed") && !f.fs.Changed("humanize"):
		return usagef("--seed is for --humanize")
	case f.fs.Changed("track") && strings.TrimSpace(*f.track) == "":
		return usagef("--track: give a track's number or name")
	}
	if f.fs.Changed("fill") {
		if _, ok := beat.FindFill(*f.fill); !ok {
			return usagef("there is no fill %q (see sangstudio beat --list)", *f.fill)
		}
	}
	if f.fs.Changed("preset") {
		if _, ok := beat.FindPreset(*f.preset); !ok {
			return usagef("there is no preset %q (see sangstudio beat --list)", *f.preset)
		}
	}
	return checkTexts(textFlag{"--track", projects.FieldTrack, *f.track})
}

// build is the pattern the flags describe, in the song's meter.
func (f beatFlags) build(s *projects.Song) (*beat.Pattern, error) {
	p, err := f.basePattern(s)
	if err != nil {
		return nil, err
	}
	if f.fs.Changed("bars") && *f.bars != p.Bars {
		if p, err = beat.SetBars(p, *f.bars); err != nil {
			return nil, err
		}
	}
	if f.fs.Changed("fill") {
		if p.Bars == 1 {
			return nil, usagef("--fill plays in the pattern's last bar, and this pattern has one bar (every bar would be the fill): add --bars 2 or more")
		}
		fill, _ := beat.FindFill(*f.fill)
		if p, err = beat.ApplyFill(p, fill); err != nil {
			return nil, err
		}
	}
	return f.settings(p)
}

// basePattern is the preset's pattern or the text's.
func (f beatFlags) basePattern(s *projects.Song) (*beat.Pattern, error) {
	if !f.fs.Changed("preset") {
		p, err := beat.Parse(*f.pattern, s.TimeSig, *f.triplets)
		if err != nil {
			return nil, usagef("--pattern: %v", err)
		}
		return p, nil
	}
	pr, _ := beat.FindPreset(*f.preset)
	if pr.Meter != s.TimeSig {
		return nil, fmt.Errorf("the preset %q is in %s, and the song is in %s. Use it in a song in %s (sangstudio new DIR --meter %s), or choose a preset in %s",
			pr.Name, pr.Meter, s.TimeSig, pr.Meter, pr.Meter, s.TimeSig)
	}
	return beat.FromPreset(pr, 0)
}

// settings applies swing, humanize and the velocities.
func (f beatFlags) settings(p *beat.Pattern) (*beat.Pattern, error) {
	var err error
	if f.fs.Changed("swing") {
		if p, err = beat.SetSwing(p, *f.swing); err != nil {
			return nil, usagef("--swing: %v", err)
		}
	}
	if f.fs.Changed("humanize") {
		seed := *f.seed
		if !f.fs.Changed("seed") {
			seed = newSeed()
		}
		if p, err = beat.SetHumanize(p, *f.humanize, seed); err != nil {
			return nil, usagef("--humanize: %v", err)
		}
	}
	v := p.Velocity
	for _, x := range []struct {
		name string
		flag *int
		to   *int
	}{{"soft", f.soft, &v.Soft}, {"normal", f.normal, &v.Normal}, {"accent", f.accent, &v.Accent}} {
		if f.fs.Changed(x.name) {
			if *x.flag < 1 || *x.flag > 127 {
				return nil, usagef("--%s %d: a velocity is 1 to 127", x.name, *x.flag)
			}
			*x.to = *x.flag
		}
	}
	return beat.SetVelocities(p, v)
}

// newSeed is a new random seed for humanize (kept in the pattern, so the
// same notes come every time after).
func newSeed() uint32 { return rand.Uint32() }

// beatTrack finds the beat track --track names, or adds it. A track that
// exists must be a MIDI track playing the drum kit.
func beatTrack(s *projects.Song, ref string) (int, bool, error) {
	i, err := s.FindTrack(ref)
	if err != nil {
		if _, nerr := strconv.Atoi(strings.TrimSpace(ref)); nerr == nil {
			return 0, false, err
		}
		return beat.AddTrack(s, strings.TrimSpace(ref)), true, nil
	}
	t := s.Tracks[i]
	if !t.IsMIDI() || !t.Drums {
		return 0, false, fmt.Errorf("track %d (%s) is %s, not a MIDI track playing the drum kit: choose another with --track, or a new name for a new beat track", i+1, shown(t.Name), kindText(t))
	}
	return i, false, nil
}

// placed is what placeBeat did, for its message.
type placed struct {
	track      int
	added      bool
	p          *beat.Pattern
	from, to   int64
	fromAt     string
	toAt       string
	passFrames float64
}

// placeBeat puts the pattern on the beat track, load → change → save
// under the song's lock, the take written before the song is saved.
func (f beatFlags) placeBeat(e *env, dir string) error {
	var pl placed
	s, err := changeSong(e, dir, "beat", func(s *projects.Song) error {
		p, err := f.build(s)
		if err != nil {
			return err
		}
		if pl.from, pl.fromAt, err = position(s, *f.from, "start"); err != nil {
			return usagef("--from: %v", err)
		}
		pl.passFrames = float64(p.Bars) * barFrames(s)
		if pl.to, pl.toAt, err = f.end(s, pl.from, pl.passFrames); err != nil {
			return err
		}
		if pl.track, pl.added, err = beatTrack(s, *f.track); err != nil {
			return err
		}
		_, take, err := beat.Place(s, pl.track, p, pl.from, pl.to)
		if err != nil {
			return err
		}
		pl.p = p
		return take.Write(dir)
	})
	if err != nil {
		return err
	}
	pl.print(e, s)
	return nil
}

// end is where the beat stops: --to, --times, or the default.
func (f beatFlags) end(s *projects.Song, from int64, pass float64) (int64, string, error) {
	switch {
	case f.fs.Changed("times"):
		return from + int64(math.Round(float64(*f.times)*pass)), "", nil
	case f.fs.Changed("to"):
		to, at, err := position(s, *f.to, "end")
		if err != nil {
			return 0, "", usagef("--to: %v", err)
		}
		if to <= from {
			return 0, "", usagef("--to %s is not after --from (%s)", at, barText(s, from))
		}
		return to, at, nil
	}
	for _, m := range s.Markers {
		if m.Position > from {
			return m.Position, "the marker " + shown(m.Name), nil
		}
	}
	if n := s.Length(); n > from {
		return n, "the song's end", nil
	}
	return from + int64(math.Round(pass)), "", nil
}

// barFrames is the length of a bar of the song in frames.
func barFrames(s *projects.Song) float64 {
	return float64(s.TimeSig.Beats) * float64(s.Rate) * 60 / s.Tempo
}

// position reads where: a marker's name (exactly, then ignoring case),
// "bar N", "start" or "end" ("" is def).
func position(s *projects.Song, where, def string) (int64, string, error) {
	w := strings.TrimSpace(where)
	if w == "" {
		w = def
	}
	for _, exact := range []bool{true, false} {
		for _, m := range s.Markers {
			if m.Name == w || !exact && strings.EqualFold(m.Name, w) {
				return m.Position, "the marker " + shown(m.Name), nil
			}
		}
	}
	low := strings.ToLower(w)
	switch {
	case low == "start":
		return 0, "the start", nil
	case low == "end":
		if n := s.Length(); n > 0 {
			return n, "the song's end", nil
		}
		return 0, "", errors.New("the song has nothing in it yet, so it has no end: give a bar (\"bar 9\") or --times")
	case strings.HasPrefix(low, "bar"):
		n, err := strconv.Atoi(strings.TrimSpace(low[3:]))
		if err != nil || n < 1 || n > 100000 {
			return 0, "", fmt.Errorf("%q: write a bar as \"bar 9\" (bars count from 1)", where)
		}
		return beat.BarStart(s, n), fmt.Sprintf("bar %d", n), nil
	}
	var names []string
	for _, m := range s.Markers {
		names = append(names, shown(m.Name))
	}
	if len(names) == 0 {
		return 0, "", fmt.Errorf("the song has no marker %q (it has no markers): give \"bar N\", start or end", where)
	}
	return 0, "", fmt.Errorf("the song has no marker %q (its markers: %s); or give \"bar N\", start or end", where, strings.Join(names, ", "))
}

// barText says where a frame is: "bar 5", or "bar 5, beat 3.5".
func barText(s *projects.Song, frame int64) string {
	beats := float64(frame) * s.Tempo / (60 * float64(s.Rate))
	if r := math.Round(beats); math.Abs(beats-r) < 1e-3 {
		beats = r
	}
	bar := math.Floor(beats / float64(s.TimeSig.Beats))
	b := beats - bar*float64(s.TimeSig.Beats) // beats into the bar
	if b == 0 {
		return fmt.Sprintf("bar %d", int(bar)+1)
	}
	return fmt.Sprintf("bar %d, beat %s", int(bar)+1, strconv.FormatFloat(math.Round((b+1)*100)/100, 'f', -1, 64))
}

// print says what was placed where, in a sentence or two.
func (pl placed) print(e *env, s *projects.Song) {
	t := s.Tracks[pl.track]
	if pl.added {
		e.printf("Added track %d (%s): MIDI, the drum kit.\n", pl.track+1, shown(t.Name))
	}
	e.printf("Track %d (%s): %s, from %s", pl.track+1, shown(t.Name), beatText(pl.p), barText(s, pl.from))
	if pl.fromAt != "" && !strings.HasPrefix(pl.fromAt, "bar ") {
		e.printf(" (%s)", pl.fromAt)
	}
	e.printf(" to %s", barText(s, pl.to))
	if pl.toAt != "" && !strings.HasPrefix(pl.toAt, "bar ") {
		e.printf(" (%s)", pl.toAt)
	}
	e.printf(": %s.\n", timesText(float64(pl.to-pl.from)/pl.passFrames))
	printGrid(e, pl.p)
	if pr, ok := beat.FindPreset(pl.p.Preset); ok && (s.Tempo < pr.Tempo.Low || s.Tempo > pr.Tempo.High) {
		e.printf("Note: %s is usually played at %s; the song is at %v BPM.\n", pr.Name, pr.Tempo, s.Tempo)
	}
}

// printGrid prints the pattern's lanes, a bar at a time: "  Kick        x... x... x... x... | …".
func printGrid(e *env, p *beat.Pattern) {
	n := p.StepsPerBar()
	group := 4 // steps a beat
	if p.Triplets || p.Meter.Unit == 8 {
		group = 16 / p.Meter.Unit
	}
	if p.Triplets {
		group = 3
	}
	for _, l := range p.Lanes {
		var bars []string
		for b := 0; b < p.Bars; b++ {
			var beats []string
			for k := b * n; k < (b+1)*n; k += group {
				beats = append(beats, l.Steps[k:min(k+group, (b+1)*n)].String())
			}
			bars = append(bars, strings.Join(beats, " "))
		}
		e.printf("  %-12s %s\n", beat.LaneName(l, "en"), strings.Join(bars, " | "))
	}
}

// beatText names a pattern and describes it: "the preset Rock, 2 bars of
// 4/4 (Kick, Snare, Closed hat)".
func beatText(p *beat.Pattern) string {
	name := "a pattern of your own"
	if pr, ok := beat.FindPreset(p.Preset); ok {
		name = "the preset " + pr.Name
	}
	return name + ", " + patternText(p)
}

// patternText describes a pattern: "2 bars of 4/4, swing 0.3 (Kick, Snare)".
func patternText(p *beat.Pattern) string {
	parts := []string{fmt.Sprintf("%s of %s", plural(p.Bars, "bar", "bars"), p.Meter)}
	if p.Triplets {
		parts = append(parts, "in triplets")
	}
	if p.Swing > 0 {
		parts = append(parts, fmt.Sprintf("swing %v", p.Swing))
	}
	if p.Humanize > 0 {
		parts = append(parts, fmt.Sprintf("humanize %v (seed %d)", p.Humanize, p.Seed))
	}
	var lanes []string
	for _, l := range p.Lanes {
		lanes = append(lanes, beat.LaneName(l, "en"))
	}
	return strings.Join(parts, ", ") + " (" + strings.Join(lanes, ", ") + ")"
}

// timesText says how many times the pattern plays: "it plays 4 times",
// "it plays 2½ times (the last time is cut short)".
func timesText(n float64) string {
	whole := math.Floor(n + 1e-9)
	switch {
	case math.Abs(n-whole) < 1e-6 && whole == 1:
		return "it plays once"
	case math.Abs(n-whole) < 1e-6:
		return fmt.Sprintf("it plays %v times", whole)
	}
	return fmt.Sprintf("it plays %s times (the last time is cut short)", strconv.FormatFloat(math.Round(n*100)/100, 'f', -1, 64))
}

// exportBeat writes the beat track as a Standard MIDI File.
func (f beatFlags) exportBeat(e *env, dir string) error {
	var bad []string
	f.fs.Visit(func(fl *flag.Flag) {
		if fl.Name != "export" && fl.Name != "track" {
			bad = append(bad, "--"+fl.Name)
		}
	})
	if len(bad) > 0 {
		return usagef("%s: not with --export (it writes the beat track as it is)", strings.Join(bad, ", "))
	}
	out := *f.export
	if !strings.HasSuffix(strings.ToLower(out), ".mid") && !strings.HasSuffix(strings.ToLower(out), ".midi") {
		return usagef("--export %q: the file's name ends in .mid", out)
	}
	s, err := readSong(e, dir)
	if err != nil {
		return err
	}
	i, err := s.FindTrack(*f.track)
	if err != nil {
		return fmt.Errorf("%v: give the beat track with --track", err)
	}
	var buf bytes.Buffer
	if err := beat.Export(&buf, dir, s, i); err != nil {
		return err
	}
	if err := durable.WriteFile(out, buf.Bytes(), projects.FilePerm); err != nil {
		return fmt.Errorf("cannot write %s: %v", out, fserr.Describe(err))
	}
	t := s.Tracks[i]
	where := "on channel 1"
	if t.Drums {
		where = "the drum kit on channel 10"
	}
	e.printf("Wrote track %d (%s) to %s: a Standard MIDI File in %s at %v BPM, %s.\n", i+1, shown(t.Name), out, s.TimeSig, s.Tempo, where)
	return nil
}
