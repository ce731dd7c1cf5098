package encode

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"sangstudio/audio/dither"
)

// Format is a file format the Writer can write.
type Format int

// The formats. The zero Format is not valid: an Options without a chosen
// format is an error.
const (
	WAV16  Format = iota + 1 // PCM 16-bit, TPDF dithered
	WAV24                    // PCM 24-bit, TPDF dithered at 24 bits
	FLAC16                   // FLAC 16-bit, TPDF dithered
	FLAC24                   // FLAC 24-bit, TPDF dithered at 24 bits
	MP3                      // MP3 from the 16-bit TPDF-dithered signal, LAME, CBR 256 kbps stereo (joint stereo), quality 2
)

// valid reports whether f is one of the formats above.
func (f Format) valid() bool { return f >= WAV16 && f <= MP3 }

// bits is the word length the float samples are quantised to.
func (f Format) bits() int {
	if f == WAV24 || f == FLAC24 {
		return 24
	}
	return 16
}

// Ext returns the file name extension of the format, with its dot:
// ".wav", ".flac" or ".mp3" ("" for an invalid Format).
func (f Format) Ext() string {
	switch f {
	case WAV16, WAV24:
		return ".wav"
	case FLAC16, FLAC24:
		return ".flac"
	case MP3:
		return ".mp3"
	}
	return ""
}

// String returns a short name for display: "WAV 16-bit", "WAV 24-bit",
// "FLAC", "FLAC 24-bit" or "MP3 256 kbps".
func (f Format) String() string {
	switch f {
	case WAV16:
		return "WAV 16-bit"
	case WAV24:
		return "WAV 24-bit"
	case FLAC16:
		return "FLAC"
	case FLAC24:
		return "FLAC 24-bit"
	case MP3:
		return "MP3 256 kbps"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// ParseFormat parses a format name as a user or a command line gives it:
// "wav" (16-bit), "wav16", "wav24", "flac" (16-bit), "flac16", "flac24"
// or "mp3", in any case, with or without a leading dot.
func ParseFormat(s string) (Format, error) {
	switch strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), ".") {
	case "wav", "wav16":
		return WAV16, nil
	case "wav24":
		return WAV24, nil
	case "flac", "flac16":
		return FLAC16, nil
	case "flac24":
		return FLAC24, nil
	case "mp3":
		return MP3, nil
	}
	return 0, fmt.Errorf("encode: unknown format %q (use wav, wav24, flac, flac24 or mp3)", s)
}

// Tags are the only metadata written into a file. Empty strings are left
// out; Track 0 leaves out the track number, Tracks 0 the total. Strings
// that are not valid UTF-8 have the bad bytes replaced by U+FFFD, and NUL
// characters are dropped. Each string may be at most MaxTagLen bytes.
type Tags struct {
	Title, Artist, Album string
	Track, Tracks        int
}

// MaxTagLen is the longest Title, Artist or Album accepted, in bytes.
const MaxTagLen = 2048

// clean returns the tags as they are written.
func (t Tags) clean() Tags {
	c := func(s string) string {
		return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	}
	t.Title, t.Artist, t.Album = c(t.Title), c(t.Artist), c(t.Album)
	return t
}

func (t Tags) check() error {
	for _, f := range [...]struct{ name, s string }{{"title", t.Title}, {"artist", t.Artist}, {"album", t.Album}} {
		if len(f.s) > MaxTagLen {
			return fmt.Errorf("encode: the %s is %d bytes long; at most %d fit", f.name, len(f.s), MaxTagLen)
		}
	}
	if t.Track < 0 || t.Tracks < 0 {
		return fmt.Errorf("encode: track %d of %d: negative track numbers are not allowed", t.Track, t.Tracks)
	}
	if t.Tracks > 0 && t.Track > t.Tracks {
		return fmt.Errorf("encode: track %d of %d: the track number is larger than the number of tracks", t.Track, t.Tracks)
	}
	if t.Track > 9999 || t.Tracks > 9999 {
		return fmt.Errorf("encode: track %d of %d: track numbers above 9999 are not supported", t.Track, t.Tracks)
	}
	return nil
}

