package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	flag "github.com/spf13/pflag"

	"sangstudio/audio/source"
	"sangstudio/midi/input"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// cmdAddTrack adds an empty track: audio (mono or stereo) or MIDI with a sound.
func cmdAddTrack(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("add-track", flag.ContinueOnError)
	isMIDI := fs.Bool("midi", false, "a MIDI track, played through the built-in instrument")
	sound := fs.String("sound", "piano", "MIDI track: the sound (a General MIDI name or number 1–128, or drums; see `sangstudio sounds`)")
	stereo := fs.Bool("stereo", false, "audio track: stereo (default mono)")
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	if fs.Changed("sound") && !*isMIDI {
		return usagef("--sound is for MIDI tracks: add --midi")
	}
	dir, name := pos[0], strings.TrimSpace(pos[1])
	if name == "" {
		return usagef("the track needs a name")
	}
	if err := checkTexts(textFlag{"NAME", projects.FieldTrack, name}); err != nil {
		return err
	}
	var snd synth.Sound
	if *isMIDI {
		if snd, err = synth.ParseSound(*sound); err != nil {
			return usagef("--sound: %v", err)
		}
	}
	var t *projects.Track
	s, err := changeSong(e, dir, "add-track", func(s *projects.Song) error {
		if *isMIDI {
			t = projects.NewMIDITrack(s.UniqueTrackName(name), snd.Program, snd.Drums)
		} else {
			t = projects.NewTrack(s.UniqueTrackName(name), 1+btoi(*stereo))
		}
		s.Tracks = append(s.Tracks, t)
		return nil
	})
	if err != nil {
		return err
	}
	e.printf("Added track %d (%s): %s.\n", len(s.Tracks), shown(t.Name), kindText(t))
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// kindText describes a track's kind: "stereo audio", "MIDI: Drawbar Organ".
func kindText(t *projects.Track) string {
	if t.IsMIDI() {
		return "MIDI, sound " + source.SoundOf(t).Name()
	}
	return chText(t.Channels) + " audio"
}

// cmdSounds lists the General MIDI sounds by family.
func cmdSounds(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("sounds", flag.ContinueOnError)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	for f := 0; f < 16; f++ {
		e.printf("%s:\n", synth.FamilyName(f, "en"))
		for p := f * 8; p < f*8+8; p++ {
			e.printf("  %3d  %s\n", p+1, synth.ProgramName(p))
		}
	}
	e.printf("drums: the drum kit (General MIDI channel 10)\n")
	e.printf("Give a number, a name or a unique part of one: --sound 1, --sound \"nylon\", --sound drums.\n")
	return nil
}

// cmdSoundFont shows or chooses the SoundFont the song's MIDI tracks play through.
func cmdSoundFont(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("soundfont", flag.ContinueOnError)
	pos, err := parse(fs, args, 1, 2)
	if err != nil {
		return err
	}
	dir := pos[0]
	var s *projects.Song
	if len(pos) == 1 {
		s, err = readSong(e, dir) // showing the SoundFont only reads the song
	} else {
		choice := pos[1]
		if c := strings.ToLower(choice); c != "default" && c != "system" && c != projects.BuiltinSound {
			if _, err := synth.LoadSoundFont(choice); err != nil {
				return fmt.Errorf("%v\nNothing was changed.", err)
			}
		}
		s, err = changeSong(e, dir, "soundfont", func(s *projects.Song) error {
			switch strings.ToLower(choice) {
			case "default", "system":
				s.SoundFont = ""
			case projects.BuiltinSound:
				s.SoundFont = projects.BuiltinSound
			default:
				s.SoundFont = choice
			}
			return nil
		})
	}
	if err != nil {
		return err
	}
	sf, err := source.SoundFont(s)
	switch {
	case err != nil:
		return err
	case sf == nil && s.SoundFont == projects.BuiltinSound:
		e.printf("MIDI tracks play through Sangstudio's built-in instrument.\n")
	case sf == nil:
		e.printf("No General MIDI SoundFont is installed, so MIDI tracks play through Sangstudio's built-in instrument.\n")
		e.printf("Install one (Debian: sudo apt install timgm6mb-soundfont) or choose a .sf2 file: sangstudio soundfont %s FILE.sf2\n", dir)
	case s.SoundFont == "":
		e.printf("MIDI tracks play through the system's SoundFont: %s\n", sf.Path())
	default:
		e.printf("MIDI tracks play through the SoundFont %s\n", sf.Path())
	}
	return nil
}

// printMIDIPorts lists the MIDI keyboards for `devices`.
func printMIDIPorts(e *env) {
	ports, err := input.List()
	switch {
	case errors.Is(err, input.ErrNoMIDI):
		e.printf("MIDI: no MIDI devices (no MIDI system was found on this computer).\n")
		return
	case err != nil:
		e.printf("MIDI: %v\n", err)
		return
	case len(ports) == 0:
		e.printf("MIDI: no MIDI keyboard is connected (plug one in; it is found without a restart).\n")
		return
	}
	e.printf("MIDI keyboards (--midi-in takes a number, an id or a unique part of a name; default: all):\n")
	for i, p := range ports {
		e.printf("  %d  %-40s %s\n", i+1, p.ID, p.Name)
	}
}
