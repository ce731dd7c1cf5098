package explain

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"sangstudio/audio/source"
	"sangstudio/midi/beat"
	"sangstudio/midi/input"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
)

// MIDI: the keyboard (midi/input), MIDI files (midi/smf) and SoundFonts
// (midi/synth, and audio/source for the one a song asks for).

// midiErrors says what is wrong with the MIDI keyboard, a MIDI file or a
// SoundFont.
func midiErrors(err error) (string, bool) {
	var se *source.SoundFontError
	switch {
	case errors.As(err, &se):
		return soundFont(se), true
	case errors.Is(err, synth.ErrNotSoundFont):
		return lang.L("This file is not a SoundFont (a .sf2 file). Choose a .sf2 file, or the built-in sound."), true
	case errors.Is(err, synth.ErrDamaged):
		return lang.L("This SoundFont file is damaged or incomplete. Choose another one, or the built-in sound."), true
	case errors.Is(err, smf.ErrNoNotes):
		return lang.L("The MIDI file has no notes to play."), true
	case errors.Is(err, beat.ErrNoNotes):
		return lang.L("The track plays no notes, so there is nothing to save as a MIDI file."), true
	case errors.Is(err, input.ErrNoMIDI):
		return lang.L("No MIDI keyboard was found: this computer has no MIDI system running. Check that the keyboard is plugged in, and try again."), true
	}
	return "", false
}

// soundFont says why the SoundFont a song asks for cannot be used.
func soundFont(se *source.SoundFontError) string {
	name := fileName(se.Path)
	switch {
	case errors.Is(se.Err, synth.ErrNotSoundFont):
		return lang.L("“{{.File}}” is not a SoundFont (a .sf2 file). Choose another sound in the settings.", data{"File": name})
	case errors.Is(se.Err, synth.ErrDamaged):
		return lang.L("The SoundFont “{{.File}}” is damaged or incomplete. Choose another sound in the settings.", data{"File": name})
	}
	if msg, ok := fileTrouble(se.Err, se.Path); ok {
		return msg
	}
	return lang.L("The SoundFont “{{.File}}” cannot be used. Choose another sound in the settings.", data{"File": name})
}
