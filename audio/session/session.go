// Package session runs a song on an audio device: it builds the engine and
// its butler from the song, opens the device, and when recording ends puts
// the new takes on their tracks (lined up by latency compensation, earlier
// passes kept as take lanes) and saves the song.
//
// Before the first take file is created, a journal (SONG_DIR/.recording.json)
// names every take being recorded and where it belongs. If the program dies
// mid-take, Recover (called whenever a song is opened) repairs the take
// files from the journal and puts them back on their tracks, so a crash
// loses at most the last second.
package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/audio/mix"
	"sangstudio/audio/source"
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
}

// Options for Open.
type Options struct {
	Device device.Config
	Arm    []Arm
	// Latency is the compensation in frames: how much earlier than the
	// capture position a take is placed (input + output latency of the
	// device plus the calibration offset).
	Latency int64
	Click   bool
	// MIDIPorts chooses the MIDI keyboards armed MIDI tracks listen to, as
	// input.Find takes it: "" or "all" for every port (keyboards plugged
	// in later included).
	MIDIPorts string
	// NoMIDIInput leaves MIDI input closed (the caller feeds the engine's
	// MIDIIn itself).
	NoMIDIInput bool
}

// Session is a song running on a device.
type Session struct {
	dir     string
	song    *projects.Song
	opt     Options
	e       *engine.Engine
	b       *engine.Butler
	srcs    []*source.Track
	stream  device.Stream
	cancel  context.CancelFunc
	done    chan error
	mu      sync.Mutex // guards the song while takes are being created
	device  string
	midi    *input.Listener
	midiErr error
}

