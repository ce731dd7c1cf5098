// Package source turns a track's clips into audio: it reads the take files
// a track's clips point at and produces the track's pre-fader signal for
// any range of the timeline, with clip gain and fades applied.
//
// The offline render calls it directly; the real-time engine calls it from
// its disk goroutine to fill the playback rings. It touches files, so it
// never runs on the audio thread.
package source

import (
	"errors"
	"fmt"
	"io"

	"sangstudio/audio/mix"
	"sangstudio/audio/wav"
	"sangstudio/projects"
)

// maxOpen is how many take files one track keeps open at once.
const maxOpen = 4

// Track reads the audio of one track.
type Track struct {
	dir      string
	openWav  func(path string) (*wav.Reader, error)
	channels int
	clips    []clip
	open     []*openTake // small LRU of open take files, most recent first
	scratch  [][]float32 // file-channel scratch for channel conversion
	views    [3][2][]float32
}

type clip struct {
	projects.Clip
	gain     float32
	path     string
	channels int // of the take file
}

type openTake struct {
	path string
	r    *wav.Reader
}

// TakeError names a take file and what is wrong with it.
type TakeError struct {
	Path string
	Err  error
}

func (e *TakeError) Error() string { return fmt.Sprintf("take %s: %v", e.Path, e.Err) }
func (e *TakeError) Unwrap() error { return e.Err }

// Open prepares track t of the song in dir at sample rate rate. It checks
// every take file the track's clips use: it must be an ordinary file of
// the song (not a link: a *projects.SongFileError), a WAV file at the
// song's rate, mono or stereo, long enough for the clip.
func Open(dir string, t *projects.Track, rate int) (*Track, error) {
	if err := checkTakes(dir, t); err != nil {
		return nil, err
	}
	return open(dir, t, rate, func(take string) string { return projects.AudioPath(dir, take) }, wav.Open)
}

// open is Open with the file each take's audio is read from, and the way
// it is opened.
func open(dir string, t *projects.Track, rate int, pathOf func(take string) string, openWav func(string) (*wav.Reader, error)) (*Track, error) {
	tr := &Track{dir: dir, channels: t.Channels, openWav: openWav}
	checked := map[string]*wav.Reader{}
	defer func() {
		for _, r := range checked {
			r.Close()
		}
	}()
	for _, c := range t.Clips {
		path := pathOf(c.Take)
		r, ok := checked[path]
		if !ok {
			var err error
			r, err = openWav(path)
			if err != nil {
				return nil, &TakeError{Path: path, Err: unwrapWav(err)}
			}
			checked[path] = r
		}
		f := r.Format()
		switch {
		case f.Rate != rate:
			return nil, &TakeError{Path: path, Err: fmt.Errorf("recorded at %d Hz but the song is at %d Hz", f.Rate, rate)}
		case f.Channels != 1 && f.Channels != 2:
			return nil, &TakeError{Path: path, Err: fmt.Errorf("has %d channels (1 or 2 expected)", f.Channels)}
		case c.Offset+c.Length > r.Frames():
			return nil, &TakeError{Path: path, Err: fmt.Errorf("has %d frames but a clip on track %q uses frames %d to %d", r.Frames(), t.Name, c.Offset, c.Offset+c.Length)}
		}
		tr.clips = append(tr.clips, clip{Clip: c, gain: float32(projects.DBToGain(c.GainDB)), path: path, channels: f.Channels})
	}
	return tr, nil
}

// unwrapWav drops the path a wav error already carries, since TakeError adds it.
func unwrapWav(err error) error {
	var fe *wav.FormatError
	if errors.As(err, &fe) {
		return errors.New(fe.Reason)
	}
	return err
}

// Channels is the track's channel count (the length ReadAt expects of dst).
func (t *Track) Channels() int { return t.channels }

// ReadAt fills dst (len(dst) == Channels(), all the same length n) with the
// track's audio at timeline frames [pos, pos+n): silence where no clip
// plays; where clips overlap, the later clip in the track covers the
// earlier. A mono take on a stereo track feeds both channels; a stereo take
// on a mono track is averaged. Non-finite samples in a take are replaced
// as mix.Finite does (NaN by 0, ±Inf by ±1) before the clip's gain and
// fades, so the samples ReadAt gives are always finite.
func (t *Track) ReadAt(pos int64, dst [][]float32) error {
	n := int64(len(dst[0]))
	end := pos + n
	if !t.covered(pos, end) {
		for _, ch := range dst {
			clear(ch)
		}
	}
	for i := range t.clips {
		c := &t.clips[i]
		if c.Position >= end || c.End() <= pos {
			continue
		}
		from := max(pos, c.Position) // timeline range of the overlap
		to := min(end, c.End())
		if err := t.readClip(c, from, dst, int(from-pos), int(to-from)); err != nil {
			return err
		}
	}
	return nil
}

