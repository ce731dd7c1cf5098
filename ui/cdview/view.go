// Package cdview is the window's CD step: pick a CD (an album in the song
// library) or start a new one, put songs on it in order, name them, choose
// the pauses between them, see at once whether the disc is possible (the Red
// Book rules, in plain words), make the disc image and burn it.
//
// Loading songs, making the image and burning run off the UI thread; their
// results come back through Options.Post. Albums are saved after every
// change, on a goroutine.
package cdview

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/audio/cdburn"
	"sangstudio/audio/cdimage"
	"sangstudio/audio/cdmake"
	"sangstudio/internal/durable"
	"sangstudio/projects"
	"sangstudio/projects/album"
	"sangstudio/projects/library"
	"sangstudio/ui/explain"
	"sangstudio/ui/shown"
	"sangstudio/ui/uithread"
)

// Options set the view up.
type Options struct {
	Window fyne.Window
	Post   uithread.Poster // runs f on the UI thread
	Root   string          // the song library folder
	// Song, if set, is the song the CD step was opened from: the picker
	// offers to put it on a CD. SongTitle is its title.
	Song, SongTitle string
	// OnBack leaves the CD step.
	OnBack func()
	// Drives and Burn find the CD writers and burn (nil: audio/cdburn's
	// Drives and Burn; a caller with no CD writer, as on the test
	// machines, passes its own).
	Drives func(context.Context) ([]cdburn.Drive, error)
	Burn   func(ctx context.Context, toc string, needSectors int64, opt cdburn.Options, progress func(cdburn.Progress)) error
	// ChooseSongs asks which of the library's songs (titles) to add to
	// the CD, and calls add with those chosen (nil: a dialog over Window).
	ChooseSongs func(titles []string, add func(chosen []string))
}

// View is the CD step.
type View struct {
	opt  Options
	root *fyne.Container

	// the open album
	dir    string
	album  *album.Album
	tracks []cdmake.Track // resolved, in album order (nil Song: could not be read)
	probs  []string       // problems resolving songs
	// refused is the status line's message about a typed text that was
	// refused, "" when there is none.
	refused string

	title, performer *widget.Entry
	list             *fyne.Container
	checks           *widget.Label
	total            *widget.Label
	makeBtn          *widget.Button
	bar              *widget.ProgressBar
	status           *widget.Label
	cancelBtn        *widget.Button
	burnBox          *fyne.Container
	drive            *widget.Select
	driveNote        *widget.Label
	simulate         *widget.Check
	burnBtn          *widget.Button
	againBtn         *widget.Button

	albums  int             // albums listed by the picker
	image   *cdimage.Result // the image made in this visit
	drives  []cdburn.Drive
	running context.CancelFunc

	saveMu  sync.Mutex
	saveGen int
}

// New makes the view, showing the album picker.
func New(opt Options) *View {
	if opt.Drives == nil {
		opt.Drives = cdburn.Drives
	}
	if opt.Burn == nil {
		opt.Burn = cdburn.Burn
	}
	v := &View{opt: opt, root: container.NewStack()}
	if v.opt.ChooseSongs == nil {
		v.opt.ChooseSongs = v.chooseSongs
	}
	v.showPicker()
	return v
}

// Content is the view's widget tree.
func (v *View) Content() fyne.CanvasObject { return v.root }

func (v *View) back() {
	if v.running != nil {
		v.running()
	}
	if v.opt.OnBack != nil {
		v.opt.OnBack()
	}
}

func (v *View) header(title string, extra ...fyne.CanvasObject) fyne.CanvasObject {
	back := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), v.back)
	h := widget.NewLabel(title)
	h.TextStyle.Bold = true
	return container.NewBorder(nil, nil, container.NewHBox(back, h), container.NewHBox(extra...))
}

