// Package session runs songs on an audio device, for the window and the
// command line alike.
//
// Live is the device as a running program holds it: one stream, opened
// once, with the real-time engine and its butler, the MIDI keyboards, and
// reconnection when the device is lost and comes back. A song is attached
// to it (Attach) and gets a Session: every change to the song or to what
// is armed is handed to the engine while it plays (Update), without
// reopening anything; recording, punching in and out by arming and
// disarming while recording, and keeping what was just played (Keep)
// make takes, which come out of Finished and are put on their tracks by
// PlaceTakes, the same way for the window and the command line. Open is
// both in one call, for a command that plays or records one song.
//
// Before a take file is created, a journal (SONG_DIR/.recording.json)
// names it and where it belongs. If the program dies mid-take, Recover
// (called whenever a song is opened) repairs the take files from the
// journal and puts them back on their tracks, so a crash loses at most the
// last second. ForgetTakes takes takes out of the journal once the song
// that holds them is saved.
package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/audio/mix"
	"sangstudio/audio/source"
	"sangstudio/audio/waveform"
	"sangstudio/internal/words"
	"sangstudio/midi/input"
	"sangstudio/midi/synth"
	"sangstudio/projects"
)

// Arm binds a track to device inputs for recording. An armed MIDI track
// takes no inputs: it plays and records the MIDI keyboard.
type Arm struct {
	Track   int   // index into the song's tracks
	Inputs  []int // 0-based device input channels: one, or a stereo pair
	Monitor bool
	// At is Frames when the track was armed (0: not known). A track armed
	// while recording starts its take there, though the change reaches
	// the audio thread a few buffers later.
	At int64
}

// armKey is an Arm by the track's key, which outlives its index.
type armKey struct {
	key     string
	inputs  []int
	monitor bool
	at      int64
}

// Session is a song attached to the live audio.
type Session struct {
	live *Live
	dir  string

	upMu    sync.Mutex                    // serialises Update, Keep and Detach
	engine  atomic.Pointer[engine.Engine] // the engine the session's song was last given to
	content map[string]string
	insts   map[string]instrument
	sf      *synth.SoundFont
	sfName  string
	sfOK    bool
	latency atomic.Int64 // compensation override (-1: the device's)

	takeMu sync.Mutex // the song the butler makes takes for, and the takes being made
	song   *projects.Song
	arms   []armKey
	taking map[string]Take // by file: takes being recorded
	// compensation of each take in taking, by file, for LiveTakes (which
	// must not wait for takeMu: newTake holds it while it writes files).
	compensation sync.Map

	own    bool             // Close closes the live audio too (Open made it)
	opened *projects.Opened // the song held open by Open's caller, for Close
}

type instrument struct {
	sound synth.Sound
	inst  *synth.Instrument
}

// Attach makes s (stored in dir) the song the live audio plays, with the
// tracks in arms armed. A song at another sample rate than the device
// runs at reopens the device at the song's rate (nothing records while no
// song is attached); if the device cannot run at it, the song plays on
// the virtual device and Status.Fallback says why (with Fallback set),
// else it is an error. The session owns s from now on: pass a copy.
func (l *Live) Attach(dir string, s *projects.Song, arms []Arm) (*Session, error) {
	ss := &Session{live: l, dir: dir, content: map[string]string{}, insts: map[string]instrument{},
		taking: map[string]Take{}}
	ss.latency.Store(-1)
	l.mu.Lock()
	if l.song != nil {
		l.mu.Unlock()
		return nil, errors.New("session: another song is playing on the device")
	}
	if l.closed {
		l.mu.Unlock()
		return nil, errors.New("session: the audio device is closed")
	}
	if s.Rate != l.e.Rate() {
		l.closeStreamLocked()
		reconnects := l.status.Reconnects
		l.status = Status{Reconnects: reconnects}
		if err := l.openLocked(s.Rate); err != nil {
			l.mu.Unlock()
			return nil, err
		}
	}
	if s.Rate != l.e.Rate() {
		rate := l.e.Rate()
		l.mu.Unlock()
		return nil, fmt.Errorf("the song is at %d Hz but %s runs at %d Hz", s.Rate, deviceText(l.Status()), rate)
	}
	l.song = ss
	l.mu.Unlock()
	if err := ss.Update(s, arms); err != nil {
		l.mu.Lock()
		l.song = nil
		l.mu.Unlock()
		return nil, err
	}
	return ss, nil
}

