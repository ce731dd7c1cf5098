// Package songview is the song screen: the transport (large Record, Play
// and Stop), one strip per track beside its row on the timeline, the
// lyrics, markers, clip editing, and the Share menu (stems, bounce, take
// home, CD). It shows a studio.Studio and calls it; it does no audio or
// disk work itself.
package songview

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/engine"
	"sangstudio/audio/session"
	"sangstudio/projects"
	"sangstudio/ui/explain"
	"sangstudio/ui/i18n"
	"sangstudio/ui/shown"
	"sangstudio/ui/studio"
	"sangstudio/ui/timeline"
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
	// TrackHeight is the height of the track rows (studio.TrackHeights;
	// "" is normal): compact and normal rows show one line of controls, the
	// rest in the track's dialog (its name); large rows show them all.
	TrackHeight string
	// Resident shows resident mode (buildResident): only Record, Keep
	// that, Play, Stop, Undo and the lyrics in very large text. OnResident
	// is called to turn it on (a button in the header) or off (a button
	// held for LeaveHold); the window remembers it and builds the view
	// again.
	Resident   bool
	OnResident func(on bool)
	// Session is the length of a session (0: no notice): 10 minutes
	// before its end a quiet notice offers Take it home and Burn a CD.
	Session time.Duration
	// Post runs a function on the UI thread (nil: fyne.Do).
	Post func(func())
	// Lang is the window's language: the sound presets have a name in each.
	Lang i18n.Lang
	// OnError shows what went wrong with something the user did, already
	// said in plain words in the window's language (Explain); nil shows it
	// in an error dialog on Window.
	OnError func(error)
}

// rowSize is the size of a track's row for a track height
// (studio.TrackHeights): the strip's width, and the least height of the
// row (strip and timeline); a strip that needs more at a large text size
// gets it.
func rowSize(height string) (width, least float32) {
	switch height {
	case studio.TrackLarge:
		return 340, 190 // every control on the strip, in four lines
	case studio.TrackCompact:
		return 300, 0 // one line: arm, name, mute, solo
	default:
		return 420, 0 // one line: arm, name, mute, solo, monitor, volume
	}
}

// View is the song screen. It composes its parts, each in its own file:
// the header (title, Undo, Redo, Share), the transport, the track strips
// beside the timeline with the clip bar over them, and the lyrics; and it
// keeps what they share: the studio, the selected clip, the notice of
// leftover recordings.
type View struct {
	opt Options
	st  *studio.Studio

	content fyne.CanvasObject
	head    *header
	trans   *transport
	strips  *trackStrips
	tl      *timeline.Timeline
	clips   *clipBar
	lyrics  *lyrics
	// left is the notice of recordings the song does not use.
	left *leftovers
	// hour is the session clock and the notice before the session's end.
	hour *sessionPart
	// sound is the open Sound panel of a track (nil: none).
	sound *soundPanel
	// beat is the open beat grid (nil: none).
	beat *beatPanel

	selTrack, selClip int
	fitted            bool                 // zoomed to the song once the timeline had a size
	recs              []timeline.Recording // the takes being recorded, reused by showRecordings

	// OnExport renders the mix or the stems (the window shows progress);
	// OnImport adds files as new tracks.
	OnExport func(studio.ExportKind)
	OnImport func(paths []string)
}

