package engine

import "sangstudio/audio/waveform"

// LiveTake is a take being recorded, as far as the butler has written it:
// what the window draws growing on its track.
type LiveTake struct {
	Key    string // the track's key
	File   string // name returned by the TakeFunc
	Start  int64  // timeline frame of its first frame (before latency compensation)
	Frames int64  // frames written so far (MIDI: recorded so far)
	MIDI   bool
	// Peaks is the waveform of the frames written so far (nil for a MIDI
	// take). It is never modified: any goroutine may read it.
	Peaks *waveform.Peaks
}

// LiveTakes returns the takes being recorded, as of the butler's last
// round (nil when none). It never waits (the butler publishes them), so
// the window may call it on its UI thread; the slice is shared and must
// not be modified.
func (b *Butler) LiveTakes() []LiveTake {
	if p := b.live.Load(); p != nil {
		return *p
	}
	return nil
}

// publishLive publishes the takes being written for LiveTakes, when they
// changed since they were last published (most rounds, while recording;
// none while not). Butler only, with b.mu held.
func (b *Butler) publishLive() {
	var old []LiveTake
	if p := b.live.Load(); p != nil {
		old = *p
	}
	n, same := 0, true
	for _, c := range b.active {
		if c.take != nil {
			same = same && n < len(old) && old[n].File == c.take.name && old[n].Frames == c.take.written
			n++
		}
	}
	for _, m := range b.activeM {
		if m.take != nil {
			same = same && n < len(old) && old[n].File == m.take.name && old[n].Frames == m.take.w.Frames()
			n++
		}
	}
	if same && n == len(old) {
		return
	}
	if n == 0 {
		b.live.Store(nil)
		return
	}
	live := make([]LiveTake, 0, n)
	for _, c := range b.active {
		if tw := c.take; tw != nil {
			live = append(live, LiveTake{Key: c.key, File: tw.name, Start: tw.from, Frames: tw.written, Peaks: tw.peaks.Peaks()})
		}
	}
	for _, m := range b.activeM {
		if t := m.take; t != nil {
			live = append(live, LiveTake{Key: m.key, File: t.name, Start: t.from, Frames: t.w.Frames(), MIDI: true})
		}
	}
	b.live.Store(&live)
}
