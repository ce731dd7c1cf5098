package songview

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects"
	"sangstudio/projects/edit"
	"sangstudio/ui/explain"
	"sangstudio/ui/shown"
	"sangstudio/ui/widgets"
)

// clipBar is the selected clip's actions, shown in the track bar while a
// clip is selected: its track and length, its volume, Split at playhead
// and Delete clip.
type clipBar struct {
	v    *View
	box  *fyne.Container
	info *widget.Label
	// gain is the selected clip's volume (one undo step per drag).
	gain     *widget.Slider
	gainText *widget.Label
	// setting is true while the selected clip's volume is copied into the
	// slider, so that it does not write it back.
	setting bool
}

func newClipBar(v *View) *clipBar {
	b := &clipBar{v: v}
	b.info = widget.NewLabel("")
	split := widgets.NewTipButton(lang.L("Split at playhead"), theme.ContentCutIcon(), lang.L("Split the clip at the playhead (S)"), v.SplitAtPlayhead)
	del := widgets.NewTipButton(lang.L("Delete clip"), theme.DeleteIcon(), lang.L("Remove the clip from the track; the recording is kept (Delete)"), v.DeleteClip)
	b.gain = widget.NewSlider(-24, 12)
	b.gain.Step = 0.5
	b.gainText = widget.NewLabel("")
	b.gain.OnChanged = func(db float64) { b.gainText.SetText(dbText(db)) }
	b.gain.OnChangeEnded = b.setGain
	gainBox := container.NewBorder(nil, nil, widget.NewLabel(lang.L("Clip volume")), b.gainText,
		container.NewGridWrap(fyne.NewSize(160, b.gain.MinSize().Height), b.gain))
	b.box = container.NewHBox(b.info, gainBox, split, del)
	b.box.Hide()
	return b
}

// setGain sets the selected clip's volume (the slider was let go).
func (b *clipBar) setGain(db float64) {
	t, c := b.v.selTrack, b.v.selClip
	if t < 0 || b.setting {
		return
	}
	b.v.edit("Clip volume", func(s *projects.Song) error { return edit.SetClipGain(s, t, c, db) })
}

// show shows clip c of track t of the song.
func (b *clipBar) show(s *projects.Song, t, c int) {
	cl := s.Tracks[t].Clips[c]
	b.info.SetText(fmt.Sprintf("%s · %s", shown.Text(s.Tracks[t].Name), widgets.Clock(cl.Length, s.Rate)))
	b.setting = true
	b.gain.SetValue(cl.GainDB)
	b.setting = false
	b.gainText.SetText(dbText(cl.GainDB))
	b.box.Show()
}

func (v *View) selectClip(t, c int) {
	v.selTrack, v.selClip = t, c
	v.tl.SetSelection(t, c)
	s := v.st.Song()
	if t < 0 || t >= len(s.Tracks) || c < 0 || c >= len(s.Tracks[t].Clips) {
		v.selTrack, v.selClip = -1, -1
		v.clips.box.Hide()
		return
	}
	v.clips.show(s, t, c)
}

// Selected is the selected clip (-1, -1 for none).
func (v *View) Selected() (track, clip int) { return v.selTrack, v.selClip }

// SplitAtPlayhead splits the selected clip (or the clip under the playhead
// on the first track that has one) at the playhead.
func (v *View) SplitAtPlayhead() {
	pos := v.st.Position()
	t, c := v.selTrack, v.selClip
	s := v.st.Song()
	if t < 0 {
		for i := range s.Tracks {
			if ci, ok := edit.ClipAt(s, i, pos); ok {
				t, c = i, ci
				break
			}
		}
	}
	if t < 0 {
		v.showError(explain.Plain(lang.L("Move the playhead onto a clip to split it"), nil))
		return
	}
	v.edit("Split clip", func(s *projects.Song) error { return edit.Split(s, t, c, pos) })
	v.selectClip(-1, -1)
}

// DeleteClip removes the selected clip from its track (the take file stays).
func (v *View) DeleteClip() {
	t, c := v.selTrack, v.selClip
	if t < 0 {
		return
	}
	v.edit("Delete clip", func(s *projects.Song) error { return edit.DeleteClip(s, t, c) })
	v.selectClip(-1, -1)
}
