package source

import (
	"errors"
	"io"
	"path/filepath"

	"sangstudio/projects"
)

// checkTakes applies the song's rule for its own files to every take the
// clips of t use (see projects.CheckSongFile): a take that is a link, a
// FIFO or a device is refused with the song's one message
// (*projects.SongFileError), as projects.Load refuses it. Other problems
// (a missing file) are left to the open that follows, which words them.
func checkTakes(dir string, t *projects.Track) error {
	seen := map[string]bool{}
	for _, c := range t.Clips {
		if seen[c.Take] {
			continue
		}
		seen[c.Take] = true
		var se *projects.SongFileError
		if err := projects.CheckTakeFile(dir, c.Take); errors.As(err, &se) {
			return se
		}
	}
	return nil
}

// readTake reads the take file take of the song in dir, if it is an
// ordinary file of the song: a *projects.SongFileError, or a *TakeError
// naming the file.
func readTake(dir, take string) ([]byte, error) {
	f, err := projects.OpenSongFile(dir, filepath.Join(projects.AudioDir, take))
	var se *projects.SongFileError
	switch {
	case errors.As(err, &se):
		return nil, se
	case err != nil:
		return nil, &TakeError{Path: projects.AudioPath(dir, take), Err: plainFSError(err)}
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, &TakeError{Path: projects.AudioPath(dir, take), Err: plainFSError(err)}
	}
	return data, nil
}