// trackString is the track as "n" or "n/N", or "" without a track number.
func (t Tags) trackString() string {
	switch {
	case t.Track == 0:
		return ""
	case t.Tracks == 0:
		return strconv.Itoa(t.Track)
	}
	return strconv.Itoa(t.Track) + "/" + strconv.Itoa(t.Tracks)
}

// Options says what to write.
type Options struct {
	Format   Format
	Rate     int // 44100 or 48000 (MP3 also 32000); WAV and FLAC take 8000 to 192000 Hz
	Channels int // 1 or 2 (MP3 mono is LAME's mono mode)
	Tags     Tags
	// DitherSeed seeds the TPDF dither: the same samples, options and
	// seed always give byte-identical files.
	DitherSeed uint64
}

// check reports options that cannot be written, before any file is
// touched.
func (o Options) check() error {
	if o.Format == 0 {
		return errors.New("encode: no format chosen (Format 0)")
	}
	if !o.Format.valid() {
		return fmt.Errorf("encode: unknown format %d", int(o.Format))
	}
	if o.Channels != 1 && o.Channels != 2 {
		return fmt.Errorf("encode: cannot write %d channels: only mono (1) and stereo (2)", o.Channels)
	}
	switch o.Format {
	case MP3:
		if o.Rate != 32000 && o.Rate != 44100 && o.Rate != 48000 {
			return fmt.Errorf("encode: MP3 cannot be written at a sample rate of %d Hz (use 32000, 44100 or 48000 Hz)", o.Rate)
		}
	default:
		if o.Rate < 8000 || o.Rate > 192000 {
			return fmt.Errorf("encode: %v cannot be written at a sample rate of %d Hz (use 8000 to 192000 Hz)", o.Format, o.Rate)
		}
		// A FLAC frame header can state any rate up to 65535 Hz, and
		// multiples of 10 Hz above (88200, 96000, 176400, 192000, ...).
		if (o.Format == FLAC16 || o.Format == FLAC24) && o.Rate > 65535 && o.Rate%10 != 0 {
			return fmt.Errorf("encode: FLAC cannot be written at a sample rate of %d Hz", o.Rate)
		}
	}
	return o.Tags.check()
}

// backend writes one file format. It owns the file.
type backend interface {
	// write encodes frames frames of interleaved integer samples.
	write(s []int32, frames int) error
	// finish completes the file, flushes it to stable storage and closes
	// it, even after an error.
	finish() error
	// abort closes the file without finishing it.
	abort()
}

// chunkFrames is how many frames Write quantises at a time.
const chunkFrames = 4096

// Writer encodes planar float32 audio into a file. It is not safe for
// concurrent use.
type Writer struct {
	path   string
	opt    Options
	be     backend
	dither *dither.TPDF
	scale  float64 // 2^(bits-1)
	lo, hi float64 // integer range
	buf    []int32 // interleaved quantised samples
	frames int64
	err    error // sticky I/O error
	closed bool
	gone   bool // Abort removed the file
}

var errClosed = errors.New("encode: the writer is closed")

// Create checks opt, creates (or truncates) the file at path with
// permission 0600 (an existing file is set to 0600 too: recordings are
// private) and writes its header. It writes to path directly; choosing a
// temporary name and renaming is up to the caller. If Create fails after
// creating the file, it removes it.
func Create(path string, opt Options) (*Writer, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	opt.Tags = opt.Tags.clean()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	w := &Writer{path: path, opt: opt}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(path)
		return nil, w.wrap(err)
	}
	switch opt.Format {
	case WAV16, WAV24:
		w.be, err = newWAV(f, opt)
	case FLAC16, FLAC24:
		w.be, err = newFLAC(f, opt)
	case MP3:
		w.be, err = newMP3(f, opt)
	}
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, w.wrap(err)
	}
	bits := opt.Format.bits()
	w.scale = float64(int64(1) << (bits - 1))
	w.lo, w.hi = -w.scale, w.scale-1
	w.dither = dither.NewTPDF(opt.DitherSeed)
	return w, nil
}

// wrap adds the file name to an error that does not already name it.
func (w *Writer) wrap(err error) error {
	if err == nil {
		return nil
	}
	if strings.Contains(err.Error(), w.path) {
		return fmt.Errorf("encode: %w", err)
	}
	return fmt.Errorf("encode: %s: %w", w.path, err)
}

