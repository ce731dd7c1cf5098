package app

import (
	"errors"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/calibrate"
	"sangstudio/audio/demosong"
	"sangstudio/audio/device"
	"sangstudio/audio/playfile"
	"sangstudio/projects"
	"sangstudio/projects/library"
	"sangstudio/ui/cdview"
	"sangstudio/ui/libraryview"
	"sangstudio/ui/settingsview"
	"sangstudio/ui/studio"
)

// libraryScreen is the song library.
type libraryScreen struct {
	view *libraryview.View
}

// DemoFolder is the demo song's folder name in a new library.
const DemoFolder = "Demo"

// firstStart asks where songs are kept, puts the demo song there and opens
// it, so that a first start shows a working song at once.
func (ui *UI) firstStart() {
	ui.show(screenLibrary, container.NewCenter(widget.NewLabel(lang.L("Welcome to Sangstudio"))))
	suggested := library.DefaultRoot()
	libraryview.ChooseFolder(ui.win, suggested, ui.post, func(dir string) {
		ui.settings.Library = dir
		if err := studio.SaveSettings(ui.settingsPath, ui.settings); err != nil {
			ui.showError(err)
		}
		demo := filepath.Join(dir, DemoFolder)
		ui.win.SetContent(container.NewCenter(widget.NewLabel(lang.L("Making the demo song…"))))
		go func() {
			var err error
			if !projects.Exists(demo) {
				if _, serr := os.Stat(demo); os.IsNotExist(serr) {
					_, err = demosong.Create(demo, projects.DefaultRate)
				}
			}
			ui.post(func() {
				if err != nil || !projects.Exists(demo) {
					ui.showError(err)
					ui.startLibrary()
					return
				}
				ui.openSong(demo)
			})
		}()
	})
}

// startLibrary shows the song library.
func (ui *UI) startLibrary() {
	root := ui.settings.Library
	if root == "" {
		ui.firstStart()
		return
	}
	lib, err := library.Open(root)
	if err != nil {
		ui.showError(err)
		ui.firstStart()
		return
	}
	v := libraryview.New(libraryview.Options{
		Library: lib, Window: ui.win, Rate: projects.DefaultRate, Post: ui.post, Lang: ui.lang,
		OpenSong:   ui.openSong,
		OpenPlayer: ui.openPlayer,
	})
	ui.lib = &libraryScreen{view: v}
	settings := widget.NewButtonWithIcon(lang.L("Settings"), theme.SettingsIcon(), ui.showSettings)
	cds := widget.NewButtonWithIcon(lang.L("Make a CD"), theme.MediaRecordIcon(), func() { ui.showCD("") })
	ui.show(screenLibrary, container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(cds, settings)), nil, nil, nil, v.Content()))
}

// showSettings shows the settings; Back returns to where the user was.
func (ui *UI) showSettings() {
	if ui.screen != screenSettings {
		ui.settingsBack = ui.screen
	}
	v := settingsview.New(settingsview.Options{
		Window:   ui.win,
		Post:     ui.post,
		Lang:     ui.lang,
		Settings: ui.settings,
		OnChange: ui.saveSettings,
		Status: func() studio.AudioStatus {
			if ui.song != nil {
				return ui.song.st.Audio()
			}
			if ui.audio != nil {
				return ui.audio.Status()
			}
			return studio.AudioStatus{}
		},
		Calibrate: ui.calibrate,
	})
	done := widget.NewButtonWithIcon(lang.L("Done"), theme.NavigateBackIcon(), ui.settingsBackAction)
	done.Importance = widget.HighImportance
	ui.show(screenSettings, container.NewBorder(container.NewHBox(done), nil, nil, nil, v.Content()))
}

// settingsBackAction leaves the settings for the screen they were opened
// from.
func (ui *UI) settingsBackAction() {
	if ui.settingsBack == screenSong && ui.song != nil {
		ui.show(screenSong, ui.song.view.Content())
		ui.song.view.Refresh(studio.ChangedSong | studio.ChangedTransport | studio.ChangedHistory | studio.ChangedArm)
		return
	}
	ui.startLibrary()
}

// calibrate measures the loopback latency of a device off the UI thread
// and keeps it where `sangstudio calibrate` keeps it. The open song's
// stream is closed meanwhile (a device serves one stream at a time) and
// reopened after.
func (ui *UI) calibrate(id string, done func(int64, error)) {
	measure := func(resume func()) {
		cfg := device.Config{Device: id, Buffer: ui.settings.Buffer, Rate: projects.DefaultRate}
		go func() {
			r, err := calibrate.Measure(cfg, 3, 0, 0)
			if err == nil {
				err = calibrate.DefaultStore().Save(id, cfg.Rate, r.Offset())
			}
			ui.post(func() {
				resume()
				done(r.Offset(), err)
			})
		}()
	}
	if ui.song != nil {
		st := ui.song.st
		st.PauseAudio(func() { measure(st.ResumeAudio) })
		return
	}
	if ui.audio != nil {
		a := ui.audio
		a.Pause(func() { measure(a.Resume) })
		return
	}
	measure(func() {})
}

// openPlayer plays a finished file: through the system's sound output
// (oto) first, as finished files are, else on the chosen audio device.
func (ui *UI) openPlayer(path string) (libraryview.Player, error) {
	p, err := playfile.Open(path, device.SpeakersID)
	if err == nil {
		return p, nil
	}
	p, err2 := playfile.Open(path, ui.settings.Device)
	if err2 != nil {
		return nil, errors.Join(err, err2)
	}
	return p, nil
}

// showCD shows the CD step, opened from the song in songDir ("" from the
// library); Back returns there.
func (ui *UI) showCD(songDir string) {
	if ui.settings.Library == "" {
		return
	}
	ui.cdSong = songDir
	title := ""
	if ui.song != nil && songDir == ui.song.st.Dir {
		title = ui.song.st.Song().Title
	}
	v := cdview.New(cdview.Options{
		Window: ui.win, Post: ui.post, Root: ui.settings.Library, Song: songDir, SongTitle: title,
		OnBack: func() {
			if songDir != "" && ui.song != nil {
				ui.show(screenSong, ui.song.view.Content())
				ui.song.view.Refresh(studio.ChangedSong | studio.ChangedTransport | studio.ChangedHistory | studio.ChangedArm)
				return
			}
			ui.startLibrary()
		},
	})
	ui.show(screenCD, v.Content())
}
