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
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sangstudio/audio/mix"
	"sangstudio/audio/resample"
	"sangstudio/audio/wav"
	"sangstudio/internal/durable"
	"sangstudio/internal/fserr"
	"sangstudio/internal/openfile"
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

func (e *FileError) Error() string {
	var oe *openfile.Error
	if errors.As(e.Err, &oe) { // it names the file itself
		return "cannot import: " + oe.Error()
	}
	return fmt.Sprintf("cannot import %s: %v", e.Path, e.Err)
}
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
// dir holds none. The files are converted first (Prepare), without holding
// the song; then one change of the song, under its lock, gives them their
// take names and adds their tracks (projects.ChangeOrCreate), so another
// import or command at the same time never loses its tracks or this one's.
// A song open in the window is not changed (a *projects.OpenError): the
// window imports itself.
func Import(ctx context.Context, dir string, files []string, opt Options) (_ *Result, err error) {
	if holder, open := projects.OpenInWindow(dir); open {
		return nil, &projects.OpenError{Dir: dir, Holder: holder}
	}
	_, statErr := os.Stat(dir)
	dirExisted := statErr == nil
	p, err := Prepare(ctx, dir, files, opt)
	if err != nil {
		if !dirExisted {
			projects.RemoveIfNoSong(dir)
		}
		return nil, err
	}
	defer p.Close()
	_, _, created, err := projects.ChangeOrCreate(dir, "sangstudio import", p.newSong, p.Apply)
	if err != nil {
		p.Unapply()
		if !dirExisted {
			projects.RemoveIfNoSong(dir)
		}
		return nil, intoSong(dir, err)
	}
	p.res.Created = created
	return &p.res, nil
}

// intoSong describes a failure to write into the song folder as the song
// folder's (not a source file's) problem.
func intoSong(dir string, err error) error { return fileIntoSong(dir, "", err) }

// fileIntoSong is intoSong while the file at path is being copied in.
func fileIntoSong(dir, path string, err error) error {
	var fe *FileError
	if errors.As(err, &fe) || !fserr.CannotWrite(err) {
		return err
	}
	what := "cannot import into the song " + dir
	if path != "" {
		what = fmt.Sprintf("cannot import %s into the song %s", path, dir)
	}
	d := fserr.Describe(err)
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("%s: the song folder may not be written to (%v)", what, d)
	}
	return fmt.Errorf("%s: %v", what, d)
}

// errCancelled: the import was cancelled (its context ended).
var errCancelled error = cancelled{}

type cancelled struct{}

func (cancelled) Error() string { return "import: cancelled" }
func (cancelled) Unwrap() error { return context.Canceled }

// Prepared is an import whose files are converted (each into an incoming
// file in the song's audio folder) but not in the song yet.
type Prepared struct {
	dir    string
	rate   int
	title  string
	timing *projects.Song // the tempo and time signature of a new song made from one MIDI file
	items  []item
	res    Result
}

// item is one new track and its take.
type item struct {
	in    *projects.Incoming
	track *projects.Track
	ext   string
}

// Prepare converts the files for an import into the song in dir (at its
// sample rate; a song that does not exist yet is made at opt.Rate when
// the import is applied). Nothing is in the song until Apply; Close gives
// the converted files up. The window prepares an import of the song it has
// open, applies it to its song and saves that; Import does all of it for a
// command.
func Prepare(ctx context.Context, dir string, files []string, opt Options) (_ *Prepared, err error) {
	if len(files) == 0 {
		return nil, errors.New("import: no files given")
	}
	p := &Prepared{dir: dir}
	// The song's timing, for the MIDI takes' files.
	timing := projects.New("", opt.Rate)
	exists := projects.Exists(dir)
	if exists {
		s, rec, err := projects.Load(dir)
		if err != nil {
			return nil, err
		}
		if rec != nil {
			return nil, fmt.Errorf("import: %s: %s; open the song once to confirm before importing", dir, rec)
		}
		p.rate = s.Rate
		timing.Tempo, timing.TimeSig = s.Tempo, s.TimeSig
	} else {
		p.title = opt.Title
		if p.title == "" {
			p.title = projects.PlainName(filepath.Base(filepath.Clean(dir)))
		}
		p.rate = opt.Rate
		if p.rate == 0 {
			p.rate = projects.DefaultRate
		}
		if !projects.ValidRate(p.rate) {
			return nil, fmt.Errorf("import: sample rate %d Hz is not supported (44100, 48000 or 96000)", p.rate)
		}
	}
	if err := projects.EnsureFolders(dir); err != nil {
		return nil, intoSong(dir, err)
	}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	timing.Rate = p.rate
	for i, path := range files {
		if ctx.Err() != nil {
			return nil, errCancelled
		}
		if opt.Progress != nil {
			opt.Progress(i, path)
		}
		if IsMIDIFile(path) {
			useTiming := !exists && len(files) == 1
			items, err := prepareMIDI(dir, timing, path, useTiming)
			p.items = append(p.items, items...)
			if err != nil {
				return nil, err
			}
			if useTiming {
				p.timing = timing
			}
			continue
		}
		it, resampled, fixed, err := prepareFile(ctx, dir, p.rate, path)
		if it.in != nil {
			p.items = append(p.items, it)
		}
		if err != nil {
			return nil, err
		}
		if resampled {
			p.res.Resampled = append(p.res.Resampled, path)
		}
		if fixed.NaN+fixed.Inf > 0 {
			fixed.Path = path
			p.res.Replaced = append(p.res.Replaced, fixed)
		}
	}
	return p, nil
}

