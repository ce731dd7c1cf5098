// Package takehomeview is the window's Take home step: pick a USB stick
// (removable drives are listed first, with their label and free space, and
// appear by themselves when plugged in), what to put on it (MP3, WAV, FLAC,
// the lyrics), how loud, and the performer's name; then one button masters
// the song and copies it, and the view says when the stick is safe to remove.
//
// All work (scanning drives, mastering, copying) runs off the UI thread;
// results come back through Options.Post.
package takehomeview

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/bounce"
	"sangstudio/audio/encode"
	"sangstudio/audio/master"
	"sangstudio/projects"
	"sangstudio/projects/takehome"
	"sangstudio/ui/explain"
	"sangstudio/ui/shown"
	"sangstudio/ui/studio"
	"sangstudio/ui/uithread"
)

// Options set the view up.
type Options struct {
	Window fyne.Window
	Studio *studio.Studio
	// Post runs f on the UI thread (the window's, made from fyne.Do).
	Post uithread.Poster
	// Drives lists the destinations; nil means takehome.Drives.
	Drives func() ([]takehome.Drive, error)
	// Rescan is how often the drive list is refreshed while the view is
	// open; 0 means every 2 seconds.
	Rescan time.Duration
	// ChooseFolder asks for another folder; nil means Fyne's folder dialog.
	ChooseFolder func(done func(path string))
	// OnClose is called when the view is closed.
	OnClose func()
}

// View is the Take home step.
type View struct {
	opt     Options
	content fyne.CanvasObject

	drives   []takehome.Drive
	other    string // a folder chosen with "Other folder…"
	selected string // path of the chosen destination
	where    *widget.RadioGroup
	noDrive  *widget.Label
	mp3, wav *widget.Check
	flac     *widget.Check
	lyrics   *widget.Check
	loud     *widget.RadioGroup
	artist   *widget.Entry
	goBtn    *widget.Button
	closeBtn *widget.Button
	bar      *widget.ProgressBar
	stage    *widget.Label
	result   *widget.Label
	cancel   *widget.Button

	task    *studio.Task
	running bool
	closed  bool
	scanned bool
	labels  map[string]string // radio text → path
	stop    chan struct{}
}

// New makes the view. Call Start to begin scanning for drives.
func New(opt Options) *View {
	if opt.Drives == nil {
		opt.Drives = takehome.Drives
	}
	if opt.Rescan == 0 {
		opt.Rescan = 2 * time.Second
	}
	v := &View{opt: opt, labels: map[string]string{}, stop: make(chan struct{})}
	s := opt.Studio.Song()

	v.where = widget.NewRadioGroup(nil, func(label string) {
		if p := v.labels[label]; p != v.selected && !v.running {
			v.result.SetText("") // what it says was about another place
		}
		v.selected = v.labels[label]
		v.update()
	})
	v.noDrive = widget.NewLabel(lang.L("Looking for USB sticks…"))
	v.noDrive.Wrapping = fyne.TextWrapWord
	otherBtn := widget.NewButtonWithIcon(lang.L("Other folder…"), theme.FolderOpenIcon(), v.chooseOther)

	v.mp3 = widget.NewCheck(lang.L("MP3 (plays on phones, in cars, everywhere)"), func(bool) { v.update() })
	v.mp3.SetChecked(true)
	v.wav = widget.NewCheck(lang.L("WAV (best quality, large)"), func(bool) { v.update() })
	v.flac = widget.NewCheck(lang.L("FLAC (best quality, smaller)"), func(bool) { v.update() })
	v.lyrics = widget.NewCheck(lang.L("The lyrics, as a text file"), func(bool) { v.update() })
	if strings.TrimSpace(s.Lyrics) == "" {
		v.lyrics.Disable()
	} else {
		v.lyrics.SetChecked(true)
	}

	v.loud = widget.NewRadioGroup([]string{lang.L("Streaming (-14 LUFS)"), lang.L("CD (-10 LUFS)"), lang.L("Off")}, nil)
	v.loud.Required = true
	v.loud.SetSelected(v.loud.Options[0])

	v.artist = widget.NewEntry()
	v.artist.SetPlaceHolder(lang.L("Optional: the name to show as the artist"))
	v.artist.SetText(shown.Text(s.Performer)) // control characters from a file as symbols
	v.artist.Validator = shown.Validator(projects.FieldPerformer)

	v.goBtn = widget.NewButtonWithIcon(lang.L("Copy the song"), theme.DownloadIcon(), v.start)
	v.goBtn.Importance = widget.HighImportance
	v.closeBtn = widget.NewButton(lang.L("Close"), v.Close)
	v.bar = widget.NewProgressBar()
	v.bar.Hide()
	v.stage = widget.NewLabel("")
	v.result = widget.NewLabel("")
	v.result.Wrapping = fyne.TextWrapWord
	v.result.TextStyle.Bold = true
	v.cancel = widget.NewButton(lang.L("Cancel"), func() {
		if v.task != nil {
			v.task.Cancel()
		}
	})
	v.cancel.Hide()

	heading := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.TextStyle.Bold = true
		return l
	}
	form := container.NewVBox(
		heading(lang.L("Where to")),
		v.noDrive, v.where, container.NewHBox(otherBtn),
		widget.NewSeparator(),
		heading(lang.L("What to take")),
		v.mp3, v.wav, v.flac, v.lyrics,
		widget.NewSeparator(),
		heading(lang.L("How loud")),
		v.loud,
		heading(lang.L("Performer")),
		v.artist,
	)
	bottom := container.NewVBox(v.stage, v.bar, v.result,
		container.NewHBox(v.goBtn, v.cancel, layoutSpacer(), v.closeBtn))
	v.content = container.NewBorder(nil, bottom, nil, nil, container.NewVScroll(form))
	v.update()
	return v
}