// showPicker lists the CDs in the library, and New CD (the list is read
// off the UI thread).
func (v *View) showPicker() {
	box := container.NewVBox()
	songTitle := v.opt.SongTitle
	if v.opt.Song != "" && songTitle == "" {
		songTitle = filepath.Base(v.opt.Song)
	}
	songTitle = shown.Text(songTitle) // control characters from a song file as symbols
	newLabel := lang.L("New CD")
	if v.opt.Song != "" {
		newLabel = fmt.Sprintf(lang.L("New CD with “%s”"), songTitle)
	}
	newBtn := widget.NewButtonWithIcon(newLabel, theme.ContentAddIcon(), func() { v.newAlbum() })
	newBtn.Importance = widget.HighImportance
	box.Add(newBtn)
	v.root.Objects = []fyne.CanvasObject{container.NewBorder(v.header(lang.L("Make a CD")), nil, nil, nil, container.NewVScroll(box))}
	v.root.Refresh()
	root := v.opt.Root
	go func() {
		entries, err := album.List(root)
		v.opt.Post(func() {
			if v.album != nil {
				return // an album was opened meanwhile
			}
			if err != nil {
				box.Add(widget.NewLabel(explain.Message(err)))
			}
			if len(entries) > 0 {
				head := lang.L("Your CDs")
				if v.opt.Song != "" {
					head = fmt.Sprintf(lang.L("Or add “%s” to one of your CDs:"), songTitle)
				}
				box.Add(widget.NewLabel(head))
			}
			for _, e := range entries {
				text := fmt.Sprintf(lang.L("%s (%d songs)"), e.Title, e.Tracks)
				if e.Problem != "" {
					text += " – " + e.Problem
				}
				b := widget.NewButtonWithIcon(text, theme.MediaRecordIcon(), func() { v.openAlbum(e.Dir, v.opt.Song) })
				b.Alignment = widget.ButtonAlignLeading
				box.Add(b)
			}
			v.albums = len(entries)
			box.Refresh()
		})
	}()
}

func (v *View) newAlbum() {
	root, title, song := v.opt.Root, lang.L("My CD"), v.opt.Song
	go func() {
		dir, err := album.Create(root, title)
		v.opt.Post(func() {
			if err != nil {
				v.showError(err)
				return
			}
			v.openAlbum(dir, song)
		})
	}()
}

func (v *View) showError(err error) {
	explain.Show(v.opt.Window, "", err)
	if v.status != nil {
		v.status.SetText(explain.Message(err))
	}
}

// openAlbum opens the album in dir (read off the UI thread), adding song
// (if not "" and not on it yet).
func (v *View) openAlbum(dir, song string) {
	go func() {
		a, _, err := album.Load(dir)
		v.opt.Post(func() {
			if err != nil {
				v.showError(err)
				return
			}
			added := false
			if song != "" {
				rel := album.Rel(filepath.Dir(dir), song)
				on := false
				for _, t := range a.Tracks {
					if t.Song == rel || t.Song == song {
						on = true
					}
				}
				if !on {
					a.Add(rel)
				}
				added = !on
			}
			v.dir, v.album = dir, a
			v.buildEditor()
			if added {
				v.changed(true)
			} else {
				v.reload(true)
			}
		})
	}()
}