// deviceText names the device for a message.
func deviceText(st Status) string {
	if st.Virtual {
		return "the virtual device"
	}
	return fmt.Sprintf("the audio device %q", st.Device)
}

// Live is the live audio the session is attached to.
func (ss *Session) Live() *Live { return ss.live }

// Engine gives the transport controls and meters.
func (ss *Session) Engine() *engine.Engine { return ss.live.Engine() }

// Stream is the open device stream (nil while the device is lost).
func (ss *Session) Stream() device.Stream { return ss.live.Stream() }

// MIDIErr says why MIDI input is not available, or nil.
func (ss *Session) MIDIErr() error { return ss.live.MIDIErr() }

// SetLatency sets the latency compensation (frames) for takes started from
// now on, instead of what the device reports plus its calibration.
func (ss *Session) SetLatency(frames int64) { ss.latency.Store(frames) }

// Latency is the compensation new takes get, in frames.
func (ss *Session) Latency() int64 {
	if lat := ss.latency.Load(); lat >= 0 {
		return lat
	}
	return ss.live.Status().Latency
}

// DeviceErr is non-nil while the device is lost (unplugged, JACK gone).
func (ss *Session) DeviceErr() error { return ss.live.lostErr() }

// lostErr is why the device is lost, or nil: from the status, or from the
// stream itself if its watcher has not taken note yet.
func (l *Live) lostErr() error {
	if err := l.Status().Lost; err != nil {
		return err
	}
	if st := l.Stream(); st != nil {
		select {
		case <-st.Done():
			return st.Err()
		default:
		}
	}
	return nil
}

// ButlerErr is the first error writing takes (a full disk) or reading the
// song's audio, or nil.
func (ss *Session) ButlerErr() error { return ss.live.butler().Err() }

// TakeErr returns the first error since the last call and forgets it.
func (ss *Session) TakeErr() error { return ss.live.butler().TakeErr() }

// SetMix gives the engine s's mix (gain, pan, mute, solo, master) at once.
// Cheap: call it while a fader is dragged.
func (ss *Session) SetMix(s *projects.Song) {
	keys := make([]string, len(s.Tracks))
	for i, t := range s.Tracks {
		keys[i] = t.ID
	}
	ss.live.Engine().SetMix(keys, mix.Strips(s), mix.BusesOf(s))
}

// Update makes the engine play s with the tracks in arms armed, from its
// next buffer and without stopping: tracks whose clips (or sound) changed
// are read anew from around the playhead and crossfaded in; the others
// play on. Arming a track while recording starts its take there (punch
// in); disarming, or deleting, a track that records ends its take there
// (punch out). The session owns s from now on: pass a copy. On an error
// (an input the device does not have, a take or SoundFont that cannot be
// read) nothing changes.
func (ss *Session) Update(s *projects.Song, arms []Arm) error {
	ss.upMu.Lock()
	defer ss.upMu.Unlock()
	keyed, err := ss.keyArms(s, arms)
	if err != nil {
		return err
	}
	for {
		b := ss.live.butler()
		if err := ss.publish(b, s, keyed, false); err != nil {
			return err
		}
		if ss.live.butler() == b {
			return nil
		}
		// The device was reopened at another rate meanwhile: the new
		// engine got the session's song (republish); give it this one.
	}
}

