package explain

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"sangstudio/projects"
	"sangstudio/projects/album"
)

// The CDs' albums (sangstudio/projects/album): the album file, and the
// songs its tracks point at.

// albums says what is wrong with a CD's album or one of its tracks.
func albums(err error) (string, bool) {
	var re *album.ResolveError
	var te *album.TrackError
	var le *album.LoadError
	var se *album.SchemaError
	var ve *album.ValidationError
	switch {
	case errors.As(err, &re) && len(re.Tracks) > 0:
		if len(re.Tracks) == 1 {
			return albumTrack(re.Tracks[0]), true
		}
		return lang.L("{{.Count}} songs of the CD cannot be used. The first: {{.Problem}}", data{"Count": len(re.Tracks), "Problem": albumTrack(re.Tracks[0])}), true
	case errors.As(err, &te):
		return albumTrack(te), true
	case errors.As(err, &le) && le.What == "album":
		return albumLoad(le), true
	case errors.As(err, &se):
		return albumSchema(se, ""), true
	case errors.As(err, &ve) && ve.What == "album":
		return lang.L("The CD cannot be saved: one of its titles, names or pauses is not allowed (for example a title that is too long, or more than {{.Max}} songs).", data{"Max": album.MaxTracks}), true
	}
	return missingSong(err)
}

// albumTrack says which track of a CD cannot be used, and why.
func albumTrack(te *album.TrackError) string {
	reason, ok := trackReason(te.Err)
	if !ok {
		reason = lang.L("The song cannot be opened. Open it from your songs to see what is wrong with it.")
	}
	if errors.Is(te.Err, album.ErrNoSong) {
		return lang.L("Track {{.Track}} of the CD: {{.Problem}}", data{"Track": te.Track, "Problem": reason})
	}
	return lang.L("Track {{.Track}} of the CD (“{{.Song}}”): {{.Problem}}", data{"Track": te.Track, "Song": fileName(te.Dir), "Problem": reason})
}

// trackReason says why a track's song cannot be used (album.TrackError's
// Err), as a sentence.
func trackReason(err error) (string, bool) {
	if reason, ok := missingSong(err); ok {
		return reason, true
	}
	var se *projects.SchemaError
	var me *projects.MissingTakesError
	switch {
	case errors.As(err, &se) && se.Version > projects.Schema:
		return lang.L("This song was made by a newer Sangstudio. Update Sangstudio to open it."), true
	case errors.As(err, &me):
		return missingTakes(me), true
	}
	return "", false
}

// missingSong says that a CD's track points at no song, or at a song
// folder that is not there or holds no song.
func missingSong(err error) (string, bool) {
	switch {
	case errors.Is(err, album.ErrSongMissing):
		return lang.L("The song folder is missing: the song was deleted or moved. Take the song off the CD, or add it again."), true
	case errors.Is(err, album.ErrNotASong):
		return lang.L("Its folder holds no song (there is no song.json in it). Take the song off the CD."), true
	case errors.Is(err, album.ErrNoSong):
		return lang.L("It names no song folder. Take it off the CD, and add the song again."), true
	}
	return "", false
}

// albumLoad says why a CD's album file could not be opened.
func albumLoad(le *album.LoadError) string {
	name := folderName(le.Path, album.FileName)
	var se *album.SchemaError
	switch {
	case errors.Is(le.Err, album.ErrNotAnAlbum):
		return lang.L("The folder “{{.Folder}}” holds no CD: there is no album file (album.json) in it.", data{"Folder": name})
	case errors.As(le.Err, &se):
		return albumSchema(se, name)
	}
	if msg, ok := fileTrouble(le.Err, le.Path); ok {
		return msg
	}
	return lang.L("The CD “{{.Album}}” could not be opened: its album file (album.json) is damaged or cannot be read, and no earlier copy of it could be opened either.", data{"Album": name})
}

// albumSchema says that an album file has a version this Sangstudio does
// not read; name is the album folder's name, if known.
func albumSchema(se *album.SchemaError, name string) string {
	if se.Version > album.Schema {
		return lang.L("This CD was made by a newer Sangstudio. Update Sangstudio to open it.")
	}
	if name == "" {
		return lang.L("This CD's album file has a version ({{.Version}}) Sangstudio does not know. The file may be damaged.", data{"Version": se.Version})
	}
	return lang.L("The album file of the CD “{{.Album}}” has a version ({{.Version}}) Sangstudio does not know. The file may be damaged.", data{"Album": name, "Version": se.Version})
}
