package timeline

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
)

// Spacing of ruler labels, in pixels.
const (
	minBarLabelGap  = 44
	minBarTickGap   = 8
	minBeatTickGap  = 10
	minTimeLabelGap = 64
	minBarGridGap   = 16
	maxRulerSteps   = 4096 // guards the loops against absurd zooms
)

// timeSteps are the candidate distances (seconds) between time labels.
var timeSteps = [...]int64{1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 18000, 36000}

// layoutRuler places the ruler's ticks and labels (bar numbers when the song
// has a tempo, and minutes:seconds), and the bar grid over the tracks.
func (r *renderer) layoutRuler(W, H float32) {
	t := r.t
	if W <= 0 {
		return
	}
	rate := int64(48000)
	beats := 0
	if s := t.song; s != nil {
		if s.Rate > 0 {
			rate = int64(s.Rate)
		}
		beats = s.TimeSig.Beats
	}
	f0 := float64(t.FrameAt(0))
	f1 := float64(t.FrameAt(W))
	gridDone := false
	if beat := t.beat(); beat > 0 && beats > 0 {
		r.layoutBars(beat, beats, f0, f1, H)
		gridDone = true
	}
	r.layoutTimes(rate, f0, f1, H, !gridDone)
}

// xAtFrame is the x of a (fractional) timeline frame.
func (r *renderer) xAtFrame(f float64) float32 {
	return float32((f - float64(r.t.scroll)) / r.t.fpp)
}

// layoutBars numbers the bars between frames f0 and f1 (every bar, or
// every 2nd, 4th … when they are narrow), ticks them (and the beats when
// there is room), and draws the bar grid down to H.
func (r *renderer) layoutBars(beat float64, beats int, f0, f1 float64, H float32) {
	p := &r.pal
	bar := beat * float64(beats)
	barPx := bar / r.t.fpp
	label := int64(1)
	for float64(label)*barPx < minBarLabelGap {
		label *= 2
	}
	step := label
	if barPx >= minBarTickGap {
		step = 1
	}
	grid := label
	if barPx >= minBarGridGap {
		grid = 1
	}
	bold := fyne.TextStyle{Bold: true}
	first := max(int64(math.Floor(f0/bar)), 0)
	first -= first % step
	for b, n := first, 0; n < maxRulerSteps; b, n = b+step, n+1 {
		f := float64(b) * bar
		if f > f1 {
			break
		}
		x := r.xAtFrame(f)
		if x < 0 {
			continue
		}
		if b%label == 0 {
			r.tick(x, 0, barBandBottom, 1.5, p.fg)
			r.text(strconv.FormatInt(b+1, 10), x+4, 2, p.textSize, bold)
		} else {
			r.tick(x, barBandBottom-12, barBandBottom, 1, p.fg)
		}
		if b%grid == 0 {
			vline(r.grid.get(), x, rulerHeight, H, 1, p.grid)
		}
	}
	if beat/r.t.fpp >= minBeatTickGap {
		r.layoutBeatTicks(beat, beats, f0, f1)
	}
}

// layoutBeatTicks ticks the beats between frames f0 and f1 that do not
// start a bar.
func (r *renderer) layoutBeatTicks(beat float64, beats int, f0, f1 float64) {
	first := max(int64(math.Floor(f0/beat)), 0)
	for k, n := first, 0; n < maxRulerSteps; k, n = k+1, n+1 {
		f := float64(k) * beat
		if f > f1 {
			break
		}
		if k%int64(beats) == 0 {
			continue
		}
		if x := r.xAtFrame(f); x >= 0 {
			r.tick(x, barBandBottom-6, barBandBottom, 1, r.pal.fg)
		}
	}
}

// layoutTimes labels minutes and seconds between frames f0 and f1, at the
// smallest step of timeSteps that leaves room; with grid, it also draws
// the grid at each label down to H (a song without a tempo has no bars).
func (r *renderer) layoutTimes(rate int64, f0, f1 float64, H float32, grid bool) {
	p := &r.pal
	secPx := float64(rate) / r.t.fpp
	stepSec := timeSteps[len(timeSteps)-1]
	for _, s := range timeSteps {
		if float64(s)*secPx >= minTimeLabelGap {
			stepSec = s
			break
		}
	}
	step := stepSec * rate
	first := max(int64(math.Floor(f0/float64(step))), 0) * step
	for f, n := first, 0; n < maxRulerSteps && float64(f) <= f1; f, n = f+step, n+1 {
		x := r.xAtFrame(float64(f))
		if x < 0 {
			continue
		}
		r.tick(x, timeBandBot-7, timeBandBot, 1, p.fg)
		r.text(r.timeText(f/rate), x+3, timeBandTop+1, p.textSize*0.8, fyne.TextStyle{})
		if grid {
			vline(r.grid.get(), x, rulerHeight, H, 1, p.grid)
		}
	}
}

// tick adds a vertical ruler line.
func (r *renderer) tick(x, y0, y1, w float32, c color.Color) {
	vline(r.ticks.get(), x, y0, y1, w, c)
}

// text adds a ruler label, unless it would stick out on the right.
func (r *renderer) text(s string, x, y, size float32, style fyne.TextStyle) {
	if x+float32(len(s))*size*0.62 > r.size.Width {
		return
	}
	tx := r.rulerTexts.get()
	if tx.Text != s || tx.TextSize != size || tx.TextStyle != style {
		tx.Text, tx.TextSize, tx.TextStyle = s, size, style
	}
	tx.Color = r.pal.fg
	tx.Move(fyne.NewPos(x, y))
}

// timeText formats seconds as m:ss (h:mm:ss from an hour on), cached.
func (r *renderer) timeText(sec int64) string {
	if s, ok := r.times[sec]; ok {
		return s
	}
	var s string
	if sec >= 3600 {
		s = fmt.Sprintf("%d:%02d:%02d", sec/3600, sec/60%60, sec%60)
	} else {
		s = fmt.Sprintf("%d:%02d", sec/60, sec%60)
	}
	if len(r.times) > 1024 {
		clear(r.times)
	}
	r.times[sec] = s
	return s
}
