package source

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"sangstudio/audio/wav"
	"sangstudio/internal/durable"
	"sangstudio/internal/openfile"
	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// MIDI tracks: their takes are Standard MIDI Files. Before a MIDI track
// plays or renders, every take its clips use is rendered once through the
// track's instrument into a WAV file in SONG_DIR/.cache/midi/, whose name
// carries a hash of everything that shapes the sound (the take's bytes, the
// sound, the SoundFont, the rate, the length). The clips then read that
// file like an audio take, so playback and the offline render hear the
// same samples, a song renders to the same bytes every time, and changing
// a track's sound simply makes a new file.

// CacheDir is where rendered MIDI takes are kept inside the song folder.
// When that cannot be written (a song folder that is read-only, or on a
// full disk), they are kept in the song's folder in the user's cache
// instead (see projects.CacheDir, the one rule for a song's caches): a song
// can always be played, rendered and measured without writing into it.
// The names carry the hash of what they are made from, so a render found
// in either place is the right one.
const CacheDir = projects.CacheFolder + "/" + cacheSub

// cacheSub is the MIDI renders' folder in a song's cache folder.
const cacheSub = "midi"

// renderVersion changes whenever the way takes are rendered changes, so
// that old cache files are not used.
const renderVersion = "1"

// SoundFontError names the SoundFont a song asks for and what is wrong.
type SoundFontError struct {
	Path string
	Err  error
}

func (e *SoundFontError) Error() string { return fmt.Sprintf("SoundFont %s: %v", e.Path, e.Err) }
func (e *SoundFontError) Unwrap() error { return e.Err }

// SoundFont returns the SoundFont the song's MIDI tracks play through, or
// nil for the built-in instrument (the song asks for it, or it asks for the
// system's SoundFont and none is installed). A SoundFont the song names
// that cannot be loaded is an error naming it.
func SoundFont(s *projects.Song) (*synth.SoundFont, error) {
	path := s.SoundFont
	switch path {
	case projects.BuiltinSound:
		return nil, nil
	case "":
		path = synth.FindSoundFont()
		if path == "" {
			return nil, nil
		}
	}
	sf, err := synth.LoadCached(path)
	if errors.Is(err, openfile.ErrNotRegular) { // a FIFO, a device: the message names it
		return nil, err
	}
	if err != nil {
		return nil, &SoundFontError{Path: path, Err: err}
	}
	return sf, nil
}

// SoundOf is a MIDI track's sound.
func SoundOf(t *projects.Track) synth.Sound { return synth.Sound{Program: t.Program, Drums: t.Drums} }

// OpenSong prepares track i of song s (stored in dir) like Open, for audio
// and MIDI tracks alike: a MIDI track's takes are first rendered to the
// cache (see CacheDir) with the SoundFont sf (nil: the built-in
// instrument; pass what SoundFont(s) returned).
//
// Takes the song notes as recovered (left unfinished by a crash or a full
// disk, perhaps not repaired in place: see audio/session's Recover) are
// read as wav.Repair would make them, to the last frame on disk.
func OpenSong(dir string, s *projects.Song, i int, sf *synth.SoundFont) (*Track, error) {
	t := s.Tracks[i]
	if !t.IsMIDI() {
		if err := checkTakes(dir, t); err != nil {
			return nil, err
		}
		recovered := map[string]bool{}
		for _, ti := range s.Takes {
			if ti.Recovered {
				recovered[projects.AudioPath(dir, ti.File)] = true
			}
		}
		openWav := func(path string) (*wav.Reader, error) {
			if recovered[path] {
				return wav.OpenUnfinished(path)
			}
			return wav.Open(path)
		}
		return open(dir, t, s.Rate, func(take string) string { return projects.AudioPath(dir, take) }, openWav)
	}
	need := map[string]int64{} // take → frames its clips need
	for _, c := range t.Clips {
		need[c.Take] = max(need[c.Take], c.Offset+c.Length)
	}
	rendered := map[string]string{}
	for take, frames := range need {
		p, err := RenderTake(dir, take, SoundOf(t), sf, s.Rate, frames)
		if err != nil {
			return nil, err
		}
		rendered[take] = p
	}
	return open(dir, t, s.Rate, func(take string) string { return rendered[take] }, wav.Open)
}

