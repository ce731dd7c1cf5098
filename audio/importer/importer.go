// Package importer brings audio files and MIDI files into a song: each
// audio file becomes a new track with one clip, and each channel of a MIDI
// file that plays notes a MIDI track. The audio (or the MIDI events) are
// copied into the song's audio folder (converted to the song's sample rate
// when needed), so a song never depends on files outside its folder.
//
// An import is all or nothing: every file is read and converted first; only
// if all succeed is the song saved. On any failure the files already
// written are removed, a song folder created for the import is removed, and
// the song is left exactly as it was.
package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sangstudio/audio/mix"
	"sangstudio/audio/resample"
	"sangstudio/audio/wav"
	"sangstudio/internal/fserr"
	"sangstudio/projects"
)

// Sample rates accepted for import (converted to the song's rate).
const (
	minRate = 8000
	maxRate = 384000
)

// FileError names the file that could not be imported and why.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return fmt.Sprintf("cannot import %s: %v", e.Path, e.Err) }
func (e *FileError) Unwrap() error { return e.Err }

// Options for Import.
type Options struct {
	// Title and Rate are used when the song does not exist yet.
	Title string
	Rate  int
	// Progress, if set, is called with the file being imported (0-based).
	Progress func(i int, path string)
}

// Result tells what the import did.
type Result struct {
	Created bool     // the song was created by this import
	Tracks  []string // names of the new tracks
	Takes   []string // the new take files in audio/
	// Resampled lists the files converted from another sample rate.
	Resampled []string
	// Replaced lists the files that held samples that are not finite
	// numbers, and how many (see Replaced).
	Replaced []Replaced
}

// Replaced tells how many samples of an imported file were not finite
// numbers. A 32- or 64-bit float WAV can hold NaN ("not a number") and
// infinite samples; mixed with other tracks, one of them would silence or
// corrupt the whole mix. They are replaced in the copy, as everywhere in
// Sangstudio (sangstudio/audio/mix.Finite): NaN by silence (0), +Inf by
// +1 and -Inf by -1 (full scale). The original file is not touched.
type Replaced struct {
	Path string // the file as given to Import
	NaN  int64  // samples that were NaN, now 0
	Inf  int64  // samples that were +Inf or -Inf (or too large for 32-bit float), now +1 or -1
}

// Note says what was replaced, in plain words, for the person importing.
func (r Replaced) Note() string {
	var parts []string
	if r.NaN > 0 {
		what := "not numbers"
		if r.NaN == 1 {
			what = "not a number"
		}
		parts = append(parts, fmt.Sprintf("%s %s (NaN) and %s imported as silence", samples(r.NaN), what, were(r.NaN)))
	}
	if r.Inf > 0 {
		parts = append(parts, fmt.Sprintf("%s infinite and %s imported at full scale", samples(r.Inf), were(r.Inf)))
	}
	return fmt.Sprintf("%s: %s.", r.Path, strings.Join(parts, "; "))
}

func samples(n int64) string {
	if n == 1 {
		return "1 sample was"
	}
	return fmt.Sprintf("%d samples were", n)
}

func were(n int64) string {
	if n == 1 {
		return "was"
	}
	return "were"
}

// Import adds one track per file to the song in dir, creating the song if
// dir holds none.
func Import(ctx context.Context, dir string, files []string, opt Options) (_ *Result, err error) {
	if len(files) == 0 {
		return nil, errors.New("import: no files given")
	}
	res := &Result{}
	var song *projects.Song
	_, statErr := os.Stat(dir)
	dirExisted := statErr == nil
	if projects.Exists(dir) {
		s, rec, err := projects.Load(dir)
		if err != nil {
			return nil, err
		}
		if rec != nil {
			return nil, fmt.Errorf("import: %s: %s; open the song once to confirm before importing", dir, rec)
		}
		song = s
	} else {
		title := opt.Title
		if title == "" {
			title = filepath.Base(filepath.Clean(dir))
		}
		rate := opt.Rate
		if rate == 0 {
			rate = projects.DefaultRate
		}
		if !projects.ValidRate(rate) {
			return nil, fmt.Errorf("import: sample rate %d Hz is not supported (44100, 48000 or 96000)", rate)
		}
		song = projects.New(title, rate)
		res.Created = true
	}
	defer func() {
		if err == nil {
			return
		}
		for _, t := range res.Takes {
			os.Remove(projects.AudioPath(dir, t))
		}
		switch {
		case res.Created && !dirExisted:
			os.RemoveAll(dir)
		case res.Created: // the folder was there, empty of songs: remove only what we made
			for _, d := range []string{projects.AudioDir, projects.ExportsDir} {
				os.Remove(filepath.Join(dir, d)) // only if empty
			}
		}
	}()

	var tracks []*projects.Track
	for i, path := range files {
		if err := ctx.Err(); err != nil {
			return nil, errors.New("import: cancelled")
		}
		if opt.Progress != nil {
			opt.Progress(i, path)
		}
		if IsMIDIFile(path) {
			added, takes, err := importMIDI(dir, song, path, res.Created && len(files) == 1)
			res.Takes = append(res.Takes, takes...)
			if err != nil {
				return nil, err
			}
			for _, track := range added {
				track.Name = uniqueAmong(song, tracks, track.Name)
				tracks = append(tracks, track)
				res.Tracks = append(res.Tracks, track.Name)
			}
			continue
		}
		track, take, resampled, fixed, err := importFile(dir, song, path)
		if take != "" {
			res.Takes = append(res.Takes, take)
		}
		if err != nil {
			return nil, err
		}
		track.Name = uniqueAmong(song, tracks, track.Name)
		tracks = append(tracks, track)
		res.Tracks = append(res.Tracks, track.Name)
		if resampled {
			res.Resampled = append(res.Resampled, path)
		}
		if fixed.NaN+fixed.Inf > 0 {
			fixed.Path = path
			res.Replaced = append(res.Replaced, fixed)
		}
	}
	song.Tracks = append(song.Tracks, tracks...)
	if res.Created {
		err = projects.Create(dir, song)
	} else {
		err = projects.Save(dir, song)
	}
	if err != nil {
		return nil, fserr.Describe(err)
	}
	return res, nil
}

