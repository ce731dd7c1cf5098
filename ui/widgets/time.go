package widgets

import (
	"fmt"
	"math"
)

// Clock formats a frame position as m:ss.t ("1:05.3"); a negative position
// (a count-in) shows with a minus sign.
func Clock(frames int64, rate int) string {
	if rate <= 0 {
		return "0:00.0"
	}
	sign := ""
	if frames < 0 {
		sign, frames = "-", -frames
	}
	tenths := frames * 10 / int64(rate)
	return fmt.Sprintf("%s%d:%02d.%d", sign, tenths/600, tenths/10%60, tenths%10)
}

// BarBeat gives the 1-based bar and beat at a frame for a tempo (BPM) and
// beats per bar; ok is false without a tempo.
func BarBeat(frames int64, rate int, tempo float64, beatsPerBar int) (bar, beat int, ok bool) {
	if tempo <= 0 || rate <= 0 || beatsPerBar <= 0 || frames < 0 {
		return 0, 0, false
	}
	beats := int64(math.Floor(float64(frames) * tempo / 60 / float64(rate)))
	return int(beats/int64(beatsPerBar)) + 1, int(beats%int64(beatsPerBar)) + 1, true
}
