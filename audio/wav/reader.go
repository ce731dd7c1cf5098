package wav

import (
	"fmt"
	"io"

	"sangstudio/internal/words"
)

// maxChunkBytes bounds the scratch buffer of a Reader or Writer: large
// requests are served in pieces of at most this many bytes, which keeps
// the buffer in cache and its size independent of the caller.
const maxChunkBytes = 128 << 10

// decoder kinds, chosen once when the file is opened.
const (
	decGeneric = iota
	dec16Mono
	dec16Stereo
	dec24Mono
	dec24Stereo
	decF32Mono
	decF32Stereo
)

// Reader decodes the audio of a WAV file.
//
// A Reader is not safe for concurrent use, but any number of Readers may
// read the same file at once.
type Reader struct {
	ra     io.ReaderAt
	closer io.Closer // the file Open opened, or nil
	path   string

	format     Format
	blockAlign int
	dataOff    int64
	frames     int64
	pos        int64
	kind       int
	bext       *Bext

	buf []byte // scratch for raw sample bytes, reused across Reads
}

// Open opens the WAV file at path. Errors name the file: a *FormatError
// with Path set if the file is not WAV audio this package can read, an
// *openfile.Error if it is not an ordinary file (a FIFO, a device, a
// socket, a folder: refused before it is read, without waiting on it),
// otherwise the *os.PathError of the failed operation.
func Open(path string) (*Reader, error) { return openWith(path, parseReader) }

// openWith opens the file at path and reads it with newReader; the Reader
// closes the file.
func openWith(path string, newReader func(io.ReaderAt, int64) (*Reader, error)) (*Reader, error) {
	f, fi, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	r, err := newReader(f, fi.Size())
	if err != nil {
		f.Close()
		return nil, withPath(err, path)
	}
	r.closer = f
	r.path = path
	return r, nil
}

// NewReader parses the WAV header of the size bytes readable from r.
// It reads only the chunk headers and the small chunks it needs (fmt, the
// fixed part of bext); audio is read by Read. Errors about the content are
// *FormatError.
func NewReader(r io.ReaderAt, size int64) (*Reader, error) { return parseReader(r, size) }

// parseReader is NewReader for a file read as it is.
func parseReader(r io.ReaderAt, size int64) (*Reader, error) {
	p := parser{r: r, size: size}
	lay, err := p.parse()
	if err != nil {
		return nil, err
	}
	return newReader(r, lay, lay.dataSize/int64(lay.blockAlign)), nil
}

// newReader returns a Reader of the given frames of the audio lay describes.
func newReader(r io.ReaderAt, lay *layout, frames int64) *Reader {
	return &Reader{
		ra:         r,
		format:     lay.format,
		blockAlign: lay.blockAlign,
		dataOff:    lay.dataOff,
		frames:     frames,
		bext:       lay.bext,
		kind:       fastPath(lay.format),
	}
}

// fastPath picks the specialised codec loop for a format (decGeneric when
// there is none); the reader and the writer share it.
func fastPath(f Format) int {
	switch {
	case f.Encoding == PCM16 && f.Channels == 1:
		return dec16Mono
	case f.Encoding == PCM16 && f.Channels == 2:
		return dec16Stereo
	case f.Encoding == PCM24 && f.Channels == 1:
		return dec24Mono
	case f.Encoding == PCM24 && f.Channels == 2:
		return dec24Stereo
	case f.Encoding == Float32 && f.Channels == 1:
		return decF32Mono
	case f.Encoding == Float32 && f.Channels == 2:
		return decF32Stereo
	}
	return decGeneric
}

// Format returns the format of the audio.
func (r *Reader) Format() Format { return r.format }

// Frames returns the number of frames (samples per channel) in the file.
// It is never 0 for a Reader that opened successfully.
func (r *Reader) Frames() int64 { return r.frames }

// Bext returns the broadcast extension metadata, or nil if the file has no
// (readable) bext chunk. The caller must not modify it.
func (r *Reader) Bext() *Bext { return r.bext }

// FrameIndex is a position in the audio counted in frames (one sample per
// channel) from the start. It is int64 under another name, which documents
// the unit and tells go vet that Reader.Seek is deliberately not an
// io.Seeker (whose offsets are bytes and which also takes a whence).
type FrameIndex = int64

// Seek sets the frame at which the next Read starts, from 0 to Frames();
// seeking to Frames() makes the next Read return io.EOF.
func (r *Reader) Seek(frame FrameIndex) error {
	if frame < 0 || frame > r.frames {
		return fmt.Errorf("wav: seek to frame %d: outside the file's %d frames", frame, r.frames)
	}
	r.pos = frame
	return nil
}

// Read decodes up to len(dst[0]) frames into dst, one slice per channel
// (len(dst) must equal Format().Channels; if the slices differ in length,
// the shortest counts). It returns the number of frames decoded, and
// 0, io.EOF once all frames have been read.
//
// Integer samples are divided by 2^(bits-1), giving values in [-1, 1)
// (for 32-bit files, values within 2^-25 of full scale round to 1.0 in
// float32); 8-bit samples are unsigned with 128 as 0. Float samples pass
// through unchanged (64-bit ones rounded to float32).
//
// After the first call, Read does not allocate for requests of at most the
// same size.
func (r *Reader) Read(dst [][]float32) (int, error) {
	if len(dst) != r.format.Channels {
		return 0, fmt.Errorf("wav: Read: got %d channel buffers for %s", len(dst), words.Count(r.format.Channels, "channel", "channels"))
	}
	n := len(dst[0])
	for _, d := range dst[1:] {
		n = min(n, len(d))
	}
	left := r.frames - r.pos
	if left <= 0 {
		return 0, io.EOF
	}
	if int64(n) > left {
		n = int(left)
	}
	ba := r.blockAlign
	chunk := max(1, maxChunkBytes/ba)
	done := 0
	for done < n {
		k := min(n-done, chunk)
		nb := k * ba
		if cap(r.buf) < nb {
			r.buf = make([]byte, nb)
		}
		b := r.buf[:nb]
		m, err := r.ra.ReadAt(b, r.dataOff+r.pos*int64(ba))
		if m < nb {
			// The file got shorter since it was opened, or I/O failed.
			k = m / ba
			r.decode(dst, done, b[:k*ba], k)
			done += k
			r.pos += int64(k)
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return done, fmt.Errorf("wav: reading %s: %w", r.name(), err)
		}
		r.decode(dst, done, b, k)
		done += k
		r.pos += int64(k)
	}
	return done, nil
}

func (r *Reader) name() string {
	if r.path == "" {
		return "audio data"
	}
	return r.path
}

// Close closes the file if Open opened it; for a Reader made by NewReader
// it does nothing.
func (r *Reader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// decode converts k frames of raw bytes b into dst[c][off:off+k].
func (r *Reader) decode(dst [][]float32, off int, b []byte, k int) {
	switch r.kind {
	case dec16Mono:
		decode16Mono(dst[0][off:off+k], b)
	case dec16Stereo:
		decode16Stereo(dst[0][off:off+k], dst[1][off:off+k], b)
	case dec24Mono:
		decode24Mono(dst[0][off:off+k], b)
	case dec24Stereo:
		decode24Stereo(dst[0][off:off+k], dst[1][off:off+k], b)
	case decF32Mono:
		decodeF32Mono(dst[0][off:off+k], b)
	case decF32Stereo:
		decodeF32Stereo(dst[0][off:off+k], dst[1][off:off+k], b)
	default:
		decodeGeneric(dst, off, k, b, r.format.Encoding)
	}
}
