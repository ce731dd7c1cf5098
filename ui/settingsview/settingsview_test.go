package settingsview

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/calibrate"
	"sangstudio/audio/device"
	"sangstudio/midi/input"
	"sangstudio/ui/explain"
	"sangstudio/ui/i18n"
	"sangstudio/ui/studio"
)

const (
	jackID = "JACK Audio Connection Kit/system#1"
	usbID  = "ALSA/USB Audio CODEC#1"
)

var fakeDevices = []device.Info{
	{ID: device.VirtualID, Name: device.VirtualName, HostAPI: "Virtual", Inputs: 8, Outputs: 8, DefaultRate: 48000, Virtual: true},
	{ID: jackID, Name: "system", HostAPI: "JACK Audio Connection Kit", Inputs: 2, Outputs: 2, DefaultRate: 48000, Default: true},
	{ID: usbID, Name: "USB Audio CODEC", HostAPI: "ALSA", Inputs: 4, Outputs: 2, DefaultRate: 44100},
}

var fakePorts = []input.Port{
	{ID: "alsa:Keystation 49 MK3", Name: "Keystation 49 MK3", API: "alsa"},
	{ID: "jack:system:midi_capture_1", Name: "system:midi_capture_1", API: "jack"},
}

// harness runs the view with its slow work done at once on the test's
// goroutine (the Fyne test driver is single-threaded).
type harness struct {
	t       *testing.T
	w       fyne.Window
	v       *View
	changes []studio.Settings
}

// inline makes opt run the view's slow work and posts at once on the
// test's goroutine, and never run what it sets for later.
func inline(opt *Options) {
	if opt.Background == nil {
		opt.Background = func(f func()) { f() }
	}
	if opt.Post == nil {
		opt.Post = func(f func()) { f() }
	}
	if opt.Later == nil {
		opt.Later = func(time.Duration, func()) {}
	}
}

func newHarness(t *testing.T, s studio.Settings, opt Options) *harness {
	t.Helper()
	test.NewTempApp(t)
	inline(&opt)
	h := &harness{t: t, w: test.NewTempWindow(t, nil)}
	h.w.Resize(fyne.NewSize(1000, 800))
	opt.Window = h.w
	opt.Settings = s
	opt.OnChange = func(s studio.Settings) { h.changes = append(h.changes, s) }
	opt.Lang = i18n.Lang(os.Getenv("LANGUAGE")) // as i18n.Use set it
	if opt.Post == nil {
		opt.Post = func(f func()) { f() } // the background work runs on the test's goroutine
	}
	if opt.ListDevices == nil {
		opt.ListDevices = func() ([]device.Info, error) { return fakeDevices, nil }
	}
	if opt.ListMIDI == nil {
		opt.ListMIDI = func() ([]input.Port, error) { return fakePorts, nil }
	}
	h.v = New(opt)
	h.w.SetContent(h.v.Content())
	return h
}

// last is the settings of the last OnChange, which must have happened
// after n earlier ones.
func (h *harness) last(n int) studio.Settings {
	h.t.Helper()
	if len(h.changes) != n+1 {
		h.t.Fatalf("%d calls of OnChange, want %d", len(h.changes), n+1)
	}
	return h.changes[n]
}

func option(t *testing.T, options []string, part string) string {
	t.Helper()
	for _, o := range options {
		if strings.Contains(o, part) {
			return o
		}
	}
	t.Fatalf("no option with %q in %q", part, options)
	return ""
}

// visible calls f for o and everything in it that is shown, walking
// containers and the widgets' renderers.
func visible(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			visible(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			visible(c, f)
		}
	}
}

// texts collects the texts shown by o and everything in it.
func texts(o fyne.CanvasObject) []string {
	var out []string
	visible(o, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *canvas.Text:
			out = append(out, x.Text)
		case *widget.Label:
			out = append(out, x.Text)
		case *widget.Check:
			out = append(out, x.Text)
		case *widget.Button:
			out = append(out, x.Text)
		case *widget.RadioGroup:
			out = append(out, x.Options...)
		}
	})
	return out
}

