package songview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects"
	"sangstudio/ui/timeline"
)

// trackStrips is the column of track strips left of the timeline, each
// beside its track's row, and the hint shown while the song has no tracks.
type trackStrips struct {
	v    *View
	tl   *timeline.Timeline
	list []*strip
	box  *fyne.Container
	hint *widget.Label
}

func newTrackStrips(v *View, tl *timeline.Timeline) *trackStrips {
	ts := &trackStrips{v: v, tl: tl}
	width, _ := rowSize(v.opt.TrackHeight)
	ts.box = container.New(&stripLayout{tl: tl, width: width})
	ts.hint = widget.NewLabelWithStyle(lang.L("This song has no tracks yet. Press Add track to make one to record on."), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	ts.hint.Wrapping = fyne.TextWrapWord
	return ts
}

// showSong gives each of the song's tracks a strip, makes the timeline's
// rows as tall as a strip needs at the current text size, and shows the
// hint while there are no tracks.
func (ts *trackStrips) showSong(s *projects.Song) {
	for len(ts.list) < len(s.Tracks) {
		st := ts.v.newStrip(len(ts.list))
		ts.list = append(ts.list, st)
		if st.more {
			ts.box.Add(container.New(layout.NewCustomPaddedLayout(2, 2, 4, 4), st.box)) // one line: tight
		} else {
			ts.box.Add(container.NewPadded(st.box))
		}
	}
	for len(ts.list) > len(s.Tracks) {
		ts.list = ts.list[:len(ts.list)-1]
		ts.box.Remove(ts.box.Objects[len(ts.box.Objects)-1])
	}
	if len(ts.list) > 0 {
		_, least := rowSize(ts.v.opt.TrackHeight)
		h := max(least, ts.box.Objects[0].MinSize().Height)
		if h != ts.tl.RowHeight() {
			ts.tl.SetRowHeight(h)
		}
	}
}

// showHint shows the hint while the song has no tracks.
func (ts *trackStrips) showHint(tracks int) {
	if tracks == 0 {
		ts.hint.Show()
	} else {
		ts.hint.Hide()
	}
}

// update copies the song into every strip.
func (ts *trackStrips) update() {
	for _, st := range ts.list {
		st.update()
	}
}

// meterTick shows each track's meter; it reports whether any still moves.
func (ts *trackStrips) meterTick() (moving bool) {
	for _, st := range ts.list {
		st.meterTick()
		moving = moving || st.meter.Level() > 0 || st.meter.Held() > 0
	}
	return moving
}

// newTrackBar is the line over the tracks: Add track, Show all takes, and
// the selected clip's actions.
func (v *View) newTrackBar() fyne.CanvasObject {
	addTrack := widget.NewButtonWithIcon(lang.L("Add track"), theme.ContentAddIcon(), v.AddTrack)
	beats := widget.NewButtonWithIcon(lang.L("Beat"), theme.GridIcon(), v.OpenBeat)
	lanes := widget.NewCheck(lang.L("Show all takes"), func(on bool) {
		v.tl.SetShowLanes(on)
		v.strips.box.Refresh()
	})
	return container.NewHBox(addTrack, beats, lanes, v.clips.box)
}

// stripLayout puts each track's strip beside its row on the timeline: below
// the ruler, at the row's top, one row high (take lanes, when shown, make
// the rows taller).
type stripLayout struct {
	tl    *timeline.Timeline
	width float32
}

func (l *stripLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := l.tl.RulerHeight()
	for i, o := range objs {
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, l.tl.RowHeight()))
		y += l.tl.TrackHeight(i)
	}
}

func (l *stripLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := l.tl.RulerHeight()
	for i := range objs {
		h += l.tl.TrackHeight(i)
	}
	return fyne.NewSize(l.width, h)
}
