package encode

import (
	"os"
	"strconv"

	"sangstudio/audio/wav"
)

// wavOut writes WAV through package wav. The samples arrive already
// dithered and quantised; they are handed to wav.Writer as floats that
// are exact multiples of one LSB (n / 2^(bits-1) is exact in float32 for
// 16 and 24 bits), with its own dither off, so it stores exactly n.
type wavOut struct {
	f      *os.File
	w      *wav.Writer
	inv    float32
	planar [][]float32 // scratch, chunkFrames per channel
	views  [][]float32 // the part of planar in use
}

func newWAV(f *os.File, opt Options) (backend, error) {
	enc := wav.PCM16
	if opt.Format.bits() == 24 {
		enc = wav.PCM24
	}
	var info *wav.Info
	t := opt.Tags
	if t.Title != "" || t.Artist != "" || t.Album != "" || t.Track > 0 {
		info = &wav.Info{Title: t.Title, Artist: t.Artist, Album: t.Album}
		if t.Track > 0 {
			// ITRK holds a plain number: readers parse it as one. RIFF
			// INFO has no field for the number of tracks.
			info.Track = strconv.Itoa(t.Track)
		}
	}
	// wav.NewWriter closes f if it fails; Create's f.Close after that is
	// harmless.
	w, err := wav.NewWriter(f, wav.Format{Rate: opt.Rate, Channels: opt.Channels, Encoding: enc},
		wav.WriterOptions{NoDither: true, Info: info})
	if err != nil {
		return nil, err
	}
	o := &wavOut{f: f, w: w, inv: 1 / float32(int32(1)<<(opt.Format.bits()-1))}
	o.planar = make([][]float32, opt.Channels)
	o.views = make([][]float32, opt.Channels)
	for c := range o.planar {
		o.planar[c] = make([]float32, chunkFrames)
	}
	return o, nil
}

func (o *wavOut) write(s []int32, frames int) error {
	ch := len(o.planar)
	for c := range o.planar {
		p := o.planar[c][:frames]
		for i := range p {
			p[i] = float32(s[i*ch+c]) * o.inv
		}
		o.views[c] = p
	}
	return o.w.Write(o.views)
}

// finish writes the final sizes, fsyncs and closes (wav.Writer.Close).
func (o *wavOut) finish() error { return o.w.Close() }

func (o *wavOut) abort() { o.f.Close() }
