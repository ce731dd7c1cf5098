package engine

// Punching in on the fly: a track armed while recording starts its take
// at the moment it was armed (TrackSpec.ArmedAt), not when its capture
// reaches the audio thread. Between the two lie the song handed to the
// butler, a take file made and a buffer or two of waiting: a few ms on a
// quiet machine, tens of ms on a busy one. So the audio thread keeps the
// last moments of every device input (recentInputs, in the graph), and a
// capture that joins a recording takes what its inputs played since the
// track was armed from there, as far back as they are kept, the transport
// rolled on without a jump and the recording ran.

// recentFrames is how much of each device input is kept for punching in:
// half a second, far more than arming takes to be heard.
func recentFrames(rate int) int { return max(rate/2, 1) }

// recentInputs holds the last frames of every device input. The butler
// makes it (and keeps it across graphs while the input count stays);
// only the audio thread writes and reads it after that.
type recentInputs struct {
	buf   [][]float32 // per device input
	since int64       // the retro frame it began at (-1 until first written)
}

// recentInputsFor returns the kept inputs for a device with n inputs:
// the ones kept so far if their count is unchanged.
func (b *Butler) recentInputsFor(n int) *recentInputs {
	if n <= 0 {
		b.recent = nil
		return nil
	}
	if b.recent != nil && len(b.recent.buf) == n {
		return b.recent
	}
	rc := &recentInputs{buf: make([][]float32, n), since: -1}
	for c := range rc.buf {
		rc.buf[c] = make([]float32, recentFrames(b.e.rate))
	}
	b.recent = rc
	return rc
}

// keepRecent copies this buffer's inputs into the graph's recent inputs.
// Safe on the audio thread.
func (e *Engine) keepRecent(g *graph, in [][]float32, n int) {
	rc := g.recent
	if rc == nil {
		return
	}
	if rc.since < 0 {
		rc.since = e.retroW
	}
	for c, b := range rc.buf {
		src := e.input(in, c, n)
		at := int(e.retroW % int64(len(b)))
		if k := copy(b[at:], src); k < n {
			copy(b, src[k:])
		}
	}
}

// punchIn moves the start of nd's take, which starts here, back to where
// its track was armed, and captures what its inputs played since from the
// recent inputs. Safe on the audio thread.
func (e *Engine) punchIn(g *graph, nd *node) {
	c, rc := nd.cap, g.recent
	if rc == nil || rc.since < 0 || nd.armedAt <= 0 || !e.rolling || c.from != e.pos {
		return
	}
	size := int64(len(rc.buf[0]))
	// Back to the latest of: the arming, the oldest frame kept, the last
	// jump of the playhead (or start of rolling), the recording's start.
	first := max(nd.armedAt, rc.since, e.retroW-size, e.contig)
	k := min(e.retroW-first, e.pos-e.recStart)
	if k <= 0 {
		return
	}
	c.from = e.pos - k
	e.events.Push(event{kind: evTakeStart, cap: c, at: c.from})
	c.started = true
	v := e.view[:c.channels]
	for done := int64(0); done < k; {
		at := int((e.retroW - k + done) % size)
		m := int(min(k-done, size-int64(at), int64(e.maxBlock)))
		for ch := range v {
			if in := nd.inputs[ch]; in >= 0 && in < len(rc.buf) {
				v[ch] = rc.buf[in][at : at+m]
			} else {
				v[ch] = e.zeros[:m]
			}
		}
		e.captured(c, v, m)
		done += int64(m)
	}
}
