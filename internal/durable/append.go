package durable

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"sangstudio/internal/fserr"
	"sangstudio/internal/openfile"
)

// AppendLine adds line and a newline at the end of the file at path (made
// with mode perm if it is not there) and fsyncs it, for logs that only
// grow. Each line goes out in one write to a file opened for appending, so
// two writers at once (the window and a command) each add whole lines and
// lose none of the other's. A line cut short by a crash is ended before the
// next one is added, so only that line is damaged; readers skip it. line
// must not contain a newline.
func AppendLine(path string, line []byte, perm fs.FileMode) error {
	if err := openfile.Check(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	_, statErr := os.Stat(path)
	if errors.Is(statErr, fs.ErrNotExist) {
		// A new log is made only where its first line fits: a full or
		// read-only folder is left exactly as it was.
		if err := fserr.CheckWritable(filepath.Dir(path), int64(len(line))+4096); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND|os.O_CREATE, perm)
	if err != nil {
		return err
	}
	buf := make([]byte, 0, len(line)+2)
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			buf = append(buf, '\n')
		}
	}
	buf = append(append(buf, line...), '\n')
	_, err = f.Write(buf)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := Finish(f, err); err != nil {
		if fi, serr := os.Stat(path); created && serr == nil && fi.Size() == 0 {
			os.Remove(path) // a log that could not get its first line is not left empty
		}
		return err
	}
	if created {
		return SyncDir(filepath.Dir(path))
	}
	return nil
}
