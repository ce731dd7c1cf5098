package session

import (
	"errors"
	"fmt"
	"os"
	"time"

	"sangstudio/audio/engine"
	"sangstudio/audio/wav"
	"sangstudio/internal/fserr"
	"sangstudio/midi/smf"
	"sangstudio/projects"
)

// ErrNothingToKeep says Keep found nothing heard to keep.
var ErrNothingToKeep = errors.New("there is nothing to keep yet: arm a track, then play or sing; Keep that saves what the armed tracks heard")

// KeepBytes is the memory the inputs kept for Keep take: channels inputs
// at rate for d (float32 samples), plus the engine's slack.
func KeepBytes(channels, rate int, d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64(channels) * int64(rate) * 4 * int64(d.Seconds()+10)
}

// Keep turns what the armed tracks heard into takes, though nobody pressed
// Record ("Keep that"): while playing, what was played since the
// transport started, each part at its place on the timeline (latency-
// compensated like any take); when stopped, the last LiveConfig.Keep of
// it, ending at the playhead. It writes the take files (crash-safe, noted
// in the journal) and returns the takes to place with PlaceTakes. Nothing
// of what is kept in memory is written anywhere else.
func (ss *Session) Keep() ([]Take, error) {
	ss.upMu.Lock()
	defer ss.upMu.Unlock()
	plan, err := ss.live.butler().Keep(0)
	if errors.Is(err, engine.ErrNothingKept) {
		return nil, ErrNothingToKeep
	}
	if err != nil {
		return nil, err
	}
	var takes []Take
	for _, kt := range plan.Tracks {
		tk, err := ss.keepTrack(kt, plan.Rolling)
		if err != nil {
			for _, done := range takes {
				os.Remove(projects.AudioPath(ss.dir, done.File))
			}
			ForgetTakes(ss.dir, Files(takes))
			return nil, err
		}
		takes = append(takes, tk)
	}
	return takes, nil
}

// keepTrack writes one kept take.
func (ss *Session) keepTrack(kt engine.KeepTrack, rolling bool) (Take, error) {
	ss.takeMu.Lock()
	i := ss.song.TrackByID(kt.Key)
	if i < 0 {
		ss.takeMu.Unlock()
		return Take{}, errors.New("the armed track is gone")
	}
	t := ss.song.Tracks[i]
	meter := smfMeter{tempo: ss.song.Tempo, sig: [2]int{ss.song.TimeSig.Beats, ss.song.TimeSig.Unit}}
	ext, dev := ".wav", ss.live.Status().Device
	if kt.MIDI {
		ext, dev = ".mid", "MIDI keyboard"
	}
	f, name, err := projects.NewTakeFile(ss.dir, ss.song, t.Name, ext)
	tk := Take{File: name, TrackKey: kt.Key, Track: t.Name, Channels: t.Channels, MIDI: kt.MIDI,
		Program: t.Program, Drums: t.Drums, Frames: kt.Frames, Kept: true,
		Info: projects.TakeInfo{File: name, Recorded: time.Now().Format(time.RFC3339), Device: dev, Frames: kt.Frames}}
	ss.takeMu.Unlock()
	if err != nil {
		return Take{}, err
	}
	// Latency compensation, as for a recorded take: while playing, what
	// came in was played that much earlier. MIDI needs none; when stopped,
	// the take simply ends at the playhead.
	latency := int64(0)
	if rolling && !kt.MIDI {
		latency = ss.Latency()
	}
	if len(kt.Pieces) > 0 {
		tk.Start = kt.Pieces[0].Position
	}
	if err := noteInJournal(ss.dir, tk, latency); err != nil {
		f.Close()
		os.Remove(projects.AudioPath(ss.dir, name))
		return Take{}, err
	}
	if kt.MIDI {
		err = writeKeptMIDI(f, name, kt, ss.live.Engine().Rate(), meter)
	} else {
		err = writeKeptAudio(f, kt, ss.live.Engine().Rate())
	}
	if err != nil {
		os.Remove(projects.AudioPath(ss.dir, name))
		ForgetTakes(ss.dir, []string{name})
		return Take{}, fmt.Errorf("cannot keep what was heard: %w", fserr.Describe(err))
	}
	for _, p := range kt.Pieces {
		c, ok := Place(name, p.Position, latency, p.Frames)
		if ok {
			c.Offset += p.Offset
			tk.Clips = append(tk.Clips, c)
		}
	}
	return tk, nil
}

// writeKeptAudio writes a kept audio take to f (a WAV file, synced).
func writeKeptAudio(f *os.File, kt engine.KeepTrack, rate int) error {
	w, err := wav.NewWriter(f, wav.Format{Rate: rate, Channels: kt.Channels, Encoding: wav.Float32}, wav.WriterOptions{})
	if err != nil {
		f.Close()
		return err
	}
	const chunk = 1 << 15
	buf := make([][]float32, kt.Channels)
	for c := range buf {
		buf[c] = make([]float32, chunk)
	}
	view := make([][]float32, kt.Channels)
	for off := int64(0); off < kt.Frames; off += chunk {
		n := min(chunk, kt.Frames-off)
		for c := range view {
			view[c] = buf[c][:n]
		}
		if err := kt.Read(off, view); err != nil {
			w.Close()
			return err
		}
		if err := w.Write(view); err != nil {
			w.Close()
			return err
		}
	}
	return w.Close()
}

// smfMeter is the tempo and time signature a MIDI file is written with.
type smfMeter struct {
	tempo float64
	sig   [2]int
}

// writeKeptMIDI writes a kept MIDI take (a Standard MIDI File, written
// atomically by its name).
func writeKeptMIDI(f *os.File, name string, kt engine.KeepTrack, rate int, m smfMeter) error {
	path := f.Name()
	f.Close()
	w, err := smf.NewTakeWriter(path, rate, m.tempo, m.sig, name)
	if err != nil {
		return err
	}
	for _, ev := range kt.Events {
		w.Add(ev)
	}
	return w.Close()
}
