package songview

import (
	"image/color"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/midi/beat"
)

// stepSize is a step cell's smallest size: large enough for a finger.
const stepSize = 44

// stepCell is one step of a lane in the beat grid: a large square, empty
// when the step is off, filled lighter or darker as it is played softer
// or harder, with its hits written in it for a roll. A tap turns it on or
// off; a right-click (a long press on a touch screen) makes it louder,
// round from soft to accent. The cell under the playhead is lit.
type stepCell struct {
	widget.BaseWidget
	rect  *canvas.Rectangle
	text  *canvas.Text
	step  beat.Step
	lit   bool
	beat  bool // the step starts a beat: drawn a little darker when off
	ro    bool
	onTap func(secondary bool)
}

func newStepCell(onBeat bool, onTap func(secondary bool)) *stepCell {
	c := &stepCell{rect: canvas.NewRectangle(color.Transparent), text: canvas.NewText("", color.White),
		beat: onBeat, onTap: onTap}
	c.rect.SetMinSize(fyne.NewSize(stepSize, stepSize))
	c.rect.CornerRadius = 4
	c.text.Alignment = fyne.TextAlignCenter
	c.text.TextStyle.Bold = true
	c.ExtendBaseWidget(c)
	c.paint()
	return c
}

func (c *stepCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(c.rect, container.NewCenter(c.text)))
}

// Tapped turns the step on or off.
func (c *stepCell) Tapped(*fyne.PointEvent) {
	if !c.ro && c.onTap != nil {
		c.onTap(false)
	}
}

// TappedSecondary makes the step louder.
func (c *stepCell) TappedSecondary(*fyne.PointEvent) {
	if !c.ro && c.onTap != nil {
		c.onTap(true)
	}
}

// set shows step s, lit or not.
func (c *stepCell) set(s beat.Step, lit bool) {
	if s == c.step && lit == c.lit {
		return
	}
	c.step, c.lit = s, lit
	c.paint()
	c.Refresh()
}

// paint colours the cell for its step.
func (c *stepCell) paint() {
	v := theme.Current().Color
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	fill := v(theme.ColorNameInputBackground, variant)
	if c.beat {
		fill = v(theme.ColorNameDisabledButton, variant)
	}
	switch c.step.Level {
	case beat.Soft:
		fill = withAlpha(v(theme.ColorNamePrimary, variant), 0x70)
	case beat.Normal:
		fill = v(theme.ColorNamePrimary, variant)
	case beat.Accent:
		fill = v(theme.ColorNameError, variant)
	}
	c.rect.FillColor = fill
	c.rect.StrokeWidth, c.rect.StrokeColor = 0, nil
	if c.lit {
		c.rect.StrokeWidth, c.rect.StrokeColor = 4, v(theme.ColorNameWarning, variant)
	}
	c.text.Text = ""
	if c.step.On() && c.step.Hits > 1 {
		c.text.Text = "×" + strconv.Itoa(c.step.Hits)
	}
	c.text.Color = v(theme.ColorNameForegroundOnPrimary, variant)
}

func withAlpha(c color.Color, a uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: a}
}

// louder is the level a right-click gives a step: soft, normal, accent,
// then soft again (an off step comes on soft).
func louder(l beat.Level) beat.Level {
	switch l {
	case beat.Soft:
		return beat.Normal
	case beat.Normal:
		return beat.Accent
	}
	return beat.Soft
}
