// Package libraryview is the window's library screen: the user's songs,
// newest change first, with buttons to make a new song, bring in sound and
// MIDI files, open, listen to, rename and delete songs, and a bin from which
// deleted songs can be brought back until it is emptied.
//
// The model is package projects/library; this package only shows it. Every
// call that touches the disk (listing, making, renaming, moving to and from
// the bin, importing) runs on its own goroutine, and widgets are changed only
// on the UI thread (through Options.Post). Nothing is removed for good without a
// clear confirmation: deleting moves a song to the bin, and only "Empty the
// bin…" followed by "Delete for good" removes anything.
//
// Every visible text is English in the code (lang.L / lang.X) and translated
// in ui/i18n/translations/library.nb.json.
package libraryview

import (
	"errors"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects/library"
	"sangstudio/ui/explain"
	"sangstudio/ui/i18n"
	"sangstudio/ui/uithread"
)

// Options are what the library screen needs from the window.
type Options struct {
	// Library is the folder that holds the songs (required).
	Library *library.Library
	// Window is the window the dialogs are shown over.
	Window fyne.Window
	// OpenSong makes the window show the song in dir (called on the UI
	// thread). Nil: the Open buttons do nothing but stop playback.
	OpenSong func(dir string)
	// OpenPlayer opens a finished file (a song's last bounce) for
	// listening; nil means no Listen buttons.
	OpenPlayer OpenPlayer
	// Rate is the sample rate of new songs (0 means 48000).
	Rate int
	// Post runs a function on the UI thread (required).
	Post uithread.Poster
	// Lang is the language the dates are written in.
	Lang i18n.Lang
}

// View is the library screen. Make it with New; all its methods are called
// on the UI thread, except Reload, which may be called from anywhere.
type View struct {
	opt  Options
	post uithread.Poster  // runs a function on the UI thread (Options.Post)
	now  func() time.Time // the clock, for "today" and "yesterday"

	gen atomic.Uint64 // the newest Reload; older results are dropped

	// Everything below is owned by the UI thread.
	root       *fyne.Container // holds mainScreen or binScreen
	mainScreen fyne.CanvasObject
	binScreen  fyne.CanvasObject

	songList *fyne.Container   // the song rows
	songView *container.Scroll // scrolls songList
	binList  *fyne.Container   // the rows of the bin
	status   *widget.Label     // "Reading your songs…" or what could not be read
	binBtn   *widget.Button
	emptyBtn *widget.Button

	loaded     bool
	entries    []library.Entry
	binEntries []library.Entry
	listErr    string // the last error shown for List/Bin

	rows map[string]*row // the song rows by folder
	menu *widget.PopUp   // the open "…" menu, if any
	play *playback       // what is playing, if anything
}

// New makes the library screen. Nothing is read from disk until Content is
// called (or Reload).
func New(opt Options) *View {
	if opt.Rate == 0 {
		opt.Rate = 48000
	}
	return &View{opt: opt, post: opt.Post, now: time.Now, rows: map[string]*row{}}
}

// Content returns the whole library screen. The first call builds it and
// starts reading the library folder.
func (v *View) Content() fyne.CanvasObject {
	if v.root != nil {
		return v.root
	}
	v.mainScreen = v.buildMain()
	v.binScreen = v.buildBin()
	v.root = container.NewStack(v.mainScreen)
	v.refresh()
	v.Reload()
	return v.root
}

// Reload reads the library folder again (on another goroutine) and shows
// what it holds. It may be called from any goroutine.
func (v *View) Reload() {
	gen := v.gen.Add(1)
	lib := v.opt.Library
	go func() {
		entries, err := lib.List()
		bin, binErr := lib.Bin()
		v.post(func() {
			if gen != v.gen.Load() {
				return // a newer Reload is on its way
			}
			v.loaded = true
			v.entries = entries
			v.binEntries = bin
			v.showListError(errors.Join(err, binErr))
			v.refresh()
		})
	}()
}

// Stop stops listening, if a song is playing. The window calls it when the
// library screen is hidden.
func (v *View) Stop() {
	v.stopPlayback()
}

// buildMain makes the screen with the songs.
func (v *View) buildMain() fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(lang.X("library.title", "Your songs"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameHeadingText

	newBtn := widget.NewButtonWithIcon(lang.X("library.new_song", "New song"), theme.ContentAddIcon(), v.askNewSong)
	newBtn.Importance = widget.HighImportance
	importBtn := widget.NewButtonWithIcon(lang.X("library.import", "Import files…"), theme.FolderOpenIcon(), v.chooseImport)
	v.binBtn = widget.NewButtonWithIcon("", theme.DeleteIcon(), v.showBin)

	v.status = widget.NewLabel(lang.X("library.reading", "Reading your songs…"))
	v.status.Wrapping = fyne.TextWrapWord

	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewCenter(v.binBtn), heading),
		container.NewHBox(big(newBtn), container.NewCenter(big(importBtn))),
		v.status,
	)
	v.songList = container.NewVBox()
	v.songView = container.NewVScroll(v.songList)
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, v.songView))
}

