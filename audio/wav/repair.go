package wav

import (
	"encoding/binary"
	"io"
	"os"
)

// Repair fixes the header of an unfinished WAV file, such as a recording
// whose process was killed before Close, so that every program can read
// it. The data chunk must be the last chunk (as Writer makes it): Repair
// sets its size to the whole frames present on disk, drops a trailing
// partial frame, updates the fact chunk of float files and sets the RIFF
// size to match. A file whose sizes are already right is left as it is.
// Repair returns the number of frames in the repaired file.
//
// Errors name the file: a *FormatError with Path set if the file is not a
// WAV file that can be repaired, otherwise the *os.PathError of the failed
// operation.
func Repair(path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, err
	}
	n, err := repair(f, path)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, withPath(err, path)
	}
	return n, nil
}

func repair(f *os.File, path string) (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if !fi.Mode().IsRegular() {
		return 0, formatErr("not a regular file")
	}
	size := fi.Size()
	lay, frames, err := planRepair(f, size)
	if err != nil {
		return 0, err
	}
	ba := int64(lay.blockAlign)
	le := binary.LittleEndian
	var b [4]byte
	if lay.complete {
		// The data size is right; make sure the RIFF size is too.
		if want := size - 8; want <= maxRIFFSize && int64(lay.riffSize) != want {
			le.PutUint32(b[:], uint32(want))
			if _, err := f.WriteAt(b[:], 4); err != nil {
				return 0, err
			}
			if err := f.Sync(); err != nil {
				return 0, err
			}
		}
		return frames, nil
	}
	d := frames * ba
	end := lay.dataOff + d + d&1
	// Drop the partial frame, add the pad byte, then fix the sizes.
	if err := f.Truncate(lay.dataOff + d); err != nil {
		return 0, err
	}
	if d&1 == 1 {
		if _, err := f.WriteAt([]byte{0}, lay.dataOff+d); err != nil {
			return 0, err
		}
	}
	if lay.factOff != 0 {
		le.PutUint32(b[:], uint32(frames))
		if _, err := f.WriteAt(b[:], lay.factOff); err != nil {
			return 0, err
		}
	}
	le.PutUint32(b[:], uint32(d))
	if _, err := f.WriteAt(b[:], lay.dataHdr+4); err != nil {
		return 0, err
	}
	le.PutUint32(b[:], uint32(end-8))
	if _, err := f.WriteAt(b[:], 4); err != nil {
		return 0, err
	}
	return frames, f.Sync()
}

// planRepair parses the size bytes of r as Repair sees a file (the data
// chunk is the last chunk, so everything after its header is audio unless
// its size leads to the end of the file) and returns the layout and the
// number of frames the repaired file holds, without writing anything. It
// refuses what Repair refuses: RF64 files, and audio beyond 4 GiB.
func planRepair(r io.ReaderAt, size int64) (*layout, int64, error) {
	p := parser{r: r, size: size, repair: true}
	lay, err := p.parse()
	if err != nil {
		return nil, 0, err
	}
	if lay.rf64 {
		return nil, 0, formatErr("cannot repair an RF64 file")
	}
	ba := int64(lay.blockAlign)
	frames := lay.dataSize / ba
	if !lay.complete {
		d := frames * ba
		if lay.dataOff+d+d&1-8 > maxRIFFSize {
			return nil, 0, formatErr("the audio is larger than 4 GiB, the most a WAV file can hold")
		}
	}
	return lay, frames, nil
}
