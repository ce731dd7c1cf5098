package encode

import (
	"encoding/binary"
	"errors"
	"io"
	"os"
	"sangstudio/internal/durable"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"
)

// flacBlock is the number of frames per FLAC frame (as flac -5 uses at
// 44.1 and 48 kHz).
const flacBlock = 4096

// flacVendor is the vendor string of the VORBIS_COMMENT block.
const flacVendor = "Sangstudio"

// flacOut writes FLAC with github.com/mewkiz/flac.
type flacOut struct {
	f     *os.File
	sink  *flacSink
	enc   *flac.Encoder
	opt   Options
	block [][]int32 // per channel, flacBlock samples
	n     int       // frames buffered in block
	total int64
}

// flacSink is what the FLAC encoder writes to: a buffer in front of the
// file that can seek, so the encoder rewrites STREAMINFO (sample count,
// MD5) in Close. It has no Close method, so the encoder leaves the file
// open: flacOut fsyncs and closes it. It keeps the first write error.
type flacSink struct {
	f   *os.File
	buf []byte
	off int64 // file offset of buf[0]
	err error
}

func (s *flacSink) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	s.buf = append(s.buf, p...)
	if len(s.buf) >= 64<<10 {
		if err := s.flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// WriteByte makes the sink an io.ByteWriter, so the encoder's bit writers
// use it directly instead of wrapping it in a bufio.Writer of their own.
func (s *flacSink) WriteByte(c byte) error {
	if s.err != nil {
		return s.err
	}
	s.buf = append(s.buf, c)
	if len(s.buf) >= 64<<10 {
		return s.flush()
	}
	return nil
}

func (s *flacSink) flush() error {
	if s.err != nil {
		return s.err
	}
	n, err := s.f.WriteAt(s.buf, s.off)
	s.off += int64(n)
	s.buf = s.buf[:0]
	if err != nil {
		s.err = err
	}
	return err
}

// Seek supports only what the encoder does: a seek from the start.
func (s *flacSink) Seek(offset int64, whence int) (int64, error) {
	if whence != io.SeekStart {
		return 0, errors.New("flac sink: unsupported seek")
	}
	if err := s.flush(); err != nil {
		return 0, err
	}
	s.off = offset
	return offset, nil
}

func newFLAC(f *os.File, opt Options) (backend, error) {
	o := &flacOut{f: f, opt: opt, sink: &flacSink{f: f, buf: make([]byte, 0, 80<<10)}}
	info := &meta.StreamInfo{
		BlockSizeMin:  flacBlock,
		BlockSizeMax:  flacBlock,
		SampleRate:    uint32(opt.Rate),
		NChannels:     uint8(opt.Channels),
		BitsPerSample: uint8(opt.Format.bits()),
	}
	var blocks []*meta.Block
	if tags := vorbisTags(opt.Tags); tags != nil {
		vc := &meta.VorbisComment{Vendor: flacVendor, Tags: tags}
		n := 4 + len(vc.Vendor) + 4
		for _, t := range tags {
			n += 4 + len(t[0]) + 1 + len(t[1])
		}
		// The encoder writes a block of Length 0 as an empty block, so
		// the length must be set (it computes the same itself).
		blocks = append(blocks, &meta.Block{
			Header: meta.Header{Type: meta.TypeVorbisComment, Length: int64(n)},
			Body:   vc,
		})
	}
	enc, err := flac.NewEncoder(o.sink, info, blocks...)
	if o.sink.err != nil {
		return nil, o.sink.err
	}
	if err != nil {
		return nil, err
	}
	if err := o.sink.flush(); err != nil {
		return nil, err
	}
	o.enc = enc
	o.block = make([][]int32, opt.Channels)
	for c := range o.block {
		o.block[c] = make([]int32, flacBlock)
	}
	return o, nil
}

func (o *flacOut) write(s []int32, frames int) error {
	ch := len(o.block)
	for i := 0; i < frames; {
		k := min(frames-i, flacBlock-o.n)
		for c := range o.block {
			b := o.block[c][o.n : o.n+k]
			for j := range b {
				b[j] = s[(i+j)*ch+c]
			}
		}
		o.n += k
		i += k
		if o.n == flacBlock {
			if err := o.emit(); err != nil {
				return err
			}
		}
	}
	return nil
}

// emit encodes the buffered frames as one FLAC frame.
func (o *flacOut) emit() error {
	n := o.n
	o.n = 0
	if n == 0 {
		return nil
	}
	subs := make([]*frame.Subframe, len(o.block))
	for c := range subs {
		subs[c] = &frame.Subframe{
			SubHeader: frame.SubHeader{Pred: frame.PredVerbatim}, // the encoder picks a fixed predictor
			Samples:   o.block[c][:n],
			NSamples:  n,
		}
	}
	chans := frame.ChannelsMono
	if len(subs) == 2 {
		chans = stereoMode(o.block[0][:n], o.block[1][:n])
	}
	fr := &frame.Frame{
		Header: frame.Header{
			HasFixedBlockSize: true,
			BlockSize:         uint16(n),
			SampleRate:        uint32(o.opt.Rate),
			Channels:          chans,
			BitsPerSample:     uint8(o.opt.Format.bits()),
		},
		Subframes: subs,
	}
	err := o.enc.WriteFrame(fr)
	if o.sink.err != nil {
		return o.sink.err
	}
	if err != nil {
		return err
	}
	o.total += int64(n)
	return nil
}

// stereoMode picks the channel assignment whose two channels have the
// smallest second-order residuals (a cheap estimate of their coded size),
// as libFLAC's quick stereo decision does: left/right, left/side,
// side/right or mid/side.
func stereoMode(l, r []int32) frame.Channels {
	var el, er, em, es int64
	abs := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	for i := 2; i < len(l); i++ {
		l0, l1, l2 := int64(l[i]), int64(l[i-1]), int64(l[i-2])
		r0, r1, r2 := int64(r[i]), int64(r[i-1]), int64(r[i-2])
		el += abs(l0 - 2*l1 + l2)
		er += abs(r0 - 2*r1 + r2)
		em += abs((l0+r0)>>1 - 2*((l1+r1)>>1) + (l2+r2)>>1)
		es += abs((l0 - r0) - 2*(l1-r1) + (l2 - r2))
	}
	best, mode := el+er, frame.ChannelsLR
	if c := el + es; c < best {
		best, mode = c, frame.ChannelsLeftSide
	}
	if c := es + er; c < best {
		best, mode = c, frame.ChannelsSideRight
	}
	if c := em + es; c < best {
		mode = frame.ChannelsMidSide
	}
	return mode
}

// finish encodes the last, shorter frame, lets the encoder rewrite
// STREAMINFO (sample count, MD5), sets its minimum block size right,
// then fsyncs and closes the file.
func (o *flacOut) finish() error {
	err := o.emit()
	if err == nil {
		err = o.enc.Close() // seeks the sink and rewrites STREAMINFO; does not close the file
		if o.sink.err != nil {
			err = o.sink.err
		}
	}
	if err == nil && (o.total > flacBlock || o.total == 0) {
		// The encoder counts the last frame in the minimum block size;
		// the format excludes it ("minimum block size used in the
		// stream, excluding the last block"). Without frames, it leaves
		// both at 0, below the format's minimum of 16. STREAMINFO's body
		// starts after "fLaC" and the 4-byte block header.
		var b [4]byte
		binary.BigEndian.PutUint16(b[:], flacBlock)
		binary.BigEndian.PutUint16(b[2:], flacBlock)
		n := 2
		if o.total == 0 {
			n = 4
		}
		if _, err = o.sink.Seek(8, io.SeekStart); err == nil {
			_, err = o.sink.Write(b[:n])
		}
	}
	if err == nil {
		err = o.sink.flush()
	}
	err = durable.Finish(o.f, err)
	return err
}

func (o *flacOut) abort() { o.f.Close() }