// Write encodes the frames in planar, one slice per channel (as many as
// Options.Channels, all the same length; any length, including 0).
// Samples are full scale at ±1.0. Each is scaled to the format's word
// length (16 bits, or 24 for WAV24 and FLAC24), TPDF dither is added, and
// the result is rounded and clamped to the integer range, so values
// beyond ±1.0 clip; NaN becomes silence. The dither noise is drawn in
// interleaved order, so the output does not depend on how the audio is
// split into Write calls.
//
// After an I/O error (such as a full disk) the Writer keeps returning that
// error; call Abort (or Close, to keep what was written).
func (w *Writer) Write(planar [][]float32) error {
	if w.closed {
		return errClosed
	}
	if w.err != nil {
		return w.err
	}
	ch := w.opt.Channels
	if len(planar) != ch {
		return fmt.Errorf("encode: Write: got %d channel buffers, want %d", len(planar), ch)
	}
	n := len(planar[0])
	for _, p := range planar[1:] {
		if len(p) != n {
			return fmt.Errorf("encode: Write: channel buffers differ in length (%d and %d)", n, len(p))
		}
	}
	if cap(w.buf) < chunkFrames*ch {
		w.buf = make([]int32, chunkFrames*ch)
	}
	for done := 0; done < n; {
		k := min(n-done, chunkFrames)
		s := w.buf[:k*ch]
		w.quantise(s, planar, done, k)
		if err := w.be.write(s, k); err != nil {
			w.err = w.wrap(err)
			return w.err
		}
		w.frames += int64(k)
		done += k
	}
	return nil
}

// quantise dithers, rounds and clamps frames [off, off+k) of src into s,
// interleaved.
func (w *Writer) quantise(s []int32, src [][]float32, off, k int) {
	d := *w.dither // a local copy stays in registers
	scale, lo, hi := w.scale, w.lo, w.hi
	if len(src) == 2 {
		l, r := src[0][off:off+k], src[1][off:off+k]
		s = s[:2*len(l)]
		r = r[:len(l)]
		for i := range l {
			s[2*i] = quantize(float64(l[i])*scale+float64(d.Next()), lo, hi)
			s[2*i+1] = quantize(float64(r[i])*scale+float64(d.Next()), lo, hi)
		}
	} else {
		in := src[0][off : off+k]
		s = s[:len(in)]
		for i, x := range in {
			s[i] = quantize(float64(x)*scale+float64(d.Next()), lo, hi)
		}
	}
	*w.dither = d
}

// quantize rounds v to the nearest integer, ties to even, clamped to
// [lo, hi]; NaN gives 0. (The same rounding as package wav.)
func quantize(v, lo, hi float64) int32 {
	if v >= lo && v <= hi { // false for NaN
		// Adding 1.5·2^52 leaves the integer nearest to v (ties to even)
		// in the low bits of the mantissa, as two's complement.
		return int32(math.Float64bits(v + 0x1.8p52))
	}
	if v > hi {
		return int32(hi)
	}
	if v < lo {
		return int32(lo)
	}
	return 0
}

// Close finishes the file — MP3: flushes LAME and writes the LAME tag
// frame (encoder delay and padding, so players trim them) over the
// placeholder frame after the ID3v2 tag, then the ID3v1 tag; FLAC:
// STREAMINFO with the total sample count and MD5; WAV: the sizes — then
// flushes it to stable storage (fsync) and closes it. It returns the first
// error met, including an earlier Write error, naming the file; a full
// disk gives an error e with errors.Is(e, syscall.ENOSPC). The file is
// closed even when Close fails; remove it with Abort.
func (w *Writer) Close() error {
	if w.closed {
		return errClosed
	}
	w.closed = true
	err := w.wrap(w.be.finish())
	if w.err != nil {
		err = w.err
	}
	return err
}

// Abort closes the file, if it is still open, and removes it: use it to
// cancel, or after a failed Write or Close. It may be called at any time,
// also after Close, and more than once.
func (w *Writer) Abort() {
	if !w.closed {
		w.closed = true
		w.be.abort()
	}
	if !w.gone {
		w.gone = true
		os.Remove(w.path)
	}
}

// Frames returns the number of frames written so far.
func (w *Writer) Frames() int64 { return w.frames }

// Format returns the format being written.
func (w *Writer) Format() Format { return w.opt.Format }
