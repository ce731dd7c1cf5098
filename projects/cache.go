package projects

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"sangstudio/internal/fserr"
)

// CacheFolder is the song's own folder for caches and temporary files
// (rendered MIDI takes, waveform peaks, the temporary mixes of master,
// take home and CD). Everything in it can be made again from the song.
const CacheFolder = ".cache"

// CacheDir returns the folder where the song stored in dir keeps the
// caches or temporary files named sub (a relative path such as "midi";
// "" for the cache folder itself), making it if needed. It is the one rule
// for every cache and temporary file of a song:
//
//   - the song's own SONG_DIR/.cache/sub when the song folder (or its
//     .cache) may be written to and has need bytes free, so that a song
//     keeps its caches with it;
//   - else a folder of this song in the user's cache folder,
//     UserCacheDir/sangstudio/<hash of the song's path>/sub: a read-only
//     song (on a write-protected stick, a colleague's folder) or one on a
//     full disk can still be played, rendered, measured and mastered
//     without anything being written into it.
//
// Folders it makes are private (DirPerm). It never makes the song folder
// itself: a song folder that is gone is an error. The error, when neither
// place can be used, names both.
func CacheDir(dir, sub string, need int64) (string, error) {
	if !filepath.IsLocal(sub) && sub != "" {
		return "", fmt.Errorf("cache folder %q is not inside the song", sub)
	}
	if st, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("the song folder %s: %w", dir, fserr.Describe(err))
	} else if !st.IsDir() {
		return "", fmt.Errorf("the song folder %s is not a folder", dir)
	}
	own := filepath.Join(dir, CacheFolder, sub)
	ownErr := usable(nearestExisting(own, dir), need)
	if ownErr == nil {
		if ownErr = mkdirsBelow(dir, own); ownErr == nil {
			return own, nil
		}
	}
	// Any reason not to use the song's own cache (it may not be written
	// to, its disk is full, a file is in the way) is a reason to use the
	// user's: a cache is never a reason to refuse reading a song.
	user, err := userSongCache(dir)
	if err == nil {
		user = filepath.Join(user, sub)
		if err = os.MkdirAll(user, DirPerm); err == nil {
			return user, nil
		}
	}
	why := "the song folder " + dir + " may not be written to"
	if !fserr.CannotWrite(ownErr) {
		why = "the song's cache folder " + own + " cannot be made"
	}
	if user == "" {
		return "", fmt.Errorf("%s (%v), and there is no cache folder for this user: %w", why, fserr.Describe(ownErr), err)
	}
	return "", fmt.Errorf("%s (%v), and the cache folder %s cannot be used either: %w", why, fserr.Describe(ownErr), user, fserr.Describe(err))
}

// usable reports whether files of need bytes can be made in the folder p
// now (see fserr.CheckWritable); a file that is not a folder cannot.
func usable(p string, need int64) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return &fs.PathError{Op: "mkdir", Path: p, Err: syscall.ENOTDIR}
	}
	return fserr.CheckWritable(p, need)
}

// userSongCache is the user's cache folder for the song stored in dir
// (whether it is in use or not: see CacheDir), or an error if the user has
// none. The song's path (absolute, links resolved) is hashed so that the
// name says nothing about the song and stays the same for the same song.
func userSongCache(dir string) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	sum := sha256.Sum256([]byte("sangstudio song\x00" + abs))
	return filepath.Join(base, "sangstudio", hex.EncodeToString(sum[:12])), nil
}

// nearestExisting is p, or the nearest folder above it (but not above top)
// that exists.
func nearestExisting(p, top string) string {
	for p != top {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		p = filepath.Dir(p)
	}
	return top
}

// mkdirsBelow makes the folders from top (which exists) down to p, private.
func mkdirsBelow(top, p string) error {
	rel, err := filepath.Rel(top, p)
	if err != nil {
		return err
	}
	d := top
	for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
		d = filepath.Join(d, part)
		if err := os.Mkdir(d, DirPerm); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return nil
}
