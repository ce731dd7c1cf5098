package libraryview

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects/library"
	"sangstudio/ui/explain"
	"sangstudio/ui/uithread"
)

// ChooseFolder asks, on the first start, where Sangstudio should keep the
// songs: it shows the suggested folder ("" means ~/Sangstudio), a "Choose
// another folder…" button and a big OK. On OK the folder is created (0700,
// off the UI thread) and done is called with it on the UI thread. The
// dialog has no way to close it other than OK, so done is always called
// once the user has chosen; if the folder cannot be made, the error names
// it and the dialog stays. post runs code on the UI thread.
func ChooseFolder(w fyne.Window, suggested string, post uithread.Poster, done func(dir string)) {
	if suggested == "" {
		suggested = library.DefaultRoot()
	}
	chosen := suggested
	intro := widget.NewLabel(lang.L("Sangstudio keeps your songs and recordings in a folder on this computer. This folder is suggested:"))
	intro.Wrapping = fyne.TextWrapWord
	path := widget.NewLabelWithStyle(chosen, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	path.SizeName = theme.SizeNameSubHeadingText
	path.Wrapping = fyne.TextWrapBreak
	another := widget.NewButtonWithIcon(lang.X("library.choose_folder", "Choose another folder…"), theme.FolderOpenIcon(), nil)
	ok := widget.NewButton(lang.L("OK"), nil)
	ok.Importance = widget.HighImportance

	d := dialog.NewCustomWithoutButtons(lang.L("Where should Sangstudio keep your songs?"),
		container.NewVBox(intro, path, container.NewHBox(big(another))), w)
	d.SetButtons([]fyne.CanvasObject{big(ok)})

	another.OnTapped = func() {
		fd := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil {
				explain.Show(w, "", err)
				return
			}
			if u == nil {
				return // cancelled: keep the folder shown
			}
			chosen = u.Path()
			path.SetText(chosen)
		}, w)
		// Start where the shown folder is (or its parent, if it is not made yet).
		for _, dir := range []string{chosen, filepath.Dir(chosen)} {
			if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
				fd.SetLocation(l)
				break
			}
		}
		fd.Resize(w.Canvas().Size())
		fd.Show()
	}
	ok.OnTapped = func() {
		ok.Disable()
		another.Disable()
		dir := chosen
		go func() {
			err := os.MkdirAll(dir, 0o700)
			post(func() {
				if err != nil {
					ok.Enable()
					another.Enable()
					explain.Show(w, lang.L("Could not make the folder {{.Folder}}.", map[string]any{"Folder": dir}), err)
					return
				}
				d.Hide()
				done(dir)
			})
		}()
	}
	sizeDialog(d, w)
	d.Show()
}
