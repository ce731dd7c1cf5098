package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	flag "github.com/spf13/pflag"

	"sangstudio/audio/session"
	"sangstudio/audio/source"
	"sangstudio/internal/fserr"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

func cmdNew(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	title := fs.String("title", "", "song title (default: the folder's name)")
	rate := fs.Int("rate", projects.DefaultRate, "sample rate: 44100, 48000 or 96000")
	tempo := fs.Float64("tempo", projects.DefaultTempo, "tempo in beats per minute")
	meter := fs.String("meter", "4/4", "time signature")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if err := checkTexts(textFlag{"--title", projects.FieldTitle, *title}); err != nil {
		return err
	}
	dir := pos[0]
	s := projects.New(*title, *rate)
	if s.Title == "" {
		s.Title = titleFromFolder(dir)
	}
	s.Tempo = *tempo
	if _, err := fmt.Sscanf(*meter, "%d/%d", &s.TimeSig.Beats, &s.TimeSig.Unit); err != nil {
		return usagef("--meter %q: write it like 4/4 or 6/8", *meter)
	}
	if err := s.Validate(); err != nil {
		return usagef("%v", err)
	}
	if err := projects.Create(dir, s); err != nil {
		return err
	}
	e.printf("Created the song %q in %s (%d Hz, %v BPM, %s).\n", s.Title, dir, s.Rate, s.Tempo, s.TimeSig)
	return nil
}

// changeSong changes the song in dir as one step, load → change → save,
// holding the song's lock so that no other writer comes between (a second
// command waits, then says the song is busy and by what); takes that a
// crash left unfinished are recovered first and saved with the change. A
// song open in the window (or being recorded) is not changed. who names
// the command for whoever has to wait. If change fails, nothing is saved.
func changeSong(e *env, dir, who string, change func(s *projects.Song) error) (*projects.Song, error) {
	return changeWith(e, dir, func(fn func(*projects.Song) error) (*projects.Song, *projects.Recovery, error) {
		return projects.Change(dir, "sangstudio "+who, fn)
	}, change)
}

// changeWith is changeSong through do (projects.Change, or the Change of a
// song held open by this command). A song that cannot be written (a full
// disk, a read-only folder) is refused in plain words, naming the song
// folder and any recovered takes that are not in it yet.
func changeWith(e *env, dir string, do func(func(*projects.Song) error) (*projects.Song, *projects.Recovery, error),
	change func(s *projects.Song) error) (*projects.Song, error) {
	done := func() {}
	recovered := 0
	ran, changed := false, false // an error before ran is the lock's or the load's, after changed the save's
	s, rec, err := do(func(s *projects.Song) error {
		ran = true
		r, d, err := session.RecoverForChange(dir, s)
		printNotes(e, r.Notes)
		var ue *session.UnsavedError
		if errors.As(err, &ue) {
			return cannotChange(ue)
		}
		if err != nil {
			return fmt.Errorf("recovering unfinished takes: %w", err)
		}
		for _, n := range r.Notes {
			if _, ok := n.(*session.RecoveredTake); ok {
				recovered++
			}
		}
		done = d
		if err := change(s); err != nil {
			return err
		}
		changed = true
		return nil
	})
	if rec != nil {
		fmt.Fprintf(e.stderr, "Note: %s.\n", rec)
	}
	if err != nil {
		if (!ran || changed) && fserr.CannotWrite(err) {
			return nil, cannotChange(&session.UnsavedError{Takes: recovered, Err: fserr.Describe(err)})
		}
		return nil, err
	}
	done()
	return s, nil
}

// cannotChange is the refusal of a change to a song that cannot be
// written now: why, what is not saved, what to do.
func cannotChange(ue *session.UnsavedError) error {
	advice := "Try again once that is fixed"
	if a := ue.Advice(); a != "" {
		advice = a + " and try again"
	}
	if ue.Takes == 0 {
		return fmt.Errorf("%s, so the song cannot be changed now. %s. Nothing was changed.", ue.Problem(), advice)
	}
	return fmt.Errorf("%s, so the song cannot be changed now (%s not saved into it yet either). %s. Nothing was changed.",
		ue.Problem(), ue.TakesText(), advice)
}

// readSong opens a song for a command that only reads it (info, render,
// loudness, master, takehome, cd). Takes that a crash (or a full disk) left
// unfinished are put back in memory only: nothing in the song folder is
// written, repaired or removed, so it works on a full disk and in a folder
// it may not write to. A note says that they are not saved, why, and what
// to do.
func readSong(e *env, dir string) (*projects.Song, error) {
	s, err := loadSong(e, dir)
	if err != nil {
		return nil, err
	}
	rec, err := session.RecoverInMemory(dir, s)
	printNotes(e, rec.Messages())
	if err != nil {
		return nil, fmt.Errorf("recovering unfinished takes: %w", err)
	}
	return s, nil
}

