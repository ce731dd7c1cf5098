package wav

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"sangstudio/audio/dither"
	"sangstudio/internal/words"
)

// WriterOptions controls what a Writer writes besides the audio.
type WriterOptions struct {
	// Bext, if non-nil, is written as a bext chunk (BWF version 1, zero
	// UMID, no coding history) before the fmt chunk. Strings longer than
	// their field are cut at a character boundary; OriginationDate and
	// OriginationTime must be "" or exactly "yyyy-mm-dd" and "hh:mm:ss".
	Bext *Bext
	// Info, if non-nil and not empty, is written as a LIST chunk of type
	// INFO after the fmt (and fact) chunk, before the data chunk. See Info.
	Info *Info
	// NoDither turns off the TPDF dither that PCM16 (and PCM8) output
	// otherwise gets before rounding.
	NoDither bool
	// DitherSeed seeds the dither noise: the same seed and the same
	// samples give byte-identical files.
	DitherSeed uint64
}

// Info is the content of a RIFF LIST/INFO chunk: the title, artist,
// album and track number most players show for a WAV file. Empty fields
// are left out. The strings are written as UTF-8: the RIFF specification
// predates Unicode and names no character set; ffmpeg (and the players
// built on it), VLC and foobar2000 read UTF-8, while some old Windows
// programs assume their ANSI code page and show non-ASCII letters wrongly.
// Each string gets its terminating NUL byte and is padded to an even
// size; NUL characters inside a string are dropped, since they would end
// it early. ITRK is a widely read extension, not in the 1991 RIFF list.
type Info struct {
	Title  string // INAM
	Artist string // IART
	Album  string // IPRD (product: the album)
	Track  string // ITRK, e.g. "3"
}

// infoChunk returns the LIST/INFO chunk for in, or nil if it has no
// non-empty field.
func infoChunk(in *Info) []byte {
	if in == nil {
		return nil
	}
	le := binary.LittleEndian
	var body []byte
	for _, f := range [...]struct{ id, s string }{
		{"INAM", in.Title},
		{"IART", in.Artist},
		{"IPRD", in.Album},
		{"ITRK", in.Track},
	} {
		s := strings.ReplaceAll(f.s, "\x00", "")
		if s == "" {
			continue
		}
		n := len(s) + 1 // with the terminating NUL
		body = append(body, f.id...)
		body = le.AppendUint32(body, uint32(n))
		body = append(body, s...)
		body = append(body, 0)
		if n&1 == 1 {
			body = append(body, 0) // pad byte
		}
	}
	if body == nil {
		return nil
	}
	c := make([]byte, 0, 12+len(body))
	c = append(c, "LIST"...)
	c = le.AppendUint32(c, uint32(4+len(body)))
	c = append(c, "INFO"...)
	return append(c, body...)
}

// checkInfo reports an Info too large for a RIFF chunk.
func checkInfo(in *Info) error {
	if in != nil && len(in.Title)+len(in.Artist)+len(in.Album)+len(in.Track) > 1<<20 {
		return errors.New("wav: the INFO strings are longer than 1 MiB in all")
	}
	return nil
}

// Writer writes a WAV file. It is not safe for concurrent use.
//
// See the package documentation for what a file looks like after a crash.
type Writer struct {
	f          *os.File
	format     Format
	blockAlign int
	hdr        []byte // the header as last written, patched by putSizes
	dataOff    int64  // == len(hdr)
	factOff    int    // offset of the fact payload in hdr, or 0
	frames     int64
	kind       int
	dither     *dither.TPDF // nil: round without dither
	buf        []byte       // scratch for encoded bytes
	err        error        // sticky I/O error from Write
	closed     bool
}

var errClosed = errors.New("wav: writer is closed")

// checkFormat reports a Format the Writer cannot write.
func checkFormat(f Format) error {
	if f.Encoding.Bytes() == 0 {
		return fmt.Errorf("wav: cannot write encoding %v", f.Encoding)
	}
	if f.Channels < 1 || f.blockAlign() > 0xFFFF {
		return fmt.Errorf("wav: cannot write %d channels of %v", f.Channels, f.Encoding)
	}
	if f.Rate < 1 || int64(f.Rate)*int64(f.blockAlign()) > 0xFFFFFFFF {
		return fmt.Errorf("wav: cannot write a sample rate of %d Hz", f.Rate)
	}
	return nil
}

// Create creates (or truncates) the file at path, with permission 0600,
// and returns a Writer for it. The format is checked before the file is
// touched.
func Create(path string, f Format, opt WriterOptions) (*Writer, error) {
	if err := checkFormat(f); err != nil {
		return nil, err
	}
	if err := checkBext(opt.Bext); err != nil {
		return nil, err
	}
	if err := checkInfo(opt.Info); err != nil {
		return nil, err
	}
	file, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	return NewWriter(file, f, opt)
}

