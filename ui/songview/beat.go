package songview

import (
	"fmt"
	"math"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/engine"
	"sangstudio/midi/beat"
	"sangstudio/projects"
	"sangstudio/ui/shown"
)

// editBeat is the undo step of every change made in the beat grid (one
// allowed in resident mode: making the beat is a resident's job).
const editBeat = "Edit the beat"

// beatPanel is the beat grid (Beat) of one beat clip: the pattern's lanes
// with their drums, mute, solo and volume, and its steps, one bar at a
// time, as large cells; the preset, the bars, triplets and swing over them.
// Every change is one undo step and is heard at once (the clip plays a
// new take). The step under the playhead is lit while the song plays.
type beatPanel struct {
	v       *View
	id      string // the track's ID
	clip    int    // the beat clip's index on the track
	d       dialog.Dialog
	setting bool // copying the song into the widgets: no writing back
	bar     int  // the bar shown, from 0
	follow  bool // the shown bar follows the playhead while playing

	preset   *widget.Select
	bars     *widget.Select
	triplets *widget.Check
	swing    *widget.Slider
	swingVal *widget.Label
	barBtns  *fyne.Container
	grid     *fyne.Container
	addDrum  *widget.Select // a drum not in the pattern yet, as a new lane
	lanes    []*laneRow
	shape    [2]int // lanes and steps per bar the grid was made for
	lit      int    // the step lit (-1: none)
}

// laneRow is one lane of the grid.
type laneRow struct {
	name       *widget.Label
	mute, solo *widget.Button
	vol        *widget.Slider
	cells      []*stepCell // the shown bar's steps
}

// beatClip is the beat clip the Beat panel of track i edits: the one
// under the playhead, else the first; -1 when the track has none.
func (v *View) beatClip(i int) int {
	clips := v.st.Song().Tracks[i].Clips
	pos, first := v.st.Position(), -1
	for k, c := range clips {
		if c.Beat == nil {
			continue
		}
		if first < 0 {
			first = k
		}
		if pos >= c.Position && pos < c.End() {
			return k
		}
	}
	return first
}

// openBeat opens the beat grid of track i's beat clip.
func (v *View) openBeat(i int) {
	k := v.beatClip(i)
	if k < 0 {
		return
	}
	t := v.st.Song().Tracks[i]
	p := &beatPanel{v: v, id: t.ID, clip: k, lit: -1, follow: true}
	content := p.build()
	title := lang.L("Beat: {{.Name}}", map[string]any{"Name": shown.Text(t.Name)})
	p.d = dialog.NewCustom(title, lang.L("Close"), content, v.opt.Window)
	p.d.SetOnClosed(func() {
		v.st.ListenAlone("") // the rest of the song comes back
		if v.beat == p {
			v.beat = nil
		}
	})
	v.beat = p
	p.update()
	win := v.opt.Window.Canvas().Size()
	p.d.Resize(fyne.NewSize(min(1400, max(win.Width-20, 600)), min(760, max(win.Height-20, 420))))
	p.d.Show()
}

// OpenBeat opens the beat grid of the first track with a beat, adding a
// beat track (the pop preset over the song) when there is none: the Beat
// button of the song view and of resident mode.
func (v *View) OpenBeat() {
	s := v.st.Song()
	for i, t := range s.Tracks {
		for _, c := range t.Clips {
			if c.Beat != nil {
				v.openBeat(i)
				return
			}
		}
	}
	i, err := v.addBeatTrack()
	if err != nil {
		v.showError(err)
		return
	}
	v.openBeat(i)
}

// addBeatTrack adds a beat track playing the first preset from bar 1 to
// the end of the song (at least 8 bars), as one undo step.
func (v *View) addBeatTrack() (int, error) {
	dir, at := v.st.Dir, -1
	err := v.st.Edit("Add beat", func(s *projects.Song) error {
		pr := beat.Presets()[0]
		p, err := beat.FromPreset(pr, 2)
		if err != nil {
			return err
		}
		p.Meter = s.TimeSig
		if err := p.Validate(); err != nil { // a song in another meter: an empty grid
			if p, err = beat.New(s.TimeSig, 2, false); err != nil {
				return err
			}
		}
		end := max(s.Length(), beat.BarStart(s, 9))
		at = beat.AddTrack(s, lang.L("Beat"))
		_, take, err := beat.Place(s, at, p, 0, end)
		if err != nil {
			return err
		}
		return take.Write(dir)
	})
	return at, err
}

