package loudness

import (
	"fmt"
	"math"
	"slices"

	"sangstudio/audio/mix"
)

// Result is a measurement. Loudness values are in LUFS, the range in LU,
// the sample peak in dBFS and the true peak in dBTP.
//
// With nothing above the absolute gate, Integrated is math.Inf(-1) and
// Range is 0; the peaks of silence, and MaxMomentary and MaxShortTerm
// before a whole 400 ms or 3 s window has been measured, are math.Inf(-1).
type Result struct {
	Integrated   float64 // LUFS: BS.1770-4 gated loudness (400 ms blocks, 75 % overlap, -70 LUFS absolute and -10 LU relative gate)
	Range        float64 // LU: EBU Tech 3342 loudness range (3 s windows every 100 ms, -70 LUFS and -20 LU gates, 10th to 95th percentile)
	SamplePeak   float64 // dBFS: the largest |sample| of any channel
	TruePeak     float64 // dBTP: the largest |value| of the oversampled signal or of the samples, any channel
	MaxMomentary float64 // LUFS: the largest momentary (400 ms) loudness, evaluated every 100 ms
	MaxShortTerm float64 // LUFS: the largest short-term (3 s) loudness, evaluated every 100 ms
	Frames       int64   // frames measured
}

const (
	minRate     = 8000
	maxRate     = 384000
	maxChannels = 8

	// tpRun is the number of true-peak outputs the Meter tests against
	// the maximum so far at once (see run).
	tpRun = 64

	// segMax bounds the frames one pass of the per-channel loops handles,
	// which bounds the true-peak scratch buffer.
	segMax = 2048

	// chunkLen is the number of block energies in one chunk of an
	// energyList: 409.6 s of audio.
	chunkLen = 4096

	// flushBelow: filter states smaller than this are set to zero at the
	// end of each 100 ms sub-block, so that digital silence never drives
	// them into (slow) subnormal numbers. Such states contribute energies
	// below 1e-40, far under the -70 LUFS gate (about 1.2e-7).
	flushBelow = 1e-20
)

// absGate is the energy of -70 LUFS: 10^((-70+0.691)/10).
var absGate = math.Pow(10, (-70+0.691)/10)

// lufs converts a mean-square energy (channel-weighted, K-weighted) to
// loudness; 0 gives -Inf.
func lufs(e float64) float64 { return -0.691 + 10*math.Log10(e) }

// energyList stores block energies in fixed-size chunks, so that adding
// one never copies the earlier ones and allocates only once per chunkLen
// blocks; Reset keeps the chunks for reuse.
type energyList struct {
	chunks [][]float64
	n      int
}

func (l *energyList) add(v float64) {
	c := l.n / chunkLen
	if c == len(l.chunks) {
		l.chunks = append(l.chunks, make([]float64, chunkLen))
	}
	l.chunks[c][l.n%chunkLen] = v
	l.n++
}

// sum returns the sum of the energies, in the order they were added.
func (l *energyList) sum() float64 {
	var s float64
	for i := 0; i*chunkLen < l.n; i++ {
		for _, v := range l.chunks[i][:min(chunkLen, l.n-i*chunkLen)] {
			s += v
		}
	}
	return s
}

// channel is the per-channel state of a Meter.
type channel struct {
	weight                 float64 // BS.1770 channel weight G
	x1, x2, y1, y2, z1, z2 float64 // K-weighting filter states
	acc                    float64 // sum of squares of the K-weighted signal in the current sub-block
	peak                   float64 // largest |sample|
	tp                     float64 // largest |in-between oversampled point|
}

// Meter measures loudness, loudness range and peaks of interleaved float32
// audio written to it in chunks of any size. The result does not depend on
// how the audio is cut into chunks: the same samples give bit-identical
// Results.
//
// A Meter is not safe for concurrent use: Write and Result must be called
// from one goroutine (or be serialised by the caller).
type Meter struct {
	rate, channels int
	shelf, hp      biquad
	ch             []channel

	tp     tpDesign
	tpHist []float64 // per channel the last tapsPerPhase-1 input samples
	tpBuf  []float64 // scratch: tapsPerPhase-1 history samples, then up to segMax new ones

	frames   int64 // frames written
	subStart int64 // first frame of the current 100 ms sub-block
	subEnd   int64 // first frame after it
	nsub     int64 // completed sub-blocks

	// The channel-weighted sums of squares of the last 30 sub-blocks and
	// their lengths in frames, indexed by sub-block number mod 30.
	subE [30]float64
	subN [30]int64

	blocks energyList // momentary (400 ms) energies above the absolute gate
	shorts energyList // short-term (3 s) energies at or above the absolute gate
	maxM   float64    // largest momentary energy
	maxS   float64    // largest short-term energy

	sortBuf []float64 // scratch for Result
}