// find is the first object of type T shown in o for which ok holds; the
// test stops if there is none.
func find[T fyne.CanvasObject](t *testing.T, o fyne.CanvasObject, ok func(T) bool) T {
	t.Helper()
	var found T
	n := 0
	visible(o, func(o fyne.CanvasObject) {
		if x, is := o.(T); is && ok(x) {
			if n == 0 {
				found = x
			}
			n++
		}
	})
	if n == 0 {
		t.Fatalf("no such %T shown", found)
	}
	return found
}

// button is the button shown in o with the text.
func button(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	return find(t, o, func(b *widget.Button) bool { return b.Text == text })
}

func TestDevices(t *testing.T) {
	h := newHarness(t, studio.Defaults(), Options{})
	v := h.v
	if len(h.changes) != 0 {
		t.Fatalf("building the view called OnChange: %+v", h.changes)
	}
	want := []string{"Virtual device (no audio hardware)", "system (JACK)", "USB Audio CODEC (ALSA)"}
	if !slices.Equal(v.device.list.Options, want) {
		t.Errorf("devices %q, want %q", v.device.list.Options, want)
	}
	// No device chosen: the default one is shown, not chosen.
	if v.device.list.Selected != "system (JACK)" {
		t.Errorf("selected %q, want the default device", v.device.list.Selected)
	}
	if n := len(v.inputs.list.Options); n != 3 { // All (2), 1, 2
		t.Errorf("inputs for the JACK device: %q", v.inputs.list.Options)
	}

	v.device.list.SetSelected("USB Audio CODEC (ALSA)")
	if s := h.last(0); s.Device != usbID || s.Buffer != 256 || s.Language != "" {
		t.Errorf("after choosing the USB device: %+v", s)
	}
	if n := len(v.inputs.list.Options); n != 5 || v.inputs.list.Options[0] != "All of them (4)" {
		t.Errorf("inputs for the USB device: %q", v.inputs.list.Options)
	}
	// The buffer sizes are shown in ms at the device's 44100 Hz.
	if got := option(t, v.buffer.choices.Options, "(256 frames)"); got != "5.8 ms (256 frames)" {
		t.Errorf("buffer label at 44.1 kHz: %q", got)
	}

	v.device.list.SetSelected("Virtual device (no audio hardware)")
	if s := h.last(1); s.Device != device.VirtualID {
		t.Errorf("virtual: %+v", s)
	}
	if !v.device.note.Visible() || !strings.Contains(v.device.note.Text, "plays no sound") {
		t.Errorf("the virtual device is not explained: %q", v.device.note.Text)
	}
	// The virtual device can feed a test tone to its inputs.
	if !v.device.tone.Visible() || v.device.tone.Checked {
		t.Fatalf("the test tone: shown %v, checked %v; want shown, off", v.device.tone.Visible(), v.device.tone.Checked)
	}
	v.device.tone.SetChecked(true)
	if s := h.last(2); !s.TestTone || s.Device != device.VirtualID {
		t.Errorf("after ticking the test tone: %+v", s)
	}
	if !strings.Contains(v.device.note.Text, "test tone") {
		t.Errorf("the note does not say the inputs hear a test tone: %q", v.device.note.Text)
	}
	v.device.list.SetSelected("USB Audio CODEC (ALSA)")
	if v.device.tone.Visible() {
		t.Error("the test tone is offered for a real device")
	}
}

func TestDeviceNotConnected(t *testing.T) {
	s := studio.Defaults()
	s.Device = "ALSA/Scarlett 2i2#1"
	h := newHarness(t, s, Options{})
	if h.v.device.list.Selected != "Scarlett 2i2 (not connected)" {
		t.Errorf("an unplugged device shows as %q (options %q)", h.v.device.list.Selected, h.v.device.list.Options)
	}
	if len(h.changes) != 0 {
		t.Error("listing the devices changed the settings")
	}
}

func TestDeviceListError(t *testing.T) {
	h := newHarness(t, studio.Defaults(), Options{ListDevices: func() ([]device.Info, error) {
		return fakeDevices[:1], errors.New("restart Sangstudio")
	}})
	if !h.v.device.note.Visible() || h.v.device.note.Text != "Not every audio device could be found." {
		t.Errorf("device note %q", h.v.device.note.Text)
	}
}

