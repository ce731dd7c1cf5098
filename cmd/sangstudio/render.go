package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	flag "github.com/spf13/pflag"

	"sangstudio/audio/importer"
	"sangstudio/audio/render"
	"sangstudio/audio/wav"
	"sangstudio/projects"
)

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	title := fs.String("title", "", "title, if the song is created (default: the folder's name)")
	rate := fs.Int("rate", projects.DefaultRate, "sample rate, if the song is created: 44100, 48000 or 96000")
	pos, err := parse(fs, args, 2, -1)
	if err != nil {
		return err
	}
	if err := checkTexts(textFlag{"--title", projects.FieldTitle, *title}); err != nil {
		return err
	}
	dir, files := pos[0], pos[1:]
	res, err := importer.Import(ctx, dir, files, importer.Options{Title: *title, Rate: *rate,
		Progress: func(i int, path string) {
			if len(files) > 1 {
				fmt.Fprintf(e.stderr, "Importing %d of %d: %s\n", i+1, len(files), path)
			}
		}})
	if err != nil {
		return fmt.Errorf("%v\nNothing was changed.", err)
	}
	if res.Created {
		e.printf("Created the song in %s.\n", dir)
	}
	for i, name := range res.Tracks {
		e.printf("Added track %q (audio/%s).\n", name, res.Takes[i])
	}
	for _, f := range res.Resampled {
		e.printf("Converted %s to the song's sample rate.\n", f)
	}
	for _, r := range res.Replaced {
		e.printf("%s\n", r.Note())
	}
	return nil
}

func parseBits(s string) (wav.Encoding, error) {
	switch strings.ToLower(s) {
	case "16":
		return wav.PCM16, nil
	case "24":
		return wav.PCM24, nil
	case "32f", "32", "float":
		return wav.Float32, nil
	}
	return 0, usagef("--bits %q: use 16, 24 or 32f", s)
}

func cmdRender(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	mixPath := fs.String("mix", "", "write the stereo mix to this WAV file (default: SONG_DIR/exports/TITLE.wav)")
	stems := fs.String("stems", "", "write one stereo stem per track into this folder")
	bits := fs.String("bits", "24", "sample format: 16 (dithered), 24 or 32f (float)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	enc, err := parseBits(*bits)
	if err != nil {
		return err
	}
	dir := pos[0]
	s, err := readSong(e, dir)
	if err != nil {
		return err
	}
	if *mixPath == "" { // the mix is always written; by default into the song's exports folder
		*mixPath = filepath.Join(dir, projects.ExportsDir, projects.SafeFileBase(s.Title, 100)+".wav")
		if err := os.MkdirAll(filepath.Dir(*mixPath), projects.DirPerm); err != nil {
			return err
		}
	}
	p := newProgress(e.stderr, "Rendering")
	start := time.Now()
	res, err := render.Render(ctx, dir, s, render.Options{Mix: *mixPath, StemsDir: *stems, Encoding: enc, Progress: p.update, NoteInLog: true})
	p.done()
	if err != nil {
		return err
	}
	e.printf("Rendered %s of audio in %.1f s.\n", timeText(res.Frames, s.Rate), time.Since(start).Seconds())
	if res.Mix != "" {
		e.printf("Mix: %s\n", res.Mix)
	}
	if len(res.Stems) > 0 {
		e.printf("Stems (%d) in %s\n", len(res.Stems), *stems)
		for _, st := range res.Silent {
			e.printf("  note: %s is silent (the track is muted or not soloed)\n", shown(filepath.Base(st)))
		}
	}
	return nil
}

// progress prints "Rendering… 42%" to stderr at most twice a second, and
// only once the work has taken longer than a second.
type progress struct {
	w     io.Writer
	what  string
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, what string) *progress {
	return &progress{w: w, what: what, start: time.Now()}
}

func (p *progress) update(done, total int64) {
	now := time.Now()
	if now.Sub(p.start) < time.Second || now.Sub(p.last) < 500*time.Millisecond || total == 0 {
		return
	}
	p.last = now
	p.shown = true
	fmt.Fprintf(p.w, "%s… %d%%\n", p.what, done*100/total)
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprintf(p.w, "%s… done\n", p.what)
	}
}
