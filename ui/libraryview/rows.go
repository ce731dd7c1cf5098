package libraryview

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects/library"
	"sangstudio/projects/songlog"
	"sangstudio/ui/shown"
)

// minRowHeight is the least height of a song row, so that rows are easy to
// hit even with small text.
const minRowHeight = 56

// row is one song on the screen.
type row struct {
	entry   library.Entry
	obj     fyne.CanvasObject
	title   *widget.Label
	listen  *widget.Button // nil when the song has nothing to listen to
	open    *widget.Button
	more    *widget.Button
	bar     *widget.ProgressBar
	barText string // the bar's text, "0:12 / 0:27"
	// relayout lays the list out again after the bar is shown or hidden.
	relayout func()
}

// songRow makes the row of one song.
func (v *View) songRow(e library.Entry) *row {
	r := &row{entry: e, relayout: v.songView.Refresh}
	r.title = widget.NewLabelWithStyle(shown.Text(e.Title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.title.SizeName = theme.SizeNameSubHeadingText
	r.title.Truncation = fyne.TextTruncateEllipsis
	details := widget.NewLabel(v.details(e))
	details.Wrapping = fyne.TextWrapWord
	lines := container.NewVBox(r.title, details)
	if e.Problem != "" {
		p := widget.NewLabelWithStyle(problemText(e.Problem), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		p.Importance = widget.WarningImportance
		p.Wrapping = fyne.TextWrapWord
		lines.Add(p)
	}
	r.bar = widget.NewProgressBar()
	r.bar.TextFormatter = func() string { return r.barText }
	r.bar.Hide()
	lines.Add(r.bar)

	r.open = widget.NewButton(lang.L("Open"), func() { v.open(e.Dir) })
	r.open.Importance = widget.HighImportance
	r.more = widget.NewButton("…", nil)
	r.more.OnTapped = func() { v.showMenu(r) }
	buttons := container.NewHBox()
	if e.Bounce != "" && v.opt.OpenPlayer != nil {
		r.listen = widget.NewButtonWithIcon(lang.X("library.listen", "Listen"), theme.MediaPlayIcon(), func() { v.toggleListen(r) })
		buttons.Add(big(r.listen))
	}
	buttons.Add(big(r.open))
	buttons.Add(big(r.more))

	content := container.NewBorder(nil, nil, nil, spaced(buttons), lines)
	r.obj = widget.NewCard("", "", minHeight(content, minRowHeight))
	return r
}

// setBusy disables the row's buttons while something is done to its song
// (the row is rebuilt afterwards).
func (r *row) setBusy() {
	for _, b := range []*widget.Button{r.listen, r.open, r.more} {
		if b != nil {
			b.Disable()
		}
	}
}

// binRow makes the row of one song in the bin.
func (v *View) binRow(e library.Entry) fyne.CanvasObject {
	title := widget.NewLabelWithStyle(shown.Text(e.Title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	title.Truncation = fyne.TextTruncateEllipsis
	lines := container.NewVBox(title)
	if !e.Deleted.IsZero() {
		lines.Add(widget.NewLabel(lang.X("library.deleted", "deleted {{.When}}", map[string]any{"When": formatWhen(e.Deleted, v.now(), v.opt.Lang)})))
	}
	if e.Problem != "" {
		p := widget.NewLabelWithStyle(problemText(e.Problem), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		p.Importance = widget.WarningImportance
		p.Wrapping = fyne.TextWrapWord
		lines.Add(p)
	}
	var restore *widget.Button
	restore = widget.NewButtonWithIcon(lang.X("library.restore", "Restore"), theme.ContentUndoIcon(), func() {
		restore.Disable()
		v.restore(e)
	})
	restore.Importance = widget.HighImportance
	content := container.NewBorder(nil, nil, nil, spaced(big(restore)), lines)
	return widget.NewCard("", "", minHeight(content, minRowHeight))
}

// details is the line under a song's title: when it was changed, how long
// it is, how many takes it has.
func (v *View) details(e library.Entry) string {
	var parts []string
	if !e.Modified.IsZero() {
		parts = append(parts, lang.X("library.changed", "changed {{.When}}", map[string]any{"When": formatWhen(e.Modified, v.now(), v.opt.Lang)}))
	}
	if e.Length > 0 {
		parts = append(parts, formatLength(e.Length))
	}
	if e.Log.Sessions > 0 {
		return strings.Join(append(parts, logText(e.Log)), "  ·  ")
	}
	switch {
	case e.Takes == 0 && e.Length == 0:
		parts = append(parts, lang.X("library.no_takes", "nothing recorded yet"))
	case e.Takes == 0:
	case e.Takes == 1:
		parts = append(parts, lang.X("library.one_take", "1 take"))
	default:
		parts = append(parts, lang.XN("library.takes", "{{.Count}} takes", e.Takes, map[string]any{"Count": e.Takes}))
	}
	return strings.Join(parts, "  ·  ")
}

// problemText says in the window's language what is wrong with a song.
func problemText(p string) string {
	switch p {
	case library.ProblemRecovered:
		return lang.L("This song was damaged. It opens from the save before.")
	case library.ProblemNewer:
		return lang.L("This song was made by a newer Sangstudio. Update Sangstudio to open it.")
	case library.ProblemMissing:
		return lang.L("Some recordings of this song are missing.")
	}
	return lang.L("Something is wrong with this song: {{.Problem}}", map[string]any{"Problem": p})
}

// showMenu shows the "…" menu of a row: Rename and Delete, as big buttons.
func (v *View) showMenu(r *row) {
	v.hideMenu()
	rename := widget.NewButtonWithIcon(lang.X("library.rename", "Rename…"), theme.DocumentCreateIcon(), func() {
		v.hideMenu()
		v.askRename(r)
	})
	del := widget.NewButtonWithIcon(lang.X("library.delete", "Delete…"), theme.DeleteIcon(), func() {
		v.hideMenu()
		v.askDelete(r)
	})
	rename.Alignment = widget.ButtonAlignLeading
	del.Alignment = widget.ButtonAlignLeading
	menu := widget.NewPopUp(container.NewVBox(big(rename), big(del)), v.opt.Window.Canvas())
	v.menu = menu
	// Below the "…" button, right edges lined up, so it stays in the window.
	menu.ShowAtRelativePosition(fyne.NewPos(r.more.Size().Width-menu.MinSize().Width, r.more.Size().Height), r.more)
}

// hideMenu closes the "…" menu, if it is open.
func (v *View) hideMenu() {
	if v.menu != nil {
		v.menu.Hide()
		v.menu = nil
	}
}

// minHeight stacks o on an invisible rectangle at least h high.
func minHeight(o fyne.CanvasObject, h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(0, h))
	return container.NewStack(r, o)
}

// logText is a song's log in short: "3 sessions, 12 takes, 2 copies".
func logText(l songlog.Summary) string {
	parts := []string{lang.XN("library.sessions", "{{.Count}} sessions", l.Sessions, map[string]any{"Count": l.Sessions})}
	if l.Sessions == 1 {
		parts[0] = lang.X("library.one_session", "1 session")
	}
	switch l.Takes {
	case 0:
	case 1:
		parts = append(parts, lang.X("library.one_take", "1 take"))
	default:
		parts = append(parts, lang.XN("library.takes", "{{.Count}} takes", l.Takes, map[string]any{"Count": l.Takes}))
	}
	switch l.Copies {
	case 0:
	case 1:
		parts = append(parts, lang.X("library.one_copy", "1 copy"))
	default:
		parts = append(parts, lang.XN("library.copies", "{{.Count}} copies", l.Copies, map[string]any{"Count": l.Copies}))
	}
	return strings.Join(parts, ", ")
}
