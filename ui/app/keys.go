package app

import (
	"fmt"
	"sangstudio/ui/explain"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// Key is one keyboard shortcut: shown in the menus, the tooltips and the
// Keys help, and handled by the window.
type Key struct {
	Name     fyne.KeyName
	Modifier fyne.KeyModifier // 0: a plain key (only when no text field has focus)
	Label    string           // what it does, in English (translated when shown)
}

// Keys are every shortcut of the song screen (a new slice each call).
func Keys() []Key {
	return []Key{
		{fyne.KeySpace, 0, "Play / stop"},
		{fyne.KeyR, 0, "Record"},
		{fyne.KeyK, 0, "Keep that"},
		{fyne.KeyA, 0, "Arm or disarm the selected track"},
		{fyne.KeyB, 0, "Make a beat"},
		{fyne.KeyHome, 0, "Back to the start"},
		{fyne.KeyM, 0, "Add a marker"},
		{fyne.KeyS, 0, "Split the clip at the playhead"},
		{fyne.KeyDelete, 0, "Delete the selected clip"},
		{fyne.KeyZ, fyne.KeyModifierShortcutDefault, "Undo"},
		{fyne.KeyZ, fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift, "Redo"},
		{fyne.KeyY, fyne.KeyModifierShortcutDefault, "Redo"},
		{fyne.KeyN, fyne.KeyModifierShortcutDefault, "New song"},
		{fyne.KeyO, fyne.KeyModifierShortcutDefault, "Your songs"},
		{fyne.KeyI, fyne.KeyModifierShortcutDefault, "Add files to the song"},
		{fyne.KeyE, fyne.KeyModifierShortcutDefault, "Share: save the mix, take home, CD"},
		{fyne.KeyComma, fyne.KeyModifierShortcutDefault, "Settings"},
		{fyne.KeyQ, fyne.KeyModifierShortcutDefault, "Quit"},
	}
}

// KeyText is how a key is written in menus and help ("Ctrl+Shift+Z").
func KeyText(k Key) string {
	s := ""
	if k.Modifier&fyne.KeyModifierControl != 0 {
		s += "Ctrl+"
	}
	if k.Modifier&fyne.KeyModifierShift != 0 {
		s += "Shift+"
	}
	name := string(k.Name)
	switch k.Name {
	case fyne.KeySpace:
		name = lang.L("Space")
	case fyne.KeyDelete:
		name = "Delete"
	case fyne.KeyComma:
		name = ","
	}
	return s + name
}

// action runs what a key does on the current screen.
func (ui *UI) action(label string) {
	ss := ui.song
	inSong := ss != nil && ui.screen == screenSong
	switch label {
	case "New song", "Your songs":
		ui.leaveSong(ui.startLibrary)
	case "Settings":
		ui.showSettings()
	case "Quit":
		ui.quit()
	case "Keys":
		ui.showKeys()
	}
	if !inSong {
		return
	}
	v, st := ss.view, ss.st
	if st.Resident() && !residentKey(label) {
		return // resident mode: only what its buttons do
	}
	switch label {
	case "Play / stop":
		st.TogglePlay()
	case "Record":
		v.Record()
	case "Keep that":
		v.Keep()
	case "Arm or disarm the selected track":
		v.ToggleArm()
	case "Make a beat":
		v.OpenBeat()
	case "Back to the start":
		st.Locate(0)
	case "Add a marker":
		v.AddMarker()
	case "Split the clip at the playhead":
		v.SplitAtPlayhead()
	case "Delete the selected clip":
		v.DeleteClip()
	case "Undo":
		st.Undo()
	case "Redo":
		st.Redo()
	case "Add files to the song":
		v.ShowImport()
	case "Share: save the mix, take home, CD":
		v.ShowShare()
	}
}

// residentKey reports whether the key (or menu item) label acts in
// resident mode: what its buttons do, and nothing that deletes, renames or
// moves.
func residentKey(label string) bool {
	switch label {
	case "Play / stop", "Record", "Keep that", "Back to the start", "Undo", "Make a beat":
		return true
	}
	return false
}

// install sets the menus and the keys (again after a language change).
func (ui *UI) install() {
	c := ui.win.Canvas()
	for _, k := range Keys() {
		if k.Modifier == 0 {
			continue
		}
		k := k
		sc := &desktop.CustomShortcut{KeyName: k.Name, Modifier: k.Modifier}
		c.RemoveShortcut(sc)
		c.AddShortcut(sc, func(fyne.Shortcut) { ui.action(k.Label) })
	}
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if c.Overlays().Top() != nil {
			// A dialog is open: its keys are its own (typed into it or
			// not), and R or Space must not record or play behind it.
			return
		}
		for _, k := range Keys() {
			if k.Modifier == 0 && k.Name == e.Name {
				ui.action(k.Label)
				return
			}
		}
	})
	ui.win.SetMainMenu(ui.menu())
	ui.win.SetCloseIntercept(ui.quit)
	ui.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		var paths []string
		for _, u := range uris {
			paths = append(paths, u.Path())
		}
		switch {
		case ui.screen == screenSong && ui.song != nil:
			ui.song.importFiles(paths)
		case ui.screen == screenLibrary && ui.lib != nil:
			ui.lib.view.ImportFiles(paths)
		}
	})
}

