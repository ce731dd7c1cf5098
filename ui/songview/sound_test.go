package songview_test

import (
	"errors"
	"image"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects"
	"sangstudio/ui/i18n"
	"sangstudio/ui/songview"
	"sangstudio/ui/studio"
	"sangstudio/ui/widgets"
)

// openSound opens track i's Sound panel as a user does: its name, then
// Sound… in the track's dialog.
func openSound(t *testing.T, st *studio.Studio, v *view, w fyne.Window, i int, sound string) {
	t.Helper()
	test.Tap(button(t, w, st.Song().Tracks[i].Name))
	test.Tap(button(t, w, sound))
	if !v.SoundOpen() {
		t.Fatal("the Sound panel did not open")
	}
}

// selectWith finds the drop-down that offers option, in a dialog or the
// screen.
func selectWith(t *testing.T, w fyne.Window, option string) *widget.Select {
	t.Helper()
	var found *widget.Select
	look := func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok && found == nil && slices.Contains(s.Options, option) {
			found = s
		}
	}
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, look)
	}
	if found == nil {
		t.Fatalf("no drop-down offers %q", option)
	}
	return found
}

// drag drags the slider through the given fractions of its width, as a
// mouse does, and lets it go.
func drag(t *testing.T, s *widget.Slider, at ...float32) {
	t.Helper()
	if s.Size().Width <= 0 {
		t.Fatal("the slider has no size")
	}
	for _, f := range at {
		s.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(f*s.Size().Width, s.Size().Height/2)}})
	}
	s.DragEnd()
}

// undo undoes the last step and waits for it.
func undo(t *testing.T, st *studio.Studio, v *view) {
	t.Helper()
	n := st.UndoLabel()
	st.Undo()
	waitFor(t, v, "undo of "+n, st.CanRedo)
}

// TestSoundPresetAndKnobs: choosing a preset sets the track's effects and
// the panel says which; dragging Bass is one undo step that marks the
// preset changed and lifts the EQ's curve; Off, Reset and Undo.
func TestSoundPresetAndKnobs(t *testing.T) {
	st, v, w := setup(t)
	openSound(t, st, v, w, 1, "Sound…")
	selectWith(t, w, "Vocal – warm").SetSelected("Vocal – warm")
	want, _ := projects.FindPreset("vocal-warm")
	e := st.Song().Tracks[1].Effects
	if e.Preset != "vocal-warm" || e.Changed || e.Comp != want.Effects.Comp || e.HighPass != 90 || st.UndoLabel() != "Sound preset" {
		t.Fatalf("after choosing Vocal – warm: %+v, undo %q", e, st.UndoLabel())
	}
	if !panelShows(w, "Vocal – warm") || panelShows(w, "(changed)") {
		t.Error("the panel does not say the track is Vocal – warm, unchanged")
	}
	before, beforeImg := v.SoundCurve(100, 200, 80)
	drag(t, v.SoundSlider("bass"), 0.6, 0.7, 0.8, 0.9)
	e = st.Song().Tracks[1].Effects
	if e.Low.GainDB <= 5 || !e.Changed || e.Low.Freq != 200 || e.Mid2 != want.Effects.Mid2 {
		t.Fatalf("after dragging Bass up: %+v", e)
	}
	if st.UndoLabel() != "Change the sound" {
		t.Fatalf("undo after the drag: %q", st.UndoLabel())
	}
	if !panelShows(w, "Vocal – warm (changed)") {
		t.Error("the panel does not say the preset was changed")
	}
	after, afterImg := v.SoundCurve(100, 200, 80)
	if after < before+3 || samePicture(beforeImg, afterImg) {
		t.Errorf("the curve at 100 Hz went from %.1f to %.1f dB (picture changed: %v)", before, after, !samePicture(beforeImg, afterImg))
	}
	undo(t, st, v) // one step back is before the drag: it was one step
	if e := st.Song().Tracks[1].Effects; e.Low != want.Effects.Low || e.Changed || st.UndoLabel() != "Sound preset" {
		t.Fatalf("undo did not restore the preset's bass: %+v, undo %q", e, st.UndoLabel())
	}
	test.Tap(button(t, w, "Off"))
	if e := st.Song().Tracks[1].Effects; e.Comp.On || e.HighPass != 0 || e.Reverb.On || e.Preset != "vocal-warm" || !e.Changed {
		t.Fatalf("Off left %+v", e)
	}
	if v, _ := v.SoundCurve(1000, 10, 10); v != 0 {
		t.Errorf("with everything off the curve is at %v dB", v)
	}
	test.Tap(button(t, w, "Reset"))
	if e := st.Song().Tracks[1].Effects; e.Comp != want.Effects.Comp || e.Changed || st.UndoLabel() != "Reset the sound" {
		t.Fatalf("Reset left %+v, undo %q", e, st.UndoLabel())
	}
}

