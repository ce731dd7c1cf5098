// Package songview is the song screen: the transport (large Record, Play
// and Stop), one strip per track beside its row on the timeline, the
// lyrics, markers, clip editing, and the Share menu (stems, bounce, take
// home, CD). It shows a studio.Studio and calls it; it does no audio or
// disk work itself.
package songview

import (
	"errors"
	"fmt"
	"image/color"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/engine"
	"sangstudio/audio/session"
	"sangstudio/projects"
	"sangstudio/projects/edit"
	"sangstudio/ui/shown"
	"sangstudio/ui/studio"
	"sangstudio/ui/timeline"
	"sangstudio/ui/widgets"
)

// Options for New.
type Options struct {
	Window fyne.Window
	Studio *studio.Studio
	// Peaks draws waveforms (nil: flat clips).
	Peaks timeline.PeaksFunc
	// TakeFrames gives a take's length in frames (0 if unknown), for trims.
	TakeFrames func(take string) int64
	// OnBack shows the song library; OnSettings the settings.
	OnBack, OnSettings func()
	// OnTakeHome and OnBurnCD start the take-home and CD steps; nil shows
	// them as not available yet.
	OnTakeHome, OnBurnCD func()
	// OnError shows what went wrong with something the user did, already
	// said in plain words in the window's language (Explain); nil shows it
	// in an error dialog on Window.
	OnError func(error)
}

// RowHeight is the height of a track row (strip and timeline).
const RowHeight = 190

// View is the song screen.
type View struct {
	opt Options
	st  *studio.Studio

	content  fyne.CanvasObject
	title    *widget.Label
	status   *widget.Label
	clock    *widget.Label
	barBeat  *widget.Label
	tempo    *widget.Entry
	record   *widgets.TipButton
	keep     *widgets.TipButton
	play     *widgets.TipButton
	stop     *widgets.TipButton
	home     *widgets.TipButton
	undo     *widgets.TipButton
	redo     *widgets.TipButton
	click    *widget.Check
	countIn  *widget.Select
	loop     *widget.Check
	lyrics   *lyricsEntry
	master   *widgets.Meter
	strips   []*strip
	stripBox *fyne.Container
	tl       *timeline.Timeline
	clipBar  *fyne.Container
	clipInfo *widget.Label
	empty    *widget.Label // the hint shown while the song has no tracks
	// clipGain is the selected clip's volume (one undo step per drag).
	clipGain     *widget.Slider
	clipGainText *widget.Label
	settingClip  bool

	// listening shows that the armed inputs are kept in memory for Keep
	// that (people must see that the app listens).
	listening  *fyne.Container
	listenText *widget.Label

	selTrack, selClip int
	lastPos           int64
	lastState         engine.State
	fitted            bool // zoomed to the song once the timeline had a size
	// lyricsAt is when the lyrics were last typed in; they are saved (one
	// undo step) once typing pauses.
	lyricsAt      time.Time
	settingLyrics bool
	// left is the notice of recordings the song does not use.
	left *leftovers

	// OnExport renders the mix or the stems (the window shows progress);
	// OnImport adds files as new tracks.
	OnExport func(studio.ExportKind)
	OnImport func(paths []string)
}

// New builds the song screen for the studio's song.
func New(opt Options) *View {
	v := &View{opt: opt, st: opt.Studio, selTrack: -1, selClip: -1, lastPos: -1, lastState: -1}
	v.build()
	v.Refresh(studio.ChangedSong | studio.ChangedTransport | studio.ChangedHistory | studio.ChangedArm)
	v.tl.ZoomToFit()
	v.left.check()
	return v
}

// Content is the screen.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Timeline is the timeline widget.
func (v *View) Timeline() *timeline.Timeline { return v.tl }

