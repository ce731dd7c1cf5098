package widgets

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Meter is a horizontal peak meter from -60 dBFS to 0 dBFS, with a held
// peak mark. Set only redraws when the bar or the mark moves by at least a
// pixel, so a silent or steady meter costs nothing.
type Meter struct {
	widget.BaseWidget
	level, hold float32 // 0..1 of the width
	bar, mark   *canvas.Rectangle
	bg          *canvas.Rectangle
}

// MeterFloor is the level at the meter's left end.
const MeterFloor = -60.0

// NewMeter makes a meter.
func NewMeter() *Meter {
	m := &Meter{}
	m.ExtendBaseWidget(m)
	return m
}

// Fraction converts a linear peak to the meter's 0..1 scale (dB scale).
func Fraction(peak float32) float32 {
	if peak <= 0 {
		return 0
	}
	db := 20 * math.Log10(float64(peak))
	f := (db - MeterFloor) / -MeterFloor
	return float32(min(max(f, 0), 1))
}

// LevelColor is green below -12 dBFS, yellow from -12 to -3 dBFS and red
// above -3 dBFS, for a meter fraction f.
func LevelColor(f float32) color.Color {
	switch {
	case f >= Fraction(dbToLinear(-3)):
		return color.NRGBA{R: 0xe5, G: 0x2b, B: 0x2b, A: 0xff}
	case f >= Fraction(dbToLinear(-12)):
		return color.NRGBA{R: 0xf2, G: 0xc2, B: 0x1b, A: 0xff}
	}
	return color.NRGBA{R: 0x2e, G: 0xb8, B: 0x4d, A: 0xff}
}

func dbToLinear(db float64) float32 { return float32(math.Pow(10, db/20)) }

// Set shows a linear peak and held peak. It is cheap when nothing moves.
func (m *Meter) Set(peak, hold float32) {
	l, h := Fraction(peak), Fraction(hold)
	w := m.Size().Width
	if w <= 0 {
		m.level, m.hold = l, h
		return
	}
	if int(l*w) == int(m.level*w) && int(h*w) == int(m.hold*w) {
		return
	}
	m.level, m.hold = l, h
	m.Refresh()
}

// Level is the bar's length as a fraction of the meter.
func (m *Meter) Level() float32 { return m.level }

// Held is the held peak's position as a fraction of the meter.
func (m *Meter) Held() float32 { return m.hold }

// CreateRenderer is for Fyne.
func (m *Meter) CreateRenderer() fyne.WidgetRenderer {
	m.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	m.bar = canvas.NewRectangle(LevelColor(0))
	m.mark = canvas.NewRectangle(theme.Color(theme.ColorNameForeground))
	return &meterRenderer{m: m}
}

type meterRenderer struct{ m *Meter }

func (r *meterRenderer) Layout(s fyne.Size) {
	m := r.m
	m.bg.Resize(s)
	m.bar.Resize(fyne.NewSize(m.level*s.Width, s.Height))
	m.mark.Move(fyne.NewPos(max(m.hold*s.Width-2, 0), 0))
	m.mark.Resize(fyne.NewSize(2, s.Height))
	m.mark.Hidden = m.hold <= 0
}

func (r *meterRenderer) MinSize() fyne.Size { return fyne.NewSize(60, 10) }

func (r *meterRenderer) Refresh() {
	m := r.m
	m.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	m.bar.FillColor = LevelColor(m.level)
	m.mark.FillColor = theme.Color(theme.ColorNameForeground)
	r.Layout(m.Size())
	canvas.Refresh(m.bg)
	canvas.Refresh(m.bar)
	canvas.Refresh(m.mark)
}

func (r *meterRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.m.bg, r.m.bar, r.m.mark}
}

func (r *meterRenderer) Destroy() {}