func (v *View) buildEditor() {
	v.title = widget.NewEntry()
	v.title.SetText(v.album.Title)
	v.title.Validator = shown.Validator(projects.FieldTitle)
	v.title.OnChanged = func(s string) { v.setText(&v.album.Title, projects.FieldTitle, s) }
	v.performer = widget.NewEntry()
	v.performer.SetPlaceHolder(lang.L("Optional: the name to show as the artist"))
	v.performer.SetText(v.album.Performer)
	v.performer.Validator = shown.Validator(projects.FieldPerformer)
	v.performer.OnChanged = func(s string) { v.setText(&v.album.Performer, projects.FieldPerformer, s) }
	v.list = container.NewVBox()
	v.checks = widget.NewLabel("")
	v.checks.Wrapping = fyne.TextWrapWord
	v.total = widget.NewLabel("")
	v.total.TextStyle.Bold = true
	add := widget.NewButtonWithIcon(lang.L("Add songs…"), theme.ContentAddIcon(), v.addSongs)

	v.makeBtn = widget.NewButtonWithIcon(lang.L("Make the CD image"), theme.MediaRecordIcon(), v.makeImage)
	v.makeBtn.Importance = widget.HighImportance
	v.bar = widget.NewProgressBar()
	v.bar.Hide()
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.cancelBtn = widget.NewButton(lang.L("Cancel"), func() {
		if v.running != nil {
			v.running()
		}
	})
	v.cancelBtn.Hide()

	v.drive = widget.NewSelect(nil, nil)
	v.drive.PlaceHolder = lang.L("Choose the CD writer")
	v.driveNote = widget.NewLabel(lang.L("Looking for CD writers…"))
	v.driveNote.Wrapping = fyne.TextWrapWord
	v.simulate = widget.NewCheck(lang.L("Test first, without writing (simulation)"), nil)
	v.burnBtn = widget.NewButtonWithIcon(lang.L("Burn the CD"), theme.MediaRecordIcon(), func() { v.burn(false) })
	v.burnBtn.Importance = widget.HighImportance
	v.againBtn = widget.NewButton(lang.L("Burn again without titles (CD-TEXT)"), func() { v.burn(true) })
	v.againBtn.Hide()
	v.burnBox = container.NewVBox(widget.NewSeparator(), widget.NewLabel(lang.L("Burn it: put a blank CD-R in the drive.")),
		v.driveNote, v.drive, v.simulate, container.NewHBox(v.burnBtn, v.againBtn))
	v.burnBox.Hide()

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Title of the CD"), v.title),
		widget.NewFormItem(lang.L("Performer"), v.performer),
	)
	left := container.NewBorder(form, container.NewHBox(add), nil, nil, container.NewVScroll(v.list))
	right := container.NewVBox(v.total, v.checks, container.NewHBox(v.makeBtn, v.cancelBtn), v.bar, v.status, v.burnBox)
	split := container.NewHSplit(left, container.NewVScroll(right))
	split.Offset = 0.6
	v.root.Objects = []fyne.CanvasObject{container.NewBorder(v.header(lang.L("Make a CD")), nil, nil, nil, split)}
	v.root.Refresh()
	v.scanDrives()
}

// setText stores text typed into one of the album's fields and saves the
// album, unless it holds a control character: then the album keeps what it
// had, and the status line says why (the entry's Validator marks it too).
func (v *View) setText(field *string, name, s string) {
	if msg, bad := shown.Refusal(projects.CheckName(name, s)); bad {
		v.status.SetText(msg)
		v.refused = msg
		return
	}
	if v.refused != "" && v.status.Text == v.refused {
		v.status.SetText("")
	}
	v.refused = ""
	*field = s
	v.changed(false)
}

// changed saves the album (on a goroutine) and, if resolve, reads the
// songs again; then it refreshes the list and the checks.
func (v *View) changed(resolve bool) {
	v.save()
	v.reload(resolve)
}

// reload refreshes the checks and, if resolve, reads the songs again.
func (v *View) reload(resolve bool) {
	v.image = nil
	v.burnBox.Hide()
	if !resolve {
		v.refreshChecks()
		return
	}
	a, dir := *v.album, v.dir
	a.Tracks = append([]album.Track(nil), v.album.Tracks...)
	go func() {
		tracks, probs := readSongs(&a, dir)
		v.opt.Post(func() {
			if v.dir != dir {
				return
			}
			v.tracks, v.probs = tracks, probs
			v.refreshList()
			v.refreshChecks()
		})
	}()
}

// readSongs reads each track's song (off the UI thread).
func readSongs(a *album.Album, dir string) ([]cdmake.Track, []string) {
	root := filepath.Dir(dir)
	tracks := make([]cdmake.Track, len(a.Tracks))
	var probs []string
	for i, t := range a.Tracks {
		p := t.Song
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		tracks[i] = cdmake.Track{Dir: p, Gap: t.Gap}
		s, _, err := projects.Load(p)
		if err != nil {
			probs = append(probs, fmt.Sprintf(lang.L("Song %d (%s) cannot be read: %v"), i+1, t.Song, err))
			continue
		}
		tracks[i].Song = s
	}
	return tracks, probs
}

// effective fills in the defaults of track i from the album and its song.
func (v *View) effective(i int) cdmake.Track {
	t := v.tracks[i]
	at := v.album.Tracks[i]
	t.Title, t.Performer, t.Gap = at.Title, at.Performer, at.Gap
	if i == 0 {
		t.Gap = 2
	}
	if t.Title == "" && t.Song != nil {
		t.Title = strings.TrimSpace(t.Song.Title)
	}
	if t.Title == "" {
		t.Title = filepath.Base(t.Dir)
	}
	if t.Performer == "" && t.Song != nil {
		t.Performer = t.Song.Performer
	}
	if t.Performer == "" {
		t.Performer = v.album.Performer
	}
	return t
}