func layoutSpacer() fyne.CanvasObject { return container.NewStack() }

// Content is the view's widget tree.
func (v *View) Content() fyne.CanvasObject { return v.content }

// Start scans for drives now and every Rescan until Close.
func (v *View) Start() {
	go func() {
		t := time.NewTicker(v.opt.Rescan)
		defer t.Stop()
		for {
			ds, err := v.opt.Drives()
			v.opt.Post(func() { v.setDrives(ds, err) })
			select {
			case <-v.stop:
				return
			case <-t.C:
			}
		}
	}()
}

// Close stops scanning and cancels a take-home under way (which removes
// what it had written).
func (v *View) Close() {
	if v.closed {
		return
	}
	v.closed = true
	close(v.stop)
	if v.task != nil && v.running {
		v.task.Cancel()
	}
	if v.opt.OnClose != nil {
		v.opt.OnClose()
	}
}

// driveLabel is how a drive is shown: "USB stick “KINGSTON” – 3.2 GB free".
func driveLabel(d takehome.Drive) string {
	if d.Removable {
		return fmt.Sprintf(lang.L("USB stick “%s” – %s free"), d.Label, takehome.Size(d.Free))
	}
	if d.Label != "" {
		return fmt.Sprintf(lang.L("Drive “%s” – %s free"), d.Label, takehome.Size(d.Free))
	}
	return fmt.Sprintf(lang.L("%s – %s free"), d.Path, takehome.Size(d.Free))
}

func (v *View) setDrives(ds []takehome.Drive, err error) {
	if v.closed {
		return
	}
	v.scanned = true
	v.drives = ds
	var opts []string
	v.labels = map[string]string{}
	add := func(label, path string) {
		opts = append(opts, label)
		v.labels[label] = path
	}
	for _, d := range ds {
		add(driveLabel(d), d.Path)
	}
	if v.other != "" {
		add(v.other, v.other)
	}
	switch {
	case err != nil:
		v.noDrive.SetText(fmt.Sprintf(lang.L("Could not look for USB sticks: %v"), err))
		v.noDrive.Show()
	case len(ds) == 0:
		v.noDrive.SetText(lang.L("No USB stick found. Plug one in: it shows up here by itself. Or choose another folder."))
		v.noDrive.Show()
	default:
		v.noDrive.Hide()
	}
	// Keep the choice if it is still there; pick the only stick otherwise.
	sel := ""
	for l, p := range v.labels {
		if p == v.selected {
			sel = l
		}
	}
	if sel == "" && len(ds) == 1 && !v.running {
		sel = opts[0]
	}
	if !equal(v.where.Options, opts) {
		v.where.Options = opts
		v.where.Selected = ""
		v.where.Refresh()
	}
	if v.where.Selected != sel {
		v.where.SetSelected(sel)
	}
	if sel == "" {
		v.selected = ""
	}
	v.update()
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (v *View) chooseOther() {
	done := func(p string) {
		if p == "" {
			return
		}
		v.other = p
		v.selected = p
		v.setDrives(v.drives, nil)
	}
	if v.opt.ChooseFolder != nil {
		v.opt.ChooseFolder(done)
		return
	}
	if v.opt.Window == nil {
		return
	}
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err == nil && u != nil {
			done(u.Path())
		}
	}, v.opt.Window)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// formats is what is ticked.
