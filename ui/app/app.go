// Package app is the window: it starts Fyne, keeps the settings, and shows
// the song library, a song, or the settings, with the menus and keys that
// work everywhere. `sangstudio` with no arguments runs it.
package app

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/device"
	"sangstudio/ui/explain"
	"sangstudio/ui/i18n"
	"sangstudio/ui/look"
	"sangstudio/ui/studio"
	"sangstudio/ui/uithread"
)

// Config says how to start.
type Config struct {
	// Song opens this song folder at once (`sangstudio open DIR`); its
	// parent becomes the library if none was chosen yet.
	Song string
	// SettingsPath overrides where the settings are kept (tests).
	SettingsPath string
	// Version is shown in the About box.
	Version string
	// Ready, if set, is called once the first screen is shown (start-time
	// measurements).
	Ready func()
	// Stderr gets the messages printed before the window exists.
	Stderr io.Writer
	// StartError, if set, is shown once the first screen is up: files
	// given to open (from the file manager) that could not be made into a
	// song (an *OpenError), said in the window's language.
	StartError error
	// Exit ends the process once the window was closed and the song and
	// the device with it (default os.Exit). The window does not return
	// through Fyne's own shutdown: in Fyne 2.7.1 its stop hook races the
	// closing of the main-thread queue and can panic with "send on closed
	// channel" (glfw/loop.go, runOnMainWithWait) after everything was
	// saved, so that the app seemed to crash on every few quits.
	Exit func(code int)
}

// ID is the application ID (Fyne keeps its own preferences under it).
const ID = "no.sangstudio.app"

// Run opens the window; closing it ends the process through cfg.Exit. It
// returns 1 when no window could be opened (no display), with the reason
// on Stderr.
func Run(cfg Config) int {
	if cfg.Stderr == nil {
		cfg.Stderr = os.Stderr
	}
	if cfg.Exit == nil {
		cfg.Exit = os.Exit
	}
	if err := CheckDisplay(); err != nil {
		fmt.Fprintf(cfg.Stderr, "sangstudio: cannot open the window: %v\n", err)
		return 1
	}
	path := cfg.SettingsPath
	if path == "" {
		p, err := studio.SettingsPath()
		if err != nil {
			fmt.Fprintf(cfg.Stderr, "sangstudio: %v\n", err)
			return 1
		}
		path = p
	}
	set, first, setErr := studio.LoadSettings(path)
	if cfg.Song != "" {
		abs, err := filepath.Abs(cfg.Song)
		if err == nil {
			cfg.Song = abs
		}
		if set.Library == "" {
			set.Library = filepath.Dir(cfg.Song)
			first = false
		}
	}
	language, _ := i18n.Use(set.Language)
	a := fyneapp.NewWithID(ID)
	w := a.NewWindow("Sangstudio")
	w.Resize(fyne.NewSize(preferredWidth, preferredHeight))
	a.Lifecycle().SetOnStarted(func() { fitScreen(w) })
	w.SetMaster()
	ui := &UI{app: a, win: w, settings: set, settingsPath: path, version: cfg.Version, ready: cfg.Ready, post: fyne.Do, lang: language, exit: cfg.Exit}
	ui.begin(cfg.Song, first, setErr, cfg.StartError)
	a.Run()
	return 0
}

// begin shows the first screen: the song asked for, the first start, or
// the library.
func (ui *UI) begin(song string, first bool, errs ...error) {
	ui.app.Settings().SetTheme(look.New(ui.settings.TextScale, ui.settings.HighContrast))
	ui.install()
	ui.win.SetContent(widget.NewLabel(lang.L("Starting…")))
	ui.win.Show()
	ui.post(func() {
		for _, err := range errs {
			var oe *OpenError
			if errors.As(err, &oe) {
				err = explain.Plain(lang.L("No song was made from {{.Files}}.", map[string]any{"Files": oe.names()})+" "+explain.Message(oe.Err), err)
			}
			if err != nil {
				ui.showError(err)
			}
		}
		switch {
		case song != "":
			ui.openSong(song)
		case first || ui.settings.Library == "":
			ui.firstStart()
		default:
			ui.startLibrary()
		}
	})
}

// OpenError is files given to open (by the file manager, `sangstudio
// FILE…`) that could not be made into a song; the window opens on the
// library and says so.
type OpenError struct {
	Files []string
	Err   error
}

func (e *OpenError) Error() string {
	return fmt.Sprintf("no song was made from %s: %v", strings.Join(e.Files, ", "), e.Err)
}

func (e *OpenError) Unwrap() error { return e.Err }

// names are the files' names, for a person.
func (e *OpenError) names() string {
	var n []string
	for _, f := range e.Files {
		n = append(n, filepath.Base(f))
	}
	return strings.Join(n, ", ")
}

// UI is the running window.
type UI struct {
	app          fyne.App
	win          fyne.Window
	settings     studio.Settings
	settingsPath string
	version      string
	ready        func()
	// post runs a function on the UI thread: fyne.Do (tests: a queue
	// they run themselves, as Fyne's test driver runs fyne.Do inline). It
	// is given to every view and to the studio.
	post uithread.Poster
	// lang is the language chosen in the settings (i18n.Use), given to
	// the views that format numbers and dates.
	lang i18n.Lang
	// exit ends the process after quit closed everything (Config.Exit).
	exit func(code int)

	screen   screen
	audio    *studio.Audio // the audio device, kept open across songs (audioDevice makes it)
	song     *songScreen   // the open song, if any
	lib      *libraryScreen
	stopTick chan struct{}
	// settingsBack is the screen the settings return to.
	settingsBack screen
	// cdSong is the song the CD step was opened from ("" from the library).
	cdSong string
}