// keyArms checks arms against s and the device and keys them by track.
func (ss *Session) keyArms(s *projects.Song, arms []Arm) ([]armKey, error) {
	st := ss.live.Status()
	var out []armKey
	seen := map[int]bool{}
	for _, a := range arms {
		if a.Track < 0 || a.Track >= len(s.Tracks) || seen[a.Track] {
			return nil, fmt.Errorf("there is no track %d to arm", a.Track+1)
		}
		seen[a.Track] = true
		t := s.Tracks[a.Track]
		k := armKey{key: t.ID, inputs: append([]int(nil), a.Inputs...), monitor: a.Monitor, at: a.At}
		if t.IsMIDI() {
			if len(a.Inputs) > 0 {
				return nil, fmt.Errorf("track %q is a MIDI track: it records the MIDI keyboard, not audio inputs", t.Name)
			}
			k.monitor = true
		} else {
			if len(a.Inputs) != t.Channels {
				return nil, fmt.Errorf("track %q has %d channels but %d inputs were given", t.Name, t.Channels, len(a.Inputs))
			}
			for _, in := range a.Inputs {
				if in < 0 || (st.Device != "" && in >= st.Inputs) {
					return nil, fmt.Errorf("track %q records from input %d, but %s has %s", t.Name, in+1,
						deviceText(st), words.CountNo(st.Inputs, "input", "inputs"))
				}
			}
		}
		out = append(out, k)
	}
	return out, nil
}

// publish gives b the layout of s with arms. all: every track gets a new
// source (a new engine).
func (ss *Session) publish(b *engine.Butler, s *projects.Song, arms []armKey, all bool) error {
	e := ss.live.Engine()
	all = all || ss.engine.Load() != e // a new engine has no track yet
	rate := e.Rate()
	if s.Rate != rate {
		return fmt.Errorf("the song is at %d Hz but the device runs at %d Hz", s.Rate, rate)
	}
	if !ss.sfOK || ss.sfName != s.SoundFont {
		sf, err := source.SoundFont(s)
		if err != nil {
			return err
		}
		ss.sf, ss.sfName, ss.sfOK, all = sf, s.SoundFont, true, true
	}
	content, fresh, anyMIDI := ss.changed(s, all)
	if anyMIDI {
		if err := source.PrepareMIDI(ss.dir, s, ss.sf); err != nil {
			return err
		}
	}
	l := engine.Layout{Tempo: s.Tempo, BeatsPerBar: s.TimeSig.Beats, BeatUnit: s.TimeSig.Unit,
		Takes: ss.newTake, Keep: int64(ss.live.cfg.Keep.Seconds() * float64(rate)), Inputs: ss.live.Status().Inputs}
	tracks, insts, listen, err := ss.trackSpecs(s, arms, fresh, rate)
	if err != nil {
		return err
	}
	l.Tracks = tracks
	if err := ss.update(b, s, arms, l); err != nil {
		return err
	}
	ss.content, ss.insts = content, insts
	ss.engine.Store(e)
	if listen {
		ss.live.mu.Lock()
		ss.live.listenMIDILocked()
		ss.live.mu.Unlock()
	}
	return nil
}

// changed returns what each track of s holds (contentOf, by track ID),
// which tracks need a new source (fresh, by index: all of them if all,
// else those whose content changed) and whether any of those is a MIDI
// track.
func (ss *Session) changed(s *projects.Song, all bool) (content map[string]string, fresh map[int]bool, anyMIDI bool) {
	content = make(map[string]string, len(s.Tracks))
	fresh = map[int]bool{}
	for i, t := range s.Tracks {
		content[t.ID] = contentOf(t, s)
		if all || ss.content[t.ID] != content[t.ID] {
			fresh[i] = true
			anyMIDI = anyMIDI || t.IsMIDI()
		}
	}
	return content, fresh, anyMIDI
}