func (v *View) disc() (cdmake.Disc, bool) {
	d := cdmake.Disc{Title: v.album.Title, Performer: v.album.Performer}
	ok := len(v.tracks) == len(v.album.Tracks)
	for i := range v.tracks {
		if !ok || v.tracks[i].Song == nil {
			return d, false
		}
		d.Tracks = append(d.Tracks, v.effective(i))
	}
	return d, ok
}

func (v *View) refreshList() {
	v.list.Objects = nil
	for i := range v.album.Tracks {
		i := i
		eff := v.effective(i)
		title := widget.NewEntry()
		title.SetPlaceHolder(shown.Text(eff.Title))
		title.SetText(v.album.Tracks[i].Title)
		title.Validator = shown.Validator(projects.FieldTitle)
		title.OnChanged = func(s string) { v.setText(&v.album.Tracks[i].Title, projects.FieldTitle, s) }
		perf := widget.NewEntry()
		perf.SetPlaceHolder(shown.Text(eff.Performer))
		if eff.Performer == "" {
			perf.SetPlaceHolder(lang.L("Performer"))
		}
		perf.SetText(v.album.Tracks[i].Performer)
		perf.Validator = shown.Validator(projects.FieldPerformer)
		perf.OnChanged = func(s string) { v.setText(&v.album.Tracks[i].Performer, projects.FieldPerformer, s) }
		gap := widget.NewCheck(lang.L("Pause before"), func(on bool) {
			g := 0.0
			if on {
				g = album.DefaultGap
			}
			if v.album.Tracks[i].Gap != g {
				v.album.Tracks[i].Gap = g
				v.changed(false)
			}
		})
		gap.SetChecked(v.album.Tracks[i].Gap > 0)
		if i == 0 {
			gap.Disable() // a CD always starts with a 2 s pause
		}
		length := ""
		if s := v.tracks[i].Song; s != nil {
			length = clock(cdmake.Frames(s))
		}
		up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { v.move(i, i-1) })
		down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { v.move(i, i+1) })
		del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { v.remove(i) })
		if i == 0 {
			up.Disable()
		}
		if i == len(v.album.Tracks)-1 {
			down.Disable()
		}
		num := widget.NewLabel(fmt.Sprintf("%d.", i+1))
		num.TextStyle.Bold = true
		row := container.NewBorder(nil, nil, num, container.NewHBox(widget.NewLabel(length), up, down, del),
			container.NewGridWithColumns(2, title, perf))
		v.list.Add(container.NewVBox(row, gap, widget.NewSeparator()))
	}
	if len(v.album.Tracks) == 0 {
		v.list.Add(widget.NewLabel(lang.L("No songs yet: press “Add songs…”.")))
	}
	v.list.Refresh()
}

