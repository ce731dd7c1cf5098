package widgets

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// HoldButton is a button that acts only when it is held down for Hold: a
// deliberate action that a stray click or tap cannot do (leaving resident
// mode). While it is held its text counts down; released early, nothing
// happens. Its action runs on the UI thread through Post.
type HoldButton struct {
	widget.Button
	Hold time.Duration
	// Post runs a function on the UI thread (the window's poster).
	Post func(func())
	// OnHeld is called once the button was held for Hold.
	OnHeld func()

	label   string
	held    *time.Timer
	ticker  *time.Ticker
	stopped chan struct{}
	down    time.Time
}

// NewHoldButton makes a button that calls held after it was held for hold.
func NewHoldButton(label string, icon fyne.Resource, hold time.Duration, post func(func()), held func()) *HoldButton {
	b := &HoldButton{Hold: hold, Post: post, OnHeld: held, label: label}
	b.Text, b.Icon = label, icon
	b.ExtendBaseWidget(b)
	return b
}

// Tapped does nothing: a tap is not a hold.
func (b *HoldButton) Tapped(*fyne.PointEvent) {}

// MouseDown starts the hold.
func (b *HoldButton) MouseDown(*desktop.MouseEvent) { b.Press(time.Now()) }

// MouseUp ends it; before Hold has passed, nothing happens.
func (b *HoldButton) MouseUp(*desktop.MouseEvent) { b.Release() }

// Press starts a hold at now: after Hold, OnHeld runs (on the UI thread).
func (b *HoldButton) Press(now time.Time) {
	b.Release()
	b.down = now
	stopped := make(chan struct{})
	b.stopped = stopped
	b.held = time.AfterFunc(b.Hold, func() {
		b.Post(func() {
			select {
			case <-stopped:
				return // released meanwhile
			default:
			}
			b.Release()
			if b.OnHeld != nil {
				b.OnHeld()
			}
		})
	})
	b.ticker = time.NewTicker(250 * time.Millisecond)
	go b.count(b.ticker, stopped)
}

// count shows the seconds left while the button is held.
func (b *HoldButton) count(t *time.Ticker, stopped chan struct{}) {
	for {
		select {
		case <-stopped:
			return
		case now := <-t.C:
			b.Post(func() {
				select {
				case <-stopped:
				default:
					left := b.Hold - now.Sub(b.down)
					b.SetText(b.label + " … " + time.Duration(max(left, 0)+time.Second-1).Truncate(time.Second).String())
				}
			})
		}
	}
}

// Release ends a hold early (or after it acted).
func (b *HoldButton) Release() {
	if b.stopped == nil {
		return
	}
	close(b.stopped)
	b.stopped = nil
	b.held.Stop()
	b.ticker.Stop()
	b.SetText(b.label)
}