func (v *View) build() {
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.SizeName = theme.SizeNameHeadingText
	back := widgets.NewTipButton(lang.L("Songs"), theme.NavigateBackIcon(), lang.L("Back to your songs (Ctrl+O)"), func() {
		if v.opt.OnBack != nil {
			v.opt.OnBack()
		}
	})
	v.undo = widgets.NewTipButton(lang.L("Undo"), theme.ContentUndoIcon(), lang.L("Undo (Ctrl+Z)"), v.st.Undo)
	v.redo = widgets.NewTipButton(lang.L("Redo"), theme.ContentRedoIcon(), lang.L("Redo (Ctrl+Shift+Z)"), v.st.Redo)
	share := widgets.NewTipButton(lang.L("Share"), theme.UploadIcon(), lang.L("Export, take home, burn a CD (Ctrl+E)"), v.ShowShare)
	share.Importance = widget.HighImportance
	settings := widgets.NewTipButton("", theme.SettingsIcon(), lang.L("Settings (Ctrl+,)"), func() {
		if v.opt.OnSettings != nil {
			v.opt.OnSettings()
		}
	})
	top := container.NewBorder(nil, nil, container.NewHBox(back, v.title), container.NewHBox(v.undo, v.redo, share, settings))

	// Transport.
	v.record = widgets.NewTipButton(lang.L("Record"), theme.MediaRecordIcon(), lang.L("Record the armed tracks (R)"), v.Record)
	v.record.Importance = widget.DangerImportance
	v.keep = widgets.NewTipButton(lang.L("Keep that"), theme.HistoryIcon(),
		lang.L("Save what the armed tracks just heard as a take, without having pressed Record (K)"), v.Keep)
	v.play = widgets.NewTipButton(lang.L("Play"), theme.MediaPlayIcon(), lang.L("Play / stop (Space)"), v.st.Play)
	v.play.Importance = widget.HighImportance
	v.stop = widgets.NewTipButton(lang.L("Stop"), theme.MediaStopIcon(), lang.L("Stop (Space)"), v.st.Stop)
	v.home = widgets.NewTipButton("", theme.MediaSkipPreviousIcon(), lang.L("Back to the start (Home)"), func() { v.st.Locate(0) })
	v.clock = widget.NewLabelWithStyle("0:00.0", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	v.clock.SizeName = theme.SizeNameHeadingText
	v.barBeat = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	v.tempo = widget.NewEntry()
	v.tempo.OnSubmitted = v.setTempo
	v.click = widget.NewCheck(lang.L("Click"), func(on bool) {
		if on != v.st.Click() {
			v.st.SetClick(on)
		}
	})
	countIns := []string{lang.L("No count-in"), lang.L("1 bar count-in"), lang.L("2 bars count-in")}
	v.countIn = widget.NewSelect(countIns, func(s string) {
		for i, c := range countIns {
			if c == s && i != v.st.CountIn() {
				v.st.SetCountIn(i)
			}
		}
	})
	v.loop = widget.NewCheck(lang.L("Loop"), func(on bool) {
		from, to, cur := v.st.Loop()
		if on != cur {
			if to <= from {
				// No range yet: loop the section around the playhead.
				from, to = v.sectionAround(v.st.Position())
			}
			v.st.SetLoop(from, to, on)
		}
	})
	marker := widgets.NewTipButton(lang.L("Marker"), theme.ContentAddIcon(), lang.L("Add a marker at the playhead (M)"), v.AddMarker)
	v.master = widgets.NewMeter()
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.listenText = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.listenText.Importance = widget.WarningImportance
	v.listening = container.NewHBox(widget.NewIcon(theme.NewWarningThemedResource(theme.MediaRecordIcon())), v.listenText)
	v.listening.Hide()
	tempoBox := container.NewHBox(widget.NewLabel(lang.L("Tempo")), container.NewGridWrap(fyne.NewSize(90, v.tempo.MinSize().Height), v.tempo), widget.NewLabel("BPM"))
	buttons := container.NewGridWithColumns(5, v.record, v.keep, v.play, v.stop, v.home)
	timeBox := container.NewVBox(v.clock, v.barBeat)
	transport := container.NewVBox(
		container.NewBorder(nil, nil, nil, timeBox, container.New(layout.NewCustomPaddedLayout(4, 4, 0, 0), buttons)),
		container.NewHBox(tempoBox, v.click, container.NewGridWrap(fyne.NewSize(240, v.countIn.MinSize().Height), v.countIn), v.loop, marker),
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Master")), v.listening, v.master),
		v.status,
	)
	for _, b := range []*widgets.TipButton{v.record, v.keep, v.play, v.stop} {
		b.IconPlacement = widget.ButtonIconLeadingText
	}

	// Tracks and timeline.
	v.tl = timeline.New(v.opt.Peaks)
	v.tl.SetRowHeight(RowHeight)
	v.tl.OnSeek = func(f int64) { v.st.Locate(f) }
	v.tl.OnSelectClip = v.selectClip
	v.tl.OnMoveClip = func(t, c int, pos int64) {
		v.edit("Move clip", func(s *projects.Song) error { return edit.MoveClip(s, t, c, pos) })
	}
	v.tl.OnTrimStart = func(t, c int, start int64) {
		v.edit("Trim clip", func(s *projects.Song) error { return edit.TrimStart(s, t, c, start) })
	}
	v.tl.OnTrimEnd = func(t, c int, end int64) {
		v.edit("Trim clip", func(s *projects.Song) error {
			return edit.TrimEnd(s, t, c, end, v.takeFrames(s.Tracks[t].Clips[c].Take))
		})
	}
	v.tl.OnFadeIn = func(t, c int, n int64) {
		v.edit("Fade in", func(s *projects.Song) error {
			return edit.SetFades(s, t, c, n, s.Tracks[t].Clips[c].FadeOut)
		})
	}
	v.tl.OnFadeOut = func(t, c int, n int64) {
		v.edit("Fade out", func(s *projects.Song) error {
			return edit.SetFades(s, t, c, s.Tracks[t].Clips[c].FadeIn, n)
		})
	}
	v.tl.OnSetLoop = func(from, to int64) { v.st.SetLoop(from, to, true) }
	v.tl.OnMarker = v.editMarker
	v.tl.OnPickTake = func(t int, lane string) {
		v.edit("Choose take", func(s *projects.Song) error { return edit.ActivateTake(s, t, lane) })
	}
	addTrack := widget.NewButtonWithIcon(lang.L("Add track"), theme.ContentAddIcon(), v.AddTrack)
	lanes := widget.NewCheck(lang.L("Show all takes"), func(on bool) {
		v.tl.SetShowLanes(on)
		v.stripBox.Refresh()
	})
	v.stripBox = container.New(&stripLayout{v.tl})
	v.empty = widget.NewLabelWithStyle(lang.L("This song has no tracks yet. Press Add track to make one to record on."), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	v.empty.Wrapping = fyne.TextWrapWord
	body := container.NewBorder(v.empty, nil, v.stripBox, nil, v.tl)
	scroll := container.NewVScroll(body)

	// Clip actions, shown when a clip is selected.
	v.clipInfo = widget.NewLabel("")
	split := widgets.NewTipButton(lang.L("Split at playhead"), theme.ContentCutIcon(), lang.L("Split the clip at the playhead (S)"), v.SplitAtPlayhead)
	del := widgets.NewTipButton(lang.L("Delete clip"), theme.DeleteIcon(), lang.L("Remove the clip from the track; the recording is kept (Delete)"), v.DeleteClip)
	v.clipGain = widget.NewSlider(-24, 12)
	v.clipGain.Step = 0.5
	v.clipGainText = widget.NewLabel("")
	v.clipGain.OnChanged = func(db float64) { v.clipGainText.SetText(dbText(db)) }
	v.clipGain.OnChangeEnded = func(db float64) {
		t, c := v.selTrack, v.selClip
		if t < 0 || v.settingClip {
			return
		}
		v.edit("Clip volume", func(s *projects.Song) error { return edit.SetClipGain(s, t, c, db) })
	}
	gainBox := container.NewBorder(nil, nil, widget.NewLabel(lang.L("Clip volume")), v.clipGainText,
		container.NewGridWrap(fyne.NewSize(160, v.clipGain.MinSize().Height), v.clipGain))
	v.clipBar = container.NewHBox(v.clipInfo, gainBox, split, del)
	v.clipBar.Hide()
	trackBar := container.NewHBox(addTrack, lanes, v.clipBar)

	// Lyrics.
	v.lyrics = newLyricsEntry()
	v.lyrics.Wrapping = fyne.TextWrapWord
	v.lyrics.TextStyle = fyne.TextStyle{}
	v.lyrics.SetPlaceHolder(lang.L("Write the lyrics here"))
	v.lyrics.OnChanged = func(text string) {
		if v.settingLyrics {
			return
		}
		// Typed or pasted control characters (other than line breaks and
		// tabs) are refused: the lyrics go back to what they were.
		if err := projects.CheckLyrics(text); err != nil {
			v.settingLyrics = true
			v.lyrics.SetText(shown.Lines(v.st.Song().Lyrics))
			v.settingLyrics = false
			v.showError(err)
			return
		}
		v.st.Live(func(s *projects.Song) { s.Lyrics = text })
		v.lyricsAt = time.Now()
	}
	lyricsTitle := widget.NewLabelWithStyle(lang.L("Lyrics"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	lyricsBox := container.NewBorder(lyricsTitle, nil, nil, nil, largeText(v.lyrics))

	main := container.NewHSplit(container.NewBorder(trackBar, nil, nil, nil, scroll), lyricsBox)
	main.Offset = 0.72
	v.left = newLeftovers(v)
	v.content = container.NewBorder(container.NewVBox(top, widget.NewSeparator(), transport, v.left.bar, widget.NewSeparator()), nil, nil, nil, main)
}

// largeText shows an entry with text larger than the rest (the lyrics are
// read while singing).
func largeText(e fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(e, &bigText{})
}

type bigText struct{}

func (bigText) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return fyne.CurrentApp().Settings().Theme().Color(n, v)
}
func (bigText) Font(s fyne.TextStyle) fyne.Resource {
	return fyne.CurrentApp().Settings().Theme().Font(s)
}
func (bigText) Icon(n fyne.ThemeIconName) fyne.Resource {
	return fyne.CurrentApp().Settings().Theme().Icon(n)
}
func (bigText) Size(n fyne.ThemeSizeName) float32 {
	s := fyne.CurrentApp().Settings().Theme().Size(n)
	if n == theme.SizeNameText {
		return s * 1.4
	}
	return s
}

// LyricsPause is how long typing in the lyrics pauses before they are saved.
const LyricsPause = 1500 * time.Millisecond

// Refresh shows what changed (the window calls it from Studio.OnChange).
func (v *View) Refresh(c studio.Change) {
	s := v.st.Song()
	if c&studio.ChangedSong != 0 {
		v.title.SetText(shown.Text(s.Title))
		for len(v.strips) < len(s.Tracks) {
			st := v.newStrip(len(v.strips))
			v.strips = append(v.strips, st)
			v.stripBox.Add(container.NewPadded(st.box))
		}
		for len(v.strips) > len(s.Tracks) {
			v.strips = v.strips[:len(v.strips)-1]
			v.stripBox.Remove(v.stripBox.Objects[len(v.stripBox.Objects)-1])
		}
		if len(v.strips) > 0 {
			// Rows as tall as a strip needs at the current text size.
			h := max(RowHeight, v.stripBox.Objects[0].MinSize().Height)
			if h != v.tl.RowHeight() {
				v.tl.SetRowHeight(h)
			}
		}
		if l := shown.Lines(s.Lyrics); v.lyrics.Text != l {
			v.settingLyrics = true
			v.lyrics.SetText(l)
			v.settingLyrics = false
		}
		if bpm, err := strconv.ParseFloat(v.tempo.Text, 64); err != nil || bpm != s.Tempo {
			v.tempo.SetText(strconv.FormatFloat(s.Tempo, 'f', -1, 64))
		}
		if v.selTrack >= len(s.Tracks) || (v.selTrack >= 0 && v.selClip >= len(s.Tracks[v.selTrack].Clips)) {
			v.selectClip(-1, -1)
		}
		v.tl.SetSong(s)
		if len(s.Tracks) == 0 {
			v.empty.Show()
		} else {
			v.empty.Hide()
		}
	}
	if c&(studio.ChangedSong|studio.ChangedArm|studio.ChangedTransport) != 0 {
		for _, st := range v.strips {
			st.update()
		}
		v.showListening()
	}
	if c&(studio.ChangedHistory|studio.ChangedTransport) != 0 {
		setEnabled(&v.undo.Button, v.st.CanUndo())
		setEnabled(&v.redo.Button, v.st.CanRedo())
		v.undo.Tip = lang.L("Undo (Ctrl+Z)")
		if l := v.st.UndoLabel(); l != "" {
			v.undo.Tip = lang.L("Undo") + ": " + lang.L(l) + " (Ctrl+Z)"
		}
		v.redo.Tip = lang.L("Redo (Ctrl+Shift+Z)")
		if l := v.st.RedoLabel(); l != "" {
			v.redo.Tip = lang.L("Redo") + ": " + lang.L(l) + " (Ctrl+Shift+Z)"
		}
	}
	if c&studio.ChangedTransport != 0 {
		v.click.SetChecked(v.st.Click())
		v.countIn.SetSelectedIndex(v.st.CountIn())
		from, to, on := v.st.Loop()
		v.loop.SetChecked(on)
		v.tl.SetLoop(from, to, on)
		v.showStatus()
		v.lastState = -1
		v.Tick()
	}
}

func setEnabled(b *widget.Button, on bool) {
	if on && b.Disabled() {
		b.Enable()
	} else if !on && !b.Disabled() {
		b.Disable()
	}
}

// showStatus shows the device in use, and anything wrong with it, in words.
func (v *View) showStatus() {
	a := v.st.Audio()
	text, warn := statusText(a, v.st.Finishing())
	if a.MIDIErr != nil && v.anyMIDIArmed() {
		text += "\n" + lang.L("MIDI keyboard") + ": " + a.MIDIErr.Error()
	}
	if v.status.Text != text {
		v.status.SetText(text)
	}
	imp := widget.MediumImportance
	if warn {
		imp = widget.WarningImportance
	}
	if v.status.Importance != imp {
		v.status.Importance = imp
		v.status.Refresh()
	}
	v.showListening()
}

// statusText is the status line for the device a (finishing: a recording
// is being saved), and whether it warns.
func statusText(a studio.AudioStatus, finishing bool) (text string, warn bool) {
	switch {
	case a.Lost != nil:
		text = lostText(a)
	case finishing:
		text = lang.L("Saving the recording…")
	case a.Starting:
		text = lang.L("Starting the sound…")
	case a.Err != nil:
		text = lang.L("No sound") + ": " + a.Err.Error()
	case a.Virtual:
		text = lang.L("Virtual device: no audio hardware is used, nothing is heard, and recordings are silent or a test tone.")
	default:
		text = fmt.Sprintf("%s: %s", lang.L("Sound"), a.Device)
		if a.Rate > 0 {
			text += fmt.Sprintf(" · %s %.1f ms", lang.L("latency"), float64(a.Latency)*1000/float64(a.Rate))
		}
	}
	if a.Fallback != "" {
		text += "\n" + lang.L("The chosen device could not be used") + ": " + a.Fallback
	}
	return text, a.Err != nil || a.Lost != nil || a.Virtual || a.Fallback != ""
}

// lostText says, in plain words, that the device stopped on its own and
// will be used again by itself.
func lostText(a studio.AudioStatus) string {
	if a.Device == "" {
		return lang.L("The audio device stopped ({{.Reason}}). Sangstudio will use it again as soon as it is back; what was recorded is kept.",
			map[string]any{"Reason": a.Lost.Error()})
	}
	return lang.L("The audio device “{{.Device}}” stopped ({{.Reason}}). Sangstudio will use it again as soon as it is back; what was recorded is kept.",
		map[string]any{"Device": a.Device, "Reason": a.Lost.Error()})
}

// showListening shows, while the armed inputs are kept for Keep that,
// that the app is listening and how much it keeps; and lights Keep that
// while it has something to keep.
func (v *View) showListening() {
	if v.st.Listening() {
		text := lang.L("Listening (the last {{.Minutes}} min are kept)",
			map[string]any{"Minutes": keepMinutes(v.st.Audio().Keep)})
		if v.listenText.Text != text {
			v.listenText.SetText(text)
		}
		if !v.listening.Visible() {
			v.listening.Show()
		}
	} else if v.listening.Visible() {
		v.listening.Hide()
	}
	imp := widget.MediumImportance
	if v.st.ArmedCount() > 0 && v.st.Audio().Keep > 0 {
		imp = widget.SuccessImportance
	}
	if v.keep.Importance != imp {
		v.keep.Importance = imp
		v.keep.Refresh()
	}
}

// keepMinutes is d in whole minutes, or with one decimal if it is not.
func keepMinutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.Itoa(int(d / time.Minute))
	}
	return strconv.FormatFloat(d.Minutes(), 'f', 1, 64)
}

func (v *View) anyMIDIArmed() bool {
	for i, t := range v.st.Song().Tracks {
		if t.IsMIDI() && v.st.Armed(i) {
			return true
		}
	}
	return false
}

// Tick updates the playhead, clock and meters; the window calls it about
// 30 times a second while it returns true (something moves: playing,
// recording, an armed track's meter, a meter still falling), less often
// otherwise. It changes widgets only when their values changed.
func (v *View) Tick() (active bool) {
	v.st.Poll()
	if !v.lyricsAt.IsZero() && time.Since(v.lyricsAt) > LyricsPause {
		v.lyricsAt = time.Time{}
		v.st.Commit("Edit lyrics")
	}
	if !v.fitted && v.tl.Size().Width > 0 {
		v.fitted = true
		v.tl.ZoomToFit()
	}
	s := v.st.Song()
	pos := v.st.Position()
	if pos != v.lastPos {
		v.lastPos = pos
		v.clock.SetText(widgets.Clock(pos, s.Rate))
		bb := ""
		if bar, beat, ok := widgets.BarBeat(pos, s.Rate, s.Tempo, s.TimeSig.Beats); ok {
			bb = fmt.Sprintf("%s %d · %d", lang.L("Bar"), bar, beat)
		}
		if v.barBeat.Text != bb {
			v.barBeat.SetText(bb)
		}
		v.tl.SetPlayhead(max(pos, 0))
	}
	state := v.st.State()
	if state != v.lastState {
		v.lastState = state
		v.showState(state)
	}
	active = state != engine.Stopped || v.st.ArmedCount() > 0 || v.st.Finishing() || v.st.Audio().Starting
	if active || v.master.Level() > 0 || v.master.Held() > 0 {
		for _, st := range v.strips {
			st.meterTick()
			active = active || st.meter.Level() > 0 || st.meter.Held() > 0
		}
		p, h := v.st.MasterMeter()
		v.master.Set(p, h)
		active = active || v.master.Level() > 0 || v.master.Held() > 0
	}
	return active
}

// showState lights the transport buttons for the state.
func (v *View) showState(state engine.State) {
	rec := state == engine.Recording
	if rec {
		v.record.SetText(lang.L("Recording"))
	} else {
		v.record.SetText(lang.L("Record"))
	}
	if state == engine.Playing {
		v.play.SetText(lang.L("Playing"))
	} else {
		v.play.SetText(lang.L("Play"))
	}
	busy := v.st.Finishing()
	setEnabled(&v.record.Button, !rec && !busy)
	setEnabled(&v.keep.Button, !rec && !busy) // a recording keeps it all anyway
	setEnabled(&v.play.Button, state == engine.Stopped && !busy)
	setEnabled(&v.stop.Button, state != engine.Stopped)
	setEnabled(&v.undo.Button, v.st.CanUndo())
	setEnabled(&v.redo.Button, v.st.CanRedo())
	v.tempo.Disable()
	if state == engine.Stopped && !busy {
		v.tempo.Enable()
	}
	v.showStatus()
}

// Record starts recording (R).
func (v *View) Record() {
	if err := v.st.Record(); err != nil {
		v.showError(err)
	}
}

// Keep saves what the armed tracks just heard as takes, though nobody
// pressed Record (K): while playing, what was played since Play; when
// stopped, the last minutes. With nothing armed, or Keep that off in the
// settings, it says why there is nothing to keep.
func (v *View) Keep() {
	switch {
	case v.st.Finishing() || v.st.State() == engine.Recording:
		return // the recording keeps everything anyway
	case v.st.ArmedCount() == 0:
		v.showError(&plainError{lang.L("No track is ready to record, so there is nothing to keep. Press the round record button of the track you play or sing on (or A): from then on, Keep that can save what it heard."), session.ErrNothingToKeep})
	case v.st.Audio().Keep <= 0:
		v.showError(&plainError{lang.L("Keep that is turned off in the settings (Settings → Keep that), so nothing heard is kept."), session.ErrNothingToKeep})
	default:
		if err := v.st.Keep(); err != nil {
			v.showError(err)
		}
	}
}

// ToggleArm arms or disarms the selected clip's track, or the first track
// when no clip is selected (A); also while playing or recording (punch in
// and out).
func (v *View) ToggleArm() {
	s := v.st.Song()
	if len(s.Tracks) == 0 {
		v.showError(errors.New(lang.L("This song has no tracks yet. Press Add track to make one to record on.")))
		return
	}
	t := v.selTrack
	if t < 0 || t >= len(s.Tracks) {
		t = 0
	}
	if err := v.st.Arm(t, !v.st.Armed(t)); err != nil {
		v.showError(err)
	}
}

// plainError is an error said in plain words in the window's language; it
// still is (errors.Is) the error it explains.
type plainError struct {
	text string
	err  error
}

func (e *plainError) Error() string { return e.text }
func (e *plainError) Unwrap() error { return e.err }

// Explain gives the errors the window knows in plain words in the chosen
// language (the studio's errors are in English); others are returned as
// they are. The window shows the studio's OnError errors through it.
func (v *View) Explain(err error) error {
	var pe *plainError
	if err == nil || errors.As(err, &pe) {
		return err
	}
	var text string
	switch a := v.st.Audio(); {
	case errors.Is(err, studio.ErrNothingArmed):
		text = lang.L("No track is ready to record: press a track's record button (the round one, or A) first.")
	case errors.Is(err, session.ErrNothingToKeep):
		text = lang.L("There is nothing to keep yet: arm a track, then play or sing; Keep that saves what the armed tracks heard.")
	case errors.Is(err, studio.ErrNotAttached):
		text = lang.L("The audio device is not open yet. Wait a moment and try again.")
	case errors.Is(err, studio.ErrDeviceLost):
		text = lang.L("The audio device is not there. Sangstudio will use it again as soon as it is back.")
	case errors.Is(err, studio.ErrBusy):
		text = lang.L("Please wait a moment: the song is being updated.")
	case a.Lost != nil && (err == a.Lost || err.Error() == a.Lost.Error()):
		text = lostText(a)
	case refused(err):
		text, _ = shown.Refusal(err)
	default:
		return err
	}
	return &plainError{text, err}
}

// edit makes one undoable change and shows why it failed, if it did.
func (v *View) edit(label string, f func(*projects.Song) error) {
	if err := v.st.Edit(label, f); err != nil {
		v.showError(err)
	}
}

// showError shows err, explained, through Options.OnError or in a dialog.
func (v *View) showError(err error) {
	err = v.Explain(err)
	switch {
	case v.opt.OnError != nil:
		v.opt.OnError(err)
	case v.opt.Window != nil:
		dialog.ShowError(err, v.opt.Window)
	}
}

func (v *View) setTempo(text string) {
	bpm, err := strconv.ParseFloat(text, 64)
	if err != nil || bpm < 20 || bpm > 400 {
		v.showError(errors.New(lang.L("The tempo must be a number of beats per minute between 20 and 400")))
		v.tempo.SetText(strconv.FormatFloat(v.st.Song().Tempo, 'f', -1, 64))
		return
	}
	v.edit("Change tempo", func(s *projects.Song) error { s.Tempo = bpm; return nil })
}

func (v *View) selectClip(t, c int) {
	v.selTrack, v.selClip = t, c
	v.tl.SetSelection(t, c)
	s := v.st.Song()
	if t < 0 || t >= len(s.Tracks) || c < 0 || c >= len(s.Tracks[t].Clips) {
		v.selTrack, v.selClip = -1, -1
		v.clipBar.Hide()
		return
	}
	cl := s.Tracks[t].Clips[c]
	v.clipInfo.SetText(fmt.Sprintf("%s · %s", shown.Text(s.Tracks[t].Name), widgets.Clock(cl.Length, s.Rate)))
	v.settingClip = true
	v.clipGain.SetValue(cl.GainDB)
	v.settingClip = false
	v.clipGainText.SetText(dbText(cl.GainDB))
	v.clipBar.Show()
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
		v.showError(errors.New(lang.L("Move the playhead onto a clip to split it")))
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

func (v *View) takeFrames(take string) int64 {
	if v.opt.TakeFrames == nil {
		return 0
	}
	return v.opt.TakeFrames(take)
}

// stripWidth is the width of the track strips.
const stripWidth = 340

// stripLayout puts each track's strip beside its row on the timeline: below
// the ruler, at the row's top, one row high (take lanes, when shown, make
// the rows taller).
type stripLayout struct{ tl *timeline.Timeline }

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
	return fyne.NewSize(stripWidth, h)
}

// lyricsEntry is the lyrics box: Escape leaves it, so that the plain keys
// (Space, R, M …) work again.
type lyricsEntry struct{ widget.Entry }

func newLyricsEntry() *lyricsEntry {
	e := &lyricsEntry{}
	e.MultiLine = true
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey unfocuses on Escape.
func (e *lyricsEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
			c.Unfocus()
		}
		return
	}
	e.Entry.TypedKey(k)
}