// index is the panel's track's index now (-1: deleted).
func (p *beatPanel) index() int { return p.v.st.Song().TrackByID(p.id) }

// pattern is the pattern the panel edits (nil: gone).
func (p *beatPanel) pattern() *projects.Pattern {
	i := p.index()
	if i < 0 {
		return nil
	}
	clips := p.v.st.Song().Tracks[i].Clips
	if p.clip >= len(clips) {
		return nil
	}
	return clips[p.clip].Beat
}

// edit changes the pattern with change, as one undo step that writes the
// clip's new take.
func (p *beatPanel) edit(change func(q *projects.Pattern) (*projects.Pattern, error)) {
	i, k, dir := p.index(), p.clip, p.v.st.Dir
	if i < 0 {
		return
	}
	p.v.edit(editBeat, func(s *projects.Song) error { return beat.EditClip(dir, s, i, k, change) })
}

// build makes the panel: the pattern's settings, the bar chooser, the
// grid (made by update for the pattern's shape) and a line of help.
func (p *beatPanel) build() fyne.CanvasObject {
	p.preset = widget.NewSelect(nil, func(name string) {
		if p.setting {
			return
		}
		for _, pr := range beat.Presets() {
			if p.presetLabel(pr) == name {
				p.choosePreset(pr)
			}
		}
	})
	var names []string
	for _, pr := range beat.Presets() {
		names = append(names, p.presetLabel(pr))
	}
	p.preset.Options = names
	p.preset.PlaceHolder = lang.L("Choose a beat…")
	p.bars = widget.NewSelect([]string{"1", "2", "3", "4"}, func(s string) {
		if n, err := strconv.Atoi(s); err == nil && !p.setting {
			p.edit(func(q *projects.Pattern) (*projects.Pattern, error) { return beat.SetBars(q, n) })
		}
	})
	p.triplets = widget.NewCheck(lang.L("Triplets"), func(on bool) {
		if !p.setting {
			p.edit(func(q *projects.Pattern) (*projects.Pattern, error) { return beat.SetTriplets(q, on) })
		}
	})
	p.swing = widget.NewSlider(0, 1)
	p.swing.Step = 0.05
	p.swingVal = widget.NewLabel("")
	p.swing.OnChanged = func(f float64) { p.swingVal.SetText(swingText(f)) }
	p.swing.OnChangeEnded = func(f float64) {
		if !p.setting {
			p.edit(func(q *projects.Pattern) (*projects.Pattern, error) { return beat.SetSwing(q, f) })
		}
	}
	play := widget.NewButtonWithIcon(lang.L("Play the beat alone in a loop"), theme.MediaPlayIcon(), p.playLoop)
	swing := container.NewBorder(nil, nil, widget.NewLabel(lang.L("Swing")), p.swingVal, p.swing)
	top := container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Beat")), nil, p.preset),
		container.NewHBox(widget.NewLabel(lang.L("Bars")), p.bars, p.triplets, play))
	p.barBtns = container.NewHBox()
	p.grid = container.NewVBox()
	p.addDrum = widget.NewSelect(nil, func(name string) {
		if p.setting || name == "" {
			return
		}
		for _, d := range beat.Drums() {
			if p.drumName(d) == name {
				p.edit(func(q *projects.Pattern) (*projects.Pattern, error) { return beat.AddLane(q, d) })
			}
		}
	})
	p.addDrum.PlaceHolder = lang.L("Add a drum…")
	plain := widget.NewButton(lang.L("Make it plain MIDI notes"), p.flatten)
	help := widget.NewLabel(lang.L("Tap a step to turn it on or off. Right-click (or hold) a step to play it louder."))
	help.Wrapping = fyne.TextWrapWord
	head := container.NewVBox(top, swing, container.NewHBox(widget.NewLabel(lang.L("Bar")), p.barBtns))
	grid := container.NewVBox(p.grid, container.NewHBox(p.addDrum, plain))
	return container.NewBorder(head, help, nil, nil, container.NewVScroll(grid))
}

// drumName is a drum's name in the window's language.
func (p *beatPanel) drumName(d beat.Drum) string {
	if p.v.opt.Lang.Norwegian() {
		return d.Nb
	}
	return d.Name
}

