package songview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/ui/shown"
	"sangstudio/ui/widgets"
)

// header is the top line of the song screen: back to the songs and the
// song's title on the left; Undo, Redo, Share and the settings on the
// right.
type header struct {
	v     *View
	box   fyne.CanvasObject
	title *widget.Label
	// device says which audio device plays, in small text under the
	// title, while all is well (trouble is said in the transport's status
	// line).
	device *widget.Label
	undo   *widgets.TipButton
	redo   *widgets.TipButton
}

func newHeader(v *View) *header {
	h := &header{v: v}
	h.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.title.SizeName = theme.SizeNameSubHeadingText
	h.device = widget.NewLabel("")
	h.device.SizeName = theme.SizeNameCaptionText
	back := widgets.NewTipButton(lang.L("Songs"), theme.NavigateBackIcon(), lang.L("Back to your songs (Ctrl+O)"), func() {
		if v.opt.OnBack != nil {
			v.opt.OnBack()
		}
	})
	h.undo = widgets.NewTipButton(lang.L("Undo"), theme.ContentUndoIcon(), lang.L("Undo (Ctrl+Z)"), v.st.Undo)
	h.redo = widgets.NewTipButton(lang.L("Redo"), theme.ContentRedoIcon(), lang.L("Redo (Ctrl+Shift+Z)"), v.st.Redo)
	share := widgets.NewTipButton(lang.L("Share"), theme.UploadIcon(), lang.L("Export, take home, burn a CD (Ctrl+E)"), v.ShowShare)
	share.Importance = widget.HighImportance
	settings := widgets.NewTipButton("", theme.SettingsIcon(), lang.L("Settings (Ctrl+,)"), func() {
		if v.opt.OnSettings != nil {
			v.opt.OnSettings()
		}
	})
	titles := container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), h.title, container.NewHBox(h.device, v.hour.clock))
	logButton := widgets.NewTipButton("", theme.ListIcon(), lang.L("The song's log: sessions, takes and copies"), v.ShowLog)
	resident := widgets.NewTipButton("", theme.AccountIcon(), lang.L("Resident mode: only Record, Play, Stop, Undo, Keep that and the lyrics"), func() {
		if v.opt.OnResident != nil {
			v.opt.OnResident(true)
		}
	})
	h.box = container.NewBorder(nil, nil, container.NewHBox(back, titles), container.NewHBox(h.undo, h.redo, share, logButton, resident, settings))
	return h
}

// showTitle shows the song's title (control characters as symbols).
func (h *header) showTitle(title string) { h.title.SetText(shown.Text(title)) }

// showHistory enables Undo and Redo when there is something to undo or
// redo, and names the step in their tooltips.
func (h *header) showHistory() {
	st := h.v.st
	h.enableHistory()
	h.undo.Tip = lang.L("Undo (Ctrl+Z)")
	if l := st.UndoLabel(); l != "" {
		h.undo.Tip = lang.L("Undo") + ": " + lang.L(l) + " (Ctrl+Z)"
	}
	h.redo.Tip = lang.L("Redo (Ctrl+Shift+Z)")
	if l := st.RedoLabel(); l != "" {
		h.redo.Tip = lang.L("Redo") + ": " + lang.L(l) + " (Ctrl+Shift+Z)"
	}
}

// enableHistory enables Undo and Redo when there is something to undo or
// redo.
func (h *header) enableHistory() {
	setEnabled(&h.undo.Button, h.v.st.CanUndo())
	setEnabled(&h.redo.Button, h.v.st.CanRedo())
}

func setEnabled(b *widget.Button, on bool) {
	if on && b.Disabled() {
		b.Enable()
	} else if !on && !b.Disabled() {
		b.Disable()
	}
}
