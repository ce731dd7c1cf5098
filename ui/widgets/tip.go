// Package widgets holds the small widgets the window's views share: a
// button with a tooltip (Fyne 2.7 has none) and a peak meter that redraws
// only when its value moves on screen; and the clock's texts (m:ss.t, bar
// and beat).
package widgets

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TipDelay is how long the pointer rests on a button before its tooltip shows.
const TipDelay = 600 * time.Millisecond

// TipButton is a button that shows a tooltip (what it does and its key)
// when the pointer rests on it.
type TipButton struct {
	widget.Button
	Tip string

	timer *time.Timer
	pop   *widget.PopUp
}

// NewTipButton makes a button with a label, an icon (may be nil), a tooltip
// and an action.
func NewTipButton(label string, icon fyne.Resource, tip string, tapped func()) *TipButton {
	b := &TipButton{Tip: tip}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn starts the tooltip's timer.
func (b *TipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	if b.Tip == "" {
		return
	}
	b.stopTimer()
	b.timer = time.AfterFunc(TipDelay, func() { fyne.Do(b.ShowTip) })
}

// MouseMoved is needed for desktop.Hoverable.
func (b *TipButton) MouseMoved(e *desktop.MouseEvent) { b.Button.MouseMoved(e) }

// MouseOut hides the tooltip.
func (b *TipButton) MouseOut() {
	b.Button.MouseOut()
	b.stopTimer()
	b.HideTip()
}

// Tapped hides the tooltip and runs the action.
func (b *TipButton) Tapped(e *fyne.PointEvent) {
	b.stopTimer()
	b.HideTip()
	b.Button.Tapped(e)
}

func (b *TipButton) stopTimer() {
	if b.timer != nil {
		b.timer.Stop()
		b.timer = nil
	}
}

// ShowTip shows the tooltip under the button (on the UI thread).
func (b *TipButton) ShowTip() {
	c := fyne.CurrentApp().Driver().CanvasForObject(b)
	if c == nil || b.Tip == "" || b.pop != nil {
		return
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	txt := widget.NewLabel(b.Tip)
	b.pop = widget.NewPopUp(container.NewStack(bg, txt), c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
	pos.Y += b.Size().Height + theme.Padding()
	b.pop.ShowAtPosition(pos)
}

// HideTip hides the tooltip if it shows.
func (b *TipButton) HideTip() {
	if b.pop != nil {
		b.pop.Hide()
		b.pop = nil
	}
}
