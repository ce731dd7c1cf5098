package wav

import (
	"encoding/binary"
	"math"
)

// Scale factors from integer samples to [-1, 1). 24-bit samples are decoded
// by placing their three bytes in the top of an int32, so they share the
// 32-bit factor; the conversion is exact because the low byte is zero.
const (
	scale8  = 1.0 / (1 << 7)
	scale16 = 1.0 / (1 << 15)
	scale32 = 1.0 / (1 << 31)
)

func decode16Mono(out []float32, b []byte) {
	b = b[:2*len(out)]
	i := 0
	// Four samples per 64-bit load.
	for ; i+4 <= len(out); i += 4 {
		w := binary.LittleEndian.Uint64(b[2*i : 2*i+8])
		o := out[i : i+4]
		o[0] = float32(int16(w)) * scale16
		o[1] = float32(int16(w>>16)) * scale16
		o[2] = float32(int16(w>>32)) * scale16
		o[3] = float32(int16(w>>48)) * scale16
	}
	for ; i < len(out); i++ {
		out[i] = float32(int16(binary.LittleEndian.Uint16(b[2*i:]))) * scale16
	}
}

func decode16Stereo(l, r []float32, b []byte) {
	r = r[:len(l)]
	b = b[:4*len(l)]
	i := 0
	// Two frames per 64-bit load.
	for ; i+2 <= len(l); i += 2 {
		w := binary.LittleEndian.Uint64(b[4*i : 4*i+8])
		ll, rr := l[i:i+2], r[i:i+2]
		ll[0] = float32(int16(w)) * scale16
		rr[0] = float32(int16(w>>16)) * scale16
		ll[1] = float32(int16(w>>32)) * scale16
		rr[1] = float32(int16(w>>48)) * scale16
	}
	for ; i < len(l); i++ {
		w := binary.LittleEndian.Uint32(b[4*i:])
		l[i] = float32(int16(w)) * scale16
		r[i] = float32(int16(w>>16)) * scale16
	}
}

func decode24Mono(out []float32, b []byte) {
	b = b[:3*len(out)]
	i := 0
	// Four samples (12 bytes) per step, as three 32-bit loads.
	for ; i+4 <= len(out); i += 4 {
		s := b[3*i : 3*i+12]
		w0 := binary.LittleEndian.Uint32(s[0:])
		w1 := binary.LittleEndian.Uint32(s[4:])
		w2 := binary.LittleEndian.Uint32(s[8:])
		o := out[i : i+4]
		o[0] = float32(int32(w0<<8)) * scale32
		o[1] = float32(int32(w0>>16&0xFF00|w1<<16)) * scale32
		o[2] = float32(int32(w1>>8&0xFFFF00|w2<<24)) * scale32
		o[3] = float32(int32(w2&0xFFFFFF00)) * scale32
	}
	for ; i < len(out); i++ {
		s := b[3*i : 3*i+3]
		out[i] = float32(int32(uint32(s[0])<<8|uint32(s[1])<<16|uint32(s[2])<<24)) * scale32
	}
}

func decode24Stereo(l, r []float32, b []byte) {
	r = r[:len(l)]
	b = b[:6*len(l)]
	i := 0
	// Two frames (12 bytes) per step, as three 32-bit loads.
	for ; i+2 <= len(l); i += 2 {
		s := b[6*i : 6*i+12]
		w0 := binary.LittleEndian.Uint32(s[0:])
		w1 := binary.LittleEndian.Uint32(s[4:])
		w2 := binary.LittleEndian.Uint32(s[8:])
		l[i] = float32(int32(w0<<8)) * scale32
		r[i] = float32(int32(w0>>16&0xFF00|w1<<16)) * scale32
		l[i+1] = float32(int32(w1>>8&0xFFFF00|w2<<24)) * scale32
		r[i+1] = float32(int32(w2&0xFFFFFF00)) * scale32
	}
	for ; i < len(l); i++ {
		s := b[6*i : 6*i+6]
		l[i] = float32(int32(uint32(s[0])<<8|uint32(s[1])<<16|uint32(s[2])<<24)) * scale32
		r[i] = float32(int32(uint32(s[3])<<8|uint32(s[4])<<16|uint32(s[5])<<24)) * scale32
	}
}

func decodeF32Mono(out []float32, b []byte) {
	b = b[:4*len(out)]
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

func decodeF32Stereo(l, r []float32, b []byte) {
	r = r[:len(l)]
	b = b[:8*len(l)]
	for i := range l {
		w := binary.LittleEndian.Uint64(b[8*i:])
		l[i] = math.Float32frombits(uint32(w))
		r[i] = math.Float32frombits(uint32(w >> 32))
	}
}

// decodeGeneric handles every encoding and channel count, one channel at a
// time (striding through the interleaved bytes).
func decodeGeneric(dst [][]float32, off, k int, b []byte, enc Encoding) {
	ch := len(dst)
	bs := enc.Bytes()
	ba := ch * bs
	b = b[:k*ba]
	for c, d := range dst {
		out := d[off : off+k]
		p := b[c*bs:]
		switch enc {
		case PCM8:
			for i := range out {
				out[i] = float32(int(p[i*ba])-128) * scale8
			}
		case PCM16:
			for i := range out {
				out[i] = float32(int16(binary.LittleEndian.Uint16(p[i*ba:]))) * scale16
			}
		case PCM24:
			for i := range out {
				s := p[i*ba : i*ba+3]
				out[i] = float32(int32(uint32(s[0])<<8|uint32(s[1])<<16|uint32(s[2])<<24)) * scale32
			}
		case PCM32:
			for i := range out {
				out[i] = float32(int32(binary.LittleEndian.Uint32(p[i*ba:]))) * scale32
			}
		case Float32:
			for i := range out {
				out[i] = math.Float32frombits(binary.LittleEndian.Uint32(p[i*ba:]))
			}
		case Float64:
			for i := range out {
				out[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(p[i*ba:])))
			}
		}
	}
}