func TestRefreshDevices(t *testing.T) {
	calls := 0
	h := newHarness(t, studio.Defaults(), Options{ListDevices: func() ([]device.Info, error) {
		calls++
		return fakeDevices[:calls], nil
	}})
	if len(h.v.device.list.Options) != 1 {
		t.Fatalf("first listing %q", h.v.device.list.Options)
	}
	test.Tap(h.v.device.again)
	if calls != 2 || len(h.v.device.list.Options) != 2 {
		t.Errorf("after Search again: %d calls, %q", calls, h.v.device.list.Options)
	}
}

// TestListingOffUIThread lets the listing run on its own goroutine, and
// checks that the view is usable while it runs.
func TestListingOffUIThread(t *testing.T) {
	test.NewTempApp(t)
	posted := make(chan func(), 2)
	release := make(chan struct{})
	listed := make(chan struct{})
	w := test.NewTempWindow(t, nil)
	v := New(Options{
		Window:     w,
		Settings:   studio.Defaults(),
		Background: func(f func()) { go f() },
		Post:       func(f func()) { posted <- f },
		Later:      func(time.Duration, func()) {},
		ListDevices: func() ([]device.Info, error) {
			<-release
			return fakeDevices, nil
		},
		ListMIDI: func() ([]input.Port, error) { close(listed); return nil, nil },
	})
	w.SetContent(v.Content())
	(<-posted)() // MIDI, which did not wait
	<-listed
	if len(v.device.list.Options) != 0 || v.device.list.PlaceHolder != "Looking for audio devices…" || !v.device.again.Disabled() {
		t.Errorf("while listing: options %q, placeholder %q", v.device.list.Options, v.device.list.PlaceHolder)
	}
	close(release)
	(<-posted)()
	if len(v.device.list.Options) != 3 || v.device.again.Disabled() {
		t.Errorf("after listing: %q", v.device.list.Options)
	}
}

func TestBufferAndInputs(t *testing.T) {
	h := newHarness(t, studio.Defaults(), Options{})
	v := h.v
	want := []string{"1.3 ms (64 frames)", "2.7 ms (128 frames)", "5.3 ms (256 frames)", "10.7 ms (512 frames)", "21.3 ms (1024 frames)"}
	if !slices.Equal(v.buffer.choices.Options, want) || v.buffer.choices.Selected != want[2] {
		t.Errorf("buffers %q (selected %q), want %q", v.buffer.choices.Options, v.buffer.choices.Selected, want)
	}
	v.buffer.choices.SetSelected(want[3])
	if s := h.last(0); s.Buffer != 512 {
		t.Errorf("buffer %d, want 512", s.Buffer)
	}
	v.inputs.list.SetSelected("1")
	if s := h.last(1); s.Inputs != 1 || s.Buffer != 512 {
		t.Errorf("inputs %d, want 1 (%+v)", s.Inputs, s)
	}
	v.inputs.list.SetSelected("All of them (2)")
	if s := h.last(2); s.Inputs != 0 {
		t.Errorf("inputs %d, want 0 (all)", s.Inputs)
	}
}

func TestUnusualBufferKept(t *testing.T) {
	s := studio.Defaults()
	s.Buffer = 2048
	h := newHarness(t, s, Options{})
	if h.v.buffer.choices.Selected != "42.7 ms (2048 frames)" {
		t.Errorf("a 2048 buffer shows as %q in %q", h.v.buffer.choices.Selected, h.v.buffer.choices.Options)
	}
}