type screen int

const (
	screenNone screen = iota
	screenLibrary
	screenSong
	screenSettings
	screenCD
)

func (ui *UI) showError(err error) { showError(ui.win, err) }

// saveSettings writes the settings and applies them.
func (ui *UI) saveSettings(s studio.Settings) {
	old := ui.settings
	ui.settings = s
	if err := studio.SaveSettings(ui.settingsPath, s); err != nil {
		ui.showError(err)
	}
	if s.TextScale != old.TextScale || s.HighContrast != old.HighContrast {
		ui.app.Settings().SetTheme(look.New(s.TextScale, s.HighContrast))
	}
	// The device is reopened only when the device, the buffer, the
	// keyboard, a calibration or what is kept for Keep that changed (see
	// studio.Audio.Configure); the click and count-in go to the song.
	if ui.song != nil {
		ui.song.st.SetAudioConfig(ui.audioConfig())
	} else if ui.audio != nil {
		ui.audio.Configure(ui.audioConfig(), nil)
	}
	if s.Language != old.Language {
		ui.lang, _ = i18n.Use(s.Language)
		ui.rebuild()
	} else if (s.TrackHeight != old.TrackHeight || s.Resident != old.Resident || s.Session() != old.Session()) && ui.song != nil {
		ui.song.build()
		if ui.screen == screenSong {
			ui.show(screenSong, ui.song.view.Content())
		} // else shown when the settings close
	}
}

// audioConfig is the studio's device configuration from the settings.
func (ui *UI) audioConfig() studio.AudioConfig {
	s := ui.settings
	// The calibration offset is read by the studio from the store that
	// `sangstudio calibrate` writes too (one place for both).
	cfg := studio.AudioConfig{Device: s.Device, Buffer: s.Buffer, MIDIIn: s.MIDIIn, Click: s.Click, CountIn: s.CountIn,
		Keep: s.KeepDuration()}
	if s.TestTone {
		cfg.VirtualInput = device.VirtualSource{Kind: "sine"}
	}
	return cfg
}

// audioDevice is the window's audio device, made the first time a song
// needs it and kept open across songs until the window closes.
func (ui *UI) audioDevice() *studio.Audio {
	if ui.audio == nil {
		ui.audio = studio.NewAudio(ui.audioConfig(), ui.post)
	}
	return ui.audio
}

// rebuild makes the current screen again (after a language change).
func (ui *UI) rebuild() {
	ui.install()
	if ui.song != nil {
		ui.song.build() // shown now or when the settings close
	}
	switch ui.screen {
	case screenSong:
		if ui.song != nil {
			ui.show(screenSong, ui.song.view.Content())
		}
	case screenLibrary:
		ui.startLibrary()
	case screenSettings:
		ui.showSettings()
	case screenCD:
		ui.showCD(ui.cdSong)
	}
}

// show puts a screen in the window.
func (ui *UI) show(s screen, c fyne.CanvasObject) {
	if ui.lib != nil && s != screenLibrary {
		ui.lib.view.Stop() // a bounce playing in the library stops
		ui.lib = nil
	}
	ui.screen = s
	ui.win.SetContent(c)
	if ui.ready != nil {
		r := ui.ready
		ui.ready = nil
		r()
	}
}

// startTicker runs f on the UI thread about 30 times a second while it
// returns true (playing, recording, a track armed, a meter falling), and
// 4 times a second while it returns false (stopped and idle: only device
// errors and lyrics to save are checked), so an idle window costs little.
// f changes widgets only when their values changed.
func (ui *UI) startTicker(f func() bool) {
	ui.stopTicker()
	stop := make(chan struct{})
	ui.stopTick = stop
	go func() {
		active := true
		for {
			wait := time.Second / 4
			if active {
				wait = time.Second / 30
			}
			select {
			case <-stop:
				return
			case <-time.After(wait):
				done := make(chan struct{})
				ui.post(func() {
					defer close(done)
					select {
					case <-stop:
					default:
						active = f()
					}
				})
				select {
				case <-done:
				case <-stop:
					return
				}
			}
		}
	}()
}

func (ui *UI) stopTicker() {
	if ui.stopTick != nil {
		close(ui.stopTick)
		ui.stopTick = nil
	}
}

// closeSong closes the open song and waits for it (stops audio, finishes
// saving): for quitting.
func (ui *UI) closeSong() {
	ui.stopTicker()
	if ui.song != nil {
		if err := ui.song.close(); err != nil {
			ui.showError(err)
		}
		ui.song = nil
	}
}

// leaveSong closes the open song without blocking the window, showing
// "Saving…" meanwhile, then calls next.
func (ui *UI) leaveSong(next func()) {
	ui.stopTicker()
	ss := ui.song
	if ss == nil {
		next()
		return
	}
	ui.song = nil
	ui.show(screenNone, container.NewCenter(widget.NewLabel(lang.L("Saving…"))))
	ss.st.CloseAsync(func(err error) {
		if err != nil {
			ui.showError(err)
		}
		next()
	})
}

// quit closes the song and the audio device, then ends the process (see
// Config.Exit for why not through Fyne's Quit).
func (ui *UI) quit() {
	ui.closeSong()
	if ui.audio != nil {
		ui.audio.Close()
		ui.audio = nil
	}
	ui.exit(0)
}