// covered reports whether one clip alone covers [pos, end), so that no
// silence needs to be written (the common case, worth skipping the clear).
func (t *Track) covered(pos, end int64) bool {
	for i := range t.clips {
		if c := &t.clips[i]; c.Position <= pos && c.End() >= end {
			return true
		}
	}
	return false
}

// readClip writes clip frames for timeline [from, from+n) into dst at index at.
func (t *Track) readClip(c *clip, from int64, dst [][]float32, at, n int) error {
	r, err := t.reader(c.path)
	if err != nil {
		return err
	}
	inClip := from - c.Position // frame index within the clip
	if err := r.Seek(c.Offset + inClip); err != nil {
		return &TakeError{Path: c.path, Err: err}
	}
	// Read straight into dst when the channel counts match; else via scratch.
	out := view(&t.views[0], dst, at, at+n)
	var into [][]float32
	if c.channels == t.channels {
		into = out
	} else {
		into = t.scratchFor(c.channels, n)
	}
	for got := 0; got < n; {
		part := view(&t.views[2], into, got, n)
		k, err := r.Read(part)
		got += k
		if err == io.EOF || (err == nil && k == 0) {
			if got < n {
				return &TakeError{Path: c.path, Err: fmt.Errorf("ended early: the file was shortened after the song was opened")}
			}
			break
		}
		if err != nil {
			return &TakeError{Path: c.path, Err: err}
		}
	}
	// A float take may hold NaN or infinite samples (an old song's, or a
	// file put there by hand): they are replaced here, before anything is
	// computed from them, as mix.Finite does everywhere, so that they never
	// reach a bus, in playback or in a render.
	for _, ch := range into {
		mix.Finite(ch)
	}
	if c.channels != t.channels {
		convertChannels(into, out, n)
	}
	t.envelope(c, inClip, out)
	return nil
}

// view returns the sub-slices [from:to] of each channel (1 or 2), built in
// the caller's array v so that no allocation happens per read.
func view(v *[2][]float32, bufs [][]float32, from, to int) [][]float32 {
	for i := range bufs {
		v[i] = bufs[i][from:to]
	}
	return v[:len(bufs)]
}

func (t *Track) scratchFor(channels, n int) [][]float32 {
	if len(t.scratch) != channels || cap(t.scratch[0]) < n {
		t.scratch = make([][]float32, channels)
		for i := range t.scratch {
			t.scratch[i] = make([]float32, n)
		}
	}
	return view(&t.views[1], t.scratch, 0, n)
}

func convertChannels(from, to [][]float32, n int) {
	switch {
	case len(from) == 1 && len(to) == 2:
		copy(to[0][:n], from[0][:n])
		copy(to[1][:n], from[0][:n])
	case len(from) == 2 && len(to) == 1:
		a, b, o := from[0][:n], from[1][:n], to[0][:n]
		for i := range o {
			o[i] = float32(float32(a[i]+b[i]) * 0.5)
		}
	}
}

// envelope applies clip gain and linear fades to buf, whose first frame is
// frame k0 of the clip.
func (t *Track) envelope(c *clip, k0 int64, buf [][]float32) {
	n := int64(len(buf[0]))
	fadeOutStart := c.Length - c.FadeOut
	if c.gain == 1 && (c.FadeIn == 0 || k0 >= c.FadeIn) && (c.FadeOut == 0 || k0+n <= fadeOutStart) {
		return // the common case: nothing to do
	}
	for _, ch := range buf {
		for i := range ch {
			k := k0 + int64(i)
			g := c.gain
			if k < c.FadeIn {
				g = float32(g * float32(float64(k)/float64(c.FadeIn)))
			}
			if k >= fadeOutStart && c.FadeOut > 0 {
				g = float32(g * float32(float64(c.Length-k)/float64(c.FadeOut)))
			}
			ch[i] = float32(ch[i] * g)
		}
		if c.gain > 1 {
			mix.Finite(ch) // a finite sample near the float limit, raised past it
		}
	}
}

func (t *Track) reader(path string) (*wav.Reader, error) {
	for i, o := range t.open {
		if o.path == path {
			if i > 0 { // move to front
				copy(t.open[1:i+1], t.open[:i])
				t.open[0] = o
			}
			return o.r, nil
		}
	}
	r, err := t.openWav(path)
	if err != nil {
		return nil, &TakeError{Path: path, Err: unwrapWav(err)}
	}
	if len(t.open) == maxOpen {
		t.open[maxOpen-1].r.Close()
		t.open = t.open[:maxOpen-1]
	}
	t.open = append([]*openTake{{path: path, r: r}}, t.open...)
	return r, nil
}

// Close closes the take files.
func (t *Track) Close() error {
	var first error
	for _, o := range t.open {
		if err := o.r.Close(); err != nil && first == nil {
			first = err
		}
	}
	t.open = nil
	return first
}