// trackSpecs returns the engine's tracks for s with arms, a new source
// for the fresh ones, and the instruments of armed MIDI tracks (listen:
// there is one, so the MIDI keyboard is listened to). On an error, the
// sources opened are closed again.
func (ss *Session) trackSpecs(s *projects.Song, arms []armKey, fresh map[int]bool, rate int) (tracks []engine.TrackSpec, insts map[string]instrument, listen bool, err error) {
	armed := map[string]armKey{}
	for _, a := range arms {
		armed[a.key] = a
	}
	fail := func(i int, t *projects.Track, err error) ([]engine.TrackSpec, map[string]instrument, bool, error) {
		for _, ts := range tracks {
			if ts.Source != nil {
				ts.Source.Close()
			}
		}
		return nil, nil, false, fmt.Errorf("track %d (%q): %w", i+1, t.Name, err)
	}
	insts = map[string]instrument{}
	for i, t := range s.Tracks {
		ts := engine.TrackSpec{Key: t.ID, Channels: t.Channels, MIDI: t.IsMIDI()}
		if a, ok := armed[t.ID]; ok {
			ts.Armed, ts.Inputs, ts.Monitor, ts.ArmedAt = true, a.inputs, a.monitor, a.at
			if t.IsMIDI() {
				in, err := ss.instrument(t, rate)
				if err != nil {
					return fail(i, t, err)
				}
				insts[t.ID], ts.Inputs, ts.Instrument, listen = in, nil, in.inst, true
			}
		}
		if fresh[i] {
			src, err := source.OpenSong(ss.dir, s, i, ss.sf)
			if err != nil {
				return fail(i, t, err)
			}
			ts.Source = src
		}
		tracks = append(tracks, ts)
	}
	return tracks, insts, listen, nil
}

// update gives b layout l, for song s with arms; if b refuses it, the
// session's song and arms stay as they were.
func (ss *Session) update(b *engine.Butler, s *projects.Song, arms []armKey, l engine.Layout) error {
	ss.takeMu.Lock()
	oldSong, oldArms := ss.song, ss.arms
	ss.song, ss.arms = s, arms
	ss.takeMu.Unlock()
	ss.SetMix(s)
	if err := b.Update(l); err != nil {
		ss.takeMu.Lock()
		ss.song, ss.arms = oldSong, oldArms
		ss.takeMu.Unlock()
		if oldSong != nil {
			ss.SetMix(oldSong)
		}
		return err
	}
	return nil
}

// republish gives a new engine the session's song (the device was reopened
// at another rate), every track read anew.
func (ss *Session) republish() {
	ss.upMu.Lock()
	defer ss.upMu.Unlock()
	ss.takeMu.Lock()
	s, arms := ss.song, ss.arms
	ss.takeMu.Unlock()
	b := ss.live.butler()
	if s == nil || ss.engine.Load() == ss.live.Engine() {
		return // detached, or an Update got there first
	}
	ss.publish(b, s, arms, true)
}

// instrument is the live instrument of an armed MIDI track: the same one
// while its sound stays (notes held go on sounding across changes).
func (ss *Session) instrument(t *projects.Track, rate int) (instrument, error) {
	snd := source.SoundOf(t)
	if in, ok := ss.insts[t.ID]; ok && in.sound == snd {
		return in, nil
	}
	inst, err := synth.New(ss.sf, snd, rate, engine.DefaultMaxBlock)
	if err != nil {
		return instrument{}, err
	}
	return instrument{sound: snd, inst: inst}, nil
}

// contentOf is what a track's source plays: when it changes, the track is
// read anew.
func contentOf(t *projects.Track, s *projects.Song) string {
	v := struct {
		Kind     string
		Channels int
		Clips    []projects.Clip
		Program  int
		Drums    bool
		Font     string
	}{t.Kind, t.Channels, t.Clips, t.Program, t.Drums, ""}
	if t.IsMIDI() {
		v.Font = s.SoundFont
	}
	data, _ := json.Marshal(v)
	return string(data)
}

