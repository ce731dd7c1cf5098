package widgets

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// ReductionMeter shows a compressor's gain reduction: an amber bar from
// the left, as long as the reduction is deep (0 dB: no bar), with the
// figure written over it ("−3.5 dB"). It redraws only when the figure
// changes.
type ReductionMeter struct {
	widget.BaseWidget
	max, db float64
	bg, bar *canvas.Rectangle
	text    *canvas.Text
}

// reductionColor is the bar's amber: not the level meter's green, yellow
// or red (it is not a level), readable under white text.
func reductionColor() color.Color { return color.NRGBA{R: 0xc2, G: 0x7a, B: 0x0a, A: 0xff} }

// NewReductionMeter makes a meter whose bar fills at max dB of reduction.
func NewReductionMeter(max float64) *ReductionMeter {
	m := &ReductionMeter{max: max}
	m.ExtendBaseWidget(m)
	return m
}

// Set shows a reduction of db dB (rounded to 0.1 dB; at most max).
func (m *ReductionMeter) Set(db float64) {
	db = min(max(float64(int(db*10+0.5))/10, 0), m.max)
	if db == m.db {
		return
	}
	m.db = db
	m.Refresh()
}

// Value is the reduction shown, in dB.
func (m *ReductionMeter) Value() float64 { return m.db }

// Text is what the meter says: "0 dB", or "−3.5 dB".
func (m *ReductionMeter) Text() string {
	if m.db <= 0 {
		return "0 dB"
	}
	return fmt.Sprintf("−%.1f dB", m.db)
}

// CreateRenderer is for Fyne.
func (m *ReductionMeter) CreateRenderer() fyne.WidgetRenderer {
	m.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	m.bar = canvas.NewRectangle(reductionColor())
	m.text = canvas.NewText(m.Text(), theme.Color(theme.ColorNameForeground))
	m.text.Alignment = fyne.TextAlignCenter
	return &reductionRenderer{m: m}
}

type reductionRenderer struct{ m *ReductionMeter }

func (r *reductionRenderer) Layout(s fyne.Size) {
	m := r.m
	m.bg.Resize(s)
	m.bar.Resize(fyne.NewSize(float32(m.db/m.max)*s.Width, s.Height))
	m.text.Resize(s)
}

func (r *reductionRenderer) MinSize() fyne.Size {
	return fyne.NewSize(120, r.m.text.MinSize().Height+theme.Padding())
}

func (r *reductionRenderer) Refresh() {
	m := r.m
	m.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
	m.text.Color = theme.Color(theme.ColorNameForeground)
	m.text.Text = m.Text()
	r.Layout(m.Size())
	canvas.Refresh(m.bg)
	canvas.Refresh(m.bar)
	canvas.Refresh(m.text)
}

func (r *reductionRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.m.bg, r.m.bar, r.m.text}
}

func (r *reductionRenderer) Destroy() {}