func clock(frames int64) string {
	s := (frames + cdimage.Rate/2) / cdimage.Rate
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// refreshChecks shows the Red Book findings and the total time.
func (v *View) refreshChecks() {
	var lines []string
	lines = append(lines, v.probs...)
	d, ok := v.disc()
	fatal := !ok || len(d.Tracks) == 0
	if ok {
		var total int64
		for i, t := range d.Tracks {
			total += cdmake.Frames(t.Song)
			if i > 0 {
				total += int64(t.Gap * cdimage.Rate)
			}
		}
		total += cdimage.FirstPregap
		if len(d.Tracks) == 1 {
			v.total.SetText(fmt.Sprintf(lang.L("1 song, %s of 79:57"), clock(total)))
		} else {
			v.total.SetText(fmt.Sprintf(lang.L("%d songs, %s of 79:57"), len(d.Tracks), clock(total)))
		}
		for _, p := range cdmake.Check(d, translate) {
			mark := "⚠ "
			if p.Fatal {
				mark = "✖ "
				fatal = true
			}
			lines = append(lines, mark+p.Text)
		}
	}
	if len(lines) == 0 && ok {
		lines = append(lines, lang.L("✔ Everything fits on a CD."))
	}
	v.checks.SetText(strings.Join(lines, "\n"))
	if fatal || v.running != nil {
		v.makeBtn.Disable()
	} else {
		v.makeBtn.Enable()
	}
}

func (v *View) move(from, to int) {
	if err := v.album.Move(from, to); err != nil {
		return
	}
	v.tracks[from], v.tracks[to] = v.tracks[to], v.tracks[from]
	v.changed(false)
	v.refreshList()
}

func (v *View) remove(i int) {
	if err := v.album.Remove(i); err != nil {
		return
	}
	v.tracks = append(v.tracks[:i:i], v.tracks[i+1:]...)
	v.changed(false)
	v.refreshList()
}

// addSongs lets the user tick songs from the library.
func (v *View) addSongs() {
	root := v.opt.Root
	go func() {
		var entries []library.Entry
		lib, err := library.Open(root)
		if err == nil {
			entries, err = lib.List()
		}
		v.opt.Post(func() {
			if err != nil {
				v.showError(err)
				return
			}
			var names []string
			dirs := map[string]string{}
			on := map[string]bool{}
			for _, t := range v.album.Tracks {
				on[t.Song] = true
			}
			for _, e := range entries {
				if e.Problem == "" && !on[album.Rel(v.opt.Root, e.Dir)] && !on[e.Dir] {
					names = append(names, shown.Text(e.Title))
					dirs[shown.Text(e.Title)] = e.Dir
				}
			}
			v.opt.ChooseSongs(names, func(chosen []string) {
				for _, n := range chosen {
					v.album.Add(album.Rel(v.opt.Root, dirs[n]))
				}
				if len(chosen) > 0 {
					v.changed(true)
				}
			})
		})
	}()
}

// chooseSongs lets the user tick songs in a dialog over the window (with
// no window, nothing is asked and nothing added).
func (v *View) chooseSongs(titles []string, add func(chosen []string)) {
	if v.opt.Window == nil {
		return
	}
	pick := widget.NewCheckGroup(titles, nil)
	d := dialog.NewCustomConfirm(lang.L("Add songs"), lang.L("Add"), lang.L("Cancel"), container.NewVScroll(pick), func(ok bool) {
		if ok {
			add(pick.Selected)
		}
	}, v.opt.Window)
	d.Resize(fyne.NewSize(600, 600))
	d.Show()
}

// save writes the album on a goroutine; a newer save supersedes an older.
func (v *View) save() {
	data, err := album.Encode(v.album)
	if err != nil {
		return
	}
	dir := v.dir
	v.saveMu.Lock()
	v.saveGen++
	gen := v.saveGen
	v.saveMu.Unlock()
	go func() {
		v.saveMu.Lock()
		defer v.saveMu.Unlock()
		if gen != v.saveGen {
			return // a newer save follows
		}
		a, err := album.Decode(data)
		if err == nil {
			err = album.Save(dir, a)
		}
		if err != nil {
			v.opt.Post(func() { v.status.SetText(explain.Message(err)) })
		}
	}()
}

// ImageDir is where an album's disc image goes: ALBUM_DIR/cd.
func ImageDir(albumDir string) string { return filepath.Join(albumDir, "cd") }

func (v *View) start(what string) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	v.running = cancel
	v.makeBtn.Disable()
	v.burnBtn.Disable()
	v.againBtn.Hide()
	v.bar.SetValue(0)
	v.bar.Show()
	v.cancelBtn.Show()
	v.status.SetText(what)
	return ctx
}

func (v *View) stop() {
	v.running = nil
	v.bar.Hide()
	v.cancelBtn.Hide()
	v.burnBtn.Enable()
	v.refreshChecks()
}