// PrepareMIDI renders every MIDI take the song's tracks play (their active
// clips) that is not in the cache yet, several at once (one per core), so
// that opening the tracks afterwards finds them ready; then it removes
// cached renders the song no longer uses (other sounds, inactive lanes,
// deleted takes). It returns the errors met.
func PrepareMIDI(dir string, s *projects.Song, sf *synth.SoundFont) error {
	type job struct {
		take   string
		sound  synth.Sound
		frames int64
	}
	var jobs []job
	index := map[job]int{}
	for _, t := range s.Tracks {
		if !t.IsMIDI() {
			continue
		}
		for _, c := range t.Clips {
			j := job{take: c.Take, sound: SoundOf(t)}
			if i, ok := index[j]; ok {
				jobs[i].frames = max(jobs[i].frames, c.Offset+c.Length)
				continue
			}
			j.frames = c.Offset + c.Length
			index[j] = len(jobs)
			jobs = append(jobs, j)
		}
	}
	errs := make([]error, len(jobs))
	paths := make([]string, len(jobs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			paths[i], errs[i] = RenderTake(dir, j.take, j.sound, sf, s.Rate, j.frames)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	keep := map[string]bool{}
	folders := map[string]bool{filepath.Join(dir, CacheDir): true}
	for _, p := range paths {
		keep[filepath.Base(p)] = true
		folders[filepath.Dir(p)] = true
	}
	for cache := range folders {
		ents, err := os.ReadDir(cache)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if n := e.Name(); !keep[n] && strings.HasSuffix(n, ".wav") && !strings.HasPrefix(n, ".") {
				os.Remove(filepath.Join(cache, n))
			}
		}
	}
	return nil
}

// RenderTake renders MIDI take file take (in SONG_DIR/audio) through a
// fresh instrument playing sound, into a stereo float WAV in the cache,
// unless that file exists already; it returns the file's path. The file
// holds at least minFrames frames and lasts until the instrument's release
// tail after the take's last event has rung out.
func RenderTake(dir, take string, sound synth.Sound, sf *synth.SoundFont, rate int, minFrames int64) (string, error) {
	src := projects.AudioPath(dir, take)
	data, err := readTake(dir, take)
	if err != nil {
		return "", err
	}
	events, err := smf.ReadEvents(src, rate)
	if err != nil {
		return "", &TakeError{Path: src, Err: errors.New(strings.TrimPrefix(err.Error(), src+": "))}
	}
	frames := minFrames
	if len(events) > 0 {
		frames = max(frames, events[len(events)-1].Frame+synth.Tail(rate))
	}
	frames = max(frames, 1)
	sfID := "builtin"
	if sf != nil {
		sfID = sf.ID()
	}
	h := sha256.New()
	fmt.Fprintf(h, "sangstudio midi render %s\x00%d\x00%t\x00%s\x00%d\x00%d\x00", renderVersion, sound.Program, sound.Drums, sfID, rate, frames)
	h.Write(data)
	base := strings.TrimSuffix(take, filepath.Ext(take))
	name := fmt.Sprintf("%s-%s.wav", base, hex.EncodeToString(h.Sum(nil))[:16])
	// A render the song keeps with it is used even when the song cannot be
	// written (a song on a write-protected stick, with its cache).
	own := filepath.Join(dir, CacheDir, name)
	if hasFrames(own, frames) {
		return own, nil
	}
	cache, err := projects.CacheDir(dir, cacheSub, frames*8+4096) // stereo float32 and a header
	if err != nil {
		return "", fmt.Errorf("cannot keep rendered MIDI: %w", err)
	}
	out := filepath.Join(cache, name)
	if out != own && hasFrames(out, frames) {
		return out, nil
	}
	if err := renderEvents(out, events, sound, sf, rate, frames); err != nil {
		return "", err
	}
	return out, nil
}

// hasFrames reports whether path is a WAV file of frames frames.
func hasFrames(path string, frames int64) bool {
	r, err := wav.Open(path)
	if err != nil {
		return false
	}
	defer r.Close()
	return r.Frames() == frames
}

// renderEvents writes the rendered events to path, atomically.
func renderEvents(path string, events []midi.Event, sound synth.Sound, sf *synth.SoundFont, rate int, frames int64) (err error) {
	const chunk = 8192
	in, err := synth.New(sf, sound, rate, chunk)
	if err != nil {
		return fmt.Errorf("cannot make the instrument for %s: %w", filepath.Base(path), err)
	}
	f, err := durable.Create(path, projects.FilePerm)
	if err != nil {
		return fmt.Errorf("cannot write in %s: %w", filepath.Dir(path), err)
	}
	defer f.Abort() // after Commit: nothing
	w, err := wav.NewWriter(f.File, wav.Format{Rate: rate, Channels: 2, Encoding: wav.Float32}, wav.WriterOptions{})
	if err != nil {
		return err
	}
	err = synth.RenderEvents(in, events, frames, chunk, func(l, r []float32) error {
		return w.Write([][]float32{l, r})
	})
	if err == nil {
		err = w.Close() // fsyncs
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Commit()
}

func plainFSError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("the file is missing")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission denied")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the file is cut short")
	}
	return err
}