// loadSong loads the song in dir, with a note if it came from an earlier
// generation.
func loadSong(e *env, dir string) (*projects.Song, error) {
	s, rec, err := projects.Load(dir)
	if err != nil {
		return nil, err
	}
	if rec != nil {
		fmt.Fprintf(e.stderr, "Note: %s.\n", rec)
	}
	return s, nil
}

func printNotes(e *env, notes []error) {
	for _, n := range notes {
		fmt.Fprintf(e.stderr, "Note: %s.\n", strings.TrimSuffix(n.Error(), "."))
	}
}

// mixFlags are set's flags.
type mixFlags struct {
	fs                         *flag.FlagSet
	gain, pan                  *float64
	mute, unmute, solo, unsolo *bool
	sound                      *string
}

func newMixFlags() mixFlags {
	fs := flag.NewFlagSet("set", flag.ContinueOnError)
	return mixFlags{
		fs:     fs,
		gain:   fs.Float64("gain", 0, "gain in dB"),
		pan:    fs.Float64("pan", 0, "pan from -1 (left) to +1 (right)"),
		mute:   fs.Bool("mute", false, "mute the track"),
		unmute: fs.Bool("unmute", false, "unmute the track"),
		solo:   fs.Bool("solo", false, "solo the track"),
		unsolo: fs.Bool("unsolo", false, "take the track out of solo"),
		sound:  fs.String("sound", "", "MIDI track: the sound (see `sangstudio sounds`)"),
	}
}

// check refuses flags that contradict each other or are out of range, and
// a set that changes nothing.
func (f mixFlags) check() error {
	switch {
	case *f.mute && *f.unmute:
		return usagef("--mute and --unmute together")
	case *f.solo && *f.unsolo:
		return usagef("--solo and --unsolo together")
	case f.fs.NFlag() == 0:
		return usagef("nothing to change: give --gain, --pan, --mute, --unmute, --solo, --unsolo or --sound")
	}
	if f.fs.Changed("gain") && (math.IsNaN(*f.gain) || *f.gain < projects.MinGainDB || *f.gain > projects.MaxGainDB) {
		return usagef("--gain %v: use %v to %v dB", *f.gain, projects.MinGainDB, projects.MaxGainDB)
	}
	if f.fs.Changed("pan") && !(*f.pan >= -1 && *f.pan <= 1) {
		return usagef("--pan %v: use -1 (left) to +1 (right)", *f.pan)
	}
	return nil
}

func cmdSet(_ context.Context, e *env, args []string) error {
	f := newMixFlags()
	pos, err := parse(f.fs, args, 2, 2)
	if err != nil {
		return err
	}
	if err := f.check(); err != nil {
		return err
	}
	dir, ref := pos[0], pos[1]
	if strings.EqualFold(ref, "master") {
		return f.setMaster(e, dir)
	}
	return f.setTrack(e, dir, ref)
}

// setMaster sets the master bus's gain, its only setting.
func (f mixFlags) setMaster(e *env, dir string) error {
	if f.fs.Changed("pan") || *f.mute || *f.unmute || *f.solo || *f.unsolo || f.fs.Changed("sound") {
		return usagef("the master bus has only --gain")
	}
	s, err := changeSong(e, dir, "set", func(s *projects.Song) error {
		s.Master.GainDB = *f.gain
		return nil
	})
	if err != nil {
		return err
	}
	e.printf("Master: gain %s.\n", dB(s.Master.GainDB))
	return nil
}

// setTrack changes the track ref (a number from 1, or a name) and tells
// its mix.
func (f mixFlags) setTrack(e *env, dir, ref string) error {
	var snd synth.Sound
	if f.fs.Changed("sound") {
		var err error
		if snd, err = synth.ParseSound(*f.sound); err != nil {
			return usagef("--sound: %v", err)
		}
	}
	var t *projects.Track
	var i int
	_, err := changeSong(e, dir, "set", func(s *projects.Song) error {
		var err error
		if i, err = s.FindTrack(ref); err != nil {
			return err
		}
		t = s.Tracks[i]
		return f.apply(t, snd)
	})
	if err != nil {
		return err
	}
	e.printf("Track %d (%s): %s.\n", i+1, shown(t.Name), mixText(t))
	if t.IsMIDI() {
		e.printf("Sound: %s.\n", source.SoundOf(t).Name())
	}
	return nil
}