// showDrums offers the drums q has no lane for yet (none when it has as
// many lanes as a pattern may).
func (p *beatPanel) showDrums(q *projects.Pattern) {
	var names []string
	for _, d := range beat.Drums() {
		used := false
		for _, l := range q.Lanes {
			used = used || l.Note == d.Note
		}
		if !used {
			names = append(names, p.drumName(d))
		}
	}
	if len(q.Lanes) >= beat.MaxLanes {
		names = nil
	}
	p.addDrum.Options = names
	p.addDrum.ClearSelected()
	if len(names) == 0 {
		p.addDrum.Disable()
	} else {
		p.addDrum.Enable()
	}
}

// presetLabel is a preset's name in the window's language, with its tempo.
func (p *beatPanel) presetLabel(pr beat.Preset) string {
	name := pr.Name
	if p.v.opt.Lang.Norwegian() {
		name = pr.Nb
	}
	return fmt.Sprintf("%s (%s)", name, pr.Tempo)
}

func swingText(f float64) string { return fmt.Sprintf("%d %%", int(math.Round(f*100))) }

// choosePreset gives the clip the preset's lanes (keeping the bars).
func (p *beatPanel) choosePreset(pr beat.Preset) {
	bars := 1
	if q := p.pattern(); q != nil {
		bars = q.Bars
	}
	p.edit(func(*projects.Pattern) (*projects.Pattern, error) { return beat.FromPreset(pr, bars) })
}

// playLoop plays the beat clip's first pattern in a loop, the beat alone
// (until Stop, or the grid closes).
func (p *beatPanel) playLoop() {
	i, q := p.index(), p.pattern()
	if q == nil {
		return
	}
	c := p.v.st.Song().Tracks[i].Clips[p.clip]
	from := c.Position
	to := min(c.End(), from+int64(math.Round(float64(q.Len())*p.stepFrames(q))))
	p.v.st.SetLoop(from, to, true)
	p.v.st.Locate(from)
	if p.v.st.State() == engine.Stopped {
		p.v.st.Play()
	}
	p.v.st.ListenAlone(p.id)
}

// flatten turns the beat clip into a plain MIDI clip (its notes kept, the
// pattern dropped), as one undo step, and closes the grid.
func (p *beatPanel) flatten() {
	i, k := p.index(), p.clip
	if i < 0 {
		return
	}
	p.v.edit("Make the beat plain MIDI", func(s *projects.Song) error { return beat.Flatten(s, i, k) })
}

// stepFrames is how long one step of q lasts at the song's tempo.
func (p *beatPanel) stepFrames(q *projects.Pattern) float64 {
	s := p.v.st.Song()
	quarter := float64(s.Rate) * 60 / beat.FileTempo(s)
	if q.Triplets {
		return quarter / 3
	}
	return quarter / 4
}

// update shows the pattern (after any change to the song); a panel whose
// clip is gone closes.
func (p *beatPanel) update() {
	q := p.pattern()
	if q == nil {
		p.d.Hide()
		return
	}
	p.setting = true
	defer func() { p.setting = false }()
	preset := ""
	for _, pr := range beat.Presets() {
		if pr.ID == q.Preset {
			preset = p.presetLabel(pr)
		}
	}
	showSelected(p.preset, preset)
	showSelected(p.bars, strconv.Itoa(q.Bars))
	p.triplets.SetChecked(q.Triplets)
	if q.Meter.Unit != 4 { // triplets are for meters counted in quarter notes
		p.triplets.Disable()
	} else {
		p.triplets.Enable()
	}
	if q.Triplets || q.Meter.Unit != 4 {
		p.swing.Disable()
	} else {
		p.swing.Enable()
	}
	p.swing.SetValue(q.Swing)
	p.swingVal.SetText(swingText(q.Swing))
	p.bar = min(p.bar, q.Bars-1)
	if p.shape != [2]int{len(q.Lanes), q.StepsPerBar()} {
		p.makeGrid(q)
	}
	p.showBars(q)
	p.showLanes(q)
	p.showDrums(q)
}

