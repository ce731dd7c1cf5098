package session

import (
	"errors"
	"time"

	"sangstudio/audio/device"
	"sangstudio/projects"
)

// Options for Open.
type Options struct {
	Device device.Config
	Arm    []Arm
	// Latency is the compensation in frames: how much earlier than the
	// capture position a take is placed; -1 for the device's reported input
	// and output latency plus its calibrated offset.
	Latency int64
	Click   bool
	// MIDIPorts chooses the MIDI keyboards armed MIDI tracks listen to, as
	// input.Find takes it: "" or "all" for every port (keyboards plugged
	// in later included).
	MIDIPorts string
	// NoMIDIInput leaves MIDI input closed (the caller feeds the engine's
	// MIDIIn itself).
	NoMIDIInput bool
	// Keep is how long the armed inputs are kept in memory for Keep.
	Keep time.Duration
	// Opened is the song held open by the caller (a recording command):
	// Close saves the takes through it. Without it, Close changes the song
	// with projects.Change.
	Opened *projects.Opened
}

// Open opens the device and attaches the song s (stored in dir) to it: what
// a command that plays or records one song needs. The transport is
// stopped. Close detaches the song, puts the takes on their tracks, saves
// the song and closes the device.
func Open(dir string, s *projects.Song, opt Options) (*Session, error) {
	lat := opt.Latency
	if lat < 0 {
		lat = -1
	}
	l, err := OpenLive(LiveConfig{Device: opt.Device, MIDIPorts: opt.MIDIPorts, NoMIDIInput: opt.NoMIDIInput,
		Keep: opt.Keep, Latency: lat}, s.Rate)
	if err != nil {
		return nil, err
	}
	ss, err := l.Attach(dir, s, opt.Arm)
	if err != nil {
		l.Close()
		return nil, err
	}
	ss.own, ss.opened = true, opt.Opened
	if opt.Click {
		l.Engine().SetClick(true)
	}
	return ss, nil
}

// Close stops the transport, finishes any recording, puts the takes on
// their tracks of the song as it is on disk now, under the song's lock (a
// change another command made meanwhile stays), then takes them out of
// the journal, and closes the device if Open opened it. It returns the
// takes, and what went wrong (a device lost, a disk full) joined.
func (ss *Session) Close() ([]Take, error) {
	derr := ss.DeviceErr()
	takes := ss.Detach()
	if derr == nil {
		derr = ss.DeviceErr()
	}
	berr := ss.TakeErr()
	var cerr error
	if ss.own {
		cerr = ss.live.Close()
	}
	if len(takes) == 0 {
		return nil, errors.Join(berr, derr, cerr)
	}
	place := func(s *projects.Song) error {
		PlaceTakes(s, takes)
		return nil
	}
	var err error
	if ss.opened != nil {
		_, _, err = ss.opened.Change("sangstudio record", place)
	} else {
		_, _, err = projects.Change(ss.dir, "sangstudio", place)
	}
	if err == nil {
		err = ForgetTakes(ss.dir, Files(takes))
	}
	return takes, errors.Join(berr, derr, cerr, err)
}

// Song is the session's copy of the song (the one Close saves). Do not
// change it while the session runs.
func (ss *Session) Song() *projects.Song {
	ss.takeMu.Lock()
	defer ss.takeMu.Unlock()
	return ss.song
}
