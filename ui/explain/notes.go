package explain

import (
	"errors"
	"fmt"
	"math"

	"fyne.io/fyne/v2/lang"

	"sangstudio/audio/session"
	"sangstudio/internal/durable"
)

// The notes a song gives when it opens or a recording ends, which are not
// failures: takes rescued after a crash, a take put on a new track
// (audio/session), a song file opened from an earlier copy
// (internal/durable, as projects.Recovery).

// notes says what happened to recordings and files, for the "Good to
// know" dialog.
func notes(err error) (string, bool) {
	var rt *session.RecoveredTake
	var et *session.EmptyTake
	var lt *session.LostTakeError
	var mt *session.MovedTake
	var dr *durable.Recovery
	switch {
	case errors.As(err, &rt):
		return rescued(rt), true
	case errors.As(err, &et):
		return lang.L("A recording on the track “{{.Track}}” held no sound yet when Sangstudio stopped unexpectedly, so there was nothing to rescue.",
			data{"Track": text(et.Track)}), true
	case errors.As(err, &lt):
		return lost(lt), true
	case errors.As(err, &mt) && mt.Deleted:
		return lang.L("The track “{{.Track}}” was deleted while it was recording, so its recording was put on a new track, “{{.NewTrack}}”. Nothing recorded is lost.",
			data{"Track": text(mt.Track), "NewTrack": text(mt.NewTrack)}), true
	case errors.As(err, &mt):
		return lang.L("The track “{{.Track}}” was changed while it was recording, so its recording was put on a new track, “{{.NewTrack}}”. Nothing recorded is lost.",
			data{"Track": text(mt.Track), "NewTrack": text(mt.NewTrack)}), true
	case errors.As(err, &dr):
		return earlierCopy(dr), true
	}
	return "", false
}

// rescued says that a take was rescued after a crash, and where it is.
func rescued(rt *session.RecoveredTake) string {
	d := data{"Track": text(rt.Track), "Length": seconds(rt.Seconds)}
	if rt.Started.IsZero() {
		return lang.L("A recording was rescued after Sangstudio stopped unexpectedly. It is on the track “{{.Track}}” ({{.Length}}).", d)
	}
	d["Time"] = rt.Started.Local().Format("15:04")
	return lang.L("A recording from {{.Time}} was rescued after Sangstudio stopped unexpectedly. It is on the track “{{.Track}}” ({{.Length}}).", d)
}

// lost says that a take could not be rescued after a crash: its file is
// named, as it stays in the song folder for whoever helps.
func lost(lt *session.LostTakeError) string {
	d := data{"Track": text(lt.Track), "File": fileName(lt.File)}
	if reason, ok := fsReason(lt.Err); ok {
		d["Reason"] = reason
		return lang.L("A recording on the track “{{.Track}}” could not be rescued after Sangstudio stopped unexpectedly: {{.Reason}}. Its file, “{{.File}}”, stays in the song folder.", d)
	}
	return lang.L("A recording on the track “{{.Track}}” could not be rescued after Sangstudio stopped unexpectedly: it may be damaged. Its file, “{{.File}}”, stays in the song folder.", d)
}

// earlierCopy says that a song's (or album's) file was damaged and an
// earlier copy of it was opened.
func earlierCopy(dr *durable.Recovery) string {
	when := lang.L("earlier")
	if !dr.SavedAt.IsZero() {
		// A layout of package time, in the chosen language's order.
		when = dr.SavedAt.Local().Format(lang.L("on 2006-01-02 at 15:04"))
	}
	if dr.File == "album.json" {
		return lang.L("The album's file was damaged, so Sangstudio opened the copy it saved {{.When}}. Changes made after that may be missing.", data{"When": when})
	}
	return lang.L("The song's file was damaged, so Sangstudio opened the copy it saved {{.When}}. Changes made after that may be missing.", data{"When": when})
}

// seconds is a length in whole seconds as both languages write it: "12 s",
// "2 min 5 s".
func seconds(s float64) string {
	n := max(int(math.Round(s)), 1)
	if n < 60 {
		return fmt.Sprintf("%d s", n)
	}
	return fmt.Sprintf("%d min %d s", n/60, n%60)
}