// NewMeter returns a Meter for audio at rate Hz (8000 to 384000) with
// 1 to 8 channels.
//
// Channel weights follow BS.1770: with 5 channels (L, R, C, Ls, Rs) or 6
// (L, R, C, LFE, Ls, Rs) the surround channels weigh 1.41 and the LFE 0;
// with any other count every channel weighs 1.0.
func NewMeter(rate, channels int) (*Meter, error) {
	if rate < minRate || rate > maxRate {
		return nil, fmt.Errorf("loudness: sample rate %d Hz is outside %d..%d", rate, minRate, maxRate)
	}
	if channels < 1 || channels > maxChannels {
		return nil, fmt.Errorf("loudness: %d channels: 1 to %d are supported", channels, maxChannels)
	}
	m := &Meter{rate: rate, channels: channels, tp: newTPDesign(rate)}
	m.shelf, m.hp = kWeighting(rate)
	m.ch = make([]channel, channels)
	for c := range m.ch {
		m.ch[c].weight = channelWeight(c, channels)
	}
	m.tpHist = make([]float64, channels*(tapsPerPhase-1))
	m.tpBuf = make([]float64, tapsPerPhase-1+segMax)
	// The first chunk of each list is made here, so a fresh Meter does
	// not allocate in Write for its first 409.6 s.
	m.blocks.chunks = append(make([][]float64, 0, 16), make([]float64, chunkLen))
	m.shorts.chunks = append(make([][]float64, 0, 16), make([]float64, chunkLen))
	m.Reset()
	return m, nil
}

func channelWeight(c, channels int) float64 {
	if channels == 5 || channels == 6 {
		switch {
		case channels == 6 && c == 3:
			return 0 // LFE
		case c >= 3:
			return 1.41 // Ls, Rs
		}
	}
	return 1
}

// boundary returns the first frame of sub-block k (counted from 0): the
// sub-blocks are 100 ms long, rounded to whole frames without drift.
func (m *Meter) boundary(k int64) int64 { return (k*int64(m.rate) + 5) / 10 }

// Reset forgets everything written, as if the Meter were new. It keeps
// the memory it has.
func (m *Meter) Reset() {
	for c := range m.ch {
		m.ch[c] = channel{weight: m.ch[c].weight}
	}
	clear(m.tpHist)
	m.frames, m.subStart, m.nsub = 0, 0, 0
	m.subEnd = m.boundary(1)
	m.subE = [30]float64{}
	m.subN = [30]int64{}
	m.blocks.n, m.shorts.n = 0, 0
	m.maxM, m.maxS = 0, 0
}

// Write measures interleaved audio: frames of one sample per channel.
// A trailing partial frame (len(interleaved) not a multiple of the channel
// count) is ignored. A sample that is not a finite number counts as the
// rest of Sangstudio plays it (see mix.FiniteSample): the results are always
// finite (or -Inf for silence). Write allocates only to grow its block storage: a
// 32 KiB chunk for each of its two block lists every 409.6 s of audio,
// after the first 409.6 s.
func (m *Meter) Write(interleaved []float32) {
	nc := m.channels
	n := len(interleaved) / nc
	for off := 0; off < n; {
		k := min(n-off, int(m.subEnd-m.frames), segMax)
		base := off * nc
		for c := range m.ch {
			m.run(c, interleaved[base+c:base+c+(k-1)*nc+1], nc, k)
		}
		m.advance(k)
		off += k
	}
}

