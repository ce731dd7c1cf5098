package mix

// Non-finite samples (NaN, +Inf, -Inf) never reach a bus. A float WAV can
// hold them, and a synthesiser or an effect can make them; one NaN added to
// the master bus would make every sample it touches NaN (silence on most
// outputs, or garbage) and one infinity full-scale DC, over all tracks.
// Wherever a track's pre-fader audio is made (audio/source for take files,
// the engine for a live instrument), and wherever audio comes into a song
// (audio/importer), such samples are replaced, always the same way:
//
//	NaN  → 0    (silence)
//	+Inf → +1   (full scale)
//	-Inf → -1
//
// Finite samples are never changed, however loud.

// Finite replaces the non-finite samples of buf as described above and
// returns how many it replaced. For audio without any (the normal case) it
// costs one subtraction and one addition per sample and writes nothing.
// Safe on the audio thread: it does not allocate.
func Finite(buf []float32) int {
	// v-v is 0 for every finite v and NaN for NaN and ±Inf, and a sum of
	// zeros stays exactly 0 while any NaN makes it NaN. Four sums keep
	// the additions independent of each other.
	var a, b, c, d float32
	i := 0
	for ; i+4 <= len(buf); i += 4 {
		x := buf[i : i+4 : i+4]
		a += x[0] - x[0]
		b += x[1] - x[1]
		c += x[2] - x[2]
		d += x[3] - x[3]
	}
	for ; i < len(buf); i++ {
		a += buf[i] - buf[i]
	}
	if a+b+c+d == 0 {
		return 0
	}
	n := 0
	for i, v := range buf {
		if v-v != 0 {
			buf[i] = FiniteSample(v)
			n++
		}
	}
	return n
}

// FiniteSample is v if it is finite; else 0 for NaN, +1 for +Inf and -1
// for -Inf.
func FiniteSample(v float32) float32 {
	switch {
	case v-v == 0:
		return v
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
