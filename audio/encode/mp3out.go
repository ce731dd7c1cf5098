package encode

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sangstudio/internal/durable"

	lame "github.com/viert/go-lame"
)

// MP3 settings (fixed: one well-tested choice for every file).
const (
	mp3Kbps    = 256
	mp3Quality = 2 // LAME's "near-best quality, not too slow"
)

// mp3Out writes MP3 with LAME through github.com/viert/go-lame:
//
//	[ID3v2.3 tag][LAME tag frame][audio frames ...][ID3v1 tag]
//
// go-lame's traps are handled here: its setup and Flush errors are
// dropped, so the settings are checked before and LAME's initialisation
// is verified; output errors are kept by mp3Sink (go-lame panics on a
// short write, so it never sees one); the placeholder frame LAME writes first is replaced by the final
// LAME tag frame (taken after Flush, before lame_close) at the offset
// just after the ID3v2 tag; every Write hands LAME whole frames of 16-bit
// samples (4 bytes in stereo), as a partial frame would corrupt the
// caller's buffer.
type mp3Out struct {
	f      *os.File
	enc    *lame.Encoder
	sink   *mp3Sink
	id3len int64  // where the first MPEG frame starts
	v1     []byte // ID3v1 tag to append, or nil
	pcm    []byte // scratch: 16-bit little-endian interleaved
}

// mp3Sink receives LAME's output (through go-lame's bufio.Writer) and
// writes it to the file after the ID3v2 tag.
type mp3Sink struct {
	f    *os.File
	off  int64
	err  error
	done bool // the stream is finished: drop anything more
}

// Write writes p to the file. It never reports an error to go-lame: on
// a short write go-lame's Write
// slices out of range and panics. The first error is kept in err, which
// mp3Out checks after every call, and later output is dropped.
func (s *mp3Sink) Write(p []byte) (int, error) {
	if s.done || s.err != nil {
		return len(p), nil
	}
	n, err := s.f.WriteAt(p, s.off)
	s.off += int64(n)
	if err != nil {
		s.err = err
	}
	return len(p), nil
}

func newMP3(f *os.File, opt Options) (backend, error) {
	v2 := id3v2(opt.Tags)
	if _, err := f.WriteAt(v2, 0); err != nil {
		return nil, err
	}
	o := &mp3Out{
		f:      f,
		id3len: int64(len(v2)),
		v1:     id3v1(opt.Tags),
		sink:   &mp3Sink{f: f, off: int64(len(v2))},
	}
	e := lame.NewEncoder(o.sink)
	o.enc = e
	mode := lame.MpegJointStereo
	if opt.Channels == 1 {
		mode = lame.MpegMono
	}
	err := errors.Join(
		e.SetNumChannels(opt.Channels),
		e.SetInSamplerate(opt.Rate),
		e.SetVBR(lame.VBROff),
		e.SetBrate(mp3Kbps),
		e.SetMode(mode),
		e.SetQuality(mp3Quality),
	)
	// The ID3 tags are ours; LAME writes none (it writes none anyway
	// unless told a field).
	e.SetWriteID3TagAutomatic(false)
	if err == nil {
		// go-lame initialises LAME on the first Write and drops the
		// error: do it now, then check.
		_, err = e.Write(nil)
	}
	if err == nil && !lameInitialized(e) {
		err = fmt.Errorf("LAME rejected the settings (%d Hz, %d channels, %d kbps)", opt.Rate, opt.Channels, mp3Kbps)
	}
	if err == nil && (e.InSamplerate() != opt.Rate || e.NumChannels() != opt.Channels || e.Brate() != mp3Kbps) {
		err = fmt.Errorf("LAME did not take the settings (%d Hz, %d channels, %d kbps)", opt.Rate, opt.Channels, mp3Kbps)
	}
	if err != nil {
		o.sink.done = true
		e.Close()
		return nil, fmt.Errorf("MP3 encoder: %w", err)
	}
	return o, nil
}

// lameInitialized reads go-lame's unexported initialized flag, the only
// trace of whether lame_init_params succeeded. If a later go-lame renames
// it, it reports true and a failure shows at the first Write instead.
func lameInitialized(e *lame.Encoder) bool {
	v := reflect.ValueOf(e).Elem().FieldByName("initialized")
	if !v.IsValid() || v.Kind() != reflect.Bool {
		return true
	}
	return v.Bool()
}

func (o *mp3Out) write(s []int32, frames int) error {
	if cap(o.pcm) < 2*len(s) {
		o.pcm = make([]byte, 2*len(s))
	}
	b := o.pcm[:2*len(s)]
	for i, v := range s {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(int16(v)))
	}
	_, err := o.enc.Write(b)
	if o.sink.err != nil {
		return o.sink.err
	}
	return err
}

// finish flushes LAME, writes the LAME tag frame over the placeholder,
// appends the ID3v1 tag, fsyncs and closes.
func (o *mp3Out) finish() error {
	err := o.sink.err
	var tag []byte
	if err == nil {
		o.enc.Flush()
		err = o.sink.err
	}
	if err == nil {
		tag = o.enc.LameTagFrame()
	}
	// go-lame's Close flushes again before lame_close: drop that output.
	o.sink.done = true
	o.enc.Close()
	if err == nil && len(tag) > 0 {
		err = o.patchLameTag(tag)
	}
	if err == nil && o.v1 != nil {
		_, err = o.f.WriteAt(o.v1, o.sink.off)
	}
	err = durable.Finish(o.f, err)
	return err
}

// patchLameTag writes the LAME tag frame over the first MPEG frame, after
// checking that a frame of that size starts there.
func (o *mp3Out) patchLameTag(tag []byte) error {
	head := make([]byte, len(tag))
	if _, err := o.f.ReadAt(head, o.id3len); err != nil {
		return fmt.Errorf("reading back the first MP3 frame: %w", err)
	}
	if head[0] != 0xFF || head[1]&0xE0 != 0xE0 || tag[0] != 0xFF || head[1] != tag[1] || head[2]&0xFC != tag[2]&0xFC {
		return errors.New("the first MP3 frame is not LAME's tag placeholder")
	}
	_, err := o.f.WriteAt(tag, o.id3len)
	return err
}

func (o *mp3Out) abort() {
	o.sink.done = true
	o.enc.Close()
	o.f.Close()
}