// WritePlanar is Write for audio held one slice per channel: len(ch) must
// equal the channel count (it panics otherwise) and the shortest slice
// sets the number of frames. The results are identical to writing the
// same frames interleaved.
func (m *Meter) WritePlanar(ch [][]float32) {
	if len(ch) != m.channels {
		panic(fmt.Sprintf("loudness: WritePlanar: %d channel slices for a %d-channel Meter", len(ch), m.channels))
	}
	n := len(ch[0])
	for _, s := range ch[1:] {
		n = min(n, len(s))
	}
	for off := 0; off < n; {
		k := min(n-off, int(m.subEnd-m.frames), segMax)
		for c := range m.ch {
			m.run(c, ch[c][off:off+k], 1, k)
		}
		m.advance(k)
		off += k
	}
}

// advance accounts for k frames just measured on every channel, closing
// the sub-block if they complete it.
func (m *Meter) advance(k int) {
	m.frames += int64(k)
	if m.frames == m.subEnd {
		m.endSubBlock()
	}
}

// run measures k frames of channel c, read from s at the given stride
// (s holds exactly (k-1)*stride+1 samples).
//
// It is exempt from race-detector instrumentation (go:norace): it is the
// inner loop, touches only the Meter's own buffers and the caller's input,
// and instrumenting each sample made -race test runs 30 times slower. The
// Meter's bookkeeping outside it (advance, endSubBlock) stays
// instrumented, so concurrent misuse of a Meter is still reported.
//
//go:norace
func (m *Meter) run(c int, s []float32, stride, k int) {
	st := &m.ch[c]
	const hist = tapsPerPhase - 1
	copy(m.tpBuf, m.tpHist[c*hist:(c+1)*hist])
	all := m.tpBuf[:hist+k]
	buf := all[hist:]

	// Sample peak, and the samples as float64 for the filters.
	pk := st.peak
	i := 0
	for j := 0; j < len(s); j += stride {
		x := float64(s[j])
		pk = max(pk, absf(x))
		buf[i] = x
		i++
	}
	if pk-pk != 0 {
		// A NaN or an infinity among the samples (max keeps a NaN): take
		// them as finite, at no cost to audio without any, as Sangstudio
		// plays them (mix.FiniteSample), so that a measurement of audio
		// handed over with such samples (a mix file written by another
		// program, say) agrees with what Sangstudio plays of it, and is
		// never NaN. x came from a float32: float32(x) is exact.
		pk = st.peak
		for i, x := range buf {
			x = float64(mix.FiniteSample(float32(x)))
			pk = max(pk, absf(x))
			buf[i] = x
		}
	}
	st.peak = pk

	// K-weighting and the sum of squares.
	if st.weight != 0 {
		sh, hp := m.shelf, m.hp
		x1, x2, y1, y2, z1, z2, acc := st.x1, st.x2, st.y1, st.y2, st.z1, st.z2, st.acc
		for _, x := range buf {
			y := sh.b0*x + sh.b1*x1 + sh.b2*x2 - sh.a1*y1 - sh.a2*y2
			z := hp.b0*y + hp.b1*y1 + hp.b2*y2 - hp.a1*z1 - hp.a2*z2
			x2, x1 = x1, x
			y2, y1 = y1, y
			z2, z1 = z1, z
			acc += z * z
		}
		st.x1, st.x2, st.y1, st.y2, st.z1, st.z2, st.acc = x1, x2, y1, y2, z1, z2, acc
	}

	// True peak: the in-between points of the oversampled signal. Runs
	// of tpRun outputs whose input window cannot produce anything above
	// the maximum so far (bound times its largest sample is no more) are
	// skipped; that leaves the result bit for bit the same.
	if m.tp.factor > 1 {
		tp := st.tp
		d := &m.tp
		for i0 := 0; i0+tapsPerPhase <= len(all); i0 += tpRun {
			i1 := min(i0+tpRun, len(all)-tapsPerPhase+1)
			var local float64
			for _, v := range all[i0 : i1+tapsPerPhase-1] {
				local = max(local, absf(v))
			}
			if local*d.bound <= tp {
				continue
			}
			if d.factor == 4 {
				for i := i0; i < i1; i++ {
					tp = max(tp, d.peak4(all[i:i+tapsPerPhase]))
				}
			} else {
				for i := i0; i < i1; i++ {
					tp = max(tp, d.peak2(all[i:i+tapsPerPhase]))
				}
			}
		}
		st.tp = tp
	}
	copy(m.tpHist[c*hist:(c+1)*hist], all[k:])
}