// Take is a finished take: where it goes, and what to know about it.
type Take struct {
	File     string
	TrackKey string // the track it was recorded on (projects.Track.ID)
	Track    string // that track's name when it started (for a new track if it is gone)
	Channels int
	MIDI     bool
	Program  int
	Drums    bool
	Start    int64           // timeline frame of its first frame, before latency compensation
	Frames   int64           // frames in the file (MIDI: recorded)
	Clips    []projects.Clip // where it goes (latency-compensated); none if nothing is left to place
	Info     projects.TakeInfo
	Kept     bool // made by Keep, not recorded

	latency int64 // its compensation, until it is placed
}

// newTake creates a take file and notes it in the journal before any audio
// is written. It runs on the butler's goroutine.
func (ss *Session) newTake(key string, start int64) (*os.File, string, error) {
	ss.takeMu.Lock()
	defer ss.takeMu.Unlock()
	i := ss.song.TrackByID(key)
	if i < 0 {
		return nil, "", fmt.Errorf("the track being recorded is gone")
	}
	t := ss.song.Tracks[i]
	ext, latency, dev := ".wav", ss.Latency(), ss.live.Status().Device
	if t.IsMIDI() {
		// A MIDI event is recorded at the frame where its sound entered the
		// output, in step with the song the performer heard: no latency
		// compensation.
		ext, latency, dev = ".mid", 0, "MIDI keyboard"
	}
	f, name, err := projects.NewTakeFile(ss.dir, ss.song, t.Name, ext)
	if err != nil {
		return nil, "", err
	}
	tk := Take{File: name, TrackKey: key, Track: t.Name, Channels: t.Channels, MIDI: t.IsMIDI(),
		Program: t.Program, Drums: t.Drums, Start: start,
		Info: projects.TakeInfo{File: name, Recorded: time.Now().Format(time.RFC3339), Device: dev}}
	if err := noteInJournal(ss.dir, tk, latency); err != nil {
		f.Close()
		os.Remove(projects.AudioPath(ss.dir, name))
		return nil, "", err
	}
	tk.latency = latency
	ss.taking[name] = tk
	ss.compensation.Store(name, latency)
	return f, name, nil
}

// noteInJournal adds a take to the song's recording journal.
func noteInJournal(dir string, tk Take, latency int64) error {
	j, _ := readJournal(dir)
	j.Takes = append(j.Takes, journalTake{File: tk.File, Track: tk.Track, TrackID: tk.TrackKey, Channels: tk.Channels,
		MIDI: tk.MIDI, Program: tk.Program, Drums: tk.Drums, Start: tk.Start, Latency: latency,
		Started: tk.Info.Recorded, Device: tk.Info.Device})
	if err := writeJournal(dir, j); err != nil {
		return fmt.Errorf("cannot note the take in %s: %w", journalName, err)
	}
	return nil
}

// Finished returns (and forgets) the takes finished since the last call,
// each with the clip that puts it in place (latency-compensated): what a
// recording made, up to its stop, or up to where a track was disarmed or
// the device was lost. Put them on their tracks with PlaceTakes.
func (ss *Session) Finished() []Take {
	l := ss.live
	l.mu.Lock()
	done := append(l.earlier, l.b.TakeRecorded()...)
	l.earlier = nil
	l.mu.Unlock()
	ss.takeMu.Lock()
	defer ss.takeMu.Unlock()
	var out []Take
	for _, r := range done {
		tk, ok := ss.taking[r.File]
		if !ok {
			continue // another song's (it finished after that song left)
		}
		delete(ss.taking, r.File)
		ss.compensation.Delete(r.File)
		latency := tk.latency
		tk.Start, tk.Frames = r.Start, r.Frames
		tk.Info.Frames, tk.Info.Dropouts = r.Frames, r.Dropouts
		if c, ok := Place(r.File, r.Start, latency, r.Frames); ok {
			tk.Clips = []projects.Clip{c}
		}
		out = append(out, tk)
	}
	return out
}

// Recording reports whether takes are being written.
func (ss *Session) Recording() bool { return ss.live.butler().Recording() }

