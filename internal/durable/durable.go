// Package durable writes files so that a crash or a power cut leaves the
// old file or the new one, never a part of one: every writer of song
// files, albums, history, MIDI takes, CD images, settings and caches goes
// through it.
//
// The sequence is always the same: a temporary file beside the final one
// (CreateTemp), write, fsync, rename over the final name, fsync the folder
// (SyncDir). WriteFile does it for bytes in memory; Create returns a File
// for big files written as a stream (Commit or Abort it). Generations
// keeps earlier copies of a file and sets a damaged one aside.
package durable

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile writes data to path through a temporary file in the same
// folder (CreateTemp): write, fsync, rename, fsync the folder. Readers see
// the old file or the new one, never a part. The file gets mode perm.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
}

// File is a file being written under a temporary name beside its final
// one. Write to it (it is an *os.File), then Commit to put it in place or
// Abort to drop it.
type File struct {
	*os.File
	path    string
	release func()
	done    bool
}

// Create starts writing path: the returned File is a temporary file in
// path's folder (CreateTemp) with mode perm, locked as in use until
// Commit or Abort.
func Create(path string, perm fs.FileMode) (*File, error) {
	f, release, err := CreateTemp(path, perm)
	if err != nil {
		return nil, err
	}
	return &File{File: f, path: path, release: release}, nil
}

// Path is the final name the file gets on Commit.
func (f *File) Path() string { return f.path }

// Commit fsyncs and closes the file, renames it to its final name and
// fsyncs the folder. On an error the temporary file is removed (as Abort).
// The file may have been closed already (a writer that closes what it
// writes to, such as a WAV writer, fsyncs it first).
func (f *File) Commit() error {
	if f.done {
		return errors.New("durable: the file was already committed or aborted")
	}
	err := Finish(f.File, nil)
	if errors.Is(err, os.ErrClosed) {
		err = nil
	}
	if err == nil {
		err = rename(f.Name(), f.path)
	}
	if err != nil {
		f.Abort()
		return err
	}
	f.done = true
	f.release()
	return SyncDir(filepath.Dir(f.path))
}

// Abort closes and removes the temporary file; the final name is left as
// it was. It does nothing after Commit or an earlier Abort, so it may be
// deferred.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.Close()
	os.Remove(f.Name())
	f.release()
}

// Finish ends the writing of f: when err (the writing's error) is nil it
// fsyncs f; it closes f, and returns the first error.
func Finish(f *os.File, err error) error {
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Rename renames from to to, replacing to, so that the rename survives a
// power cut once SyncDir(filepath.Dir(to)) has returned: on Linux a
// rename(2) the folder's fsync makes durable, on Windows MoveFileEx with
// MOVEFILE_WRITE_THROUGH, durable when it returns.
func Rename(from, to string) error { return rename(from, to) }

// RenameNoReplace renames from to to, failing with fs.ErrExist when to
// exists (a plain rename would replace an empty folder or a file). Call
// SyncDir on to's folder after it, as after Rename.
func RenameNoReplace(from, to string) error { return renameNoReplace(from, to) }

// SyncDir fsyncs a folder so the renames in it survive a power cut. Where
// a folder cannot be synced (a file system that does not support it, or a
// system where a folder cannot be opened for it), it does nothing.
func SyncDir(dir string) error { return syncDir(dir) }

// DataSync flushes f's data (and the size it needs to read it back) to
// the disk, as fdatasync on Linux; on Windows it is f.Sync.
func DataSync(f *os.File) error { return dataSync(f) }

// SyncFS flushes the whole file system that f is on (FAT keeps its
// allocation table and directory entries apart from the files): syncfs on
// Linux. On Windows it does nothing (that needs an administrator).
func SyncFS(f *os.File) error { return syncFS(f) }

// DropCache drops f's data from the system's cache, so that reading it
// again reads what the disk returns (on Linux; Windows has no such call).
func DropCache(f *os.File) { dropCache(f) }
