package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	flag "github.com/spf13/pflag"

	"sangstudio/audio/cdburn"
	"sangstudio/audio/cdimage"
	"sangstudio/audio/cdmake"
	"sangstudio/projects"
	"sangstudio/projects/album"
)

// discFrom makes the disc from an album folder, or from --title and song
// folders.
func discFrom(e *env, pos []string, title, performer string, gap float64) (cdmake.Disc, error) {
	var d cdmake.Disc
	if len(pos) == 1 {
		if _, err := os.Stat(filepath.Join(pos[0], album.FileName)); err == nil {
			a, rec, err := album.Load(pos[0])
			if err != nil {
				return d, err
			}
			if rec != nil {
				fmt.Fprintf(e.stderr, "note: %v\n", rec)
			}
			rs, err := a.Resolve(pos[0])
			if err != nil {
				return d, err
			}
			d.Title, d.Performer = a.Title, a.Performer
			if title != "" {
				d.Title = title
			}
			if performer != "" {
				d.Performer = performer
			}
			for _, r := range rs {
				d.Tracks = append(d.Tracks, cdmake.Track{Dir: r.Dir, Song: r.Song, Title: r.Title, Performer: r.Performer, Gap: r.Gap})
			}
			return d, nil
		}
	}
	if title == "" {
		return d, usagef("give an album folder, or --title and the song folders")
	}
	d.Title, d.Performer = title, performer
	for _, dir := range pos {
		s, err := readSong(e, dir)
		if err != nil {
			return d, err
		}
		t := cdmake.Track{Dir: dir, Song: s, Title: s.Title, Performer: s.Performer, Gap: gap}
		if t.Title == "" {
			t.Title = filepath.Base(dir)
		}
		if t.Performer == "" {
			t.Performer = performer
		}
		d.Tracks = append(d.Tracks, t)
	}
	return d, nil
}

func msf(frames int64) string {
	s := (frames + cdimage.Rate/2) / cdimage.Rate
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func cmdCD(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("cd", flag.ContinueOnError)
	out := fs.String("out", "", "folder for the disc image (disc.bin, disc.cue, disc.toc), the track masters and the track list")
	title := fs.String("title", "", "the disc's title (with song folders; overrides an album's)")
	performer := fs.String("performer", "", "the disc's performer")
	gap := fs.Float64("gap", 2, "seconds of silence between songs (0 for a live album that plays through)")
	burn := fs.Bool("burn", false, "burn the image to a blank CD-R afterwards")
	device := fs.String("device", "", "the CD writer (default: the only one found; see --list-drives)")
	simulate := fs.Bool("simulate", false, "with --burn: a dry run with the laser off")
	noText := fs.Bool("no-cd-text", false, "with --burn: burn without CD-TEXT (for drives that fail with it)")
	listDrives := fs.Bool("list-drives", false, "list the CD writers and stop")
	pos, err := parse(fs, args, 0, -1)
	if err != nil {
		return err
	}
	if *listDrives {
		return printDrives(ctx, e)
	}
	if len(pos) == 0 {
		return usagef("give an album folder, or --title and the song folders")
	}
	if *out == "" {
		return usagef("--out DIR is required")
	}
	if *gap < 0 || *gap > 10 {
		return usagef("--gap %g: use 0 to 10 seconds", *gap)
	}
	if err := checkTexts(textFlag{"--title", projects.FieldTitle, *title}, textFlag{"--performer", projects.FieldPerformer, *performer}); err != nil {
		return err
	}
	d, err := discFrom(e, pos, *title, *performer, *gap)
	if err != nil {
		return err
	}
	if err := checkDisc(e, d); err != nil {
		return err
	}
	img, err := makeImage(ctx, e, *out, d)
	if err != nil || !*burn {
		return err
	}
	return burnImage(ctx, e, img, *device, *simulate, *noText)
}

// printDrives lists the CD writers.
func printDrives(ctx context.Context, e *env) error {
	ds, err := cdburn.Drives(ctx)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		e.printf("No CD writer found.\n")
	}
	for _, d := range ds {
		e.printf("%s  %s %s %s\n", d.Device, d.Vendor, d.Model, d.Problem)
	}
	return nil
}

// checkDisc applies the Red Book rules, before anything is written: it
// warns of what is allowed and refuses what is not.
func checkDisc(e *env, d cdmake.Disc) error {
	ps := cdmake.Check(d, nil)
	for _, p := range ps {
		if !p.Fatal {
			fmt.Fprintf(e.stderr, "warning: %s\n", p.Text)
		}
	}
	if cdimage.Fatal(ps) {
		return (&cdmake.FatalError{Problems: ps})
	}
	return nil
}

