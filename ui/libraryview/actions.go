package libraryview

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects"
	"sangstudio/projects/library"
	"sangstudio/ui/explain"
	"sangstudio/ui/shown"
)

// askTitle shows a dialog with a question and a big entry holding text
// (all selected, so typing replaces it), below the objects in above; done
// gets the trimmed text when the user confirms (by the button or Enter). A
// title holding a control character is refused, saying so
// (projects.CheckName), and done is not called.
func (v *View) askTitle(title, question, confirm, text string, done func(string), above ...fyne.CanvasObject) *dialog.ConfirmDialog {
	entry := widget.NewEntry()
	entry.SetText(text)
	box := container.NewVBox(above...)
	box.Add(widget.NewLabel(question))
	box.Add(big(entry))
	d := dialog.NewCustomConfirm(title, confirm, lang.L("Cancel"), box, func(ok bool) {
		if !ok {
			return
		}
		t := strings.TrimSpace(entry.Text)
		if msg, bad := shown.Refusal(projects.CheckName(projects.FieldTitle, t)); bad {
			explain.Show(v.opt.Window, "", explain.Plain(msg, nil))
			return
		}
		done(t)
	}, v.opt.Window)
	entry.OnSubmitted = func(string) { d.Confirm() }
	sizeDialog(d, v.opt.Window)
	d.Show()
	v.opt.Window.Canvas().Focus(entry)
	entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	return d
}

// askNewSong asks for the new song's title, makes the song and opens it.
func (v *View) askNewSong() {
	v.hideMenu()
	def := lang.X("library.new_song_title", "New song")
	v.askTitle(lang.X("library.new_song", "New song"), lang.X("library.ask_title", "What should the song be called?"), lang.X("library.make_song", "Make the song"), def,
		func(title string) {
			if title == "" {
				title = def
			}
			v.newSong(title)
		})
}

// newSong makes a song titled title and opens it.
func (v *View) newSong(title string) {
	lib, rate := v.opt.Library, v.opt.Rate
	go func() {
		dir, err := lib.NewSong(title, rate)
		v.post(func() {
			v.Reload()
			if err != nil {
				v.showError(lang.L("Could not make the song \"{{.Title}}\".", map[string]any{"Title": title}), err)
				return
			}
			v.open(dir)
		})
	}()
}

// askRename asks for a song's new title and renames it.
func (v *View) askRename(r *row) {
	e := r.entry
	// A title from a song file made elsewhere may hold control characters:
	// the entry shows them as visible symbols, and a title kept unchanged
	// is left as it is.
	v.askTitle(lang.X("library.rename_title", "Rename the song"), lang.X("library.ask_title", "What should the song be called?"), lang.X("library.rename_confirm", "Rename"), shown.Text(e.Title),
		func(title string) {
			if title == "" || title == e.Title || title == shown.Text(e.Title) {
				return
			}
			if v.play != nil && v.play.dir == e.Dir {
				v.stopPlayback()
			}
			r.setBusy()
			lib := v.opt.Library
			go func() {
				_, err := lib.Rename(e.Dir, title)
				v.post(func() {
					if err != nil {
						v.showError(lang.L("Could not rename \"{{.Title}}\".", map[string]any{"Title": e.Title}), err)
					}
					v.Reload()
				})
			}()
		})
}

// askDelete asks whether to move a song to the bin, and moves it.
func (v *View) askDelete(r *row) {
	e := r.entry
	msg := widget.NewLabel(lang.L("Move \"{{.Title}}\" to the bin?", map[string]any{"Title": e.Title}) + "\n" +
		lang.L("You can get it back from the bin until it is emptied."))
	d := dialog.NewCustomConfirm(lang.X("library.move_to_bin_title", "Move to the bin?"), lang.X("library.move_to_bin", "Move to the bin"), lang.L("Cancel"), msg, func(ok bool) {
		if !ok {
			return
		}
		if v.play != nil && v.play.dir == e.Dir {
			v.stopPlayback()
		}
		r.setBusy()
		lib := v.opt.Library
		go func() {
			err := lib.Delete(e.Dir)
			v.post(func() {
				if err != nil {
					v.showError(lang.L("Could not move \"{{.Title}}\" to the bin.", map[string]any{"Title": e.Title}), err)
				}
				v.Reload()
			})
		}()
	}, v.opt.Window)
	sizeDialog(d, v.opt.Window)
	d.Show()
}

// restore brings a song back from the bin.
func (v *View) restore(e library.Entry) {
	lib := v.opt.Library
	go func() {
		_, err := lib.Restore(e.Dir)
		v.post(func() {
			if err != nil {
				v.showError(lang.L("Could not bring \"{{.Title}}\" back from the bin.", map[string]any{"Title": e.Title}), err)
			}
			v.Reload()
		})
	}()
}

// askEmptyBin asks, clearly, whether to delete the songs in the bin for
// good, and does so only when the user says yes.
func (v *View) askEmptyBin() {
	n := len(v.binEntries)
	if n == 0 {
		return
	}
	var text string
	if n == 1 {
		text = lang.L("This deletes 1 song for good. It cannot be brought back.")
	} else {
		text = lang.N("This deletes {{.Count}} songs for good. They cannot be brought back.", n, map[string]any{"Count": n})
	}
	var titles []string
	for _, e := range v.binEntries {
		titles = append(titles, e.Title)
	}
	msg := widget.NewLabel(text)
	msg.TextStyle.Bold = true
	list := widget.NewLabel(nameList(titles))
	d := dialog.NewCustomConfirm(lang.X("library.empty_bin_title", "Empty the bin?"), lang.X("library.delete_for_good", "Delete for good"), lang.L("Cancel"),
		container.NewVBox(msg, list), func(ok bool) {
			if !ok {
				return
			}
			v.emptyBtn.Disable()
			lib := v.opt.Library
			go func() {
				_, err := lib.EmptyBin()
				v.post(func() {
					if err != nil {
						v.showError(lang.L("Could not empty the bin."), err)
					}
					v.Reload()
				})
			}()
		}, v.opt.Window)
	d.SetConfirmImportance(widget.DangerImportance)
	sizeDialog(d, v.opt.Window)
	d.Show()
}
