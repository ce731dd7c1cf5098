// Package bounce makes the finished files of a song and takes them home:
// it masters the song (audio/master) into MP3, WAV and/or FLAC, adds the
// lyrics as a text file if asked, and puts them on a USB stick or in any
// folder through projects/takehome, which checks the space first, writes
// under temporary names, reads everything back and leaves nothing behind
// when it fails.
//
// The window's Take home button and `sangstudio takehome` both call TakeHome.
package bounce

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sangstudio/audio/encode"
	"sangstudio/audio/master"
	"sangstudio/audio/render"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
	"sangstudio/projects/takehome"
)

// Options say what to take home.
type Options struct {
	Formats []encode.Format // default: MP3 only
	Lyrics  bool            // also write the lyrics as a .txt file
	Preset  master.Preset   // loudness; the zero value means Streaming
	Ceiling float64         // dBTP; 0 means master.DefaultCeiling (-1)
	// Tags: Title defaults to the song's title, Artist to its performer,
	// Album to its album.
	Tags encode.Tags
	// Progress, if set, gets the part of the work under way and how far
	// the whole take-home is, from 0 to 1.
	Progress func(stage Stage, fraction float64)
}

// Stage names the part of the work under way, for progress messages.
type Stage int

// Stages.
const (
	StageMix    Stage = iota + 1 // mixing the song
	StageMaster                  // measuring and mastering
	StageEncode                  // writing the files (locally)
	StageCopy                    // copying to the destination and reading back
)

// Result says what was written.
type Result struct {
	Master   *master.Report
	Folder   string   // the folder on the destination
	Files    []string // full paths on the destination
	Bytes    int64
	DestRoot string
}

// Tags returns the tags for song s: its title, performer and album,
// overridden by any non-empty field of over.
func Tags(s *projects.Song, over encode.Tags) encode.Tags {
	t := encode.Tags{Title: s.Title, Artist: s.Performer, Album: s.Album}
	if strings.TrimSpace(t.Title) == "" {
		t.Title = "Sang"
	}
	if over.Title != "" {
		t.Title = over.Title
	}
	if over.Artist != "" {
		t.Artist = over.Artist
	}
	if over.Album != "" {
		t.Album = over.Album
	}
	t.Track, t.Tracks = over.Track, over.Tracks
	return t
}

// FolderName is the name of the folder a song goes into on the destination.
func FolderName(s *projects.Song) string {
	return takehome.SafeName(s.Title, 200, "Sang")
}

// weights of the stages in the overall progress
var weights = [...]float64{StageMix: 0.25, StageMaster: 0.35, StageEncode: 0.25, StageCopy: 0.15}

func base(st Stage) float64 {
	b := 0.0
	for i := StageMix; i < st; i++ {
		b += weights[i]
	}
	return b
}

