package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	flag "github.com/spf13/pflag"

	"sangstudio/audio/bounce"
	"sangstudio/audio/encode"
	"sangstudio/audio/loudness"
	"sangstudio/audio/master"
	"sangstudio/internal/words"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
	"sangstudio/projects/takehome"
)

func cmdLoudness(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("loudness", flag.ContinueOnError)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	path := pos[0]
	var res loudness.Result
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		s, err := readSong(e, path)
		if err != nil {
			return err
		}
		p := newProgress(e.stderr, "Mixing")
		res, err = master.MeasureSong(ctx, path, s, p.update)
		p.done()
		if err != nil {
			return err
		}
		e.printf("%s (the mix as it is now, before mastering)\n", path)
	} else {
		if res, err = loudness.MeasureFileContext(ctx, path); err != nil {
			return err
		}
		e.printf("%s\n", path)
	}
	printLoudness(e, res)
	return nil
}

func dbText(v float64, unit string) string {
	if math.IsInf(v, -1) {
		return "-inf " + unit + " (silence)"
	}
	return fmt.Sprintf("%.1f %s", v, unit)
}

func printLoudness(e *env, r loudness.Result) {
	e.printf("  Integrated loudness: %s\n", dbText(r.Integrated, "LUFS"))
	e.printf("  Loudness range:      %.1f LU\n", r.Range)
	e.printf("  True peak:           %s\n", dbText(r.TruePeak, "dBTP"))
	e.printf("  Sample peak:         %s\n", dbText(r.SamplePeak, "dBFS"))
	e.printf("  Max momentary:       %s\n", dbText(r.MaxMomentary, "LUFS"))
	e.printf("  Max short-term:      %s\n", dbText(r.MaxShortTerm, "LUFS"))
}

// masterFlags are the loudness flags master and takehome share.
type masterFlags struct {
	preset               *string
	target, ceiling      *float64
	artist, album, title *string
	track                *int
}

func addMasterFlags(fs *flag.FlagSet, defPreset string) *masterFlags {
	return &masterFlags{
		preset:  fs.String("preset", defPreset, "loudness: streaming (-14 LUFS), cd (-10 LUFS) or off (no normalization; the limiter still keeps the ceiling)"),
		target:  fs.Float64("target", math.NaN(), "loudness target in LUFS (instead of --preset)"),
		ceiling: fs.Float64("ceiling", master.DefaultCeiling, "true-peak ceiling in dBTP"),
		title:   fs.String("title", "", "title tag (default: the song's title)"),
		artist:  fs.String("artist", "", "artist tag: the performer's name as it should appear (default: the song's performer; nothing else is stored)"),
		album:   fs.String("album", "", "album tag (default: the song's album)"),
		track:   fs.Int("track", 0, "track number tag (default: none)"),
	}
}

func (m *masterFlags) options() (master.Options, error) {
	if err := checkTexts(textFlag{"--title", projects.FieldTitle, *m.title}, textFlag{"--artist", projects.FieldPerformer, *m.artist},
		textFlag{"--album", projects.FieldAlbum, *m.album}); err != nil {
		return master.Options{}, err
	}
	p, err := master.PresetByName(strings.ToLower(*m.preset))
	if err != nil {
		return master.Options{}, usagef("%v", err)
	}
	opt := master.OptionsFor(p, *m.ceiling)
	if !math.IsNaN(*m.target) {
		opt.Normalize, opt.Target = true, *m.target
	}
	if opt.Ceiling > 0 || opt.Ceiling < -20 {
		return opt, usagef("--ceiling %g: use a value from -20 to 0 dBTP", opt.Ceiling)
	}
	if opt.Normalize && (opt.Target > 0 || opt.Target < -40) {
		return opt, usagef("--target %g: use a value from -40 to 0 LUFS", opt.Target)
	}
	return opt, nil
}

func (m *masterFlags) tags() encode.Tags {
	return encode.Tags{Title: *m.title, Artist: *m.artist, Album: *m.album, Track: *m.track}
}

// formatFor picks the format from --format or the file's extension.
func formatFor(name, path string) (encode.Format, error) {
	if name == "" {
		switch strings.ToLower(filepath.Ext(path)) {
		case ".wav":
			return encode.WAV16, nil
		case ".flac":
			return encode.FLAC16, nil
		case ".mp3":
			return encode.MP3, nil
		}
		return 0, usagef("cannot tell the format from %q: end the name in .mp3, .wav or .flac, or give --format", path)
	}
	f, err := encode.ParseFormat(name)
	if err != nil {
		return 0, usagef("--format: %v", err)
	}
	return f, nil
}

func cmdMaster(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("master", flag.ContinueOnError)
	out := fs.String("out", "", "the file to write: .mp3, .wav (16-bit) or .flac")
	format := fs.String("format", "", "mp3, wav, wav24, flac or flac24 (default: from --out's extension)")
	mf := addMasterFlags(fs, "streaming")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out FILE is required")
	}
	f, err := formatFor(*format, *out)
	if err != nil {
		return err
	}
	opt, err := mf.options()
	if err != nil {
		return err
	}
	dir := pos[0]
	s, err := readSong(e, dir)
	if err != nil {
		return err
	}
	p := newStageProgress(e)
	opt.Progress = p.master
	rep, err := master.Song(ctx, dir, s, opt, []master.Output{{Path: *out, Format: f, Tags: bounce.Tags(s, mf.tags())}})
	p.done()
	if err != nil {
		return err
	}
	if err := songlog.NoteCopies(dir, songlog.CopyMix, *out); err != nil {
		e.printf("The song's log (%s) could not note the copy: %v\n", songlog.File, err)
	}
	e.printf("Wrote %s (%s).\n", *out, f)
	printMasterReport(e, rep, opt)
	return nil
}