func (ui *UI) item(label string) *fyne.MenuItem {
	it := fyne.NewMenuItem(lang.L(label), func() { ui.action(label) })
	for _, k := range Keys() {
		if k.Label == label && k.Modifier != 0 {
			it.Shortcut = &desktop.CustomShortcut{KeyName: k.Name, Modifier: k.Modifier}
			break
		}
	}
	if it.Shortcut == nil {
		for _, k := range Keys() {
			if k.Label == label {
				it.Label = fmt.Sprintf("%s    (%s)", lang.L(label), KeyText(k))
				break
			}
		}
	}
	return it
}

// menu is the main menu: every action with its key.
func (ui *UI) menu() *fyne.MainMenu {
	quit := ui.item("Quit")
	quit.IsQuit = true
	file := fyne.NewMenu(lang.L("Song"), ui.item("New song"), ui.item("Your songs"), ui.item("Add files to the song"),
		fyne.NewMenuItemSeparator(), ui.item("Share: save the mix, take home, CD"), fyne.NewMenuItemSeparator(),
		ui.item("Settings"), quit)
	edit := fyne.NewMenu(lang.L("Edit"), ui.item("Undo"), ui.item("Redo"), fyne.NewMenuItemSeparator(),
		ui.item("Split the clip at the playhead"), ui.item("Delete the selected clip"), ui.item("Add a marker"))
	play := fyne.NewMenu(lang.L("Play"), ui.item("Play / stop"), ui.item("Record"), ui.item("Keep that"),
		ui.item("Arm or disarm the selected track"), ui.item("Back to the start"))
	help := fyne.NewMenu(lang.L("Help"), fyne.NewMenuItem(lang.L("Keys"), ui.showKeys),
		fyne.NewMenuItem(lang.L("About Sangstudio"), ui.showAbout))
	return fyne.NewMainMenu(file, edit, play, help)
}

func (ui *UI) showKeys() {
	form := widget.NewForm()
	for _, k := range Keys() {
		form.Append(KeyText(k), widget.NewLabel(lang.L(k.Label)))
	}
	d := dialog.NewCustom(lang.L("Keys"), lang.L("Close"), form, ui.win)
	d.Resize(fyne.NewSize(620, 600))
	d.Show()
}

func (ui *UI) showAbout() {
	dialog.ShowInformation("Sangstudio", fmt.Sprintf("Sangstudio %s\n%s", ui.version,
		lang.L("Everything stays on this computer: nothing is sent anywhere.")), ui.win)
}

func showError(w fyne.Window, err error) { explain.Show(w, "", err) }
