// Package settingsview is the Settings screen: the choices that belong to
// the computer rather than to a song (studio.Settings): the audio device and
// its buffer, inputs and calibration, how much Keep that keeps, the MIDI
// keyboard, the sound of MIDI tracks, the language, the text size, high
// contrast and the metronome.
//
// The screen is one scrollable column of large controls, each with a short
// explanation in plain words. Every change calls Options.OnChange at once
// with the whole updated Settings; the window saves and applies them. Slow
// look-ups (listing audio devices and MIDI keyboards, checking a SoundFont)
// run off the UI thread and report back on it.
//
// Each section of the screen is a type of its own, in a file of its own
// (deviceSection in device.go, keepSection in keep.go, …): it makes its
// widgets, keeps them up to date, and returns its part of the screen from
// content. The View holds what they share (the options, the settings as
// they are now, the reporting of changes) and puts the parts together.
//
// Texts are looked up with lang.L (sentences particular to this screen) or,
// for short common words that other screens may also translate, lang.X with
// a "settings." key; the Norwegian texts are in
// ui/i18n/translations/settings.nb.json.
package settingsview

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/device"
	"sangstudio/midi/input"
	"sangstudio/midi/synth"
	"sangstudio/ui/i18n"
	"sangstudio/ui/studio"
	"sangstudio/ui/uithread"
)

// Options configure the Settings screen.
type Options struct {
	// Window shows the screen's dialogs (calibration, file chooser, errors).
	Window fyne.Window
	// Post runs a function on the UI thread from another goroutine.
	Post uithread.Poster
	// Lang is the language numbers are written in (a decimal comma in
	// Norwegian).
	Lang i18n.Lang
	// Settings are the current values.
	Settings studio.Settings
	// OnChange is called on the UI thread with the whole updated Settings
	// after each change; the window saves and applies them (reopens the
	// device, switches the language and rebuilds, changes the theme).
	OnChange func(s studio.Settings)
	// Status is the running song's device status (may be nil: the latency
	// line is then not shown).
	Status func() studio.AudioStatus
	// Calibrate runs the loopback calibration of a device off the UI
	// thread and calls done on the UI thread with the extra latency in
	// frames (calibrate.Result.Offset) or an error. Nil hides the
	// calibration.
	Calibrate func(deviceID string, done func(frames int64, err error))
	// ListDevices lists the audio devices (nil: device.List). It is called
	// off the UI thread.
	ListDevices func() ([]device.Info, error)
	// ListMIDI lists the MIDI keyboards (nil: input.List). It is called off
	// the UI thread.
	ListMIDI func() ([]input.Port, error)
	// LoadSoundFont checks a SoundFont file (nil: synth.LoadSoundFont). It
	// is called off the UI thread.
	LoadSoundFont func(path string) error
	// Background runs slow work (listings, the SoundFont check) off the UI
	// thread (nil: on a new goroutine).
	Background func(func())
	// Later runs f on the UI thread after d (nil: a timer, then Post).
	Later func(d time.Duration, f func())
}

// Buffers are the buffer sizes offered, in frames (a new slice each call).
func Buffers() []int {
	return []int{64, 128, 256, 512, 1024}
}

// TextScales are the text sizes offered: Normal, Large, Larger, Largest
// (a new slice each call).
func TextScales() []float32 {
	return []float32{1, 1.25, 1.5, 2}
}

// SoundFontBuiltin is Settings.SoundFont for the built-in simple sound.
const SoundFontBuiltin = "builtin"

// View is the Settings screen. Its methods must be called on the UI thread.
type View struct {
	opt     Options
	s       studio.Settings // the settings as the screen has them now
	quiet   bool            // the view is setting its own widgets: no OnChange
	content fyne.CanvasObject

	// The sections, top to bottom. The audio sections ask device about
	// the devices found; UpdateStatus and deviceChanged update the
	// sections that show the device's state.
	device      *deviceSection
	buffer      *bufferSection
	inputs      *inputsSection
	latency     *latencySection
	calibration *calibrationSection
	keep        *keepSection
	midi        *midiSection
	soundFont   *soundFontSection
	language    *languageSection
	look        *lookSection
	metronome   *metronomeSection
	session     *sessionSection
}

// New builds the Settings screen and starts listing the audio devices and
// MIDI keyboards.
func New(opt Options) *View {
	v := &View{opt: withDefaults(opt), s: clone(opt.Settings)}
	if v.s.Buffer == 0 {
		v.s.Buffer = device.DefaultBuffer
	}
	v.build()
	v.device.refresh()
	v.midi.refresh()
	return v
}