// NewWriter returns a Writer that writes to f, which must be a regular file
// open for writing (not in append mode). The Writer takes ownership of f:
// it truncates it, writes a valid header for 0 frames at once, and closes
// f in Close — or before returning an error.
func NewWriter(f *os.File, format Format, opt WriterOptions) (*Writer, error) {
	w, err := newWriter(f, format, opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

func newWriter(f *os.File, format Format, opt WriterOptions) (*Writer, error) {
	if err := checkFormat(format); err != nil {
		return nil, err
	}
	if err := checkBext(opt.Bext); err != nil {
		return nil, err
	}
	if err := checkInfo(opt.Info); err != nil {
		return nil, err
	}
	w := &Writer{
		f:          f,
		format:     format,
		blockAlign: format.blockAlign(),
	}
	w.buildHeader(opt.Bext, opt.Info)
	if !opt.NoDither && (format.Encoding == PCM16 || format.Encoding == PCM8) {
		w.dither = dither.NewTPDF(opt.DitherSeed)
	}
	w.kind = fastPath(format)
	if err := f.Truncate(0); err != nil {
		return nil, err
	}
	if _, err := f.WriteAt(w.hdr, 0); err != nil {
		return nil, err
	}
	return w, nil
}

// checkBext reports bext fields that cannot be written.
func checkBext(b *Bext) error {
	if b == nil {
		return nil
	}
	if !datePattern(b.OriginationDate, "dddd-dd-dd") {
		return fmt.Errorf("wav: bext origination date %q is not yyyy-mm-dd", b.OriginationDate)
	}
	if !datePattern(b.OriginationTime, "dd:dd:dd") {
		return fmt.Errorf("wav: bext origination time %q is not hh:mm:ss", b.OriginationTime)
	}
	return nil
}

// datePattern reports whether s is empty or matches pattern, where d is
// a digit and anything else is a separator (EBU Tech 3285 allows any).
func datePattern(s, pattern string) bool {
	if s == "" {
		return true
	}
	if len(s) != len(pattern) {
		return false
	}
	for i := 0; i < len(s); i++ {
		isDigit := s[i] >= '0' && s[i] <= '9'
		if (pattern[i] == 'd') != isDigit {
			return false
		}
	}
	return true
}

// putField copies s into the fixed-size field dst, cut at a UTF-8
// character boundary; the rest stays zero.
func putField(dst []byte, s string) {
	if len(s) > len(dst) {
		n := len(dst)
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n]
	}
	copy(dst, s)
}

// buildHeader lays out RIFF, optional bext, fmt, fact (floats), optional
// LIST/INFO and the data chunk header, with sizes for 0 frames.
func (w *Writer) buildHeader(bx *Bext, info *Info) {
	le := binary.LittleEndian
	f := w.format
	h := make([]byte, 0, 12+8+bextFixedLen+8+18+12+8)
	h = append(h, "RIFF\x00\x00\x00\x00WAVE"...)
	if bx != nil {
		h = append(h, "bext"...)
		h = le.AppendUint32(h, bextFixedLen)
		b := make([]byte, bextFixedLen)
		o := 0
		putField(b[o:o+bextDescLen], bx.Description)
		o += bextDescLen
		putField(b[o:o+bextOrigLen], bx.Originator)
		o += bextOrigLen
		putField(b[o:o+bextOrigRefLen], bx.OriginatorReference)
		o += bextOrigRefLen
		putField(b[o:o+bextDateLen], bx.OriginationDate)
		o += bextDateLen
		putField(b[o:o+bextTimeLen], bx.OriginationTime)
		le.PutUint64(b[bextTimeRefOff:], bx.TimeReference)
		le.PutUint16(b[bextVersionOff:], 1)
		// UMID, loudness and reserved bytes stay zero.
		h = append(h, b...)
	}
	tag, fmtLen := uint16(tagPCM), uint32(16)
	if f.Encoding.isFloat() {
		tag, fmtLen = tagFloat, 18 // WAVEFORMATEX with cbSize = 0
	}
	h = append(h, "fmt "...)
	h = le.AppendUint32(h, fmtLen)
	h = le.AppendUint16(h, tag)
	h = le.AppendUint16(h, uint16(f.Channels))
	h = le.AppendUint32(h, uint32(f.Rate))
	h = le.AppendUint32(h, uint32(f.Rate*w.blockAlign))
	h = le.AppendUint16(h, uint16(w.blockAlign))
	h = le.AppendUint16(h, uint16(8*f.Encoding.Bytes()))
	if fmtLen == 18 {
		h = le.AppendUint16(h, 0)
	}
	if f.Encoding.isFloat() {
		h = append(h, "fact\x04\x00\x00\x00"...)
		w.factOff = len(h)
		h = le.AppendUint32(h, 0)
	}
	h = append(h, infoChunk(info)...) // even-sized, so dataOff stays even
	h = append(h, "data\x00\x00\x00\x00"...)
	w.hdr = h
	w.dataOff = int64(len(h))
	w.putSizes()
}

// dataBytes is the size of the audio written so far.
func (w *Writer) dataBytes() int64 { return w.frames * int64(w.blockAlign) }

// putSizes patches the header for the frames written so far, counting the
// pad byte that follows odd-sized data.
func (w *Writer) putSizes() {
	le := binary.LittleEndian
	d := w.dataBytes()
	le.PutUint32(w.hdr[4:], uint32(w.dataOff-8+d+d&1))
	le.PutUint32(w.hdr[len(w.hdr)-4:], uint32(d))
	if w.factOff != 0 {
		le.PutUint32(w.hdr[w.factOff:], uint32(w.frames))
	}
}

// fits reports whether n more frames keep the file within 4 GiB.
func (w *Writer) fits(n int) bool {
	d := w.dataBytes() + int64(n)*int64(w.blockAlign)
	return w.dataOff-8+d+d&1 <= maxRIFFSize
}

// Write appends the frames in src, one slice per channel (len(src) must be
// Format().Channels, all slices the same length).
//
// Integer encodings scale samples by 2^(bits-1), round (after adding TPDF
// dither for PCM16 unless disabled) and clamp to the integer range, so
// out-of-range input clips instead of wrapping; NaN becomes 0. Float
// encodings store samples unchanged.
//
// The bytes are handed to the operating system before Write returns, so
// they survive the process being killed (see Repair); use Sync for a
// checkpoint that also survives a power failure. If the frames would make
// the file exceed 4 GiB, Write writes nothing and returns ErrTooLarge.
// After an I/O error, the Writer keeps returning that error; Close still
// finishes the file with the frames written before it.
func (w *Writer) Write(src [][]float32) error {
	if w.closed {
		return errClosed
	}
	if w.err != nil {
		return w.err
	}
	if len(src) != w.format.Channels {
		return fmt.Errorf("wav: Write: got %d channel buffers for %s", len(src), words.Count(w.format.Channels, "channel", "channels"))
	}
	n := len(src[0])
	for _, s := range src[1:] {
		if len(s) != n {
			return fmt.Errorf("wav: Write: channel buffers differ in length (%d and %d)", n, len(s))
		}
	}
	if n == 0 {
		return nil
	}
	if !w.fits(n) {
		return ErrTooLarge
	}
	ba := w.blockAlign
	chunk := max(1, maxChunkBytes/ba)
	for done := 0; done < n; {
		k := min(n-done, chunk)
		nb := k * ba
		if cap(w.buf) < nb {
			w.buf = make([]byte, nb)
		}
		b := w.buf[:nb]
		w.encode(b, src, done, k)
		m, err := w.f.WriteAt(b, w.dataOff+w.dataBytes())
		w.frames += int64(m / ba)
		if err != nil {
			w.err = err
			return err
		}
		done += k
	}
	return nil
}

// Frames returns the number of frames written so far.
func (w *Writer) Frames() int64 { return w.frames }

// Format returns the format being written.
func (w *Writer) Format() Format { return w.format }

// writeHeader writes the header with the current sizes and then, if the
// data is odd-sized, the pad byte after it (a missing pad byte at the end
// of the file is harmless, a stale header is not).
func (w *Writer) writeHeader() error {
	w.putSizes()
	if _, err := w.f.WriteAt(w.hdr, 0); err != nil {
		return err
	}
	if d := w.dataBytes(); d&1 == 1 {
		if _, err := w.f.WriteAt([]byte{0}, w.dataOff+d); err != nil {
			return err
		}
	}
	return nil
}

// Sync makes the file on disk a complete WAV file of the frames written so
// far: it flushes the audio to stable storage, then rewrites the RIFF,
// fact and data sizes, then flushes again. If the machine crashes after
// Sync returns, the file opens with at least those frames. Writing may
// continue afterwards.
func (w *Writer) Sync() error {
	if w.closed {
		return errClosed
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	if err := w.writeHeader(); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	return w.err
}

// Close finishes the file: it writes the final sizes and the pad byte
// after odd-sized data, flushes to stable storage and closes the file.
// It returns the first error met, including an earlier Write error.
func (w *Writer) Close() error {
	if w.closed {
		return errClosed
	}
	w.closed = true
	err := w.writeHeader()
	// Drop any partial frame left by a failed Write.
	d := w.dataBytes()
	if terr := w.f.Truncate(w.dataOff + d + d&1); err == nil {
		err = terr
	}
	if serr := w.f.Sync(); err == nil {
		err = serr
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = w.err
	}
	return err
}