// Open builds the engine for song s (stored in dir), opens the device and
// starts the stream; the transport is stopped.
func Open(dir string, s *projects.Song, opt Options) (*Session, error) {
	cfg := opt.Device
	if cfg.Rate == 0 {
		cfg.Rate = s.Rate
	}
	if cfg.Rate != s.Rate {
		return nil, fmt.Errorf("session: the song is at %d Hz but the device was asked for %d Hz", s.Rate, cfg.Rate)
	}
	if cfg.Buffer == 0 {
		cfg.Buffer = 256
	}
	if cfg.Outputs == 0 {
		cfg.Outputs = 2
	}
	need := 0
	arms := map[int]Arm{}
	for _, a := range opt.Arm {
		if a.Track < 0 || a.Track >= len(s.Tracks) {
			return nil, fmt.Errorf("session: there is no track %d", a.Track+1)
		}
		if s.Tracks[a.Track].IsMIDI() {
			if len(a.Inputs) > 0 {
				return nil, fmt.Errorf("session: track %q is a MIDI track: it records the MIDI keyboard, not audio inputs", s.Tracks[a.Track].Name)
			}
		} else if len(a.Inputs) != s.Tracks[a.Track].Channels {
			return nil, fmt.Errorf("session: track %q has %d channels but %d inputs were given", s.Tracks[a.Track].Name, s.Tracks[a.Track].Channels, len(a.Inputs))
		}
		for _, in := range a.Inputs {
			need = max(need, in+1)
		}
		arms[a.Track] = a
	}
	cfg.Inputs = max(cfg.Inputs, need)
	ss := &Session{dir: dir, song: s, opt: opt, done: make(chan error, 1)}
	sf, err := source.SoundFont(s)
	if err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	if err := source.PrepareMIDI(dir, s, sf); err != nil {
		return nil, fmt.Errorf("session: %w", err)
	}
	maxBlock := max(cfg.Buffer, 4096)
	var tracks []engine.Track
	anyMIDI := false
	for i, t := range s.Tracks {
		et := engine.Track{Channels: t.Channels, MIDI: t.IsMIDI()}
		if a, ok := arms[i]; ok {
			et.Armed, et.Inputs, et.Monitor = true, a.Inputs, a.Monitor
			if et.MIDI {
				inst, err := synth.New(sf, source.SoundOf(t), s.Rate, maxBlock)
				if err != nil {
					ss.closeSources()
					return nil, fmt.Errorf("session: track %d (%q): %w", i+1, t.Name, err)
				}
				et.Instrument, et.Inputs, et.Monitor = inst, nil, true
				anyMIDI = true
			}
		}
		tracks = append(tracks, et)
		src, err := source.OpenSong(dir, s, i, sf)
		if err != nil {
			ss.closeSources()
			return nil, fmt.Errorf("session: track %d (%q): %w", i+1, t.Name, err)
		}
		ss.srcs = append(ss.srcs, src)
	}
	ss.e = engine.New(engine.Config{Rate: s.Rate, MaxBlock: maxBlock, Inputs: cfg.Inputs, Outputs: cfg.Outputs,
		Tracks: tracks, Strips: mix.Strips(s), Tempo: s.Tempo, BeatsPerBar: s.TimeSig.Beats, BeatUnit: s.TimeSig.Unit})
	ss.b = engine.NewButler(ss.e, ss.srcs, ss.newTake)
	e := ss.e
	stream, err := device.Open(cfg, func(in, out [][]float32, st device.Status) {
		e.Process(in, out, st.InputOverflow || st.OutputUnderflow)
	})
	if err != nil {
		ss.closeSources()
		return nil, err
	}
	ss.stream = stream
	ss.device = stream.Info().Name
	if opt.Click {
		e.SetClick(true)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ss.cancel = cancel
	go func() { ss.done <- ss.b.Run(ctx) }()
	if err := stream.Start(); err != nil {
		cancel()
		<-ss.done
		stream.Close()
		ss.closeSources()
		return nil, err
	}
	if anyMIDI && !opt.NoMIDIInput {
		// No keyboard is not fatal: the song still plays and records
		// audio; MIDIErr tells the user why the keyboard is silent.
		ss.midi, ss.midiErr = input.Listen(input.Config{Select: opt.MIDIPorts,
			OnEvent: func(ev input.Event) { e.MIDIIn(ev.Msg) }})
	}
	return ss, nil
}

// MIDIErr says why MIDI input is not available (no MIDI system, an
// ambiguous choice of port), or nil. A port that is not there yet is not
// an error: it is opened when it appears.
func (s *Session) MIDIErr() error { return s.midiErr }

// MIDIPorts lists the MIDI keyboards being listened to now.
func (s *Session) MIDIPorts() []input.Port {
	if s.midi == nil {
		return nil
	}
	return s.midi.Ports()
}

func (s *Session) closeSources() {
	for _, t := range s.srcs {
		t.Close()
	}
}

// SetLatency sets the latency compensation (frames) for takes started from
// now on: usually the stream's input + output latency plus the device's
// calibration offset.
func (s *Session) SetLatency(frames int64) {
	s.mu.Lock()
	s.opt.Latency = frames
	s.mu.Unlock()
}

// Engine gives the transport controls and meters.
func (s *Session) Engine() *engine.Engine { return s.e }

// Stream is the open device stream.
func (s *Session) Stream() device.Stream { return s.stream }

// DeviceErr is non-nil once the device stopped on its own (unplugged, JACK gone).
func (s *Session) DeviceErr() error {
	select {
	case <-s.stream.Done():
		return s.stream.Err()
	default:
		return nil
	}
}

// ButlerErr is the first error writing takes (a full disk), or nil.
func (s *Session) ButlerErr() error { return s.b.Err() }

// newTake creates a take file and notes it in the journal before any audio
// is written. It runs on the butler's goroutine.
func (s *Session) newTake(track int, start int64) (*os.File, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.song.Tracks[track]
	ext, latency, dev := ".wav", s.opt.Latency, s.device
	if t.IsMIDI() {
		// A MIDI event is recorded at the frame where its sound entered the
		// output, in step with the song the performer heard: no latency
		// compensation.
		ext, latency, dev = ".mid", 0, "MIDI keyboard"
	}
	f, name, err := projects.NewTakeFile(s.dir, s.song, t.Name, ext)
	if err != nil {
		return nil, "", err
	}
	j, _ := readJournal(s.dir)
	j.Takes = append(j.Takes, journalTake{File: name, Track: t.Name, Channels: t.Channels, MIDI: t.IsMIDI(),
		Program: t.Program, Drums: t.Drums,
		Start: start, Latency: latency, Started: time.Now().Format(time.RFC3339), Device: dev})
	if err := writeJournal(s.dir, j); err != nil {
		f.Close()
		os.Remove(projects.AudioPath(s.dir, name))
		return nil, "", fmt.Errorf("cannot note the take in %s: %w", journalName, err)
	}
	return f, name, nil
}

// Close stops the transport and the device, finishes any take, puts the
// takes on their tracks and saves the song. It returns what was recorded.
func (s *Session) Close() ([]engine.Recorded, error) {
	s.e.Stop()
	// Let the stop reach the audio thread and the butler finish the takes.
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) && (s.b.Recording() || s.e.State() != engine.Stopped) && s.DeviceErr() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	if s.midi != nil {
		s.midi.Close()
	}
	s.stream.Stop()
	s.cancel()
	berr := <-s.done
	s.stream.Close()
	s.closeSources()
	takes := s.b.TakeRecorded()
	err := s.placeTakes(takes)
	return takes, errors.Join(berr, s.DeviceErr(), err)
}

// placeTakes puts new takes on their tracks as a new pass and saves.
func (s *Session) placeTakes(takes []engine.Recorded) error {
	if len(takes) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, tk := range takes {
		t := s.song.Tracks[tk.Track]
		pass := fmt.Sprintf("Take %d", len(t.Lanes)+btoi(len(t.Clips) > 0)+1)
		latency, dev := s.opt.Latency, s.device
		if tk.MIDI {
			latency, dev = 0, "MIDI keyboard"
		}
		if c, ok := Place(tk.File, tk.Start, latency, tk.Frames); ok {
			t.NewPass(pass, []projects.Clip{c})
		}
		s.song.Takes = append(s.song.Takes, projects.TakeInfo{File: tk.File, Recorded: tk.Started.Format(time.RFC3339),
			Frames: tk.Frames, Device: dev, Dropouts: tk.Dropouts})
	}
	if err := projects.Save(s.dir, s.song); err != nil {
		return err
	}
	return os.Remove(filepath.Join(s.dir, journalName))
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
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