// withDefaults fills in the options left nil.
func withDefaults(opt Options) Options {
	if opt.ListDevices == nil {
		opt.ListDevices = device.List
	}
	if opt.ListMIDI == nil {
		opt.ListMIDI = input.List
	}
	if opt.LoadSoundFont == nil {
		opt.LoadSoundFont = func(path string) error { _, err := synth.LoadSoundFont(path); return err }
	}
	if opt.Post == nil {
		opt.Post = fyne.Do
	}
	if opt.Background == nil {
		opt.Background = func(f func()) { go f() }
	}
	if opt.Later == nil {
		post := opt.Post
		opt.Later = func(d time.Duration, f func()) { time.AfterFunc(d, func() { post(f) }) }
	}
	return opt
}

// build makes the sections, in the order shown (a section may ask one
// above it), and puts them together.
func (v *View) build() {
	v.device = newDeviceSection(v)
	v.buffer = newBufferSection(v)
	v.inputs = newInputsSection(v)
	v.latency = newLatencySection(v)
	v.calibration = newCalibrationSection(v)
	v.keep = newKeepSection(v)
	v.midi = newMIDISection(v)
	v.soundFont = newSoundFontSection(v)
	v.language = newLanguageSection(v)
	v.look = newLookSection(v)
	v.metronome = newMetronomeSection(v)
	v.session = newSessionSection(v)

	title := widget.NewLabelWithStyle(lang.L("Settings for this computer"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	title.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(
		title,
		help(lang.L("These settings are kept on this computer. They do not change your songs.")),
		widget.NewSeparator(),
		v.device.content(), v.buffer.content(), v.inputs.content(), v.latency.content(), v.calibration.content(),
		widget.NewSeparator(), v.keep.content(),
		widget.NewSeparator(), v.midi.content(), v.soundFont.content(),
		widget.NewSeparator(), v.language.content(), v.look.content(),
		widget.NewSeparator(), v.metronome.content(),
		widget.NewSeparator(), v.session.content(),
	)
	v.content = container.NewVScroll(container.New(column{}, container.NewPadded(body)))
}

// Content is the screen, to put in the window.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Settings are the settings as the screen has them now.
func (v *View) Settings() studio.Settings { return clone(v.s) }

// UpdateStatus reads Options.Status again and shows the latency of the
// running device. The screen does so after each change of the device
// settings; the window may call it when the device status changes.
func (v *View) UpdateStatus() {
	if v.opt.Status == nil {
		return
	}
	st := v.opt.Status()
	v.latency.show(st)
	v.buffer.update()
	v.keep.update()
}

// deviceChanged updates what depends on the chosen device or the devices
// found: the inputs, the calibration, the buffer sizes (in ms at the
// device's rate) and Keep that.
func (v *View) deviceChanged() {
	v.inputs.update()
	v.calibration.update()
	if v.opt.Status != nil {
		v.UpdateStatus() // the calibration of the default device is known now
	} else {
		v.buffer.update()
		v.keep.update()
	}
}

func clone(s studio.Settings) studio.Settings {
	if s.Calibration != nil {
		m := make(map[string]int64, len(s.Calibration))
		for k, x := range s.Calibration {
			m[k] = x
		}
		s.Calibration = m
	}
	if s.KeepMinutes != nil {
		m := *s.KeepMinutes
		s.KeepMinutes = &m
	}
	if s.SessionMinutes != nil {
		m := *s.SessionMinutes
		s.SessionMinutes = &m
	}
	return s
}

// changed reports the settings to the window.
func (v *View) changed() {
	if v.quiet || v.opt.OnChange == nil {
		return
	}
	v.opt.OnChange(v.Settings())
}

// audioChanged reports a change of the device settings and reads the
// device status again once the window had time to reopen the device.
func (v *View) audioChanged() {
	v.changed()
	if v.opt.Status == nil {
		return
	}
	v.UpdateStatus()
	for _, d := range []time.Duration{500 * time.Millisecond, 2 * time.Second, 5 * time.Second} {
		v.later(d, v.UpdateStatus)
	}
}

// setQuietly runs f (which sets widgets) without reporting changes.
func (v *View) setQuietly(f func()) {
	q := v.quiet
	v.quiet = true
	defer func() { v.quiet = q }()
	f()
}

// onUI runs f on the UI thread (from a background goroutine).
func (v *View) onUI(f func()) { v.opt.Post(f) }

// later runs f on the UI thread after d.
func (v *View) later(d time.Duration, f func()) { v.opt.Later(d, f) }

// background runs slow work off the UI thread.
func (v *View) background(f func()) { v.opt.Background(f) }

// ms formats frames at rate as milliseconds with one decimal, with a
// decimal comma in Norwegian.
func (v *View) ms(frames int64, rate int) string {
	if rate <= 0 {
		rate = 48000
	}
	s := strconv.FormatFloat(float64(frames)*1000/float64(rate), 'f', 1, 64)
	if v.opt.Lang.Norwegian() {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
