package explain

import (
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2/lang"

	"sangstudio/internal/filelock"
	"sangstudio/projects"
	"sangstudio/ui/studio"
)

// A song's file and folder (sangstudio/projects): opening, saving, who
// else holds the song.

// songFiles says what is wrong with a song's file.
func songFiles(err error) (string, bool) {
	var le *projects.LoadError
	if errors.As(err, &le) {
		return songLoad(le), true
	}
	var se *projects.SchemaError
	var me *projects.MissingTakesError
	var tl *projects.TooLongError
	var ue *projects.UTF8Error
	var ve *projects.ValidationError
	switch {
	case errors.As(err, &se):
		return songSchema(se, ""), true
	case errors.As(err, &me):
		return missingTakes(me), true
	case errors.Is(err, projects.ErrNotASong):
		return lang.L("This folder holds no song: there is no song file (song.json) in it."), true
	case errors.As(err, &tl):
		return tooLong(tl), true
	case errors.As(err, &ue):
		return lang.L("The file cannot be read: line {{.Line}} holds characters that are not text. It may be damaged, or written by another program.", data{"Line": ue.Line}), true
	case errors.As(err, &ve):
		return lang.L("This change cannot be saved: something in it is not allowed in a song (for example a name that is too long). The song is kept as it was."), true
	}
	return "", false
}

// songLoad says why the song of a *projects.LoadError could not be opened.
func songLoad(le *projects.LoadError) string {
	song := folderName(le.Path, projects.SongFile)
	var se *projects.SchemaError
	var me *projects.MissingTakesError
	switch {
	case errors.Is(le.Err, projects.ErrNotASong):
		return lang.L("The folder “{{.Folder}}” holds no song: there is no song file (song.json) in it.", data{"Folder": song})
	case errors.As(le.Err, &se):
		return songSchema(se, song)
	case errors.As(le.Err, &me):
		return missingTakes(me)
	}
	// A song file that cannot be read is named by its song.
	if msg, ok := fileTrouble(le.Err, songDir(le.Path)); ok {
		return msg
	}
	return lang.L("The song “{{.Song}}” could not be opened: its song file (song.json) is damaged or cannot be read, and no earlier copy of it could be opened either.", data{"Song": song})
}

// songDir is the song folder of its song.json at path (path itself if it
// is no song.json).
func songDir(path string) string {
	if filepath.Base(path) == projects.SongFile {
		return filepath.Dir(path)
	}
	return path
}

// songSchema says that a song file has a version this Sangstudio does not
// read; song is the song folder's name, if known.
func songSchema(se *projects.SchemaError, song string) string {
	if se.Version > projects.Schema {
		return lang.L("This song was made by a newer Sangstudio. Update Sangstudio to open it.")
	}
	if song == "" {
		return lang.L("This song file has a version ({{.Version}}) Sangstudio does not know. The file may be damaged.", data{"Version": se.Version})
	}
	return lang.L("The song file of “{{.Song}}” has a version ({{.Version}}) Sangstudio does not know. The file may be damaged.", data{"Song": song, "Version": se.Version})
}

// missingTakes names the recordings a song's clips play that are not in
// its audio folder.
func missingTakes(me *projects.MissingTakesError) string {
	names := make([]string, 0, len(me.Files))
	for _, f := range me.Files {
		names = append(names, fileName(f))
	}
	if len(names) == 1 {
		return lang.L("A recording of this song is missing: “{{.File}}”. It may have been moved or deleted: put it back in the song's audio folder.", data{"File": names[0]})
	}
	return lang.L("{{.Count}} recordings of this song are missing: {{.Files}}. They may have been moved or deleted: put them back in the song's audio folder.",
		data{"Count": len(names), "Files": list(names)})
}

// tooLong says how long a song too long to render is, and which clip
// makes it so.
func tooLong(tl *projects.TooLongError) string {
	if o := tl.Outlier; o != nil {
		return lang.L("The song is {{.Length}} long (hours:minutes:seconds) because clip {{.Clip}} on track {{.Track}} (“{{.TrackName}}”) starts at {{.Start}}, far beyond the rest of the song, which ends at {{.End}}. Move or delete that clip: Sangstudio makes songs of up to {{.Max}} hours.",
			data{"Length": projects.Clock(tl.Length, tl.Rate), "Clip": o.Clip, "Track": o.Track, "TrackName": text(o.TrackName),
				"Start": projects.Clock(o.Position, tl.Rate), "End": projects.Clock(o.RestEnd, tl.Rate), "Max": projects.MaxRenderHours})
	}
	return lang.L("The song is {{.Length}} long (hours:minutes:seconds); Sangstudio makes songs of up to {{.Max}} hours. The last clip is clip {{.Clip}} on track {{.Track}} (“{{.TrackName}}”). Shorten the song, or split it into several songs.",
		data{"Length": projects.Clock(tl.Length, tl.Rate), "Max": projects.MaxRenderHours, "Clip": tl.Last.Clip, "Track": tl.Last.Track, "TrackName": text(tl.Last.TrackName)})
}

// songLocks says that another program holds a song, that a song cannot
// be written to, or that another program changed it.
func songLocks(err error) (string, bool) {
	var oe *projects.OpenError
	var be *projects.BusyError
	var re *projects.ReadOnlyError
	var fe *filelock.BusyError
	switch {
	case errors.As(err, &oe):
		return lang.L("The song “{{.Song}}” is open in another Sangstudio window (or is being recorded from the command line). Make the change there, or close the song there and try again.", data{"Song": fileName(oe.Dir)}), true
	case errors.Is(err, projects.ErrOpenInWindow):
		return lang.L("This song is open in another Sangstudio window (or is being recorded from the command line). Make the change there, or close the song there and try again."), true
	case errors.As(err, &be):
		return lang.L("The song “{{.Song}}” is being changed by another part of Sangstudio right now. Wait a moment and try again.", data{"Song": fileName(be.Dir)}), true
	case errors.Is(err, projects.ErrBusy):
		return lang.L("This song is being changed by another part of Sangstudio right now. Wait a moment and try again."), true
	case errors.As(err, &re):
		return readOnly(re), true
	case errors.As(err, &fe):
		return lang.L("“{{.Name}}” is in use by another program. Wait a moment and try again, or close the other program first.", data{"Name": fileName(fe.Path)}), true
	case errors.Is(err, filelock.ErrBusy):
		return lang.L("This is in use by another program. Wait a moment and try again, or close the other program first."), true
	case errors.Is(err, studio.ErrSavedAside):
		return lang.L("Another program changed this song's file while the song was open here. Nothing was written over it: the changes made here are kept in a copy beside it. Close the song and open it again to see the other version."), true
	case errors.Is(err, projects.ErrChangedElsewhere):
		return lang.L("Another program changed this song's file while the song was open here, so Sangstudio did not save over it, and could not keep the changes made here beside it. Close the song and open it again."), true
	}
	return "", false
}

// readOnly says that a song cannot be opened for changes because its
// folder cannot be written to.
func readOnly(re *projects.ReadOnlyError) string {
	song := fileName(re.Dir)
	if reason, ok := fsReason(re.Err); ok {
		return lang.L("The song “{{.Song}}” cannot be changed here: Sangstudio cannot write to its folder ({{.Reason}}). Copy the song folder to a place you can write to, and open the copy.", data{"Song": song, "Reason": reason})
	}
	return lang.L("The song “{{.Song}}” cannot be changed here: Sangstudio cannot write to its folder. Copy the song folder to a place you can write to, and open the copy.", data{"Song": song})
}
