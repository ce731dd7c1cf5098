package songview

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/ui/widgets"
)

// LeaveHold is how long the button that leaves resident mode must be held.
const LeaveHold = 2 * time.Second

// Lyrics text scales: how much larger than the rest the lyrics are, in the
// full view and in resident mode.
const (
	lyricsScale   = 1.4
	residentScale = 2.2
)

// buildResident lays out resident mode: the song's title, the large Record,
// Keep that, Play, Stop and Undo buttons with the clock, and the lyrics in
// very large text; nothing else. The parts are the same as in the full
// view (the transport, the header's Undo, the lyrics), so they behave the
// same; the studio refuses any change but recording and the lyrics
// (Studio.SetResident). Leaving takes holding a button for LeaveHold.
func (v *View) buildResident() {
	t := v.trans
	leave := widgets.NewHoldButton(lang.L("Hold to leave resident mode"), theme.LogoutIcon(), LeaveHold, v.post, func() {
		if v.opt.OnResident != nil {
			v.opt.OnResident(false)
		}
	})
	top := container.NewBorder(nil, nil, v.head.title, leave)
	beats := widget.NewButtonWithIcon(lang.L("Beat"), theme.GridIcon(), v.OpenBeat)
	buttons := container.NewGridWithColumns(6, t.record, t.keep, t.play, t.stop, v.head.undo, beats)
	clock := container.New(layout.NewCustomPaddedVBoxLayout(-3*theme.Padding()), t.clock, t.barBeat)
	row := container.NewBorder(nil, nil, nil, clock, container.New(layout.NewCustomPaddedLayout(8, 8, 0, 0), buttons))
	v.content = container.NewBorder(container.NewVBox(top, row, t.said, t.status, widget.NewSeparator()), nil, nil, nil, v.lyrics.box)
}

// post runs f on the UI thread (Options.Post; fyne.Do when not set).
func (v *View) post(f func()) {
	if v.opt.Post != nil {
		v.opt.Post(f)
		return
	}
	fyne.Do(f)
}
