// Package cdmake turns songs into an audio CD image: each song is mixed,
// converted to 44.1 kHz with libsoxr (very high quality), mastered with the
// CD preset (audio/master: -10 LUFS, true-peak limiter, TPDF dither to 16
// bits) into DIR/NN-<title>.wav, and the masters are laid out by
// audio/cdimage into DIR/disc.bin, disc.cue and disc.toc.
//
// The Red Book rules are checked from the songs' lengths before anything is
// written (Check); the window and `sangstudio cd` both call Make.
package cdmake

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"sangstudio/audio/cdimage"
	"sangstudio/audio/encode"
	"sangstudio/audio/master"
	"sangstudio/audio/render"
	"sangstudio/audio/resample"
	"sangstudio/audio/wav"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
	"sangstudio/projects/takehome"
)

// Track is one song on the disc.
type Track struct {
	Dir       string // the song's folder
	Song      *projects.Song
	Title     string
	Performer string
	Gap       float64 // seconds of silence before the track (track 1: always 2)
}

// Disc is what to make.
type Disc struct {
	Title, Performer string
	Tracks           []Track
}

// Stage names the work under way.
type Stage int

// Stages.
const (
	StageMaster Stage = iota + 1 // mixing, converting and mastering a song
	StageImage                   // writing the disc image
)

// Progress says how far Make is.
type Progress struct {
	Stage    Stage
	Track    int     // 1-based, during StageMaster
	Tracks   int     //
	Fraction float64 // of the whole job, 0..1
}

// Options for Make.
type Options struct {
	Ceiling  float64 // dBTP; 0 means master.DefaultCeiling
	Progress func(Progress)
	// Translate is the language of the problems Make refuses with (nil:
	// English).
	Translate cdimage.Translator
}

// Result says what was written.
type Result struct {
	Masters []string
	Reports []*master.Report
	Image   *cdimage.Result
	Frames  []int64 // each master's length, 44.1 kHz frames
}

// Frames is the length a song's CD master will have, in 44.1 kHz frames.
func Frames(s *projects.Song) int64 {
	return resample.OutputFrames(s.Length(), s.Rate, cdimage.Rate)
}

// MasterName is track i's (0-based) master file name: "NN-<title>.wav",
// safe on FAT and exFAT.
func MasterName(i int, title string) string {
	return takehome.SafeFileName(fmt.Sprintf("%02d-%s", i+1, strings.TrimSpace(title)), ".wav")
}

func (d Disc) image(masters []string) cdimage.Disc {
	cd := cdimage.Disc{Title: d.Title, Performer: d.Performer}
	for i, t := range d.Tracks {
		gap := int64(math.Round(t.Gap * cdimage.Rate))
		if i == 0 {
			gap = cdimage.FirstPregap
		}
		ct := cdimage.Track{Title: t.Title, Performer: t.Performer, Gap: gap}
		if masters != nil {
			ct.WAV = masters[i]
		}
		cd.Tracks = append(cd.Tracks, ct)
	}
	return cd
}

// Check applies the Red Book rules to the disc from the songs' lengths,
// before anything is rendered or written. Songs with nothing recorded are
// reported too. The messages are in the language of in (nil: English).
func Check(d Disc, in cdimage.Translator) []cdimage.Problem {
	tr := in.Lookup()
	lengths := make([]int64, len(d.Tracks))
	var ps []cdimage.Problem
	for i, t := range d.Tracks {
		lengths[i] = Frames(t.Song)
		if t.Song.Length() == 0 {
			ps = append(ps, cdimage.Problem{Track: i + 1, Field: "length", Fatal: true,
				Text: fmt.Sprintf(tr("Track %d %q has nothing recorded yet."), i+1, t.Title)})
		}
		if p, ok := tooLong(i, t, tr); ok {
			ps = append(ps, p)
		}
	}
	return append(ps, cdimage.Check(d.image(nil), lengths, in)...)
}

// tooLong is the problem of track i's song being too long to render (see
// projects.MaxRenderHours), naming the clip far beyond the rest if there
// is one.
func tooLong(i int, t Track, tr func(string) string) (cdimage.Problem, bool) {
	var tl *projects.TooLongError
	if !errors.As(t.Song.CheckRenderLength(), &tl) {
		return cdimage.Problem{}, false
	}
	hours := func(frames int64) string { return fmt.Sprintf("%.1f", float64(frames)/float64(tl.Rate)/3600) }
	p := cdimage.Problem{Track: i + 1, Field: "length", Fatal: true}
	if o := tl.Outlier; o != nil {
		p.Text = fmt.Sprintf(tr("Track %d %q is %s hours long because a clip on track %d (%q) starts %s hours in, far beyond the rest of the song (which ends at %s): move or delete that clip."),
			i+1, t.Title, hours(tl.Length), o.Track, o.TrackName, hours(o.Position), projects.Clock(o.RestEnd, tl.Rate))
	} else {
		p.Text = fmt.Sprintf(tr("Track %d %q is %s hours long, far longer than a CD holds."), i+1, t.Title, hours(tl.Length))
	}
	return p, true
}

// FatalError is a disc the Red Book rules refuse; nothing was written.
type FatalError struct{ Problems []cdimage.Problem }

func (e *FatalError) Error() string {
	var b strings.Builder
	b.WriteString("the CD cannot be made:")
	for _, p := range e.Problems {
		if p.Fatal {
			b.WriteString("\n  " + p.Text)
		}
	}
	return b.String()
}