func TestLanguageTextSizeContrastMetronome(t *testing.T) {
	h := newHarness(t, studio.Defaults(), Options{})
	v := h.v
	if v.language.choices.Selected != "Same as the computer" || v.look.textSize.Selected != "Large" || !v.metronome.click.Checked || v.metronome.countIn.Selected != "1 bar" {
		t.Errorf("initial: language %q, size %q, click %v, count-in %q", v.language.choices.Selected, v.look.textSize.Selected, v.metronome.click.Checked, v.metronome.countIn.Selected)
	}
	v.language.choices.SetSelected(i18n.Name("nb"))
	if s := h.last(0); s.Language != "nb" {
		t.Errorf("language %q", s.Language)
	}
	v.language.choices.SetSelected("English")
	if s := h.last(1); s.Language != "en" {
		t.Errorf("language %q", s.Language)
	}
	v.language.choices.SetSelected("Same as the computer")
	if s := h.last(2); s.Language != "" {
		t.Errorf("system language is %q, want \"\"", s.Language)
	}
	v.look.textSize.SetSelected("Largest")
	if s := h.last(3); s.TextScale != 2 {
		t.Errorf("text scale %v", s.TextScale)
	}
	v.look.textSize.SetSelected("Normal")
	if s := h.last(4); s.TextScale != 1 {
		t.Errorf("text scale %v", s.TextScale)
	}
	test.Tap(v.look.contrast)
	if s := h.last(5); !s.HighContrast || s.TextScale != 1 || s.Language != "" {
		t.Errorf("high contrast: %+v", s)
	}
	test.Tap(v.metronome.click)
	if s := h.last(6); s.Click {
		t.Error("click still on")
	}
	v.metronome.countIn.SetSelected("2 bars")
	if s := h.last(7); s.CountIn != 2 {
		t.Errorf("count-in %d", s.CountIn)
	}
	if s := v.Settings(); s.CountIn != 2 || s.Click || !s.HighContrast || s.TextScale != 1 {
		t.Errorf("Settings() = %+v", s)
	}
}

func TestMIDI(t *testing.T) {
	h := newHarness(t, studio.Defaults(), Options{})
	v := h.v
	want := []string{"All keyboards", "Keystation 49 MK3", "system:midi_capture_1 (JACK)"}
	if !slices.Equal(v.midi.list.Options, want) || v.midi.list.Selected != "All keyboards" {
		t.Errorf("MIDI %q (selected %q)", v.midi.list.Options, v.midi.list.Selected)
	}
	if v.midi.note.Visible() {
		t.Errorf("note %q with keyboards there", v.midi.note.Text)
	}
	v.midi.list.SetSelected("Keystation 49 MK3")
	if s := h.last(0); s.MIDIIn != "alsa:Keystation 49 MK3" {
		t.Errorf("MIDIIn %q", s.MIDIIn)
	}
	v.midi.list.SetSelected("All keyboards")
	if s := h.last(1); s.MIDIIn != "" {
		t.Errorf("MIDIIn %q, want all", s.MIDIIn)
	}
}

func TestNoMIDI(t *testing.T) {
	for _, c := range []struct {
		name  string
		ports []input.Port
		err   error
	}{
		{"no MIDI system", nil, fmt.Errorf("%w: no /dev/snd/seq", input.ErrNoMIDI)},
		{"no keyboards", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := studio.Defaults()
			s.MIDIIn = "alsa:Keystation 49 MK3"
			h := newHarness(t, s, Options{ListMIDI: func() ([]input.Port, error) { return c.ports, c.err }})
			if !h.v.midi.note.Visible() || !strings.HasPrefix(h.v.midi.note.Text, "No MIDI keyboard found") {
				t.Errorf("note %q", h.v.midi.note.Text)
			}
			if h.v.midi.list.Selected != "Keystation 49 MK3 (not connected)" {
				t.Errorf("selected %q", h.v.midi.list.Selected)
			}
		})
	}
}