// uniqueAmong makes name unique among the song's tracks and the new ones.
func uniqueAmong(s *projects.Song, added []*projects.Track, name string) string {
	tmp := &projects.Song{Tracks: append(append([]*projects.Track{}, s.Tracks...), added...)}
	return tmp.UniqueTrackName(name)
}

// TrackName is the track name for an imported file: its base name without
// the extension.
func TrackName(path string) string {
	base := filepath.Base(path)
	name := strings.TrimSpace(strings.TrimSuffix(base, filepath.Ext(base)))
	if name == "" {
		return "Audio"
	}
	if len(name) > 100 {
		name = name[:100]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, name)
}

// importFile converts one file into a new take; it returns the new track
// and how many non-finite samples were replaced. take is set as soon as a
// file was created in audio/ (so the caller can remove it on failure).
func importFile(dir string, song *projects.Song, path string) (track *projects.Track, take string, resampled bool, fixed Replaced, err error) {
	fail := func(e error) (*projects.Track, string, bool, Replaced, error) {
		return nil, take, false, Replaced{}, &FileError{Path: path, Err: e}
	}
	r, err := wav.Open(path)
	if err != nil {
		var fe *wav.FormatError
		if errors.As(err, &fe) {
			return fail(errors.New(fe.Reason))
		}
		return fail(fserr.Describe(unwrapPath(err)))
	}
	defer r.Close()
	f := r.Format()
	switch {
	case f.Channels != 1 && f.Channels != 2:
		return fail(fmt.Errorf("it has %d channels; Sangstudio imports mono and stereo files", f.Channels))
	case f.Rate < minRate || f.Rate > maxRate:
		return fail(fmt.Errorf("its sample rate %d Hz is outside %d–%d Hz", f.Rate, minRate, maxRate))
	case r.Frames() == 0:
		return fail(errors.New("it holds no audio"))
	}
	// Keep the sample format when no conversion is needed: the copy is then
	// lossless (integers up to 24 bits round-trip exactly through float32).
	out := wav.Format{Rate: song.Rate, Channels: f.Channels, Encoding: wav.Float32}
	resampled = f.Rate != song.Rate
	if !resampled {
		switch f.Encoding {
		case wav.PCM16, wav.PCM24, wav.Float32:
			out.Encoding = f.Encoding
		case wav.PCM8:
			out.Encoding = wav.PCM16
		}
	}
	name := TrackName(path)
	file, take, err := projects.NewTakeFile(dir, song, name, ".wav")
	if err != nil {
		return fail(fserr.Describe(err))
	}
	w, err := wav.NewWriter(file, out, wav.WriterOptions{NoDither: true})
	if err != nil {
		file.Close()
		return fail(fserr.Describe(err))
	}
	fr := &finiteReader{r: r}
	frames, err := copyAudio(fr, w, f.Rate, song.Rate, f.Channels)
	if err != nil {
		w.Close()
		return fail(err)
	}
	if err := w.Close(); err != nil {
		return fail(fmt.Errorf("writing %s: %w", projects.AudioPath(dir, take), fserr.Describe(err)))
	}
	track = projects.NewTrack(name, f.Channels)
	track.Clips = append(track.Clips, projects.Clip{Take: take, Length: frames})
	return track, take, resampled, fr.fixed, nil
}

// finiteReader reads a file's audio with its non-finite samples replaced
// (before any resampling, which would spread them over their neighbours)
// and counts them.
type finiteReader struct {
	r     *wav.Reader
	fixed Replaced
}

func (f *finiteReader) Read(dst [][]float32) (int, error) {
	n, err := f.r.Read(dst)
	for _, ch := range dst {
		for i, v := range ch[:n] {
			if v-v != 0 { // NaN or ±Inf
				if v != v {
					f.fixed.NaN++
				} else {
					f.fixed.Inf++
				}
				ch[i] = mix.FiniteSample(v)
			}
		}
	}
	return n, err
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// copyAudio copies all frames from r to w, resampling from inRate to outRate
// if they differ. It returns the number of frames written.
func copyAudio(r resample.Reader, w *wav.Writer, inRate, outRate, channels int) (int64, error) {
	var writeErr error
	err := resample.Copy(context.Background(), r, func(b [][]float32) error {
		if err := w.Write(b); err != nil {
			writeErr = fmt.Errorf("writing the copy: %w", fserr.Describe(err))
			return writeErr
		}
		return nil
	}, inRate, outRate, channels)
	switch {
	case err == nil:
		return w.Frames(), nil
	case writeErr != nil:
		return 0, writeErr
	}
	var fe *wav.FormatError
	if errors.As(err, &fe) {
		return 0, errors.New(fe.Reason)
	}
	return 0, fserr.Describe(unwrapPath(err))
}
