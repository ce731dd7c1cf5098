package songview

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// noticeBefore is how long before the session's end the quiet notice
// offers to take the song home or burn a CD.
const noticeBefore = 10 * time.Minute

// sessionPart is the hour's clock: how long the song has been open today
// (in small text under the title), and, with a session length set
// (Options.Session), a quiet notice ten minutes before its end that offers
// Take it home and Burn a CD in one click.
type sessionPart struct {
	v      *View
	clock  *widget.Label
	notice *fyne.Container
	// shown is the second the clock shows; dismissed is true once the
	// notice was shown (or put away) for this opening.
	shown     int64
	dismissed bool
}

func newSessionPart(v *View) *sessionPart {
	p := &sessionPart{v: v, shown: -1}
	p.clock = widget.NewLabel("")
	p.clock.SizeName = theme.SizeNameCaptionText
	text := widget.NewLabel(lang.L("The session ends in 10 minutes. Take the song home, or burn a CD?"))
	text.Wrapping = fyne.TextWrapWord
	home := widget.NewButtonWithIcon(lang.L("Take it home"), theme.DownloadIcon(), func() {
		p.hide()
		if v.opt.OnTakeHome != nil {
			v.opt.OnTakeHome()
		}
	})
	home.Importance = widget.HighImportance
	cd := widget.NewButtonWithIcon(lang.L("Burn a CD"), theme.MediaRecordIcon(), func() {
		p.hide()
		if v.opt.OnBurnCD != nil {
			v.opt.OnBurnCD()
		}
	})
	later := widget.NewButton(lang.L("Not now"), p.hide)
	p.notice = container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), container.NewHBox(home, cd, later), text)
	p.notice.Hide()
	return p
}

// tick shows the time open today, once a second, and the notice when the
// session is 10 minutes from its end.
func (p *sessionPart) tick(now time.Time) {
	if now.Unix() == p.shown {
		return
	}
	p.shown = now.Unix()
	open := p.v.st.OpenToday(now)
	p.clock.SetText(lang.L("Open today: {{.Time}}", map[string]any{"Time": hoursMinutes(open)}))
	if s := p.v.opt.Session; s > 0 && !p.dismissed && open >= s-noticeBefore {
		p.dismissed = true
		p.notice.Show()
	}
}

func (p *sessionPart) hide() { p.notice.Hide() }

// hoursMinutes writes d as h:mm (0:23, 1:05).
func hoursMinutes(d time.Duration) string {
	m := int(d / time.Minute)
	return fmt.Sprintf("%d:%02d", m/60, m%60)
}