// makeImage masters the songs and writes the disc image.
func (v *View) makeImage() {
	d, ok := v.disc()
	if !ok || v.running != nil {
		return
	}
	out := ImageDir(v.dir)
	total := lang.L("Total")
	ctx := v.start(lang.L("Making the CD image…"))
	go func() {
		res, err := cdmake.Make(ctx, out, d, cdmake.Options{Translate: translate, Progress: func(p cdmake.Progress) {
			v.opt.Post(func() {
				v.bar.SetValue(p.Fraction)
				if p.Stage == cdmake.StageMaster {
					v.status.SetText(fmt.Sprintf(lang.L("Getting song %d of %d ready…"), p.Track, p.Tracks))
				} else {
					v.status.SetText(lang.L("Writing the CD image…"))
				}
			})
		}})
		if err == nil {
			rows := make([]album.InsertRow, len(d.Tracks))
			for i, t := range d.Tracks {
				rows[i] = album.InsertRow{Title: t.Title, Performer: t.Performer, Length: time.Duration(res.Frames[i]) * time.Second / cdimage.Rate}
			}
			var png []byte
			if png, err = album.RenderInsert(album.Insert{Title: d.Title, Performer: d.Performer, Rows: rows, TotalLabel: total}); err == nil {
				err = durable.WriteFile(filepath.Join(out, "tracklist.png"), png, projects.FilePerm)
			}
		}
		v.opt.Post(func() {
			v.stop()
			switch {
			case errors.Is(err, context.Canceled):
				v.status.SetText(lang.L("Stopped."))
			case err != nil:
				v.status.SetText(fmt.Sprintf("%s\n%v", lang.L("The CD image could not be made."), err))
			default:
				v.image = res.Image
				v.status.SetText(fmt.Sprintf(lang.L("The CD image is ready in %s (with a track list to print for the case: tracklist.png)."), out))
				v.burnBox.Show()
				v.scanDrives()
			}
		})
	}()
}

// scanDrives looks for CD writers (off the UI thread).
func (v *View) scanDrives() {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		ds, err := v.opt.Drives(ctx)
		v.opt.Post(func() {
			v.drives = nil
			var names []string
			for _, d := range ds {
				label := strings.TrimSpace(d.Vendor + " " + d.Model + " (" + d.Device + ")")
				if d.Problem != "" {
					label += " – " + d.Problem
				} else {
					v.drives = append(v.drives, d)
				}
				names = append(names, label)
			}
			v.drive.Options = names
			switch {
			case err != nil:
				v.driveNote.SetText(explain.Message(err))
			case len(ds) == 0:
				v.driveNote.SetText(lang.L("No CD writer found. The image can be burned later, or with another program."))
			default:
				v.driveNote.SetText("")
			}
			v.driveNote.Hidden = v.driveNote.Text == ""
			v.driveNote.Refresh()
			if len(v.drives) == 1 {
				for _, n := range names {
					if strings.Contains(n, "("+v.drives[0].Device+")") {
						v.drive.SetSelected(n)
					}
				}
			}
			v.drive.Refresh()
		})
	}()
}

func (v *View) selectedDrive() string {
	for _, d := range v.drives {
		if strings.Contains(v.drive.Selected, "("+d.Device+")") {
			return d.Device
		}
	}
	return ""
}

// burn burns the image made in this visit.
func (v *View) burn(withoutText bool) {
	dev := v.selectedDrive()
	if v.image == nil || v.running != nil {
		return
	}
	if dev == "" {
		v.status.SetText(lang.L("Choose a CD writer first."))
		return
	}
	img := v.image
	sim := v.simulate.Checked
	ctx := v.start(lang.L("Burning the CD… Do not open the drive."))
	go func() {
		toc := img.Toc
		var err error
		if withoutText {
			toc, err = cdburn.WithoutCDText(toc)
		}
		if err == nil {
			// cdrdao compares the disc's capacity with the image without the
			// first 2 s pause.
			err = v.opt.Burn(ctx, toc, img.Layout.TotalSectors-cdimage.FirstPregap/cdimage.SectorFrames, cdburn.Options{Device: dev, Simulate: sim, Eject: true}, func(p cdburn.Progress) {
				v.opt.Post(func() { v.bar.SetValue(p.Fraction) })
			})
		}
		v.opt.Post(func() {
			v.stop()
			var be *cdburn.Error
			switch {
			case errors.Is(err, context.Canceled):
				v.status.SetText(lang.L("Stopped. The disc may be unusable if writing had begun."))
			case errors.As(err, &be):
				v.status.SetText(fmt.Sprintf("%s\n%s", lang.L("The CD could not be burned."), be.Text))
				if be.TryWithoutCDText && !withoutText {
					v.againBtn.Show()
				}
			case err != nil:
				v.status.SetText(fmt.Sprintf("%s\n%v", lang.L("The CD could not be burned."), err))
			case sim:
				v.status.SetText(lang.L("The test went well. Untick the test and burn the CD."))
			default:
				v.status.SetText(lang.L("The CD is ready. It plays in any CD player."))
			}
		})
	}()
}

// translate looks up the CD rules' messages (audio/cdmake and cdimage
// cannot: audio packages never import Fyne).
func translate(s string) string { return lang.L(s) }