// New builds the song screen for the studio's song.
func New(opt Options) *View {
	v := &View{opt: opt, st: opt.Studio, selTrack: -1, selClip: -1}
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

// build makes the parts and lays them out: the header, the transport and
// the leftovers notice on top; under them the tracks (the track bar over
// the strips beside the timeline, scrolled together) left of the lyrics.
func (v *View) build() {
	v.hour = newSessionPart(v)
	v.head = newHeader(v)
	v.trans = newTransport(v)
	v.tl = v.newTimeline()
	v.strips = newTrackStrips(v, v.tl)
	v.clips = newClipBar(v)
	scale := float32(lyricsScale)
	if v.opt.Resident {
		scale = residentScale
	}
	v.lyrics = newLyrics(v, scale)
	v.left = newLeftovers(v)
	v.st.SetResident(v.opt.Resident)
	if v.opt.Resident {
		v.buildResident()
		return
	}

	body := container.NewBorder(v.strips.hint, nil, v.strips.box, nil, v.tl)
	tracks := container.NewBorder(v.newTrackBar(), nil, nil, nil, container.NewVScroll(body))
	main := container.NewHSplit(tracks, v.lyrics.box)
	main.Offset = 0.72
	top := container.NewVBox(v.head.box, widget.NewSeparator(), v.trans.box, v.left.bar, v.hour.notice, widget.NewSeparator())
	v.content = container.NewBorder(top, nil, nil, nil, main)
}

// Refresh shows what changed (the window calls it from Studio.OnChange).
func (v *View) Refresh(c studio.Change) {
	if c&studio.ChangedSong != 0 {
		v.showSong(v.st.Song())
		if v.sound != nil {
			v.sound.update()
		}
		if v.beat != nil {
			v.beat.update()
		}
	}
	if c&(studio.ChangedSong|studio.ChangedArm|studio.ChangedTransport) != 0 {
		v.strips.update()
		v.trans.showListening()
	}
	if c&(studio.ChangedHistory|studio.ChangedTransport) != 0 {
		v.head.showHistory()
	}
	if c&studio.ChangedTransport != 0 {
		from, to, on := v.st.Loop()
		v.trans.showSettings(on)
		v.tl.SetLoop(from, to, on)
		v.Tick()
	}
}

// showSong shows the song (after a change to it) in every part.
func (v *View) showSong(s *projects.Song) {
	v.head.showTitle(s.Title)
	v.strips.showSong(s)
	v.lyrics.show(s.Lyrics)
	v.trans.showTempo(s.Tempo)
	if v.selTrack >= len(s.Tracks) || (v.selTrack >= 0 && v.selClip >= len(s.Tracks[v.selTrack].Clips)) {
		v.selectClip(-1, -1)
	}
	v.tl.SetSong(s)
	v.strips.showHint(len(s.Tracks))
}

// Tick updates the playhead, clock and meters; the window calls it about
// 30 times a second while it returns true (something moves: playing,
// recording, an armed track's meter, a meter still falling), less often
// otherwise. It changes widgets only when their values changed.
func (v *View) Tick() (active bool) {
	v.st.Poll()
	v.lyrics.saveIfPaused()
	if !v.fitted && v.tl.Size().Width > 0 {
		v.fitted = true
		v.tl.ZoomToFit()
	}
	if pos := v.st.Position(); v.trans.showPosition(v.st.Song(), pos) {
		v.tl.SetPlayhead(max(pos, 0))
	}
	v.showRecordings()
	state := v.st.State()
	v.trans.showStateChange(state)
	now := time.Now()
	v.trans.sayTick(now)
	v.hour.tick(now)
	active = state != engine.Stopped || v.st.ArmedCount() > 0 || v.st.Finishing() || v.st.Audio().Starting
	if active || v.trans.masterMoving() {
		moving := v.strips.meterTick()
		moving = v.trans.masterTick() || moving
		if v.beat != nil {
			v.beat.tick()
		}
		if v.sound != nil {
			moving = v.sound.tick() || moving
		}
		active = active || moving
	}
	return active
}

// showRecordings shows each take being recorded growing on its track.
func (v *View) showRecordings() {
	rts := v.st.RecordingTakes()
	if len(rts) == 0 && len(v.recs) == 0 {
		return
	}
	v.recs = v.recs[:0]
	for _, rt := range rts {
		r := timeline.Recording{Track: rt.Track, Start: rt.Start, End: rt.End, Offset: rt.Offset}
		if rt.Peaks != nil { // a nil *Peaks is not a nil Waveform
			r.Wave = rt.Peaks
		}
		v.recs = append(v.recs, r)
	}
	v.tl.SetRecordings(v.recs)
}

// Record starts recording (R). With no track armed it makes one ready
// first (Studio.ReadyToRecord: the selected audio track, or a new mono
// track "Vocal" on input 1) and says so in the status line, so that the
// first press of Record in a new song records.
func (v *View) Record() {
	if v.st.ArmedCount() == 0 && v.st.State() != engine.Recording && !v.st.Finishing() {
		r, err := v.st.ReadyToRecord(v.selTrack, lang.L("Vocal"))
		if err != nil {
			v.showError(err)
			return
		}
		v.trans.say(readiedText(r, true))
	}
	if err := v.st.Record(); err != nil {
		v.showError(err)
	}
}

// readiedText says which track was made ready to record, for the status
// line (recording: Record was pressed).
func readiedText(r studio.Readied, recording bool) string {
	data := map[string]any{"Name": shown.Text(r.Name)}
	switch {
	case r.Added && recording:
		return lang.L("Recording on a new track, “{{.Name}}”, from input 1.", data)
	case recording:
		return lang.L("Recording on “{{.Name}}”: its record button is on now.", data)
	default:
		return lang.L("“{{.Name}}” is ready to record: press Record (R) to start.", data)
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
		v.showError(explain.Plain(lang.L("No track is ready to record, so there is nothing to keep. Press the round record button of the track you play or sing on (or A): from then on, Keep that can save what it heard."), session.ErrNothingToKeep))
	case v.st.Audio().Keep <= 0:
		v.showError(explain.Plain(lang.L("Keep that is turned off in the settings (Settings → Keep that), so nothing heard is kept."), session.ErrNothingToKeep))
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
		v.showError(explain.Plain(lang.L("This song has no tracks yet. Press Add track to make one to record on."), nil))
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

// explain says err in the chosen language (explain.Message), as an
// error that still is (errors.Is) err. A device that stopped on its own
// is said with its name.
func (v *View) explain(err error) error {
	if a := v.st.Audio(); a.Lost != nil && (err == a.Lost || err.Error() == a.Lost.Error()) {
		return explain.Plain(lostText(a), err)
	}
	return explain.Plain(explain.Message(err), err)
}

// edit makes one undoable change and shows why it failed, if it did.
func (v *View) edit(label string, f func(*projects.Song) error) {
	if err := v.st.Edit(label, f); err != nil {
		v.showError(err)
	}
}

// ShowError shows err, in the chosen language, through Options.OnError
// or in an error dialog: the window shows the studio's background errors
// (Studio.OnError) through it.
func (v *View) ShowError(err error) { v.showError(err) }

// showError shows err, in the chosen language, through Options.OnError or
// in an error dialog.
func (v *View) showError(err error) {
	switch {
	case v.opt.OnError != nil:
		v.opt.OnError(v.explain(err))
	case v.opt.Window != nil:
		explain.Show(v.opt.Window, "", v.explain(err))
	}
}