// StopAndWait stops the transport and waits (at most five seconds, or
// until the device is lost) until every take is written.
func (ss *Session) StopAndWait() {
	l := ss.live
	l.mu.Lock()
	defer l.mu.Unlock()
	l.finishRecordingLocked()
}

// Detach stops the transport, finishes any recording and takes the song
// off the device, which plays silence until the next song is attached. It
// returns the takes finished since the last Finished.
func (ss *Session) Detach() []Take {
	ss.upMu.Lock()
	defer ss.upMu.Unlock()
	l := ss.live
	l.mu.Lock()
	if l.song != ss {
		l.mu.Unlock()
		return nil
	}
	l.finishRecordingLocked()
	l.e.Locate(0)
	l.b.Update(engine.Layout{Tempo: projects.DefaultTempo, BeatsPerBar: 4})
	l.song = nil
	l.mu.Unlock()
	return ss.Finished()
}

// Place returns the clip for a take captured from timeline frame start:
// moved earlier by the latency so that it lines up with what the performer
// heard. Frames that would fall before the song's start are skipped with
// the clip's offset. ok is false if nothing of the take is left to place.
func Place(file string, start, latency, frames int64) (c projects.Clip, ok bool) {
	pos := start - latency
	c = projects.Clip{Take: file, Position: pos, Length: frames}
	if pos < 0 {
		c.Position, c.Offset, c.Length = 0, -pos, frames+pos
	}
	return c, c.Length > 0
}

