package wav

import (
	"errors"
	"io"
	"os"

	"sangstudio/internal/openfile"
	"sangstudio/internal/words"
)

// RepairedFrames returns the number of frames Repair would leave in the
// file at path, without writing to it: for a recording left unfinished,
// every whole frame on disk, also those written after the header sizes
// were last updated. It fails where Repair would (with the same errors),
// except that it needs only read access, so it works on a read-only disk,
// in a folder the caller may not write to, and on a full disk. A file with
// no whole frame gives 0 and no error, as Repair does.
func RepairedFrames(path string) (int64, error) {
	f, fi, err := openRegular(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	_, n, err := planRepair(f, fi.Size())
	if err != nil {
		return 0, withPath(err, path)
	}
	return n, nil
}

// OpenUnfinished opens a WAV file that a recorder may have left unfinished
// (killed before Close: its header sizes are those of the last Sync, or of
// 0 frames) and reads it as Repair would make it, without writing to it:
// the data chunk is the last chunk, and every whole frame after its header
// is audio. Frames() is what RepairedFrames reports. A file that was
// finished (its sizes lead to the end of the file) reads as Open reads it.
// Errors are those of RepairedFrames, and a *FormatError if the file holds
// no whole frame.
//
// Use it only for recordings made by a Writer: in a file from elsewhere
// anything after the audio (junk, a damaged chunk) would be read as audio.
func OpenUnfinished(path string) (*Reader, error) { return openWith(path, newUnfinishedReader) }

// newUnfinishedReader is OpenUnfinished on the size bytes of r.
func newUnfinishedReader(r io.ReaderAt, size int64) (*Reader, error) {
	lay, frames, err := planRepair(r, size)
	if err != nil {
		return nil, err
	}
	if frames == 0 {
		if lay.dataSize == 0 {
			return nil, formatErr("no audio data (data chunk is empty)")
		}
		return nil, formatErr("no audio data (the data chunk holds %s, less than one %d-byte frame)",
			words.Count(int(lay.dataSize), "byte", "bytes"), lay.blockAlign)
	}
	return newReader(r, lay, frames), nil
}

// openRegular opens path for reading if it is an ordinary file: a FIFO,
// a device, a socket or a folder is an *openfile.Error, refused without
// waiting on it.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	f, err := openfile.Regular(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

// withPath sets Path of a *FormatError in err.
func withPath(err error, path string) error {
	var fe *FormatError
	if errors.As(err, &fe) {
		fe.Path = path
	}
	return err
}