// Make masters every song and writes the disc image into dir. On failure or
// cancellation the masters it wrote are removed again.
func Make(ctx context.Context, dir string, d Disc, opt Options) (res *Result, err error) {
	if ps := Check(d, opt.Translate); cdimage.Fatal(ps) {
		return nil, &FatalError{Problems: ps}
	}
	if opt.Ceiling == 0 {
		opt.Ceiling = master.DefaultCeiling
	}
	_, serr := os.Stat(dir)
	made := errors.Is(serr, fs.ErrNotExist) // removed again if nothing is made
	if err := os.MkdirAll(dir, projects.DirPerm); err != nil {
		return nil, fmt.Errorf("cannot create the folder %s: %w", dir, err)
	}
	n := len(d.Tracks)
	report := func(p Progress) {
		if opt.Progress != nil {
			p.Tracks = n
			opt.Progress(p)
		}
	}
	res = &Result{}
	defer func() {
		if err != nil {
			for _, m := range res.Masters {
				os.Remove(m)
			}
			if made {
				os.Remove(dir) // only if empty
			}
		}
	}()
	// Mastering is most of the work; the image is a copy.
	const imageShare = 0.1
	for i, t := range d.Tracks {
		path := filepath.Join(dir, MasterName(i, t.Title))
		tags := encode.Tags{Title: t.Title, Artist: t.Performer, Album: d.Title, Track: i + 1, Tracks: n}
		rep, err := masterSong(ctx, t, path, tags, opt.Ceiling, func(f float64) {
			report(Progress{Stage: StageMaster, Track: i + 1, Fraction: (1 - imageShare) * (float64(i) + f) / float64(n)})
		})
		if err != nil {
			return res, fmt.Errorf("track %d %q: %w", i+1, t.Title, err)
		}
		res.Masters = append(res.Masters, path)
		res.Reports = append(res.Reports, rep)
		res.Frames = append(res.Frames, rep.Frames)
	}
	img, err := cdimage.Write(ctx, dir, d.image(res.Masters), func(done, total int64) {
		if total > 0 {
			report(Progress{Stage: StageImage, Fraction: 1 - imageShare + imageShare*float64(done)/float64(total)})
		}
	})
	if err != nil {
		return res, err
	}
	res.Image = img
	// Each song went onto a CD image: noted in its log (a log that cannot
	// note it costs the image nothing).
	for i, t := range d.Tracks {
		songlog.NoteCopies(t.Dir, songlog.CopyCD, res.Masters[i])
	}
	return res, nil
}

// masterSong mixes the song, converts the mix to 44.1 kHz and masters it
// with the CD preset into path (16-bit WAV). Its working files live in the
// song's private cache folder (see projects.CacheDir) and are removed.
func masterSong(ctx context.Context, t Track, path string, tags encode.Tags, ceiling float64, progress func(float64)) (*master.Report, error) {
	cache, err := projects.CacheDir(t.Dir, "", 2*t.Song.Length()*8+4096) // the mix, and perhaps it at 44.1 kHz
	if err != nil {
		return nil, err
	}
	temp := func(pattern string) (string, error) {
		f, err := os.CreateTemp(cache, pattern)
		if err != nil {
			return "", fmt.Errorf("cannot write in %s: %w", cache, err)
		}
		f.Close()
		return f.Name(), nil
	}
	mix, err := temp("cd-mix-*.wav")
	if err != nil {
		return nil, err
	}
	defer os.Remove(mix)
	if _, err := render.Render(ctx, t.Dir, t.Song, render.Options{Mix: mix, Encoding: wav.Float32, Progress: func(done, total int64) {
		if total > 0 {
			progress(0.4 * float64(done) / float64(total))
		}
	}}); err != nil {
		return nil, err
	}
	cdMix := mix
	if t.Song.Rate != cdimage.Rate {
		if cdMix, err = temp("cd-mix44-*.wav"); err != nil {
			return nil, err
		}
		defer os.Remove(cdMix)
		if err := ConvertFile(ctx, mix, cdMix, cdimage.Rate); err != nil {
			return nil, err
		}
	}
	progress(0.5)
	opt := master.OptionsFor(master.CD(), ceiling)
	opt.Progress = func(st master.Stage, done, total int64) {
		if total > 0 && st == master.StageWrite {
			progress(0.8 + 0.2*float64(done)/float64(total))
		}
	}
	rep, err := master.File(ctx, cdMix, opt, []master.Output{{Path: path, Format: encode.WAV16, Tags: tags}})
	if err != nil {
		return nil, err
	}
	progress(1)
	return rep, nil
}

// ConvertFile converts the WAV at in to a 32-bit float WAV at out with
// outRate, with libsoxr at very high quality. The output has exactly
// resample.OutputFrames(in's frames) frames.
func ConvertFile(ctx context.Context, in, out string, outRate int) error {
	r, err := wav.Open(in)
	if err != nil {
		return err
	}
	defer r.Close()
	f := r.Format()
	w, err := wav.Create(out, wav.Format{Rate: outRate, Channels: f.Channels, Encoding: wav.Float32}, wav.WriterOptions{})
	if err != nil {
		return err
	}
	if err := resample.Copy(ctx, r, w.Write, f.Rate, outRate, f.Channels); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	if want := resample.OutputFrames(r.Frames(), f.Rate, outRate); w.Frames() != want {
		return fmt.Errorf("converting %s to %d Hz gave %d frames instead of %d", in, outRate, w.Frames(), want)
	}
	return nil
}
