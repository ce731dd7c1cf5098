package explain

import (
	"errors"
	"io/fs"
	"path/filepath"

	"fyne.io/fyne/v2/lang"

	"sangstudio/audio/engine"
	"sangstudio/audio/session"
	"sangstudio/internal/fserr"
	"sangstudio/projects/history"
	"sangstudio/ui/studio"
)

// The song window's own errors (sangstudio/ui/studio), its undo history
// (projects/history) and what a recording session says (audio/session).

// window says the song window's errors: record, keep, undo, the log.
func window(err error) (string, bool) {
	var de *history.DamagedError
	var le studio.LogError
	var lp *studio.LogError
	var ni *studio.NoInputsError
	var ie *studio.InputError
	switch {
	case errors.Is(err, studio.ErrNothingArmed):
		return lang.L("No track is ready to record: press a track's record button (the round one, or A) first."), true
	case errors.Is(err, studio.ErrNotAttached):
		return lang.L("The audio device is not open yet. Wait a moment and try again."), true
	case errors.Is(err, studio.ErrDeviceLost):
		return lang.L("The audio device is not there. Sangstudio will use it again as soon as it is back."), true
	case errors.Is(err, studio.ErrBusy):
		return lang.L("Please wait a moment: the song is being updated."), true
	case errors.Is(err, session.ErrNothingToKeep), errors.Is(err, engine.ErrNothingKept):
		return lang.L("There is nothing to keep yet: arm a track, then play or sing; Keep that saves what the armed tracks heard."), true
	case errors.Is(err, history.ErrNothingToUndo):
		return lang.L("There is nothing to undo."), true
	case errors.Is(err, history.ErrNothingToRedo):
		return lang.L("There is nothing to redo."), true
	case errors.As(err, &de):
		if de.SetAside != "" {
			return lang.L("The undo history of this song could not be read, so a new, empty one was started; the old one is kept in the song folder as “{{.Name}}”. The song itself is fine.", data{"Name": text(filepath.Base(de.SetAside))}), true
		}
		return lang.L("The undo history of this song could not be read, so a new, empty one was started. The song itself is fine."), true
	case errors.Is(err, studio.ErrResident):
		return lang.L("In resident mode nothing can be deleted, renamed or moved. To leave it, hold its button for two seconds."), true
	case errors.As(err, &ni):
		return lang.L("“{{.Device}}” cannot record: it has no inputs. Choose a device that records in the settings (the gear button).", data{"Device": text(ni.Device)}), true
	case errors.As(err, &ie):
		return lang.L("The track “{{.Track}}” records from input {{.Input}}, but the audio device has {{.Inputs}} inputs. Choose another input for the track (click its name).",
			data{"Track": text(ie.Track), "Input": ie.Input, "Inputs": ie.Inputs}), true
	case errors.As(err, &le):
		return songLog(le), true
	case errors.As(err, &lp) && lp != nil:
		return songLog(*lp), true
	}
	return "", false
}

// songLog says that the song's log (for the session clock) could not be
// written or read.
func songLog(le studio.LogError) string {
	if le.Err == nil {
		return lang.L("Some lines of the song's log (which notes when the song was open) were damaged and are left out. The song itself is fine.")
	}
	if reason, ok := fsReason(le.Err); ok {
		return lang.L("The song's log (which notes when the song was open) could not be updated: {{.Reason}}. The song itself is fine.", data{"Reason": reason})
	}
	return lang.L("The song's log (which notes when the song was open) could not be updated. The song itself is fine.")
}

// recovered says why recordings saved after a crash are shown but not
// saved in the song yet (*session.UnsavedError).
func recovered(err error) (string, bool) {
	var ue *session.UnsavedError
	if !errors.As(err, &ue) {
		return "", false
	}
	d := data{"Count": ue.Takes}
	switch {
	case ue.Err == nil:
		return lang.L("Recordings rescued after a crash ({{.Count}}) are shown, but not saved in the song yet. They are saved the next time the song is changed.", d), true
	case fserr.IsDiskFull(ue.Err):
		return lang.L("Recordings rescued after a crash ({{.Count}}) are shown, but could not be saved in the song: the disk is full. Free some space (delete or move files) and open the song again.", d), true
	case fserr.IsReadOnly(ue.Err):
		return lang.L("Recordings rescued after a crash ({{.Count}}) are shown, but could not be saved in the song: the disk can only be read. Copy the song folder to a disk you can write to, and open the copy.", d), true
	case errors.Is(ue.Err, fs.ErrPermission):
		return lang.L("Recordings rescued after a crash ({{.Count}}) are shown, but could not be saved in the song: Sangstudio is not allowed to write to the song folder. Make the folder writable for you, or copy it to a place you can write to.", d), true
	}
	return lang.L("Recordings rescued after a crash ({{.Count}}) are shown, but could not be saved in the song yet. They are kept: open the song again later to save them.", d), true
}