func TestSoundFontRefusesGarbage(t *testing.T) {
	s := studio.Defaults()
	s.SoundFont = SoundFontBuiltin
	h := newHarness(t, s, Options{})
	v := h.v
	if v.soundFont.choices.Selected != "Built-in simple sound" {
		t.Fatalf("selected %q", v.soundFont.choices.Selected)
	}
	bad := filepath.Join(t.TempDir(), "broken.sf2")
	if err := os.WriteFile(bad, []byte("RIFF\x10\x00\x00\x00this is not a SoundFont at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	v.soundFont.choose(bad)
	if len(h.changes) != 0 {
		t.Errorf("a broken SoundFont was taken: %+v", h.changes)
	}
	if got := v.Settings().SoundFont; got != SoundFontBuiltin {
		t.Errorf("SoundFont %q, want the old value", got)
	}
	if v.soundFont.choices.Selected != "Built-in simple sound" || len(v.soundFont.choices.Options) != 2 {
		t.Errorf("choices %q, selected %q", v.soundFont.choices.Options, v.soundFont.choices.Selected)
	}
	top := h.w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no error dialog")
	}
	all := strings.Join(texts(top), "\n")
	if !strings.Contains(all, "“broken.sf2” cannot be used as the sound of MIDI tracks") || !strings.Contains(all, "Error") {
		t.Errorf("error dialog says %q", all)
	}
	if v.soundFont.file.Disabled() || v.soundFont.choices.Disabled() {
		t.Error("the chooser stays disabled after the check")
	}
}

func TestSoundFontAccepted(t *testing.T) {
	h := newHarness(t, studio.Defaults(), Options{LoadSoundFont: func(string) error { return nil }})
	h.v.soundFont.choose("/music/Piano.sf2")
	if s := h.last(0); s.SoundFont != "/music/Piano.sf2" {
		t.Errorf("SoundFont %q", s.SoundFont)
	}
	if h.v.soundFont.choices.Selected != "File: Piano.sf2" {
		t.Errorf("selected %q", h.v.soundFont.choices.Selected)
	}
	h.v.soundFont.choices.SetSelected("Built-in simple sound")
	if s := h.last(1); s.SoundFont != SoundFontBuiltin {
		t.Errorf("SoundFont %q", s.SoundFont)
	}
	h.v.soundFont.choices.SetSelected(h.v.soundFont.choices.Options[0])
	if s := h.last(2); s.SoundFont != "" {
		t.Errorf("system SoundFont %q", s.SoundFont)
	}
}

func TestChooseSoundFontOpensFileDialog(t *testing.T) {
	h := newHarness(t, studio.Defaults(), Options{})
	test.Tap(h.v.soundFont.file)
	if h.w.Canvas().Overlays().Top() == nil {
		t.Error("no file dialog")
	}
}

func TestCalibrate(t *testing.T) {
	var gotID string
	var done func(int64, error)
	s := studio.Defaults()
	s.Calibration = map[string]int64{usbID: 7}
	h := newHarness(t, s, Options{Calibrate: func(id string, d func(int64, error)) { gotID, done = id, d }})
	v := h.v
	if v.calibration.button.Disabled() || v.calibration.note.Text != "This device is not calibrated." {
		t.Fatalf("calibration %q, button disabled %v", v.calibration.note.Text, v.calibration.button.Disabled())
	}
	test.Tap(v.calibration.button)
	top := h.w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no calibration dialog")
	}
	if all := strings.Join(texts(top), "\n"); !strings.Contains(all, "Connect an output to an input with a cable, then press Start.") {
		t.Errorf("dialog says %q", all)
	}
	start, closeButton := button(t, top, "Start"), button(t, top, "Cancel")
	test.Tap(start)
	if gotID != jackID || done == nil || !start.Disabled() {
		t.Fatalf("Calibrate(%q), start disabled %v", gotID, start.Disabled())
	}
	result := find(t, top, func(l *widget.Label) bool { return l.Text == "Measuring… (a few seconds)" })
	done(0, fmt.Errorf("calibrate: %w", calibrate.ErrNoClicks))
	if len(h.changes) != 0 || !strings.Contains(result.Text, "The measurement did not work:") || !strings.Contains(result.Text, explain.Message(calibrate.ErrNoClicks)) {
		t.Errorf("after a failure: changes %v, result %q", h.changes, result.Text)
	}
	test.Tap(start)
	done(101, nil)
	got := h.last(0)
	if got.Calibration[jackID] != 101 || got.Calibration[usbID] != 7 {
		t.Errorf("calibration %v", got.Calibration)
	}
	if got.Device != jackID {
		t.Errorf("the calibrated default device is not chosen: %q", got.Device)
	}
	if s.Calibration[jackID] != 0 {
		t.Error("the caller's map was changed")
	}
	if !strings.HasPrefix(result.Text, "Measured: 2.1 ms (101 frames)") || closeButton.Text != "OK" {
		t.Errorf("result %q, close button %q", result.Text, closeButton.Text)
	}
	if v.calibration.note.Text != "Calibration for this device: 2.1 ms" {
		t.Errorf("note %q", v.calibration.note.Text)
	}
	test.Tap(closeButton)
	if h.w.Canvas().Overlays().Top() != nil {
		t.Error("the dialog did not close")
	}

	// The virtual device needs none.
	v.device.list.SetSelected("Virtual device (no audio hardware)")
	if !v.calibration.button.Disabled() {
		t.Error("calibration offered for the virtual device")
	}
}

