package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/render"
	"sangstudio/audio/source"
	"sangstudio/audio/waveform"
	"sangstudio/midi/synth"
	"sangstudio/projects"
	"sangstudio/ui/explain"
	"sangstudio/ui/songview"
	"sangstudio/ui/studio"
	"sangstudio/ui/takehomeview"
)

// songScreen is an open song: the studio (model) and its view.
type songScreen struct {
	ui    *UI
	st    *studio.Studio
	view  *songview.View
	peaks *waveform.Store
}

// openSong opens the song in dir off the UI thread, then shows it.
func (ui *UI) openSong(dir string) {
	if ui.song != nil {
		ui.leaveSong(func() { ui.openSong(dir) })
		return
	}
	ui.win.SetContent(container.NewCenter(widget.NewLabel(lang.L("Opening the song…"))))
	audio := ui.audioDevice()
	go func() {
		st, err := studio.Open(dir, audio, ui.post)
		ui.post(func() {
			if err != nil {
				ui.showError(err)
				ui.startLibrary()
				return
			}
			ss := &songScreen{ui: ui, st: st, peaks: waveform.NewStore(dir)}
			ui.song = ss
			ui.settings.LastSong = dir
			studio.SaveSettings(ui.settingsPath, ui.settings)
			ss.build()
			ui.show(screenSong, ss.view.Content())
			st.StartAudio()
			ui.startTicker(func() bool {
				if ui.song == ss && ui.screen == screenSong {
					return ss.view.Tick()
				}
				return false
			})
			explain.ShowNotes(ui.win, st.Notices) // in the window's language
		})
	}()
}

// build makes the song view (again, after a language change).
func (ss *songScreen) build() {
	ui := ss.ui
	var sound string // the track whose Sound panel was open: open again
	if ss.view != nil {
		sound = ss.view.SoundTrack()
		ss.view.CloseSound()
	}
	ss.view = songview.New(songview.Options{
		Window: ui.win, Studio: ss.st, Peaks: ss.peaksFor, TakeFrames: ss.takeFrames,
		TrackHeight: ui.settings.TrackHeight,
		Lang:        ui.lang,
		Resident:    ui.settings.Resident,
		Session:     ui.settings.Session(),
		OnResident: func(on bool) {
			s := ui.settings
			s.Resident = on
			ui.saveSettings(s)
		},
		Post:       ui.post,
		OnBack:     func() { ui.leaveSong(ui.startLibrary) },
		OnSettings: ui.showSettings,
		OnBurnCD: func() {
			ss.st.Commit()
			ui.showCD(ss.st.Dir)
		},
		OnTakeHome: func() {
			takehomeview.Show(takehomeview.Options{Window: ui.win, Studio: ss.st, Post: ui.post})
		},
	})
	ss.st.OnChange = func(c studio.Change) {
		if ui.song == ss && ui.screen == screenSong {
			ss.view.Refresh(c)
		}
	}
	// The studio's errors it knows are said in the window's language.
	ss.st.OnError = func(err error) { ss.view.ShowError(err) }
	ss.st.OnNotice = func(n error) { explain.ShowNotes(ui.win, []error{n}) }
	ss.view.OnExport = ss.export
	ss.view.OnImport = ss.importFiles
	if sound != "" {
		ss.view.OpenSoundTrack(sound)
	}
}

func (ss *songScreen) close() error { return ss.st.Close() }

// peaksFor gives the timeline a take's waveform, computing it in the
// background the first time (MIDI takes: from their rendered sound).
func (ss *songScreen) peaksFor(take string, from, to int64, n int) ([]float32, []float32, bool) {
	if p, ok := ss.peaks.Get(take); ok {
		mins, maxs := p.Range(from, to, n, nil, nil)
		return mins, maxs, true
	}
	if ss.peaks.Err(take) != nil {
		return nil, nil, false
	}
	done := func() {
		ss.ui.post(func() {
			if ss.ui.song == ss {
				ss.view.Timeline().Refresh()
			}
		})
	}
	if !projects.IsMIDITake(take) {
		ss.peaks.Request(take, "", done)
		return nil, nil, false
	}
	s := ss.st.Song()
	var sound synth.Sound // a piano, until the track is found
	for _, t := range s.Tracks {
		for _, c := range t.Clips {
			if c.Take == take {
				sound = source.SoundOf(t)
			}
		}
	}
	dir, rate, sfName := ss.st.Dir, s.Rate, s.SoundFont
	go func() {
		sf, err := source.SoundFont(&projects.Song{SoundFont: sfName})
		if err != nil {
			return
		}
		path, err := source.RenderTake(dir, take, sound, sf, rate, 0)
		if err == nil {
			ss.peaks.Request(take, path, done)
		}
	}()
	return nil, nil, false
}

// takeFrames is a take's length, once its waveform is known.
func (ss *songScreen) takeFrames(take string) int64 {
	if p, ok := ss.peaks.Get(take); ok {
		return p.Frames
	}
	if ti := ss.st.Song().Take(take); ti != nil {
		return ti.Frames
	}
	return 0
}

// export runs a render with a progress dialog and a Cancel button.
func (ss *songScreen) export(kind studio.ExportKind) {
	ui := ss.ui
	title := lang.L("Saving the mix…")
	if kind == studio.ExportStems {
		title = lang.L("Saving one file per track…")
	}
	bar := widget.NewProgressBar()
	d := dialog.NewCustom(title, lang.L("Cancel"), bar, ui.win)
	d.Resize(fyne.NewSize(480, 160))
	finished := false
	task := ss.st.Export(kind, func(f float64, _ string) { bar.SetValue(f) }, func(res *render.Result, err error) {
		finished = true
		d.Hide()
		switch {
		case errors.Is(err, context.Canceled):
		case err != nil:
			ui.showError(err)
		default:
			where := res.Mix
			if where == "" {
				where = filepath.Dir(firstOr(res.Stems, ""))
			}
			dialog.ShowInformation(lang.L("Done"), fmt.Sprintf("%s\n%s", lang.L("Saved to"), where), ui.win)
		}
	})
	d.SetOnClosed(func() {
		if !finished {
			task.Cancel()
		}
	})
	if !finished {
		d.Show()
	}
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}

// importFiles adds files to the open song with a progress dialog.
func (ss *songScreen) importFiles(paths []string) {
	ui := ss.ui
	bar := widget.NewProgressBar()
	what := widget.NewLabel("")
	d := dialog.NewCustom(lang.L("Adding files…"), lang.L("Cancel"), container.NewVBox(what, bar), ui.win)
	d.Resize(fyne.NewSize(480, 160))
	finished := false
	task := ss.st.Import(paths, func(f float64, name string) { bar.SetValue(f); what.SetText(name) }, func(err error) {
		finished = true
		d.Hide()
		if err != nil && !errors.Is(err, context.Canceled) {
			ui.showError(err)
		}
	})
	d.SetOnClosed(func() {
		if !finished {
			task.Cancel()
		}
	})
	if !finished {
		d.Show()
	}
}