// apply sets what the flags change on t; snd is the parsed --sound.
func (f mixFlags) apply(t *projects.Track, snd synth.Sound) error {
	if f.fs.Changed("sound") {
		if !t.IsMIDI() {
			return usagef("track %q is an audio track; --sound is for MIDI tracks", t.Name)
		}
		t.Program, t.Drums = snd.Program, snd.Drums
	}
	if f.fs.Changed("gain") {
		t.GainDB = *f.gain
	}
	if f.fs.Changed("pan") {
		t.Pan = *f.pan
	}
	if *f.mute || *f.unmute {
		t.Mute = *f.mute
	}
	if *f.solo || *f.unsolo {
		t.Solo = *f.solo
	}
	return nil
}

func dB(v float64) string {
	if v <= projects.MinGainDB {
		return "-inf dB"
	}
	return fmt.Sprintf("%+.1f dB", v)
}

func mixText(t *projects.Track) string {
	var b strings.Builder
	fmt.Fprintf(&b, "gain %s, pan %s", dB(t.GainDB), panText(t.Pan))
	if t.Mute {
		b.WriteString(", muted")
	}
	if t.Solo {
		b.WriteString(", solo")
	}
	return b.String()
}

func panText(p float64) string {
	switch {
	case p == 0:
		return "centre"
	case p < 0:
		return fmt.Sprintf("%.2f left", -p)
	default:
		return fmt.Sprintf("%.2f right", p)
	}
}

// timeText formats frames as m:ss.mmm.
func timeText(frames int64, rate int) string {
	ms := frames * 1000 / int64(rate)
	return fmt.Sprintf("%d:%02d.%03d", ms/60000, ms/1000%60, ms%1000)
}

func cmdInfo(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("info", flag.ContinueOnError)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	dir := pos[0]
	s, err := readSong(e, dir)
	if err != nil {
		return err
	}
	e.printf("Song: %s\n", shown(s.Title))
	e.printf("Folder: %s\n", dir)
	e.printf("Sample rate %d Hz, tempo %v BPM, time signature %s, length %s (%d frames)\n",
		s.Rate, s.Tempo, s.TimeSig, timeText(s.Length(), s.Rate), s.Length())
	printLengthNote(e, s)
	e.printf("Master: gain %s\n", dB(s.Master.GainDB))
	if len(s.Markers) > 0 {
		var m []string
		for _, mk := range s.Markers {
			m = append(m, fmt.Sprintf("%s at %s", shown(mk.Name), timeText(mk.Position, s.Rate)))
		}
		e.printf("Markers: %s\n", strings.Join(m, ", "))
	}
	if s.Lyrics != "" {
		e.printf("Lyrics: %d lines\n", strings.Count(strings.TrimRight(s.Lyrics, "\n"), "\n")+1)
	}
	if len(s.Tracks) == 0 {
		e.printf("No tracks yet. Add some with: sangstudio import %s FILE.wav\n", dir)
		return printLeftovers(e, dir)
	}
	anySolo := s.AnySolo()
	e.printf("Tracks:\n")
	for i, t := range s.Tracks {
		note := ""
		if !s.Audible(i) && !t.Mute && anySolo {
			note = " (silent: other tracks are soloed)"
		}
		e.printf("  %2d  %s  [%s]  %s%s\n", i+1, shown(t.Name), kindText(t), mixText(t), note)
		if fx := t.Effects.Text(); fx != "" {
			e.printf("        effects: %s\n", fx)
		}
		for j, c := range t.Clips {
			e.printf("        clip %d: %s at %s, length %s, from %s in the file",
				j+1, shown(c.Take), timeText(c.Position, s.Rate), timeText(c.Length, s.Rate), timeText(c.Offset, s.Rate))
			if c.GainDB != 0 {
				e.printf(", gain %s", dB(c.GainDB))
			}
			if c.FadeIn > 0 || c.FadeOut > 0 {
				e.printf(", fades %s in / %s out", timeText(c.FadeIn, s.Rate), timeText(c.FadeOut, s.Rate))
			}
			e.printf("\n              (frames: position %d, offset %d, length %d)\n", c.Position, c.Offset, c.Length)
			if c.Beat != nil {
				e.printf("              beat: %s\n", beatText(c.Beat))
			}
		}
	}
	e.printf("Buses: %s\n", s.BusesOrDefault().Text())
	return printLeftovers(e, dir)
}