// endSubBlock closes the current 100 ms sub-block: it computes the
// momentary loudness of the last four sub-blocks and the short-term
// loudness of the last thirty once there are enough of them.
func (m *Meter) endSubBlock() {
	var e float64
	for c := range m.ch {
		st := &m.ch[c]
		e += st.weight * st.acc
		st.acc = 0
		if math.Abs(st.y1) < flushBelow && math.Abs(st.y2) < flushBelow {
			st.y1, st.y2 = 0, 0
		}
		if math.Abs(st.z1) < flushBelow && math.Abs(st.z2) < flushBelow {
			st.z1, st.z2 = 0, 0
		}
	}
	i := int(m.nsub % 30)
	m.subE[i] = e
	m.subN[i] = m.subEnd - m.subStart
	m.nsub++
	m.subStart = m.subEnd
	m.subEnd = m.boundary(m.nsub + 1)

	if m.nsub >= 4 {
		z := m.window(4)
		m.maxM = max(m.maxM, z)
		if z > absGate {
			m.blocks.add(z)
		}
	}
	if m.nsub >= 30 {
		z := m.window(30)
		m.maxS = max(m.maxS, z)
		if z >= absGate {
			m.shorts.add(z)
		}
	}
}

// window returns the mean-square energy of the last n sub-blocks.
func (m *Meter) window(n int) float64 {
	var e float64
	var f int64
	for j := int64(1); j <= int64(n); j++ {
		i := (m.nsub - j) % 30
		e += m.subE[i]
		f += m.subN[i]
	}
	return e / float64(f)
}

// Result returns the measurement of everything written so far. It may be
// called at any time and does not disturb later Writes. Its cost grows
// with the length of the audio (the loudness range sorts the short-term
// values: about 3.5 ms for an hour).
//
// The true peak covers the oversampled signal up to the detector's delay
// (12 frames) before the last frame written; the samples of those last
// frames count through the sample peak.
func (m *Meter) Result() Result {
	r := Result{
		Integrated:   math.Inf(-1),
		MaxMomentary: lufs(m.maxM),
		MaxShortTerm: lufs(m.maxS),
		Frames:       m.frames,
	}
	if m.blocks.n > 0 {
		r.Integrated = m.integrated()
	}
	if m.shorts.n > 0 {
		r.Range = m.loudnessRange()
	}
	var pk, tp float64
	for c := range m.ch {
		pk = max(pk, m.ch[c].peak)
		tp = max(tp, m.ch[c].tp)
	}
	r.SamplePeak = 20 * math.Log10(pk)
	r.TruePeak = 20 * math.Log10(max(pk, tp))
	return r
}

// integrated applies the BS.1770-4 relative gate to the blocks above the
// absolute gate (it keeps those louder than 10 LU below the loudness of
// their mean energy, i.e. with more than a tenth of the mean energy) and
// returns the loudness of the mean energy of the blocks kept.
func (m *Meter) integrated() float64 {
	l := &m.blocks
	thr := l.sum() / float64(l.n) * 0.1
	var s float64
	var n int
	for i := 0; i*chunkLen < l.n; i++ {
		for _, v := range l.chunks[i][:min(chunkLen, l.n-i*chunkLen)] {
			if v > thr {
				s += v
				n++
			}
		}
	}
	if n == 0 {
		return math.Inf(-1)
	}
	return lufs(s / float64(n))
}

// loudnessRange implements EBU Tech 3342: of the short-term energies at or
// above the absolute gate, keep those at or above a hundredth (-20 LU) of
// their mean, sort them, and take the difference in loudness between the
// values at 0-based indices round((n-1)*0.95) and round((n-1)*0.10), the
// percentile convention of the Tech 3342 reference code and libebur128.
func (m *Meter) loudnessRange() float64 {
	l := &m.shorts
	thr := l.sum() / float64(l.n) * 0.01
	v := m.sortBuf[:0]
	for i := 0; i*chunkLen < l.n; i++ {
		for _, e := range l.chunks[i][:min(chunkLen, l.n-i*chunkLen)] {
			if e >= thr {
				v = append(v, e)
			}
		}
	}
	m.sortBuf = v
	n := len(v)
	if n == 0 {
		return 0
	}
	slices.Sort(v)
	lo := v[int(float64(n-1)*0.10+0.5)]
	hi := v[int(float64(n-1)*0.95+0.5)]
	return lufs(hi) - lufs(lo)
}
