package songview

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/restore"
	"sangstudio/projects"
	"sangstudio/projects/takehome"
	"sangstudio/ui/explain"
	"sangstudio/ui/shown"
)

// leftovers is the quiet notice under the transport when the song's audio
// folder holds recordings no version of the song uses
// (projects.Leftovers), and its button, which offers to move them into the
// song's bin or to bring them back as tracks, each after a confirmation.
// The listing and the moving run on the studio's worker, never on the UI
// thread.
type leftovers struct {
	v    *View
	bar  *fyne.Container
	text *widget.Label
	list []projects.Leftover // the leftovers last listed
}

// maxListed is how many leftovers the dialog names before "and N more".
const maxListed = 20

func newLeftovers(v *View) *leftovers {
	l := &leftovers{v: v}
	l.text = widget.NewLabel("")
	l.text.Importance = widget.LowImportance
	more := widget.NewButton(lang.L("Choose what to do…"), l.show)
	more.Importance = widget.LowImportance
	l.bar = container.NewHBox(widget.NewIcon(theme.InfoIcon()), l.text, more)
	l.bar.Hide()
	return l
}

// check lists the leftovers (off the UI thread) and shows or hides the
// notice.
func (l *leftovers) check() {
	l.v.st.Leftovers(func(list []projects.Leftover, err error) {
		if err != nil {
			l.list = nil // a folder that cannot be listed shows no notice; the song still works
			l.bar.Hide()
			return
		}
		l.list = list
		n, size := takes(list)
		if n == 0 {
			l.bar.Hide()
			return
		}
		l.text.SetText(countText(n, size))
		l.bar.Show()
	})
}

// takes counts the leftovers that are recordings (not unfinished
// imports, which opening the song removes) and their size.
func takes(list []projects.Leftover) (n int, size int64) {
	for _, x := range list {
		if x.Kind == projects.LeftoverTake {
			n++
			size += x.Size
		}
	}
	return n, size
}

func countText(n int, size int64) string {
	if n == 1 {
		return fmt.Sprintf(lang.L("1 recording is not in the song (%s)"), takehome.Size(size))
	}
	return fmt.Sprintf(lang.L("%d recordings are not in the song (%s)"), n, takehome.Size(size))
}

// show is the dialog with the two choices.
func (l *leftovers) show() {
	w := l.v.opt.Window
	n, size := takes(l.list)
	if w == nil || n == 0 {
		return
	}
	list := l.list
	var names []string
	for _, x := range list {
		if x.Kind != projects.LeftoverTake {
			continue
		}
		if len(names) == maxListed {
			names = append(names, fmt.Sprintf(lang.L("and %d more"), n-maxListed))
			break
		}
		names = append(names, fmt.Sprintf("%s  (%s)", shown.Text(x.Name), takehome.Size(x.Size)))
	}
	about := widget.NewLabel(lang.L("These recordings are in the song's folder, but no version of the song uses them: a program may have been stopped while it worked, or their clips were removed long ago. They may be the only copy of something, so Sangstudio never deletes them."))
	about.Wrapping = fyne.TextWrapWord
	files := widget.NewLabel(strings.Join(names, "\n"))
	var d dialog.Dialog
	toBin := widget.NewButtonWithIcon(lang.L("Move to the song's bin"), theme.DeleteIcon(), func() {
		d.Hide()
		dialog.ShowConfirm(lang.L("Move to the song's bin?"),
			fmt.Sprintf(lang.L("The recordings (%s) are moved into the folder “bin” in the song's folder. Nothing is deleted: you will find them there."), takehome.Size(size)),
			func(ok bool) {
				if ok {
					l.toBin(list)
				}
			}, w)
	})
	back := widget.NewButtonWithIcon(lang.L("Bring back as tracks"), theme.ContentAddIcon(), func() {
		d.Hide()
		dialog.ShowConfirm(lang.L("Bring back as tracks?"),
			lang.L("Each recording becomes a new track. Undo (Ctrl+Z) takes the tracks away again."),
			func(ok bool) {
				if ok {
					l.restore(list)
				}
			}, w)
	})
	box := container.NewVBox(about, container.NewVScroll(files), container.NewHBox(toBin, back))
	d = dialog.NewCustom(countText(n, size), lang.L("Cancel"), box, w)
	d.Resize(fyne.NewSize(640, 480))
	d.Show()
}

func (l *leftovers) toBin(list []projects.Leftover) {
	l.v.st.BinLeftovers(list, func(res *projects.TidyResult, err error) {
		l.check()
		if err != nil {
			l.v.showError(err)
			return
		}
		if w := l.v.opt.Window; w != nil && len(res.Binned) > 0 {
			dialog.ShowInformation(lang.L("Moved to the song's bin"),
				fmt.Sprintf(lang.L("The recordings are now in the folder %s."), filepath.Join(l.v.st.Dir, projects.BinDir)), w)
		}
	})
}

func (l *leftovers) restore(list []projects.Leftover) {
	l.v.st.RestoreLeftovers(list, func(added []string, problems []error, err error) {
		l.check()
		if err != nil {
			l.v.showError(err)
			return
		}
		if len(problems) > 0 {
			var names []string
			for _, p := range problems {
				names = append(names, shown.Text(takeOf(p)))
			}
			l.v.showError(explain.Plain(fmt.Sprintf(lang.L("These recordings could not become tracks (another sample rate, or not a recording Sangstudio can play): %s. You can move them to the song's bin instead."),
				strings.Join(names, ", ")), problems[0]))
		}
	})
}

// takeOf is the take a restore problem is about.
func takeOf(err error) string {
	var te *restore.TakeError
	if errors.As(err, &te) {
		return te.Take
	}
	return err.Error()
}