func (v *View) formats() []encode.Format {
	var f []encode.Format
	if v.mp3.Checked {
		f = append(f, encode.MP3)
	}
	if v.wav.Checked {
		f = append(f, encode.WAV16)
	}
	if v.flac.Checked {
		f = append(f, encode.FLAC16)
	}
	return f
}

func (v *View) update() {
	if v.closeBtn == nil { // still being built
		return
	}
	ready := v.selected != "" && len(v.formats()) > 0 && !v.running
	if ready {
		v.goBtn.Enable()
	} else {
		v.goBtn.Disable()
	}
	if v.running {
		v.closeBtn.Disable()
	} else {
		v.closeBtn.Enable()
	}
}

func (v *View) preset() master.Preset {
	switch v.loud.Selected {
	case v.loud.Options[1]:
		return master.CD()
	case v.loud.Options[2]:
		return master.Off()
	}
	return master.Streaming()
}

func stageText(s bounce.Stage) string {
	switch s {
	case bounce.StageMix:
		return lang.L("Mixing the song…")
	case bounce.StageMaster:
		return lang.L("Making it sound finished…")
	case bounce.StageEncode:
		return lang.L("Making the files…")
	}
	return lang.L("Copying and checking…")
}

// start masters the song and copies it to the chosen place.
func (v *View) start() {
	if v.running || v.selected == "" {
		return
	}
	st := v.opt.Studio
	// The performer's name is part of the song (one undo step), so it is
	// offered next time and used by the CD step too.
	if name := strings.TrimSpace(v.artist.Text); name != st.Song().Performer && name != shown.Text(st.Song().Performer) {
		if err := projects.CheckName(projects.FieldPerformer, name); err != nil {
			v.fail(err)
			return
		}
		if err := st.Edit("Performer", func(s *projects.Song) error { s.Performer = name; return nil }); err != nil {
			v.fail(err)
			return
		}
	}
	dest := v.selected
	label := dest
	removable := false
	for _, d := range v.drives {
		if d.Path == dest {
			label, removable = d.Label, d.Removable
		}
	}
	opt := bounce.Options{Formats: v.formats(), Lyrics: v.lyrics.Checked && !v.lyrics.Disabled(), Preset: v.preset()}
	v.running = true
	v.result.SetText("")
	v.bar.SetValue(0)
	v.bar.Show()
	v.cancel.Show()
	v.update()
	v.task = st.TakeHome(dest, opt, func(stage bounce.Stage, f float64) {
		v.stage.SetText(stageText(stage))
		v.bar.SetValue(f)
	}, func(res *bounce.Result, err error) {
		v.running = false
		v.cancel.Hide()
		v.bar.Hide()
		v.stage.SetText("")
		v.update()
		switch {
		case errors.Is(err, context.Canceled):
			v.result.SetText(lang.L("Stopped. Nothing was left on the stick."))
		case err != nil:
			v.fail(err)
		default:
			v.done(res, label, removable)
		}
	})
}

func (v *View) fail(err error) {
	v.result.SetText(fmt.Sprintf("%s\n%v", lang.L("The song could not be copied."), explain.Message(err)))
}

func (v *View) done(res *bounce.Result, label string, removable bool) {
	var names []string
	for _, f := range res.Files {
		names = append(names, filepath.Base(f))
	}
	msg := fmt.Sprintf(lang.L("Done! The song is in the folder “%s”:"), filepath.Base(res.Folder)) + "\n  " + strings.Join(names, "\n  ")
	if removable {
		msg += "\n\n" + fmt.Sprintf(lang.L("Everything was checked. It is safe to remove the USB stick “%s” now."), label)
	} else {
		msg += "\n\n" + lang.L("Everything was checked.")
	}
	v.result.SetText(msg)
}

// Show opens the view in a dialog over the window and starts scanning.
func Show(opt Options) *View {
	var d dialog.Dialog
	onClose := opt.OnClose
	opt.OnClose = func() {
		if d != nil {
			d.Hide()
		}
		if onClose != nil {
			onClose()
		}
	}
	v := New(opt)
	d = dialog.NewCustomWithoutButtons(lang.L("Take the song home"), v.Content(), opt.Window)
	d.Resize(fyne.NewSize(760, 760))
	d.Show()
	v.Start()
	return v
}
