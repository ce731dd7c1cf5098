package libraryview

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/importer"
	"sangstudio/projects/library"
)

// canImport reports whether path is a file the importer takes: a WAV file
// or a MIDI file (by its extension).
func canImport(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".wav", ".wave":
		return true
	}
	return importer.IsMIDIFile(path)
}

// nameList lists file names (or titles) one a line, at most 8 of them.
func nameList(names []string) string {
	var lines []string
	for i, n := range names {
		if i == 8 && len(names) > 9 {
			lines = append(lines, lang.X("library.and_more", "and {{.Count}} more", map[string]any{"Count": len(names) - i}))
			break
		}
		lines = append(lines, "•  "+n)
	}
	return strings.Join(lines, "\n")
}

// chooseImport lets the user pick a sound or MIDI file to make a song from.
func (v *View) chooseImport() {
	v.hideMenu()
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			v.showError(lang.X("library.open_file_failed", "Could not open the file."), err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		v.ImportFiles([]string{path})
	}, v.opt.Window)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".wav", ".mid", ".midi"}))
	d.Resize(v.opt.Window.Canvas().Size())
	d.Show()
}

// ImportFiles makes a new song from sound files (WAV, each becomes an audio
// track) and MIDI files (.mid, .midi: MIDI tracks), after asking the user
// for the song's title (at first the first file's name). The window calls
// it with the files dropped on it while the library shows. The import runs
// off the UI thread with a progress bar and a Cancel button; when it fails
// or is cancelled, nothing of the new song is left, and the error names the
// file. A finished song is opened.
func (v *View) ImportFiles(paths []string) {
	v.hideMenu()
	var files, names, skipped []string
	for _, p := range paths {
		if canImport(p) {
			files = append(files, p)
			names = append(names, filepath.Base(p))
		} else {
			skipped = append(skipped, filepath.Base(p))
		}
	}
	leftOut := lang.L("Sangstudio can bring in sound files (.wav) and MIDI files (.mid). These files are left out:") + "\n" + nameList(skipped)
	if len(files) == 0 {
		if len(skipped) > 0 {
			d := dialog.NewInformation(lang.X("library.nothing_to_import", "Nothing to bring in"), leftOut, v.opt.Window)
			sizeDialog(d, v.opt.Window)
			d.Show()
		}
		return
	}
	var above []fyne.CanvasObject
	intro := lang.L("These files become tracks in a new song:")
	if len(files) == 1 {
		intro = lang.L("This file becomes a track in a new song:")
	}
	above = append(above, widget.NewLabel(intro), widget.NewLabelWithStyle(nameList(names), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	if len(skipped) > 0 {
		l := widget.NewLabel(leftOut)
		l.Importance = widget.WarningImportance
		above = append(above, l)
	}
	def := importer.TrackName(files[0])
	v.askTitle(lang.L("New song from these files?"), lang.X("library.ask_title", "What should the song be called?"), lang.X("library.make_song", "Make the song"), def,
		func(title string) {
			if title == "" {
				title = def
			}
			v.runImport(title, files)
		}, above...)
}

// runImport imports files into a new song titled title, showing progress.
func (v *View) runImport(title string, files []string) {
	ctx, cancel := context.WithCancel(context.Background())
	label := widget.NewLabel(lang.X("library.getting_ready", "Getting ready…"))
	bar := widget.NewProgressBar()
	bar.Max = float64(len(files))
	stop := widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), nil)
	stop.OnTapped = func() {
		cancel()
		stop.Disable()
		label.SetText(lang.X("library.stopping", "Stopping…"))
	}
	d := dialog.NewCustomWithoutButtons(lang.X("library.importing", "Bringing in files"), container.NewVBox(label, bar), v.opt.Window)
	d.SetButtons([]fyne.CanvasObject{big(stop)})
	sizeDialog(d, v.opt.Window)
	d.Show()

	lib, rate := v.opt.Library, v.opt.Rate
	progress := func(i int, path string) {
		v.post(func() {
			if ctx.Err() == nil {
				label.SetText(lang.L("File {{.Index}} of {{.Count}}: {{.Name}}",
					map[string]any{"Index": i + 1, "Count": len(files), "Name": filepath.Base(path)}))
			}
			bar.SetValue(float64(i))
		})
	}
	go func() {
		defer cancel()
		dir, err := importSong(ctx, lib, title, rate, files, progress)
		cancelled := ctx.Err() != nil
		v.post(func() {
			d.Hide()
			v.Reload()
			var fe *importer.FileError
			switch {
			case err == nil:
				v.open(dir)
			case cancelled:
				// The user stopped it; nothing was made, nothing to say.
			case errors.As(err, &fe):
				v.showError(lang.L("Could not bring in \"{{.File}}\". No song was made.", map[string]any{"File": filepath.Base(fe.Path)}), fe.Err)
			default:
				v.showError(lang.L("Could not make the song \"{{.Title}}\".", map[string]any{"Title": title}), err)
			}
		})
	}()
}

// importSong makes a new song titled title from files and returns its
// folder (importer.NewSong: nothing half-made is ever left).
func importSong(ctx context.Context, lib *library.Library, title string, rate int, files []string, progress func(int, string)) (string, error) {
	return importer.NewSong(ctx, lib, files, importer.Options{Title: title, Rate: rate, Progress: progress})
}
