package songview

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"sangstudio/audio/fx"
	"sangstudio/audio/mix"
	"sangstudio/projects"
)

// The EQ curve's scales: 20 Hz to 20 kHz (log) across, ±curveDB up.
const (
	curveLowHz = 20.0
	curveOctx  = 1000.0 // 20 kHz / 20 Hz
	curveDB    = 18.0
)

// eqCurve draws a track's EQ (its high-pass and bands) as the response it
// has, from the same settings the audio uses (mix.TrackFXOf): a formula,
// drawn on the UI thread; no audio is processed.
type eqCurve struct {
	rate float64
	p    fx.EQParams
	img  *canvas.Raster
}

func newEQCurve() *eqCurve {
	c := &eqCurve{rate: projects.DefaultRate}
	c.img = canvas.NewRaster(c.draw)
	c.img.SetMinSize(fyne.NewSize(420, 130))
	return c
}

// show draws the curve of e at the song's rate (only when it changed).
func (c *eqCurve) show(rate int, e projects.Effects) {
	p := mix.TrackFXOf(e).EQ
	if rate <= 0 {
		rate = projects.DefaultRate
	}
	if p == c.p && float64(rate) == c.rate {
		return
	}
	c.p, c.rate = p, float64(rate)
	c.img.Refresh()
}

// at is the curve's gain in dB at f Hz.
func (c *eqCurve) at(f float64) float64 { return c.p.Curve(c.rate, f) }

// freqAt is the frequency at column x of w.
func freqAt(x, w int) float64 {
	return curveLowHz * math.Pow(curveOctx, float64(x)/float64(max(w-1, 1)))
}

// draw paints the curve into a w×h image: a background, lines at 100 Hz,
// 1 kHz and 10 kHz and at 0 and ±12 dB, and the curve two pixels thick.
func (c *eqCurve) draw(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(theme.Color(theme.ColorNameInputBackground)), image.Point{}, draw.Src)
	grid := theme.Color(theme.ColorNameSeparator)
	y := func(db float64) int {
		if math.IsNaN(db) {
			db = 0
		}
		db = min(max(db, -curveDB), curveDB)
		return int(math.Round((0.5 - db/(2*curveDB)) * float64(h-1)))
	}
	for _, db := range []float64{-12, 0, 12} {
		hline(img, y(db), grid)
	}
	for _, f := range []float64{100, 1000, 10000} {
		x := int(math.Round(math.Log(f/curveLowHz) / math.Log(curveOctx) * float64(w-1)))
		vline(img, x, 0, h-1, grid)
	}
	line := theme.Color(theme.ColorNamePrimary)
	prev := y(c.at(freqAt(0, w)))
	for x := range w {
		cur := y(c.at(freqAt(x, w)))
		vline(img, x, min(prev, cur), max(prev, cur)+1, line)
		prev = cur
	}
	return img
}

func hline(img *image.RGBA, y int, col color.Color) {
	for x := range img.Bounds().Dx() {
		img.Set(x, y, col)
	}
}

// vline colours column x from y0 to y1 (inclusive).
func vline(img *image.RGBA, x, y0, y1 int, col color.Color) {
	for y := y0; y <= y1; y++ {
		img.Set(x, y, col)
	}
}