// buildBin makes the screen with the bin.
func (v *View) buildBin() fyne.CanvasObject {
	back := widget.NewButtonWithIcon(lang.X("library.back", "Back to your songs"), theme.NavigateBackIcon(), v.showMain)
	heading := widget.NewLabelWithStyle(lang.X("library.bin_title", "The bin"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameHeadingText
	about := widget.NewLabel(lang.L("Songs you delete are kept here until you empty the bin. Press Restore to get a song back."))
	about.Wrapping = fyne.TextWrapWord

	v.emptyBtn = widget.NewButtonWithIcon(lang.X("library.empty_bin", "Empty the bin…"), theme.DeleteIcon(), v.askEmptyBin)
	v.emptyBtn.Importance = widget.DangerImportance

	top := container.NewVBox(container.NewHBox(big(back)), heading, about)
	// Empty the bin sits apart from the Restore buttons, at the bottom.
	bottom := container.NewVBox(widget.NewSeparator(), container.NewHBox(v.emptyBtn))
	v.binList = container.NewVBox()
	return container.NewPadded(container.NewBorder(top, bottom, nil, nil, container.NewVScroll(v.binList)))
}

// showBin shows the bin screen.
func (v *View) showBin() {
	v.hideMenu()
	v.root.Objects = []fyne.CanvasObject{v.binScreen}
	v.root.Refresh()
	v.Reload()
}

// showMain shows the songs again.
func (v *View) showMain() {
	v.root.Objects = []fyne.CanvasObject{v.mainScreen}
	v.root.Refresh()
}

// refresh rebuilds the rows from v.entries and v.binEntries.
func (v *View) refresh() {
	if v.root == nil {
		return
	}
	v.hideMenu()
	v.binBtn.SetText(lang.X("library.bin_button", "Bin ({{.Count}})", map[string]any{"Count": len(v.binEntries)}))

	v.rows = map[string]*row{}
	var objs []fyne.CanvasObject
	switch {
	case !v.loaded:
	case len(v.entries) == 0:
		empty := widget.NewLabel(lang.L("No songs yet. Press New song to start."))
		empty.SizeName = theme.SizeNameSubHeadingText
		empty.Wrapping = fyne.TextWrapWord
		objs = append(objs, empty)
	default:
		for _, e := range v.entries {
			r := v.songRow(e)
			v.rows[e.Dir] = r
			objs = append(objs, r.obj)
		}
	}
	v.songList.Objects = objs
	v.songList.Refresh()
	if v.play != nil {
		if r := v.rows[v.play.dir]; r != nil {
			v.play.row = r
			r.showPlaying(v.play)
		}
	}
	if v.loaded && v.listErr == "" {
		v.status.Hide()
	}

	objs = nil
	if len(v.binEntries) == 0 {
		empty := widget.NewLabel(lang.X("library.bin_empty", "The bin is empty."))
		empty.SizeName = theme.SizeNameSubHeadingText
		objs = append(objs, empty)
	}
	for _, e := range v.binEntries {
		objs = append(objs, v.binRow(e))
	}
	v.binList.Objects = objs
	v.binList.Refresh()
	if len(v.binEntries) == 0 {
		v.emptyBtn.Disable()
	} else {
		v.emptyBtn.Enable()
	}
}

// showListError shows (or clears) what could not be read.
func (v *View) showListError(err error) {
	if err == nil {
		v.listErr = ""
		v.status.Hide()
		return
	}
	msg := lang.L("Some songs could not be read.") + "\n" + explain.Message(err)
	v.status.SetText(msg)
	v.status.Importance = widget.WarningImportance
	v.status.Show()
	v.status.Refresh()
	if msg != v.listErr {
		v.listErr = msg
		explain.Show(v.opt.Window, "", explain.Plain(msg, err))
	}
}

// showError shows an error dialog: what could not be done (naming the song
// or the file), then why, in the chosen language.
func (v *View) showError(what string, err error) {
	explain.Show(v.opt.Window, what, err)
}

// open shows the song in the window.
func (v *View) open(dir string) {
	v.stopPlayback()
	v.hideMenu()
	if v.opt.OpenSong != nil {
		v.opt.OpenSong(dir)
	}
}

// sizeDialog makes a dialog comfortably wide for reading (but not wider
// than the window).
func sizeDialog(d dialog.Dialog, w fyne.Window) {
	least := d.MinSize()
	width := 30 * theme.TextSize()
	if c := w.Canvas().Size().Width * 0.9; c > 0 {
		width = min(width, c)
	}
	d.Resize(fyne.NewSize(max(least.Width, width), least.Height))
}

// spaced centres o vertically between two spacers.
func spaced(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(layout.NewSpacer(), o, layout.NewSpacer())
}
