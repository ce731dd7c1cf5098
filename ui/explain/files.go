package explain

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2/lang"

	"sangstudio/internal/fserr"
	"sangstudio/internal/openfile"
	"sangstudio/projects"
	"sangstudio/ui/shown"
)

// The file system's errors, anywhere in the chain: a full disk, a
// read-only disk, no permission, a disk error, a missing file, a file
// that is not an ordinary file. internal/fserr's *Error (its English
// words for these) is said through the error it wraps.

// fileSystem says a file-system error, naming the file the chain names.
func fileSystem(err error) (string, bool) {
	return fileTrouble(err, pathIn(err))
}

// fileTrouble says a file-system error about the file at path ("": the
// chain names none).
func fileTrouble(err error, path string) (string, bool) {
	name := fileName(path)
	switch {
	case fserr.IsDiskFull(err):
		if name == "" {
			return lang.L("The disk is full. Free some space (delete or move files you no longer need) and try again."), true
		}
		return lang.L("The disk is full, so “{{.File}}” could not be saved. Free some space (delete or move files you no longer need) and try again.", data{"File": name}), true
	case fserr.IsReadOnly(err):
		if name == "" {
			return lang.L("The disk can only be read (it is read-only), so nothing can be saved on it. Choose another place, or copy the song to a disk you can write to."), true
		}
		return lang.L("“{{.File}}” is on a disk that can only be read (it is read-only), so nothing can be saved there. Choose another place, or copy the song to a disk you can write to.", data{"File": name}), true
	case errors.Is(err, openfile.ErrNotRegular):
		return notRegular(err, name), true
	case errors.Is(err, fs.ErrPermission):
		if name == "" {
			return lang.L("Sangstudio is not allowed to open or change this file or folder (permission denied). Ask whoever looks after this computer for access, or choose another place."), true
		}
		return lang.L("Sangstudio is not allowed to open or change “{{.File}}” (permission denied). Ask whoever looks after this computer for access, or choose another place.", data{"File": name}), true
	case fserr.IsIOError(err):
		if name == "" {
			return lang.L("The disk reported an error while reading or writing: it may be failing, or it was removed. Check the disk and try again."), true
		}
		return lang.L("The disk reported an error while reading or writing “{{.File}}”: it may be failing, or it was removed. Check the disk and try again.", data{"File": name}), true
	case errors.Is(err, fs.ErrNotExist):
		if name == "" {
			return lang.L("A file or folder Sangstudio needs was not found: it may have been moved, renamed or deleted."), true
		}
		return lang.L("“{{.File}}” was not found: it may have been moved, renamed or deleted.", data{"File": name}), true
	}
	return "", false
}

// notRegular says that a file is not an ordinary file (a folder, a named
// pipe, a device, a link in a song…).
func notRegular(err error, name string) string {
	var kind openfile.Kind
	song := false
	var se *projects.SongFileError
	var oe *openfile.Error
	switch {
	case errors.As(err, &se):
		kind, song = se.Kind, true
		name = fileName(se.Path)
	case errors.As(err, &oe):
		kind = oe.Kind
		name = fileName(oe.Path)
	}
	switch {
	case song && kind == openfile.Link:
		return lang.L("“{{.File}}” in the song folder is a link to a file elsewhere. A song keeps its own recordings: put a copy of the file itself in its place.", data{"File": name})
	case song:
		return lang.L("“{{.File}}” in the song folder is {{.Kind}}, not an ordinary file. A song keeps its own recordings as ordinary files: put the file itself back in its place.", data{"File": name, "Kind": kindName(kind)})
	case name == "":
		return lang.L("This is not an ordinary file (it may be a folder or a device). Sangstudio only opens ordinary files: please choose a file.")
	}
	return lang.L("“{{.File}}” is {{.Kind}}, not an ordinary file. Sangstudio only opens ordinary files: please choose a file.", data{"File": name, "Kind": kindName(kind)})
}

// kindName is what a file that is not an ordinary file is, in words.
func kindName(k openfile.Kind) string {
	switch k {
	case openfile.Folder:
		return lang.L("a folder")
	case openfile.FIFO:
		return lang.L("a named pipe (FIFO)")
	case openfile.Device:
		return lang.L("a device")
	case openfile.Socket:
		return lang.L("a socket")
	case openfile.Link:
		return lang.L("a link")
	}
	return lang.L("a special file")
}

// fsReason is why something could not be written, as a few words that
// fit in a sentence ("the disk is full"); ok is false if err is no
// file-system error this knows.
func fsReason(err error) (string, bool) {
	switch {
	case err == nil:
		return "", false
	case fserr.IsDiskFull(err):
		return lang.L("the disk is full"), true
	case fserr.IsReadOnly(err):
		return lang.L("the disk can only be read"), true
	case errors.Is(err, fs.ErrPermission):
		return lang.L("permission denied"), true
	case fserr.IsIOError(err):
		return lang.L("the disk reported an error"), true
	case errors.Is(err, fs.ErrNotExist):
		return lang.L("a file or folder is missing"), true
	}
	return "", false
}

// pathIn is the file or folder the first error in err's chain that names
// one names ("" if none does).
func pathIn(err error) string {
	var path string
	walk(err, func(e error) bool {
		switch e := e.(type) {
		case *fs.PathError:
			path = e.Path
		case *os.LinkError:
			path = e.New
		case *openfile.Error:
			path = e.Path
		case *projects.SongFileError:
			path = e.Path
		}
		return path != ""
	})
	return path
}

// walk calls f on err and the errors it wraps, outermost first, depth
// first, until f returns true.
func walk(err error, f func(error) bool) bool {
	if err == nil {
		return false
	}
	if f(err) {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return walk(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if walk(e, f) {
				return true
			}
		}
	}
	return false
}

// fileName is how a message names the file or folder at path: its base
// name, or for a hidden or temporary file (".lock", "song.json.tmp-…")
// the folder it is in; control characters are shown as symbols. It is ""
// for no path.
func fileName(path string) string {
	if path == "" {
		return ""
	}
	path = filepath.Clean(path)
	base := filepath.Base(path)
	if strings.HasPrefix(base, ".") || strings.Contains(base, ".tmp-") {
		base = filepath.Base(filepath.Dir(path))
	}
	if base == "." || base == ".." || base == string(filepath.Separator) {
		return ""
	}
	return shown.Text(base)
}

// folderName is the name of the folder a song's or album's file is in
// (the folder itself when path is the folder): "Sommersang" for
// ".../Sommersang/song.json".
func folderName(path, file string) string {
	if path == "" {
		return ""
	}
	if base := filepath.Base(path); base == file || strings.HasPrefix(base, file+".") {
		path = filepath.Dir(path)
	}
	return fileName(path)
}