func samePicture(a, b image.Image) bool {
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// TestSoundCompressorMeter: a loud track (the demo's drums) through a
// strong compressor, playing on the virtual device, shows its gain
// reduction on the panel's meter.
func TestSoundCompressorMeter(t *testing.T) {
	st, v, w := setup(t)
	openSound(t, st, v, w, 0, "Sound…")
	drag(t, v.SoundSlider("amount"), 0.5, 1)
	c := st.Song().Tracks[0].Effects.Comp
	if !c.On || c.ThresholdDB != -30 || c.Ratio != 6 || c.MakeupDB <= 0 {
		t.Fatalf("the compressor at full amount: %+v", c)
	}
	meter := grMeter(t, w)
	if meter.Value() != 0 || meter.Text() != "0 dB" {
		t.Fatalf("the meter shows %v dB (%q) before playing", meter.Value(), meter.Text())
	}
	test.Tap(button(t, w, "Play"))
	waitFor(t, v, "the meter to show the compressor working", func() bool { return meter.Value() > 1 })
	if !strings.HasPrefix(meter.Text(), "−") {
		t.Errorf("the meter says %q", meter.Text())
	}
	test.Tap(button(t, w, "Stop"))
}

// grMeter is the Sound panel's gain-reduction meter.
func grMeter(t *testing.T, w fyne.Window) *widgets.ReductionMeter {
	t.Helper()
	var found *widgets.ReductionMeter
	for _, o := range w.Canvas().Overlays().List() {
		walk(o, func(o fyne.CanvasObject) {
			if p, ok := o.(*widgets.ReductionMeter); ok {
				found = p
			}
		})
	}
	if found == nil {
		t.Fatal("no gain-reduction meter")
	}
	return found
}

// TestSoundBuses: the song's reverb preset and echo time are chosen in the
// panel, each one undo step; the room size is a drag.
func TestSoundBuses(t *testing.T) {
	st, v, w := setup(t)
	openSound(t, st, v, w, 1, "Sound…")
	selectWith(t, w, "Big hall").SetSelected("Big hall")
	hall, _ := projects.FindReverbPreset("Big hall")
	if b := st.Song().BusesOrDefault(); b.Reverb != hall.Reverb || st.UndoLabel() != "Reverb preset" {
		t.Fatalf("reverb after Big hall: %+v, undo %q", b.Reverb, st.UndoLabel())
	}
	selectWith(t, w, "1/2 note (2 beats)").SetSelected("1/2 note (2 beats)")
	if b := st.Song().BusesOrDefault(); b.Delay.Beats != 2 || st.UndoLabel() != "Echo time" {
		t.Fatalf("echo after 1/2 note: %+v, undo %q", b.Delay, st.UndoLabel())
	}
	drag(t, v.SoundSlider("room"), 0.3, 0.2)
	if b := st.Song().BusesOrDefault(); b.Reverb.Room >= hall.Reverb.Room || st.UndoLabel() != "Change the reverb" {
		t.Fatalf("room after the drag: %v, undo %q", b.Reverb.Room, st.UndoLabel())
	}
	if selectWith(t, w, "Big hall").Selected != "" {
		t.Error("a room of another size still shows Big hall")
	}
	undo(t, st, v)
	if b := st.Song().BusesOrDefault(); b.Reverb != hall.Reverb {
		t.Fatalf("undo left the reverb at %+v", b.Reverb)
	}
}

// TestSoundResident: in resident mode no track's dialog can be reached,
// and the panel (opened anyway) only shows: its controls are disabled and
// the studio refuses the change.
func TestSoundResident(t *testing.T) {
	st, v, w := setupResident(t, nil)
	if findButton(w, st.Song().Tracks[1].Name) != nil {
		t.Fatal("resident mode shows a track's name button (its dialog)")
	}
	v.OpenSound(1)
	if !panelShows(w, "cannot be changed") {
		t.Error("the panel does not say it cannot be changed")
	}
	for _, what := range []string{"bass", "amount", "reverb", "room"} {
		if !v.SoundSlider(what).Disabled() {
			t.Errorf("the %s slider can be moved in resident mode", what)
		}
	}
	if s := selectWith(t, w, "Vocal – warm"); !s.Disabled() {
		t.Error("the presets can be chosen in resident mode")
	}
	before := st.Song().Tracks[1].Effects
	v.SoundSlider("bass").SetValue(6)
	err := st.Edit("Sound preset", func(s *projects.Song) error { s.Tracks[1].Effects.HighPass = 100; return nil })
	if !errors.Is(err, studio.ErrResident) || st.Song().Tracks[1].Effects != before {
		t.Fatalf("resident mode let the sound change: %v, %+v", err, st.Song().Tracks[1].Effects)
	}
}

// TestSoundNorwegian: the panel speaks Norwegian, presets included.
func TestSoundNorwegian(t *testing.T) {
	st, _, w := setup(t)
	i18n.Use("nb")
	defer i18n.Use("en")
	v := newView(songview.Options{Window: w, Studio: st, Lang: "nb"})
	st.OnChange = v.Refresh
	w.SetContent(v.Content())
	openSound(t, st, v, w, 1, "Lyd …")
	selectWith(t, w, "Vokal – varm").SetSelected("Vokal – varm")
	drag(t, v.SoundSlider("treble"), 0.9)
	for _, want := range []string{"Vokal – varm (endret)", "Bass", "Mellomtone", "Diskant", "Kompressor", "Romklang", "Ekko", "Tilbakestill", "Lavkutt"} {
		if !panelShows(w, want) {
			t.Errorf("the Norwegian panel does not show %q", want)
		}
	}
	selectWith(t, w, "Stor sal") // the song's reverb
	for _, english := range []string{"Vocal – warm", "Treble", "Reset", "Big hall"} {
		if panelShows(w, english) {
			t.Errorf("the Norwegian panel shows %q", english)
		}
	}
}

// panelShows reports whether the window, dialogs included, shows s.
func panelShows(w fyne.Window, s string) bool {
	return strings.Contains(test.RenderToMarkup(w.Canvas()), s)
}