func printMasterReport(e *env, rep *master.Report, opt master.Options) {
	e.printf("  Loudness: %s (the mix was %s); gain %+.1f dB\n", dbText(rep.Output.Integrated, "LUFS"), dbText(rep.Input.Integrated, "LUFS"), rep.GainDB)
	e.printf("  True peak: %s (ceiling %.1f dBTP); the limiter took off at most %.1f dB\n", dbText(rep.Output.TruePeak, "dBTP"), opt.Ceiling, math.Abs(rep.MaxReduction))
	if rep.Short > 0 {
		e.printf("  note: %.1f LU short of the %.1f LUFS target: getting closer would squash the song's dynamics.\n", rep.Short, opt.Target)
	}
}

// stageProgress prints the stage names and percentages of a master.
type stageProgress struct {
	e     *env
	stage master.Stage
	p     *progress
}

func newStageProgress(e *env) *stageProgress { return &stageProgress{e: e} }

func (s *stageProgress) master(st master.Stage, done, total int64) {
	if st != s.stage {
		if s.p != nil {
			s.p.done()
		}
		s.stage = st
		s.p = newProgress(s.e.stderr, map[master.Stage]string{master.StageMix: "Mixing", master.StageMeasure: "Measuring", master.StageWrite: "Writing"}[st])
	}
	s.p.update(done, total)
}

func (s *stageProgress) done() {
	if s.p != nil {
		s.p.done()
	}
}

func cmdTakeHome(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("takehome", flag.ContinueOnError)
	to := fs.String("to", "", "where to put the song: a USB stick's folder (see --list) or any folder")
	list := fs.Bool("list", false, "list the USB sticks and other removable drives, then stop")
	mp3 := fs.Bool("mp3", false, "write an MP3 (the default when no format is chosen)")
	wav := fs.Bool("wav", false, "write a 16-bit WAV")
	flac := fs.Bool("flac", false, "write a FLAC")
	lyrics := fs.Bool("lyrics", false, "also write the lyrics as a text file")
	mf := addMasterFlags(fs, "streaming")
	pos, err := parse(fs, args, 0, 1)
	if err != nil {
		return err
	}
	if *list {
		return listDrives(e)
	}
	if len(pos) != 1 {
		return usagef("give the song folder")
	}
	if *to == "" {
		return usagef("--to DIR is required (sangstudio takehome --list shows the USB sticks)")
	}
	opt, err := mf.options()
	if err != nil {
		return err
	}
	var formats []encode.Format
	if *mp3 || (!*wav && !*flac) {
		formats = append(formats, encode.MP3)
	}
	if *wav {
		formats = append(formats, encode.WAV16)
	}
	if *flac {
		formats = append(formats, encode.FLAC16)
	}
	dir := pos[0]
	s, err := readSong(e, dir)
	if err != nil {
		return err
	}
	preset := master.Off()
	if opt.Normalize {
		preset = master.Preset{Name: "target", Label: fmt.Sprintf("%g LUFS", opt.Target), Target: opt.Target, Normalize: true}
	}
	last := bounce.Stage(0)
	res, err := bounce.TakeHome(ctx, dir, s, *to, bounce.Options{
		Formats: formats, Lyrics: *lyrics, Preset: preset, Ceiling: opt.Ceiling, Tags: mf.tags(),
		Progress: func(st bounce.Stage, f float64) {
			if st != last {
				last = st
				fmt.Fprintf(e.stderr, "%s… (%d%%)\n", map[bounce.Stage]string{bounce.StageMix: "Mixing", bounce.StageMaster: "Mastering",
					bounce.StageEncode: "Writing the files", bounce.StageCopy: "Copying and checking"}[st], int(f*100))
			}
		}})
	if err != nil {
		return fmt.Errorf("%v\nNothing was left half-written in %s.", err, *to)
	}
	e.printf("Wrote %d %s (%s) to %s:\n", len(res.Files), words.Plural(len(res.Files), "file", "files"), takehome.Size(res.Bytes), res.Folder)
	for _, f := range res.Files {
		e.printf("  %s\n", shown(filepath.Base(f)))
	}
	printMasterReport(e, res.Master, opt)
	e.printf("Everything was read back and checked. It is safe to remove the USB stick.\n")
	return nil
}

func listDrives(e *env) error {
	ds, err := takehome.Drives()
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		e.printf("No USB stick found (looked under /media and /run/media). Plug one in, or give any folder with --to.\n")
		return nil
	}
	for _, d := range ds {
		e.printf("%-24s %s free of %s  %s\n", d.Label, takehome.Size(d.Free), takehome.Size(d.Total), d.Path)
	}
	return nil
}