func TestCalibrateHidden(t *testing.T) {
	h := newHarness(t, studio.Defaults(), Options{})
	for _, s := range texts(h.v.Content()) {
		// The sections' headings, the button, the latency line.
		if s == "Calibration" || s == "Delay (latency)" || strings.Contains(s, "Calibrate") || strings.Contains(s, "Latency") {
			t.Errorf("%q shown", s)
		}
	}
}

func TestLatencyLine(t *testing.T) {
	s := studio.Defaults()
	s.Calibration = map[string]int64{jackID: 101}
	st := studio.AudioStatus{Device: "system", Latency: 512 + 101, Buffer: 256, Rate: 48000, Inputs: 2}
	h := newHarness(t, s, Options{Status: func() studio.AudioStatus { return st }})
	if got, want := h.v.latency.label.Text, "Latency: 10.7 ms (512 frames) + calibration 2.1 ms"; got != want {
		t.Errorf("latency %q, want %q", got, want)
	}
	st = studio.AudioStatus{Starting: true}
	h.v.UpdateStatus()
	if h.v.latency.label.Text != "Opening the audio device…" {
		t.Errorf("while opening: %q", h.v.latency.label.Text)
	}
	st = studio.AudioStatus{Device: "system", Latency: 1024, Rate: 48000, Fallback: "the USB device is not connected"}
	h.v.UpdateStatus()
	if h.v.latency.label.Text != "Latency: 21.3 ms (1024 frames)\nthe USB device is not connected" {
		t.Errorf("fallback: %q", h.v.latency.label.Text)
	}
}

func TestNorwegian(t *testing.T) {
	for _, e := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		t.Setenv(e, "")
	}
	if _, err := i18n.Use("nb"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { i18n.Use("en") })
	s := studio.Defaults()
	s.Calibration = map[string]int64{jackID: 101}
	st := studio.AudioStatus{Device: "system", Latency: 613, Rate: 48000}
	h := newHarness(t, s, Options{
		Status:    func() studio.AudioStatus { return st },
		Calibrate: func(string, func(int64, error)) {},
	})
	shown := texts(h.v.Content())
	for _, want := range []string{
		"Innstillinger for denne datamaskinen", "Lydenhet", "Bufferstørrelse", "Innganger som skal brukes",
		"Forsinkelse (latens)", "Kalibrering", "MIDI-keyboard", "Lyd for MIDI-spor", "Språk",
		"Størrelse på tekst og knapper", "Metronom", "Høy kontrast (svart, hvitt og gult)",
		"Søk på nytt", "10,7 ms (512 samples)",
		"Forsinkelse: 10,7 ms (512 samples) + kalibrering 2,1 ms",
		"Behold det", "Av", "2 minutter — 50 MB minne for 2 innganger", "1 minutt — 27 MB minne for 2 innganger",
	} {
		if !slices.Contains(shown, want) {
			t.Errorf("%q is not shown", want)
		}
	}
	if !slices.Contains(h.v.device.list.Options, "Virtuell enhet (uten lydutstyr)") {
		t.Errorf("devices %q", h.v.device.list.Options)
	}
	for _, en := range []string{"Audio device", "Buffer size", "Language", "MIDI keyboard", "Search again"} {
		if slices.Contains(shown, en) {
			t.Errorf("%q is shown in English", en)
		}
	}
}

