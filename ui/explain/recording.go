package explain

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"sangstudio/audio/calibrate"
	"sangstudio/audio/engine"
	"sangstudio/audio/importer"
	"sangstudio/audio/restore"
	"sangstudio/audio/source"
	"sangstudio/audio/wav"
)

// Recordings and their files: recording (audio/engine), WAV files
// (audio/wav), a song's takes (audio/source), bringing files in
// (audio/importer), leftover takes brought back (audio/restore) and the
// latency calibration (audio/calibrate).

// recording says what went wrong with a recording or a sound file.
func recording(err error) (string, bool) {
	var te *source.TakeError
	var fe *importer.FileError
	var re *restore.TakeError
	var we *wav.FormatError
	switch {
	case errors.As(err, &te):
		return takeFile(te), true
	case errors.As(err, &fe):
		return importFile(fe), true
	case errors.As(err, &re):
		return restoreTake(re), true
	case errors.As(err, &we):
		if name := fileName(we.Path); name != "" {
			return lang.L("“{{.File}}” is not a WAV file Sangstudio can read: it may be damaged, or be another kind of file.", data{"File": name}), true
		}
		return lang.L("This is not a WAV file Sangstudio can read: it may be damaged, or be another kind of file."), true
	case errors.Is(err, wav.ErrTooLarge):
		return lang.L("The recording has reached the largest size a WAV file can have (4 GB). Stop, and record on in a new take."), true
	case errors.Is(err, engine.ErrNoTakes):
		return lang.L("Nothing was recorded. Check that a track is ready to record and that its input is connected, then try again."), true
	case errors.Is(err, engine.ErrKeptOverwritten):
		return lang.L("Sangstudio could not save what was heard in time, and it was overwritten, so nothing was kept. Try Keep that again; if this happens again, the disk may be too slow or too busy."), true
	case errors.Is(err, calibrate.ErrNoClicks):
		return lang.L("The clicks did not come back. Check that a cable connects the audio output to the input and that the input level is turned up, then try again."), true
	}
	return "", false
}

// takeFile says why a take of the song cannot be played.
func takeFile(te *source.TakeError) string {
	if msg, ok := fileTrouble(te.Err, te.Path); ok {
		return msg
	}
	return lang.L("The recording “{{.File}}” in this song cannot be played: it may be damaged, or it was changed by another program.", data{"File": fileName(te.Path)})
}

// importFile says why a file could not be brought in.
func importFile(fe *importer.FileError) string {
	if msg, ok := fileTrouble(fe.Err, fe.Path); ok {
		return msg
	}
	return lang.L("“{{.File}}” cannot be brought in: Sangstudio brings in sound files (WAV, mono or stereo) and MIDI files with notes, and this file is not one it can use, or it holds no sound.", data{"File": fileName(fe.Path)})
}

// restoreTake says why a leftover take cannot become a track again.
func restoreTake(re *restore.TakeError) string {
	if msg, ok := fileTrouble(re.Err, re.Take); ok {
		return msg
	}
	return lang.L("The recording “{{.File}}” cannot be brought back as a track: it does not fit this song (another sample rate), or it is not a recording Sangstudio can play. It stays in the song folder.", data{"File": fileName(re.Take)})
}
