package songview

import (
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/engine"
	"sangstudio/midi/beat"
	"sangstudio/projects"
	"sangstudio/ui/explain"
	"sangstudio/ui/studio"
	"sangstudio/ui/widgets"
)

// transport is the part of the song screen under its header: the large
// Record, Keep that, Play and Stop buttons beside the clock; the tempo,
// click, count-in, loop and marker controls; the master meter with the
// listening notice; and the status line of the audio device.
type transport struct {
	v       *View
	box     fyne.CanvasObject
	record  *widgets.TipButton
	keep    *widgets.TipButton
	play    *widgets.TipButton
	stop    *widgets.TipButton
	clock   *widget.Label
	barBeat *widget.Label
	tempo   *widget.Entry
	click   *widget.Check
	countIn *widget.Select
	loop    *widget.Check
	master  *widgets.Meter
	status  *widget.Label
	// said is what the window just did for the user (a track made ready
	// to record), shown under the status until saidUntil.
	said      *widget.Label
	saidUntil time.Time
	// listening shows that the armed inputs are kept in memory for Keep
	// that (people must see that the app listens).
	listening  *fyne.Container
	listenText *widget.Label

	lastPos   int64        // the position the clock shows
	lastState engine.State // the state the buttons show (-1: none yet)
}

func newTransport(v *View) *transport {
	t := &transport{v: v, lastPos: -1, lastState: -1}
	buttons := t.newButtons()
	t.clock = widget.NewLabelWithStyle("0:00.0", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	t.clock.SizeName = theme.SizeNameSubHeadingText
	t.barBeat = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	t.barBeat.SizeName = theme.SizeNameCaptionText
	options := t.newOptions()
	t.master = widgets.NewMeter()
	t.status = widget.NewLabel("")
	t.status.Wrapping = fyne.TextWrapWord
	t.status.Importance = widget.WarningImportance
	t.status.Hide()
	t.said = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.said.Importance = widget.SuccessImportance
	t.said.Wrapping = fyne.TextWrapWord
	t.said.Hide()
	t.listenText = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.listenText.Importance = widget.WarningImportance
	t.listening = container.NewHBox(widget.NewIcon(theme.NewWarningThemedResource(theme.MediaRecordIcon())), t.listenText)
	t.listening.Hide()
	timeBox := container.New(layout.NewCustomPaddedVBoxLayout(-3*theme.Padding()), t.clock, t.barBeat)
	master := container.NewBorder(nil, nil, widget.NewLabel(lang.L("Master")), t.listening,
		container.New(layout.NewCustomPaddedLayout(14, 14, 0, 0), t.master))
	t.box = container.NewVBox(
		container.NewBorder(nil, nil, nil, timeBox, buttons),
		container.NewBorder(nil, nil, options, nil, master),
		t.status,
		t.said,
	)
	return t
}

// sayFor is how long a said line stays.
const sayFor = 12 * time.Second

// say shows text under the status line for a while: what the window just
// did for the user.
func (t *transport) say(text string) {
	t.said.SetText(text)
	t.said.Show()
	t.saidUntil = time.Now().Add(sayFor)
}

// sayTick hides the said line once its time is up.
func (t *transport) sayTick(now time.Time) {
	if t.said.Visible() && now.After(t.saidUntil) {
		t.said.Hide()
		t.said.SetText("")
	}
}

// newButtons makes the row of large transport buttons.
func (t *transport) newButtons() fyne.CanvasObject {
	v := t.v
	t.record = widgets.NewTipButton(lang.L("Record"), theme.MediaRecordIcon(), lang.L("Record the armed tracks (R)"), v.Record)
	t.record.Importance = widget.DangerImportance
	t.keep = widgets.NewTipButton(lang.L("Keep that"), theme.HistoryIcon(),
		lang.L("Save what the armed tracks just heard as a take, without having pressed Record (K)"), v.Keep)
	t.play = widgets.NewTipButton(lang.L("Play"), theme.MediaPlayIcon(), lang.L("Play / stop (Space)"), v.st.Play)
	t.play.Importance = widget.HighImportance
	t.stop = widgets.NewTipButton(lang.L("Stop"), theme.MediaStopIcon(), lang.L("Stop (Space)"), v.st.Stop)
	home := widgets.NewTipButton("", theme.MediaSkipPreviousIcon(), lang.L("Back to the start (Home)"), func() { v.st.Locate(0) })
	for _, b := range []*widgets.TipButton{t.record, t.keep, t.play, t.stop} {
		b.IconPlacement = widget.ButtonIconLeadingText
	}
	return container.NewBorder(nil, nil, nil, home, container.NewGridWithColumns(4, t.record, t.keep, t.play, t.stop))
}

// newOptions makes the row of the tempo, click, count-in, loop and marker
// controls.
func (t *transport) newOptions() fyne.CanvasObject {
	v := t.v
	t.tempo = widget.NewEntry()
	t.tempo.OnSubmitted = t.setTempo
	t.click = widget.NewCheck(lang.L("Click"), func(on bool) {
		if on != v.st.Click() {
			v.st.SetClick(on)
		}
	})
	countIns := []string{lang.L("No count-in"), lang.L("1 bar count-in"), lang.L("2 bars count-in")}
	t.countIn = widget.NewSelect(countIns, func(s string) {
		for i, c := range countIns {
			if c == s && i != v.st.CountIn() {
				v.st.SetCountIn(i)
			}
		}
	})
	t.loop = widget.NewCheck(lang.L("Loop"), func(on bool) {
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
	tempoBox := container.NewHBox(widget.NewLabel(lang.L("Tempo")), container.NewGridWrap(fyne.NewSize(90, t.tempo.MinSize().Height), t.tempo), widget.NewLabel("BPM"))
	return container.NewHBox(tempoBox, t.click, container.NewGridWrap(fyne.NewSize(210, t.countIn.MinSize().Height), t.countIn), t.loop, marker)
}

// showTempo shows the song's tempo, unless the entry says it already.
func (t *transport) showTempo(tempo float64) {
	if bpm, err := strconv.ParseFloat(t.tempo.Text, 64); err != nil || bpm != tempo {
		t.tempo.SetText(strconv.FormatFloat(tempo, 'f', -1, 64))
	}
}

// setTempo takes the tempo typed in, or says why not.
func (t *transport) setTempo(text string) {
	bpm, err := strconv.ParseFloat(text, 64)
	if err != nil || bpm < 20 || bpm > 400 {
		t.v.showError(explain.Plain(lang.L("The tempo must be a number of beats per minute between 20 and 400"), nil))
		t.tempo.SetText(strconv.FormatFloat(t.v.st.Song().Tempo, 'f', -1, 64))
		return
	}
	dir := t.v.st.Dir
	t.v.edit("Change tempo", func(s *projects.Song) error {
		s.Tempo = bpm
		// The beats play at the new tempo: new takes for their clips.
		takes, err := beat.Refresh(s)
		if err != nil {
			return err
		}
		for _, take := range takes {
			if err := take.Write(dir); err != nil {
				return err
			}
		}
		return nil
	})
}

// showSettings shows the click, the count-in and whether the loop is on,
// and the device's status; the buttons are lit again on the next tick.
func (t *transport) showSettings(loopOn bool) {
	st := t.v.st
	t.click.SetChecked(st.Click())
	t.countIn.SetSelectedIndex(st.CountIn())
	t.loop.SetChecked(loopOn)
	t.showStatus()
	t.lastState = -1
}

// showPosition shows the position in the clock and in bars and beats; it
// reports whether the position changed since it was last shown.
func (t *transport) showPosition(s *projects.Song, pos int64) (changed bool) {
	if pos == t.lastPos {
		return false
	}
	t.lastPos = pos
	t.clock.SetText(widgets.Clock(pos, s.Rate))
	bb := ""
	if bar, beat, ok := widgets.BarBeat(pos, s.Rate, s.Tempo, s.TimeSig.Beats); ok {
		bb = fmt.Sprintf("%s %d · %d", lang.L("Bar"), bar, beat)
	}
	if t.barBeat.Text != bb {
		t.barBeat.SetText(bb)
	}
	return true
}

// showStateChange lights the buttons for the state, if it changed since
// they were last lit.
func (t *transport) showStateChange(state engine.State) {
	if state != t.lastState {
		t.lastState = state
		t.showState(state)
	}
}

// showState lights the transport buttons for the state.
func (t *transport) showState(state engine.State) {
	rec := state == engine.Recording
	if rec {
		t.record.SetText(lang.L("Recording"))
	} else {
		t.record.SetText(lang.L("Record"))
	}
	if state == engine.Playing {
		t.play.SetText(lang.L("Playing"))
	} else {
		t.play.SetText(lang.L("Play"))
	}
	busy := t.v.st.Finishing()
	setEnabled(&t.record.Button, !rec && !busy)
	setEnabled(&t.keep.Button, !rec && !busy) // a recording keeps it all anyway
	setEnabled(&t.play.Button, state == engine.Stopped && !busy)
	setEnabled(&t.stop.Button, state != engine.Stopped)
	t.v.head.enableHistory()
	t.tempo.Disable()
	if state == engine.Stopped && !busy {
		t.tempo.Enable()
	}
	t.showStatus()
}

// masterMoving reports whether the master meter still shows a level.
func (t *transport) masterMoving() bool { return t.master.Level() > 0 || t.master.Held() > 0 }

// masterTick shows the master meter; it reports whether it still moves.
func (t *transport) masterTick() bool {
	p, h := t.v.st.MasterMeter()
	t.master.Set(p, h)
	return t.masterMoving()
}

// showStatus shows the device in use, and anything wrong with it, in words.
func (t *transport) showStatus() {
	st := t.v.st
	a := st.Audio()
	text, warn := statusText(a, st.Finishing())
	if a.MIDIErr != nil && anyMIDIArmed(st) {
		text += "\n" + explain.With(lang.L("MIDI keyboard")+":", a.MIDIErr)
	}
	// All well: a small line under the title; trouble: the status line.
	device, status := text, ""
	if warn {
		device, status = "", text
	}
	if l := t.v.head.device; l.Text != device {
		l.SetText(device)
	}
	if t.status.Text != status {
		t.status.SetText(status)
	}
	if t.status.Visible() != (status != "") {
		if status != "" {
			t.status.Show()
		} else {
			t.status.Hide()
		}
	}
	t.showListening()
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
		text = explain.With(lang.L("No sound")+":", a.Err)
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
		return lang.L("The audio device stopped. Sangstudio will use it again as soon as it is back; what was recorded is kept.")
	}
	return lang.L("The audio device “{{.Device}}” stopped. Sangstudio will use it again as soon as it is back; what was recorded is kept.",
		map[string]any{"Device": a.Device})
}

// showListening shows, while the armed inputs are kept for Keep that,
// that the app is listening and how much it keeps; and lights Keep that
// while it has something to keep.
func (t *transport) showListening() {
	st := t.v.st
	if st.Listening() {
		text := lang.L("Listening (the last {{.Minutes}} min are kept)",
			map[string]any{"Minutes": keepMinutes(st.Audio().Keep)})
		if t.listenText.Text != text {
			t.listenText.SetText(text)
		}
		if !t.listening.Visible() {
			t.listening.Show()
		}
	} else if t.listening.Visible() {
		t.listening.Hide()
	}
	imp := widget.MediumImportance
	if st.ArmedCount() > 0 && st.Audio().Keep > 0 {
		imp = widget.SuccessImportance
	}
	if t.keep.Importance != imp {
		t.keep.Importance = imp
		t.keep.Refresh()
	}
}

// keepMinutes is d in whole minutes, or with one decimal if it is not.
func keepMinutes(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.Itoa(int(d / time.Minute))
	}
	return strconv.FormatFloat(d.Minutes(), 'f', 1, 64)
}

// anyMIDIArmed reports whether a MIDI track is armed.
func anyMIDIArmed(st *studio.Studio) bool {
	for i, t := range st.Song().Tracks {
		if t.IsMIDI() && st.Armed(i) {
			return true
		}
	}
	return false
}