// TestKeepThat: Keep that offers Off, 1, 2 (chosen by default) and 5
// minutes, each with the memory it takes for the device's inputs; a choice
// is reported (5 stores 5, Off stores 0).
func TestKeepThat(t *testing.T) {
	h := newHarness(t, studio.Defaults(), Options{})
	v := h.v
	// 2 inputs × 48 kHz × 4 bytes × (60 + 10) s for 1 minute: the ring
	// keeps 10 s more than chosen.
	want := []string{"Off", "1 minute — 27 MB of memory for 2 inputs", "2 minutes — 50 MB of memory for 2 inputs", "5 minutes — 119 MB of memory for 2 inputs"}
	if !slices.Equal(v.keep.choices.Options, want) || v.keep.choices.Selected != want[2] {
		t.Fatalf("Keep that %q (selected %q), want %q", v.keep.choices.Options, v.keep.choices.Selected, want)
	}
	v.keep.choices.SetSelected(want[3])
	if s := h.last(0); s.KeepMinutes == nil || *s.KeepMinutes != 5 || s.KeepDuration() != 5*time.Minute {
		t.Fatalf("5 minutes stored as %v", s.KeepMinutes)
	}
	if !slices.Contains(texts(v.Content()), "5 minutes — 119 MB of memory for 2 inputs") {
		t.Error("the memory 5 minutes take is not shown")
	}
	v.keep.choices.SetSelected("Off")
	if s := h.last(1); s.KeepMinutes == nil || *s.KeepMinutes != 0 || s.KeepDuration() != 0 {
		t.Fatalf("Off stored as %v", s.KeepMinutes)
	}
	if s := h.changes[0]; *s.KeepMinutes != 5 {
		t.Error("a later change altered the settings reported before")
	}
	// Fewer inputs offered to tracks: less memory.
	v.inputs.list.SetSelected("1")
	if !slices.Contains(v.keep.choices.Options, "2 minutes — 25 MB of memory for 1 input") {
		t.Errorf("with 1 input: %q", v.keep.choices.Options)
	}
}

// TestKeepThatWhileKept: with a song keeping its armed inputs, the memory
// is shown for those inputs, and what is in use now.
func TestKeepThatWhileKept(t *testing.T) {
	s := studio.Defaults()
	one := 1
	s.KeepMinutes = &one
	st := studio.AudioStatus{Device: "system", Rate: 44100, Inputs: 2, Latency: 512, Keep: time.Minute, KeepBytes: 3 * 44100 * 4 * 70}
	h := newHarness(t, s, Options{Status: func() studio.AudioStatus { return st }})
	if got := h.v.keep.choices.Selected; got != "1 minute — 37 MB of memory for 3 inputs" {
		t.Errorf("selected %q", got)
	}
	if !slices.Contains(texts(h.v.Content()), "In use now: 37 MB for the inputs of the armed tracks.") {
		t.Error("the memory in use is not shown")
	}
	st.KeepBytes = 0 // disarmed
	h.v.UpdateStatus()
	if got := h.v.keep.choices.Selected; got != "1 minute — 25 MB of memory for 2 inputs" { // at 44.1 kHz
		t.Errorf("nothing armed: selected %q", got)
	}
	if slices.ContainsFunc(texts(h.v.Content()), func(s string) bool { return strings.HasPrefix(s, "In use now") }) {
		t.Error("memory in use shown with nothing kept")
	}
	if len(h.changes) != 0 {
		t.Errorf("updating the status reported changes: %+v", h.changes)
	}
}

// TestTrackHeightSessionResident: the track height, the session length and
// resident mode are chosen here and kept in the settings.
func TestTrackHeightSessionResident(t *testing.T) {
	s := studio.Defaults()
	s.Resident = true
	h := newHarness(t, s, Options{})
	v := h.v
	if got := v.look.trackHeight.Selected; got != "Normal" {
		t.Errorf("track height shown %q, want Normal", got)
	}
	if got := v.session.length.Selected; got != "60 minutes" {
		t.Errorf("session shown %q, want the default 60 minutes", got)
	}
	if !v.session.resident.Checked {
		t.Error("resident mode from the settings is not shown")
	}
	v.look.trackHeight.SetSelected(v.look.trackHeight.Options[2])
	if got := h.last(0).TrackHeight; got != studio.TrackLarge {
		t.Fatalf("large stored as %q", got)
	}
	v.session.length.SetSelected("Off")
	if s := h.last(1); s.SessionMinutes == nil || *s.SessionMinutes != 0 || s.Session() != 0 {
		t.Fatalf("off stored as %v", s.SessionMinutes)
	}
	v.session.length.SetSelected("90 minutes")
	if s := h.last(2); s.Session() != 90*time.Minute || h.changes[1].Session() != 0 {
		t.Fatalf("90 minutes stored as %v (the change before: %v)", s.Session(), h.changes[1].Session())
	}
	v.session.resident.SetChecked(false)
	if h.last(3).Resident {
		t.Fatal("resident mode still on after unchecking")
	}
}
