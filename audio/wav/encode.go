package wav

import (
	"encoding/binary"
	"math"
)

// quantize rounds v (already scaled to integer units) to the nearest
// integer, ties to even, clamped to [lo, hi]; NaN gives 0.
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

const (
	lo8, hi8   = -1 << 7, 1<<7 - 1
	lo16, hi16 = -1 << 15, 1<<15 - 1
	lo24, hi24 = -1 << 23, 1<<23 - 1
	lo32, hi32 = -1 << 31, 1<<31 - 1
)

// encode interleaves and encodes frames [off, off+k) of src into b.
// Dither noise is drawn in interleaved order, so the output does not
// depend on how the samples are split into Write calls.
func (w *Writer) encode(b []byte, src [][]float32, off, k int) {
	le := binary.LittleEndian
	d := w.dither
	switch w.kind {
	case dec16Mono:
		in := src[0][off : off+k]
		b = b[:2*len(in)]
		for i, x := range in {
			v := float64(x) * (1 << 15)
			if d != nil {
				v += float64(d.Next())
			}
			le.PutUint16(b[2*i:], uint16(quantize(v, lo16, hi16)))
		}
	case dec16Stereo:
		l, r := src[0][off:off+k], src[1][off:off+k]
		r = r[:len(l)]
		b = b[:4*len(l)]
		if d == nil {
			for i := range l {
				vl, vr := float64(l[i])*(1<<15), float64(r[i])*(1<<15)
				le.PutUint32(b[4*i:], uint32(uint16(quantize(vl, lo16, hi16)))|uint32(quantize(vr, lo16, hi16))<<16)
			}
			break
		}
		dt := *d // a local copy stays in a register
		for i := range l {
			vl := float64(l[i])*(1<<15) + float64(dt.Next())
			vr := float64(r[i])*(1<<15) + float64(dt.Next())
			le.PutUint32(b[4*i:], uint32(uint16(quantize(vl, lo16, hi16)))|uint32(quantize(vr, lo16, hi16))<<16)
		}
		*d = dt
	case dec24Mono:
		in := src[0][off : off+k]
		b = b[:3*len(in)]
		for i, x := range in {
			v := quantize(float64(x)*(1<<23), lo24, hi24)
			s := b[3*i : 3*i+3]
			s[0], s[1], s[2] = byte(v), byte(v>>8), byte(v>>16)
		}
	case dec24Stereo:
		l, r := src[0][off:off+k], src[1][off:off+k]
		r = r[:len(l)]
		b = b[:6*len(l)]
		for i := range l {
			vl := quantize(float64(l[i])*(1<<23), lo24, hi24)
			vr := quantize(float64(r[i])*(1<<23), lo24, hi24)
			s := b[6*i : 6*i+6]
			s[0], s[1], s[2] = byte(vl), byte(vl>>8), byte(vl>>16)
			s[3], s[4], s[5] = byte(vr), byte(vr>>8), byte(vr>>16)
		}
	case decF32Mono:
		in := src[0][off : off+k]
		b = b[:4*len(in)]
		for i, x := range in {
			le.PutUint32(b[4*i:], math.Float32bits(x))
		}
	case decF32Stereo:
		l, r := src[0][off:off+k], src[1][off:off+k]
		r = r[:len(l)]
		b = b[:8*len(l)]
		for i := range l {
			le.PutUint64(b[8*i:], uint64(math.Float32bits(l[i]))|uint64(math.Float32bits(r[i]))<<32)
		}
	default:
		w.encodeGeneric(b, src, off, k)
	}
}

// encodeGeneric handles every encoding and channel count, frame by frame.
func (w *Writer) encodeGeneric(b []byte, src [][]float32, off, k int) {
	le := binary.LittleEndian
	d := w.dither
	enc := w.format.Encoding
	bs := enc.Bytes()
	b = b[:k*len(src)*bs]
	p := 0
	for i := off; i < off+k; i++ {
		for _, s := range src {
			x := s[i]
			switch enc {
			case PCM8:
				v := float64(x) * (1 << 7)
				if d != nil {
					v += float64(d.Next())
				}
				b[p] = byte(quantize(v, lo8, hi8) + 128)
			case PCM16:
				v := float64(x) * (1 << 15)
				if d != nil {
					v += float64(d.Next())
				}
				le.PutUint16(b[p:], uint16(quantize(v, lo16, hi16)))
			case PCM24:
				v := quantize(float64(x)*(1<<23), lo24, hi24)
				b[p], b[p+1], b[p+2] = byte(v), byte(v>>8), byte(v>>16)
			case PCM32:
				le.PutUint32(b[p:], uint32(quantize(float64(x)*(1<<31), lo32, hi32)))
			case Float32:
				le.PutUint32(b[p:], math.Float32bits(x))
			case Float64:
				le.PutUint64(b[p:], math.Float64bits(float64(x)))
			}
			p += bs
		}
	}
}