// newSong is the song an import makes when dir holds none.
func (p *Prepared) newSong() *projects.Song {
	s := projects.New(p.title, p.rate)
	if p.timing != nil {
		s.Tempo, s.TimeSig = p.timing.Tempo, p.timing.TimeSig
	}
	return s
}

// Apply adds the prepared tracks to s, naming their takes; the caller
// holds the song's lock and saves s (if that fails: Unapply).
func (p *Prepared) Apply(s *projects.Song) error {
	if s.Rate != p.rate {
		return fmt.Errorf("import: the song %s is at %d Hz now, not %d Hz as when the import began (another program changed it); import again", p.dir, s.Rate, p.rate)
	}
	var tracks []*projects.Track
	for _, it := range p.items {
		take, err := it.in.Place(s, it.track.Name, it.ext)
		if err != nil {
			p.Unapply()
			return intoSong(p.dir, err)
		}
		it.track.Clips[0].Take = take
		it.track.Name = uniqueAmong(s, tracks, it.track.Name)
		tracks = append(tracks, it.track)
	}
	s.Tracks = append(s.Tracks, tracks...)
	p.res.Tracks, p.res.Takes = nil, nil
	for _, it := range p.items {
		p.res.Tracks = append(p.res.Tracks, it.track.Name)
		p.res.Takes = append(p.res.Takes, it.in.Take())
	}
	// The renames are durable before the song that names them is saved.
	return durable.SyncDir(filepath.Join(p.dir, projects.AudioDir))
}

// Unapply removes the takes Apply placed: the song that would have used
// them was not saved.
func (p *Prepared) Unapply() {
	for _, it := range p.items {
		if it.in.Take() != "" {
			it.in.Unplace()
		}
	}
	p.res.Tracks, p.res.Takes = nil, nil
}

// Result is what the import did, once applied.
func (p *Prepared) Result() *Result { return &p.res }

// Close gives the prepared files up: those not placed are removed.
func (p *Prepared) Close() {
	for _, it := range p.items {
		it.in.Close()
	}
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

// prepareFile converts one audio file into an incoming file at the song's
// rate; it returns its track (the clip's take is named by Apply) and how
// many non-finite samples were replaced. it.in is set as soon as a file
// was created in audio/ (the caller closes it).
func prepareFile(ctx context.Context, dir string, rate int, path string) (it item, resampled bool, fixed Replaced, err error) {
	fail := func(e error) (item, bool, Replaced, error) {
		return it, false, Replaced{}, &FileError{Path: path, Err: e}
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
	out := wav.Format{Rate: rate, Channels: f.Channels, Encoding: wav.Float32}
	resampled = f.Rate != rate
	if !resampled {
		switch f.Encoding {
		case wav.PCM16, wav.PCM24, wav.Float32:
			out.Encoding = f.Encoding
		case wav.PCM8:
			out.Encoding = wav.PCM16
		}
	}
	in, err := projects.NewIncoming(dir)
	if err != nil {
		return it, false, Replaced{}, fileIntoSong(dir, path, err)
	}
	it = item{in: in, ext: ".wav"}
	w, err := wav.NewWriter(in.File(), out, wav.WriterOptions{NoDither: true})
	if err != nil {
		return it, false, Replaced{}, fileIntoSong(dir, path, err)
	}
	fr := &finiteReader{r: r}
	frames, err := copyAudio(ctx, fr, w, f.Rate, rate, f.Channels)
	if err != nil {
		w.Close()
		if err == errCancelled {
			return it, false, Replaced{}, err
		}
		if fserr.CannotWrite(err) {
			return it, false, Replaced{}, fileIntoSong(dir, path, err)
		}
		return fail(err)
	}
	if err := w.Close(); err != nil {
		return it, false, Replaced{}, fileIntoSong(dir, path, err)
	}
	name := TrackName(path)
	it.track = projects.NewTrack(name, f.Channels)
	it.track.Clips = append(it.track.Clips, projects.Clip{Length: frames})
	return it, resampled, fr.fixed, nil
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
func copyAudio(ctx context.Context, r resample.Reader, w *wav.Writer, inRate, outRate, channels int) (int64, error) {
	var writeErr error
	err := resample.Copy(ctx, r, func(b [][]float32) error {
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
	case ctx.Err() != nil:
		return 0, errCancelled
	}
	var fe *wav.FormatError
	if errors.As(err, &fe) {
		return 0, errors.New(fe.Reason)
	}
	return 0, fserr.Describe(unwrapPath(err))
}