// TakeHome masters song s (in dir) and delivers the files into
// destRoot/FolderName(s).
func TakeHome(ctx context.Context, dir string, s *projects.Song, destRoot string, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	if err := checkDest(destRoot); err != nil {
		return nil, err
	}
	pr := &progress{fn: opt.Progress}

	// Everything is made locally first, inside the song's own private
	// cache folder (see projects.CacheDir), so that only finished files
	// ever go to the stick.
	if err := render.CheckLength(s); err != nil {
		return nil, err
	}
	cache, err := projects.CacheDir(dir, "", s.Length()*8+4096)
	if err != nil {
		return nil, err
	}
	work, err := os.MkdirTemp(cache, "takehome-")
	if err != nil {
		return nil, fmt.Errorf("cannot make a working folder in %s: %w", cache, err)
	}
	defer os.RemoveAll(work)

	tags := Tags(s, opt.Tags)
	name := takehome.SafeName(tags.Title, 200, "Sang")
	outs, err := outputs(work, name, opt.Formats, tags)
	if err != nil {
		return nil, err
	}
	mopt := master.OptionsFor(opt.Preset, opt.Ceiling)
	mopt.Progress = pr.master
	rep, err := master.Song(ctx, dir, s, mopt, outs)
	if err != nil {
		return nil, err
	}
	var files []takehome.File
	for _, p := range rep.Files {
		files = append(files, takehome.File{Src: p, Name: filepath.Base(p)})
	}
	if opt.Lyrics {
		f, err := writeLyrics(work, name, tags, s)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	d, err := takehome.Deliver(ctx, files, destRoot, FolderName(s), func(done, total int64) {
		pr.report(StageCopy, done, total)
	})
	if err != nil {
		return nil, err
	}
	// The song left on the stick: noted in its log (the copies are made
	// and checked; a log that cannot note them costs them nothing).
	var sound []string
	for _, f := range d.Files {
		if !strings.EqualFold(filepath.Ext(f), ".txt") {
			sound = append(sound, f)
		}
	}
	songlog.NoteCopies(dir, songlog.CopyTakeHome, sound...)
	return &Result{Master: rep, Folder: d.Folder, Files: d.Files, Bytes: d.Bytes, DestRoot: destRoot}, nil
}

// withDefaults fills in the defaults of what opt leaves out.
func (opt Options) withDefaults() Options {
	if len(opt.Formats) == 0 {
		opt.Formats = []encode.Format{encode.MP3}
	}
	if opt.Preset.Name == "" {
		opt.Preset = master.Streaming()
	}
	if opt.Ceiling == 0 {
		opt.Ceiling = master.DefaultCeiling
	}
	return opt
}

// checkDest checks that destRoot is a folder that is there.
func checkDest(destRoot string) error {
	if st, err := os.Stat(destRoot); err != nil {
		return fmt.Errorf("cannot write to %s: %w", destRoot, unwrapPath(err))
	} else if !st.IsDir() {
		return fmt.Errorf("cannot write to %s: it is not a folder", destRoot)
	}
	return nil
}

// progress reports how far the whole take-home is to fn (if set).
type progress struct {
	fn func(stage Stage, fraction float64)
	// Measuring reads the mix once per pass (usually 2 to 4): passes
	// counts the passes so that the bar never goes back.
	passes, lastDone int64
}

// report reports done of total in stage st.
func (p *progress) report(st Stage, done, total int64) {
	if p.fn == nil {
		return
	}
	f := 0.0
	if total > 0 {
		f = float64(done) / float64(total)
	}
	p.fn(st, base(st)+weights[st]*min(1, f))
}

// master is master.Options.Progress: it reports the master's stages as
// ours, expecting about three measuring passes.
func (p *progress) master(st master.Stage, done, total int64) {
	switch st {
	case master.StageMix:
		p.report(StageMix, done, total)
	case master.StageMeasure:
		if done < p.lastDone {
			p.passes++
		}
		p.lastDone = done
		p.report(StageMaster, min(p.passes*total+done, 3*total-1), 3*total)
	case master.StageWrite:
		p.report(StageEncode, done, total)
	}
}

// outputs are the master's outputs in work, one per format, named after
// name.
func outputs(work, name string, formats []encode.Format, tags encode.Tags) ([]master.Output, error) {
	var outs []master.Output
	seen := map[string]bool{}
	for _, f := range formats {
		fn := takehome.SafeFileName(name, f.Ext())
		if seen[fn] {
			return nil, fmt.Errorf("two of the chosen formats would both be named %s; choose one of them", fn)
		}
		seen[fn] = true
		outs = append(outs, master.Output{Path: filepath.Join(work, fn), Format: f, Tags: tags})
	}
	return outs, nil
}

// writeLyrics writes song s's lyrics file into work, named after name.
func writeLyrics(work, name string, tags encode.Tags, s *projects.Song) (takehome.File, error) {
	if strings.TrimSpace(s.Lyrics) == "" {
		return takehome.File{}, errors.New("the song has no lyrics yet: type them in the lyrics box, or leave out the lyrics")
	}
	fn := takehome.SafeFileName(name, ".txt")
	p := filepath.Join(work, fn)
	if err := os.WriteFile(p, LyricsText(tags, s.Lyrics), projects.FilePerm); err != nil {
		return takehome.File{}, err
	}
	return takehome.File{Src: p, Name: fn}, nil
}

// LyricsText is the lyrics file: the title (and performer), a blank line,
// the lyrics; UTF-8 with Windows line ends so that every text editor,
// including old Notepad, shows the lines.
func LyricsText(t encode.Tags, lyrics string) []byte {
	var b strings.Builder
	b.WriteString(t.Title)
	if t.Artist != "" {
		b.WriteString(" – " + t.Artist)
	}
	b.WriteString("\n\n")
	b.WriteString(strings.TrimRight(strings.ReplaceAll(lyrics, "\r\n", "\n"), "\n"))
	b.WriteString("\n")
	return []byte(strings.ReplaceAll(b.String(), "\n", "\r\n"))
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