// makeGrid makes the lanes' rows for q's lanes and steps per bar.
func (p *beatPanel) makeGrid(q *projects.Pattern) {
	per := q.StepsPerBar()
	p.shape = [2]int{len(q.Lanes), per}
	p.lanes = p.lanes[:0]
	p.grid.RemoveAll()
	beatLen := per / q.Meter.Beats
	for li := range q.Lanes {
		r := &laneRow{name: widget.NewLabel("")}
		r.name.TextStyle.Bold = true
		r.mute = widget.NewButton("M", func() {
			on := !p.pattern().Lanes[li].Mute
			p.edit(func(q *projects.Pattern) (*projects.Pattern, error) { return beat.SetLaneMute(q, li, on) })
		})
		r.solo = widget.NewButton("S", func() {
			on := !p.pattern().Lanes[li].Solo
			p.edit(func(q *projects.Pattern) (*projects.Pattern, error) { return beat.SetLaneSolo(q, li, on) })
		})
		r.vol = widget.NewSlider(0, 1)
		r.vol.Step = 0.05
		r.vol.OnChangeEnded = func(f float64) {
			if !p.setting {
				p.edit(func(q *projects.Pattern) (*projects.Pattern, error) { return beat.SetLaneVolume(q, li, f) })
			}
		}
		cells := container.NewGridWithColumns(per)
		for k := 0; k < per; k++ {
			onBeat := beatLen > 0 && k%beatLen == 0
			r.cells = append(r.cells, newStepCell(onBeat, func(secondary bool) { p.tap(li, k, secondary) }))
			cells.Add(r.cells[k])
		}
		left := container.NewGridWrap(fyne.NewSize(330, stepSize),
			container.NewBorder(nil, nil, container.NewHBox(r.mute, r.solo), nil,
				container.NewGridWithColumns(2, r.name, r.vol)))
		p.grid.Add(container.NewBorder(nil, nil, left, nil, cells))
		p.lanes = append(p.lanes, r)
	}
}

// tap is a tap on step k of the shown bar of lane li.
func (p *beatPanel) tap(li, k int, secondary bool) {
	q := p.pattern()
	if q == nil {
		return
	}
	n := p.bar*q.StepsPerBar() + k
	if secondary {
		l := louder(q.Lanes[li].Steps[n].Level)
		p.edit(func(q *projects.Pattern) (*projects.Pattern, error) { return beat.SetLevel(q, li, n, l) })
		return
	}
	p.edit(func(q *projects.Pattern) (*projects.Pattern, error) { return beat.Toggle(q, li, n) })
}

// showBars makes the bar chooser: one button a bar, the shown one lit.
func (p *beatPanel) showBars(q *projects.Pattern) {
	if len(p.barBtns.Objects) != q.Bars {
		p.barBtns.RemoveAll()
		for b := 0; b < q.Bars; b++ {
			p.barBtns.Add(widget.NewButton(strconv.Itoa(b+1), func() {
				p.bar, p.follow = b, false
				p.update()
			}))
		}
	}
	for b, o := range p.barBtns.Objects {
		setOn(o.(*widget.Button), b == p.bar, widget.HighImportance)
	}
}

// showLanes shows each lane's name, mute, solo, volume and the shown
// bar's steps.
func (p *beatPanel) showLanes(q *projects.Pattern) {
	language := string(p.v.opt.Lang)
	per := q.StepsPerBar()
	for li, r := range p.lanes {
		l := q.Lanes[li]
		r.name.SetText(shown.Text(beat.LaneName(l, language)))
		setOn(r.mute, l.Mute, widget.WarningImportance)
		setOn(r.solo, l.Solo, widget.HighImportance)
		r.vol.SetValue(l.Volume)
		for k, c := range r.cells {
			c.set(l.Steps[p.bar*per+k], p.lit == p.bar*per+k)
		}
	}
}

// tick lights the step under the playhead while the song plays within the
// clip (and shows its bar, unless a bar was chosen by hand).
func (p *beatPanel) tick() {
	q := p.pattern()
	if q == nil {
		return
	}
	lit := -1
	if p.v.st.State() != engine.Stopped {
		c := p.v.st.Song().Tracks[p.index()].Clips[p.clip]
		pos := p.v.st.Position()
		if pos >= c.Position && pos < c.End() {
			lit = int(float64(pos-c.Position+c.Offset)/p.stepFrames(q)) % q.Len()
		}
	} else {
		p.follow = true
	}
	if lit == p.lit {
		return
	}
	p.lit = lit
	if lit >= 0 && p.follow && lit/q.StepsPerBar() != p.bar {
		p.bar = lit / q.StepsPerBar()
		p.showBars(q)
	}
	p.showLanes(q)
}