// makeImage makes the disc image, the track masters and the printed track
// list in out, telling its progress and what it made.
func makeImage(ctx context.Context, e *env, out string, d cdmake.Disc) (*cdimage.Result, error) {
	start := time.Now()
	last := 0
	res, err := cdmake.Make(ctx, out, d, cdmake.Options{Progress: func(p cdmake.Progress) {
		if pct := int(p.Fraction * 100); pct >= last+10 {
			last = pct - pct%10
			what := "Writing the disc image"
			if p.Stage == cdmake.StageMaster {
				what = fmt.Sprintf("Mastering song %d of %d", p.Track, p.Tracks)
			}
			fmt.Fprintf(e.stderr, "%s… %d%%\n", what, pct)
		}
	}})
	if err != nil {
		return nil, err
	}
	var total int64
	rows := make([]album.InsertRow, len(d.Tracks))
	e.printf("Made the CD image of %q in %.1f s:\n", d.Title, time.Since(start).Seconds())
	for i, t := range d.Tracks {
		total += res.Frames[i]
		e.printf("  %2d  %-40s %s  %.1f LUFS\n", i+1, shown(t.Title), msf(res.Frames[i]), res.Reports[i].Output.Integrated)
		rows[i] = album.InsertRow{Title: t.Title, Performer: t.Performer, Length: time.Duration(res.Frames[i]) * time.Second / cdimage.Rate}
	}
	e.printf("  total %s with gaps (%d sectors)\n", msf(res.Image.Layout.TotalSectors*cdimage.SectorFrames), res.Image.Layout.TotalSectors)
	insert := filepath.Join(out, "tracklist.png")
	if err := album.WriteInsert(insert, d.Title, d.Performer, rows); err != nil {
		return nil, err
	}
	e.printf("Files: %s, %s, %s, the track masters, and %s (print it for the case).\n",
		res.Image.Bin, res.Image.Cue, res.Image.Toc, insert)
	return res.Image, nil
}

func burnImage(ctx context.Context, e *env, img *cdimage.Result, device string, simulate, noText bool) error {
	if device == "" {
		ds, err := cdburn.Drives(ctx)
		if err != nil {
			return err
		}
		var ok []cdburn.Drive
		for _, d := range ds {
			if d.Problem == "" {
				ok = append(ok, d)
			} else {
				fmt.Fprintf(e.stderr, "%s: %s\n", d.Device, d.Problem)
			}
		}
		switch len(ok) {
		case 0:
			return errors.New("no usable CD writer was found (the image is ready: burn disc.toc or disc.cue later, or with another program)")
		case 1:
			device = ok[0].Device
		default:
			return usagef("there are %d CD writers: choose one with --device (see --list-drives)", len(ok))
		}
	}
	toc := img.Toc
	if noText {
		var err error
		if toc, err = cdburn.WithoutCDText(toc); err != nil {
			return err
		}
	}
	what := "Burning"
	if simulate {
		what = "Simulating the burn"
	}
	last := -1
	err := cdburn.Burn(ctx, toc, img.Layout.TotalSectors-cdimage.FirstPregap/cdimage.SectorFrames, cdburn.Options{Device: device, Simulate: simulate, Eject: true}, func(p cdburn.Progress) {
		if pct := int(p.Fraction * 100); pct/5 != last/5 {
			last = pct
			fmt.Fprintf(e.stderr, "%s… %d%% (%s)\n", what, pct, p.Stage)
		}
	})
	var be *cdburn.Error
	if errors.As(err, &be) && be.TryWithoutCDText && !noText {
		return fmt.Errorf("%v\nSome drives cannot write CD-TEXT: try again with --no-cd-text (the titles will then not show on CD players)", err)
	}
	if err != nil {
		return err
	}
	if simulate {
		e.printf("The simulation went through: the real burn should work.\n")
	} else {
		e.printf("The CD is ready.\n")
	}
	return nil
}

func cmdAlbum(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("album", flag.ContinueOnError)
	title := fs.String("title", "", "the album's title (default: the folder's name)")
	performer := fs.String("performer", "", "the album's performer")
	gap := fs.Float64("gap", album.DefaultGap, "seconds of silence before each song after the first")
	pos, err := parse(fs, args, 1, -1)
	if err != nil {
		return err
	}
	if err := checkTexts(textFlag{"--title", projects.FieldTitle, *title}, textFlag{"--performer", projects.FieldPerformer, *performer}); err != nil {
		return err
	}
	dir := pos[0]
	a, _, err := album.Load(dir)
	switch {
	case err == nil:
	case errors.Is(err, album.ErrNotAnAlbum) || errors.Is(err, os.ErrNotExist):
		a = album.New(titleFromFolder(dir))
	default:
		return err
	}
	if *title != "" {
		a.Title = *title
	}
	if *performer != "" {
		a.Performer = *performer
	}
	if len(pos) > 1 {
		a.Tracks = nil
		root := filepath.Dir(filepath.Clean(dir))
		for _, s := range pos[1:] {
			if _, err := readSong(e, s); err != nil {
				return err
			}
			a.Add(album.Rel(root, s))
			a.Tracks[len(a.Tracks)-1].Gap = *gap
		}
	}
	if err := album.Save(dir, a); err != nil {
		return albumNotSaved(dir, err)
	}
	rs, err := a.Resolve(dir)
	if err != nil {
		return err
	}
	e.printf("Album %q (%s), %d songs:\n", a.Title, dir, len(rs))
	for i, r := range rs {
		e.printf("  %2d  %s — %s  (gap %.1f s)\n", i+1, shown(r.Title), shown(r.Performer), r.Gap)
	}
	return nil
}