// PlaceTakes puts takes on their tracks of s as new passes ("Take 3", or
// "Kept take 2" for what Keep made), the earlier clips kept as lanes, and
// notes them in the song's take list. A take whose track is gone (deleted
// while it recorded) goes on a new track with the old track's name. It
// returns a *MovedTake for each such take, for the user.
func PlaceTakes(s *projects.Song, takes []Take) []*MovedTake {
	var notes []*MovedTake
	for _, tk := range takes {
		i := s.TrackByID(tk.TrackKey)
		if i < 0 || s.Tracks[i].Channels != tk.Channels || s.Tracks[i].IsMIDI() != tk.MIDI {
			deleted := i < 0
			t := projects.NewTrack(s.UniqueTrackName(tk.Track), tk.Channels)
			if tk.MIDI {
				t = projects.NewMIDITrack(t.Name, tk.Program, tk.Drums)
			}
			s.Tracks = append(s.Tracks, t)
			i = len(s.Tracks) - 1
			notes = append(notes, &MovedTake{File: tk.File, Track: tk.Track, NewTrack: t.Name, Deleted: deleted})
		}
		if len(tk.Clips) > 0 {
			t := s.Tracks[i]
			n := len(t.Lanes) + btoi(len(t.Clips) > 0) + 1
			pass := fmt.Sprintf("Take %d", n)
			if tk.Kept {
				pass = fmt.Sprintf("Kept take %d", n)
			}
			t.NewPass(pass, append([]projects.Clip(nil), tk.Clips...))
		}
		if s.Take(tk.File) == nil {
			s.Takes = append(s.Takes, tk.Info)
		}
	}
	return notes
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ForgetTakes takes the files out of the song's recording journal (they
// are in song.json now), and removes the journal when it is empty.
func ForgetTakes(dir string, files []string) error {
	j, err := readJournal(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	gone := map[string]bool{}
	for _, f := range files {
		gone[f] = true
	}
	var keep []journalTake
	for _, jt := range j.Takes {
		if !gone[jt.File] {
			keep = append(keep, jt)
		}
	}
	if len(keep) == len(j.Takes) {
		return nil
	}
	if len(keep) == 0 {
		if err := os.Remove(filepath.Join(dir, journalName)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	j.Takes = keep
	return writeJournal(dir, j)
}

// Files lists the takes' files.
func Files(takes []Take) []string {
	out := make([]string, len(takes))
	for i, tk := range takes {
		out[i] = tk.File
	}
	return out
}

// MIDIPorts lists the MIDI keyboards being listened to now.
func (ss *Session) MIDIPorts() []input.Port { return ss.live.MIDIPorts() }

// Targets says where a recording from the command line goes.
type Targets struct {
	Track  string // an existing track (a number from 1, or a name); "" for new tracks
	Inputs []int  // 0-based device inputs: one new track each, or the existing track's channels
	MIDI   bool   // record the MIDI keyboard (onto Track, or a new MIDI track)
	Sound  synth.Sound
}

// PrepareRecording arms the tracks a recording goes to, adding new tracks
// to s where asked: one mono track per input ("Input 3"), or a MIDI track
// ("Keys", "Drums") for the keyboard.
func PrepareRecording(s *projects.Song, t Targets) ([]Arm, error) {
	if t.MIDI {
		i := -1
		if t.Track != "" {
			var err error
			if i, err = s.FindTrack(t.Track); err != nil {
				return nil, err
			}
			if !s.Tracks[i].IsMIDI() {
				return nil, fmt.Errorf("track %q is an audio track; the MIDI keyboard records onto a MIDI track", s.Tracks[i].Name)
			}
		} else {
			name := "Keys"
			if t.Sound.Drums {
				name = "Drums"
			}
			s.Tracks = append(s.Tracks, projects.NewMIDITrack(s.UniqueTrackName(name), t.Sound.Program, t.Sound.Drums))
			i = len(s.Tracks) - 1
		}
		return []Arm{{Track: i}}, nil
	}
	if t.Track != "" {
		i, err := s.FindTrack(t.Track)
		if err != nil {
			return nil, err
		}
		tr := s.Tracks[i]
		if tr.IsMIDI() {
			return nil, fmt.Errorf("track %q is a MIDI track: it records the MIDI keyboard", tr.Name)
		}
		if len(t.Inputs) != tr.Channels {
			return nil, fmt.Errorf("track %q is %s: give %d input(s)", tr.Name, map[int]string{1: "mono", 2: "stereo"}[tr.Channels], tr.Channels)
		}
		return []Arm{{Track: i, Inputs: t.Inputs}}, nil
	}
	var arms []Arm
	for _, in := range t.Inputs {
		tr := projects.NewTrack(s.UniqueTrackName(fmt.Sprintf("Input %d", in+1)), 1)
		tr.Input = []int{in + 1}
		s.Tracks = append(s.Tracks, tr)
		arms = append(arms, Arm{Track: len(s.Tracks) - 1, Inputs: []int{in}})
	}
	return arms, nil
}

// LiveTake is a take being recorded, where it is drawn while it grows.
type LiveTake struct {
	TrackKey string // the track it is recorded on (projects.Track.ID)
	File     string
	MIDI     bool
	// Clip is where it goes so far, latency-compensated like the clip
	// Finished gives it (Position, Offset, Length: the frames written so
	// far, which lag the playhead by a few buffers).
	Clip projects.Clip
	// Peaks is the waveform of the take's frames written so far (nil for
	// MIDI), from take frame 0: Clip.Offset frames of it are before the
	// clip. It is never modified.
	Peaks *waveform.Peaks
}

// LiveTakes returns this song's takes being recorded, as far as they are
// written (none while not recording). It never waits on the audio: the
// window calls it on its UI thread to draw the takes growing.
func (ss *Session) LiveTakes() []LiveTake {
	b := ss.live.butler()
	if b == nil {
		return nil
	}
	live := b.LiveTakes()
	if len(live) == 0 {
		return nil
	}
	out := make([]LiveTake, 0, len(live))
	for _, lt := range live {
		latency, ok := ss.compensation.Load(lt.File)
		if !ok {
			continue // another song's
		}
		c, _ := Place(lt.File, lt.Start, latency.(int64), lt.Frames)
		out = append(out, LiveTake{TrackKey: lt.Key, File: lt.File, MIDI: lt.MIDI, Clip: c, Peaks: lt.Peaks})
	}
	return out
}
