// Package playfile plays a finished WAV file (a song's last bounce) on an
// output device, without opening the song: Open, Play, Pause, Seek,
// Position, Close.
//
// # How it plays
//
// A goroutine (the feeder) reads the file block by block, maps its
// channels onto the stream's outputs (mono on both, stereo as it is, the
// first two of more channels; on a one-output device, the first two
// channels mixed), resamples with package sangstudio/audio/resample when
// the file's rate is not the stream's, and writes the frames into a ring
// (package sangstudio/audio/ring) that holds about a second. The device's
// callback only reads that ring: it does no I/O, takes no lock and does
// not allocate. If the feeder falls behind, the callback plays silence
// (Underruns counts those buffers) and the file resumes where it was.
//
// The stream runs only while playing (Play starts it, Pause stops it), so
// a paused player costs nothing on the audio thread. Play first waits
// (at most 2 s) until the ring is full or holds the rest of the file, so
// playback starts without a gap.
//
// Seek hands the new position to the feeder, which reads from there and
// marks where in the ring the new frames begin; the consumer of the ring
// (the callback, or Play while the stream is stopped) drops what came
// before the mark. Positions are frames of the file, at the file's own
// rate, whatever the device's.
//
// # Devices
//
// Open takes a device ID from package sangstudio/audio/device, or "" for
// the default output: the PortAudio device device.Default picks, and the
// system sound output (device.SpeakersID, through oto) if that cannot be
// opened or if there is no PortAudio device. The stream runs at the
// file's rate if the device accepts it (44100, 48000 or 96000 Hz), else at
// the device's own rate, resampled.
//
// The system sound output is the exception: oto gives a process one output
// at one rate, fixed by its first use, so the player opens it at its usual
// rate (48000 Hz, what desktop sound servers run at, or whatever rate it
// already runs at) and resamples the file itself, rather than tie the
// process's output to the rate of the first file played. (It also avoids
// ALSA's own rate conversion, which is of lower quality and, in the test
// environment's chain plug → jack, refuses oto's buffer size at 44100 Hz.)
package playfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/resample"
	"sangstudio/audio/ring"
	"sangstudio/audio/wav"
)

// Sizes and times.
const (
	block       = 4096                  // frames the feeder reads from the file at a time
	feedPoll    = 5 * time.Millisecond  // how often the feeder looks for room in the ring
	watchPoll   = 10 * time.Millisecond // how often the end of the file is looked for
	prefillWait = 2 * time.Second       // how long Play waits for the ring to fill
)

// devices opens streams and finds the default output: package device's
// Open and Default for a Player.
type devices struct {
	open func(device.Config, device.Callback) (device.Stream, error)
	def  func() (device.Info, error)
}

// Player plays one WAV file. Its methods may be called from any goroutine.
type Player struct {
	path     string
	fileRate int
	length   int64 // frames in the file
	outRate  int
	outCh    int
	stream   device.Stream
	ring     *ring.Frames

	// The feeder's own state (feed and what it calls).
	reader     *wav.Reader
	fileCh     int
	resampling bool                // the file's rate is not the stream's
	rs         *resample.Resampler // nil when not resampling, or after an error
	in         [][]float32         // decoded from the file: fileCh × block
	mapped     [][]float32         // mapped onto the outputs: outCh × block
	rsOut      [][]float32         // resampled: outCh × (enough for a block)
	views      [][]float32         // what is written to the ring next
	pend       [][]float32         // the frames waiting for the ring: outCh slices
	inOff      int                 // frames of mapped not yet resampled start here
	inN        int                 // and there are this many
	readEOF    bool                // the reader reached the end of the file (or failed)
	flushed    bool                // the resampler has been flushed
	ended      bool                // the end of this segment is published
	written    int64               // frames written to the ring
	feedGen    uint64              // the seek the feeder last did
	feedErr    error               // the feeder's error, published by feedFail
	feedFail   atomic.Bool

	// Between the control side, the feeder and the consumer.
	req   atomic.Pointer[seekReq]  // the latest Seek
	mark  atomic.Pointer[seekMark] // the latest seek the feeder did
	eofAt atomic.Int64             // ring position where the file ends after the latest mark, -1 until known
	wake  chan struct{}            // wakes the feeder after a Seek
	quit  chan struct{}
	fed   chan struct{} // closed when the feeder returns
	idle  chan struct{} // closed when the watcher returns

	// The consumer's state: the callback's while the stream runs, Play's
	// while it is stopped (Stream.Stop makes the callback's writes
	// visible, Start makes Play's visible to the callback).
	gen      uint64 // the mark applied
	consumed int64  // frames read from the ring (or dropped)
	base     int64  // the file frame at ring position baseAt
	baseAt   int64
	atEnd    atomic.Bool   // the callback played the last frame
	applied  atomic.Uint64 // the mark applied, for Position
	pos      atomic.Int64  // the file frame the callback plays next
	underrun atomic.Int64
	handoff  atomic.Int64 // see Play

	mu      sync.Mutex // serialises Play, Pause, Seek, Close and the end of the file
	playing atomic.Bool
	closed  bool
	reqGen  uint64
	run     atomic.Pointer[run] // this play-through's Done
	emu     sync.Mutex
	err     error
}

// seekReq is a Seek, for the feeder.
type seekReq struct {
	gen   uint64
	frame int64
}

// seekMark says where the frames of a seek begin in the ring.
type seekMark struct {
	gen     uint64
	flushTo int64 // ring position: the frames before it are from before the seek
	frame   int64 // the file frame at flushTo
}

// run is one play-through: Done is closed at its end.
type run struct {
	done   chan struct{}
	closed bool // under Player.mu
}

// playError is an error in plain words that wraps its cause.
type playError struct {
	msg   string
	cause error
}

func (e *playError) Error() string { return e.msg }
func (e *playError) Unwrap() error { return e.cause }

// fileError names the file and says in plain words what is wrong with it.
func fileError(path string, err error) error {
	var fe *wav.FormatError
	var pe *fs.PathError
	switch {
	case errors.As(err, &fe):
		return &playError{path + ": " + fe.Reason, err}
	case errors.Is(err, fs.ErrNotExist):
		return &playError{path + ": there is no such file", err}
	case errors.Is(err, fs.ErrPermission):
		return &playError{path + ": Sangstudio may not read this file (permission denied)", err}
	case errors.As(err, &pe):
		return &playError{path + ": the file cannot be read: " + pe.Err.Error(), err}
	}
	return &playError{path + ": the file cannot be read: " + err.Error(), err}
}

// Open prepares playback of the WAV file at path (any format package
// sangstudio/audio/wav reads) on the output device deviceID ("" for the
// default output: the PortAudio default, else device.SpeakersID). It opens
// the device's stream but does not start it: call Play.
//
// Errors name the file: "song.wav: not a WAV file (...)", or "song.wav
// cannot be played: " and the device's error (which wraps one of
// package device's Err values).
func Open(path string, deviceID string) (*Player, error) {
	return OpenConfig(path, device.Config{Device: deviceID})
}

// OpenConfig is Open with more of the stream's configuration: cfg.Device,
// cfg.Buffer, and the virtual device's VirtualOutput and Fast
// are used as they are; a cfg.Rate other than 0 makes the stream run at
// that rate (resampling the file if needed). Inputs and Outputs are
// ignored: the player opens no inputs and up to two outputs.
func OpenConfig(path string, cfg device.Config) (*Player, error) {
	r, err := wav.Open(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	f := r.Format()
	p := &Player{
		path:     path,
		fileRate: f.Rate,
		length:   r.Frames(),
		reader:   r,
		fileCh:   f.Channels,
		wake:     make(chan struct{}, 1),
		quit:     make(chan struct{}),
		fed:      make(chan struct{}),
		idle:     make(chan struct{}),
	}
	s, outputs, err := devices{device.Open, device.Default}.openStream(cfg, f.Rate, p.process)
	if err != nil {
		r.Close()
		return nil, &playError{path + " cannot be played: " + err.Error(), err}
	}
	p.stream = s
	p.outRate = s.Rate()
	p.outCh = outputs
	p.resampling = p.outRate != p.fileRate
	if err := p.prepare(); err != nil {
		s.Close()
		r.Close()
		return nil, err
	}
	p.run.Store(&run{done: make(chan struct{})})
	p.mark.Store(&seekMark{})
	p.eofAt.Store(-1)
	go p.feed()
	go p.watch()
	return p, nil
}

// openStream opens the output: cfg.Device, or the default output, at the
// file's rate if possible, in stereo if possible. It returns the stream
// and its number of outputs.
func (d devices) openStream(cfg device.Config, fileRate int, cb device.Callback) (device.Stream, int, error) {
	if cfg.Device != "" {
		return d.openOne(cfg, fileRate, cb)
	}
	var first error
	if def, err := d.def(); err == nil && !def.Virtual {
		cfg.Device = def.ID
		s, n, err := d.openOne(cfg, fileRate, cb)
		if err == nil {
			return s, n, nil
		}
		first = err
	}
	cfg.Device = device.SpeakersID
	s, n, err := d.openOne(cfg, fileRate, cb)
	if err == nil {
		return s, n, nil
	}
	if first != nil {
		return nil, 0, &playError{first.Error() + "; and the system sound output: " + err.Error(), errors.Join(first, err)}
	}
	return nil, 0, &playError{"there is no audio device to play on (no PortAudio device), and " + err.Error(), err}
}

// openOne opens cfg.Device with two outputs (one if it has only one), at
// the file's rate if the device takes it, else at its own.
func (d devices) openOne(cfg device.Config, fileRate int, cb device.Callback) (device.Stream, int, error) {
	cfg.Inputs = 0
	cfg.Outputs = 2
	explicit := cfg.Rate != 0
	if !explicit && cfg.Device != device.SpeakersID && slices.Contains([]int{44100, 48000, 96000}, fileRate) {
		cfg.Rate = fileRate
	}
	for {
		s, err := d.open(cfg, cb)
		switch {
		case err == nil:
			return s, cfg.Outputs, nil
		case errors.Is(err, device.ErrUnsupportedRate) && !explicit && cfg.Rate != 0:
			cfg.Rate = 0 // the device's own rate; the file is resampled
		case errors.Is(err, device.ErrChannels) && cfg.Outputs == 2:
			cfg.Outputs = 1
		default:
			return nil, 0, err
		}
	}
}

// prepare allocates what the feeder and the callback use.
func (p *Player) prepare() error {
	p.ring = ring.NewFrames(p.outCh, max(p.outRate, 4*block))
	p.in = make([][]float32, p.fileCh)
	for c := range p.in {
		p.in[c] = make([]float32, block)
	}
	p.mapped = make([][]float32, p.outCh)
	for c := range p.mapped {
		p.mapped[c] = make([]float32, block)
	}
	p.views = make([][]float32, p.outCh)
	p.pend = make([][]float32, p.outCh)
	if p.resampling {
		if err := p.newResampler(); err != nil {
			return err
		}
		n := int(resample.OutputFrames(block, p.fileRate, p.outRate)) + 256
		p.rsOut = make([][]float32, p.outCh)
		for c := range p.rsOut {
			p.rsOut[c] = make([]float32, n)
		}
	}
	return nil
}

func (p *Player) newResampler() error {
	if p.rs != nil {
		p.rs.Close()
		p.rs = nil
	}
	rs, err := resample.New(p.fileRate, p.outRate, p.outCh)
	if err != nil {
		return &playError{fmt.Sprintf("%s cannot be played at %d Hz: converting it from %d Hz failed: %v", p.path, p.outRate, p.fileRate, err), err}
	}
	p.rs = rs
	return nil
}

// feed is the feeder goroutine: it keeps the ring full, and does the seeks.
func (p *Player) feed() {
	defer close(p.fed)
	tick := time.NewTicker(feedPoll)
	defer tick.Stop()
	for {
		if r := p.req.Load(); r != nil && r.gen != p.feedGen {
			p.seek(r)
		}
		if p.step() {
			select {
			case <-p.quit:
				return
			default:
			}
			continue
		}
		if p.ended {
			// Nothing more to do until a Seek.
			select {
			case <-p.quit:
				return
			case <-p.wake:
			}
			continue
		}
		select {
		case <-p.quit:
			return
		case <-p.wake:
		case <-tick.C:
		}
	}
}

// seek makes the feeder read from r.frame, and publishes the mark.
func (p *Player) seek(r *seekReq) {
	p.feedGen = r.gen
	for c := range p.pend {
		p.pend[c] = nil
	}
	p.inN, p.readEOF, p.flushed, p.ended = 0, false, false, false
	if err := p.reader.Seek(r.frame); err != nil {
		p.fail(fileError(p.path, err))
	}
	if p.resampling {
		if err := p.newResampler(); err != nil {
			p.fail(err)
		}
	}
	p.eofAt.Store(-1) // before the mark: see process
	p.mark.Store(&seekMark{gen: r.gen, flushTo: p.written, frame: r.frame})
}

// fail records the feeder's first error; the file then ends there.
func (p *Player) fail(err error) {
	if !p.feedFail.Load() {
		p.feedErr = err
		p.feedFail.Store(true)
	}
	p.readEOF, p.flushed = true, true
}

// step does one piece of work and reports whether there may be more to do
// at once.
func (p *Player) step() bool {
	if len(p.pend[0]) > 0 {
		for c := range p.views {
			p.views[c] = p.pend[c]
		}
		n := p.ring.Write(p.views)
		for c := range p.pend {
			p.pend[c] = p.pend[c][n:]
		}
		p.written += int64(n)
		return n > 0 && len(p.pend[0]) == 0
	}
	if p.resampling && p.inN > 0 {
		for c := range p.views {
			p.views[c] = p.mapped[c][p.inOff : p.inOff+p.inN]
		}
		used, made, err := p.rs.Process(p.views, p.rsOut)
		if err != nil {
			p.fail(&playError{fmt.Sprintf("%s: converting it from %d Hz to %d Hz failed: %v", p.path, p.fileRate, p.outRate, err), err})
			p.inN = 0
			return true
		}
		p.inOff += used
		p.inN -= used
		p.setPending(p.rsOut, made)
		return used > 0 || made > 0
	}
	if p.readEOF {
		if p.resampling && !p.flushed {
			made, err := p.rs.Flush(p.rsOut)
			if err != nil {
				p.fail(&playError{fmt.Sprintf("%s: converting it from %d Hz to %d Hz failed: %v", p.path, p.fileRate, p.outRate, err), err})
				return true
			}
			if made == 0 {
				p.flushed = true
			}
			p.setPending(p.rsOut, made)
			return true
		}
		if !p.ended {
			p.ended = true
			p.eofAt.Store(p.written)
		}
		return false
	}
	if p.ring.Writable() == 0 {
		return false
	}
	n, err := p.reader.Read(p.in)
	if n > 0 {
		p.mapChannels(n)
		if p.resampling {
			p.inOff, p.inN = 0, n
		} else {
			p.setPending(p.mapped, n)
		}
	}
	switch {
	case err == io.EOF:
		p.readEOF = true
	case err != nil:
		p.fail(fileError(p.path, err))
	}
	return true
}

// setPending makes the first n frames of buf the next to go to the ring.
func (p *Player) setPending(buf [][]float32, n int) {
	for c := range p.pend {
		p.pend[c] = buf[c][:n]
	}
}

// mapChannels maps n frames of the file's channels onto the outputs.
func (p *Player) mapChannels(n int) {
	in := p.in
	switch {
	case p.outCh == 2 && p.fileCh == 1:
		copy(p.mapped[0][:n], in[0][:n])
		copy(p.mapped[1][:n], in[0][:n])
	case p.outCh == 2:
		copy(p.mapped[0][:n], in[0][:n])
		copy(p.mapped[1][:n], in[1][:n])
	case p.fileCh == 1:
		copy(p.mapped[0][:n], in[0][:n])
	default:
		m := p.mapped[0][:n]
		for i := range m {
			m[i] = (in[0][i] + in[1][i]) / 2
		}
	}
}

// process is the device callback: it plays from the ring, and silence
// when there is nothing to play. It does not allocate, lock or block.
func (p *Player) process(_, out [][]float32, _ device.Status) {
	p.handoff.Load() // see Play
	if m := p.mark.Load(); m.gen != p.gen {
		p.apply(m)
	}
	n := 0
	if !p.atEnd.Load() {
		n = p.ring.Read(out)
		p.consumed += int64(n)
	}
	for _, o := range out {
		clear(o[n:])
	}
	if n < len(out[0]) && !p.atEnd.Load() {
		// eofAt is read after the mark: it is -1 or belongs to the mark
		// applied (the feeder resets it before it publishes a mark).
		if e := p.eofAt.Load(); e >= 0 && p.consumed >= e {
			p.atEnd.Store(true)
		} else {
			p.underrun.Add(1)
		}
	}
	p.pos.Store(p.position())
}

// apply drops the frames of the ring that come before the mark m (the
// consumer only).
func (p *Player) apply(m *seekMark) {
	if d := m.flushTo - p.consumed; d > 0 {
		p.consumed += int64(p.ring.Discard(int(d)))
	}
	p.gen = m.gen
	p.base, p.baseAt = m.frame, m.flushTo
	p.atEnd.Store(false)
	p.pos.Store(m.frame)
	p.applied.Store(m.gen)
}

// position is the file frame the consumer plays next.
func (p *Player) position() int64 {
	if p.atEnd.Load() {
		return p.length
	}
	d := p.consumed - p.baseAt
	if p.outRate != p.fileRate {
		d = d * int64(p.fileRate) / int64(p.outRate)
	}
	return min(p.base+d, p.length)
}

// watch ends the play-through when the callback played the last frame, or
// the stream stopped on its own.
func (p *Player) watch() {
	defer close(p.idle)
	tick := time.NewTicker(watchPoll)
	defer tick.Stop()
	for {
		select {
		case <-p.quit:
			return
		case <-tick.C:
		}
		if !p.playing.Load() {
			continue
		}
		lost := false
		select {
		case <-p.stream.Done():
			lost = true
		default:
		}
		if !lost && !p.atEnd.Load() {
			continue
		}
		p.mu.Lock()
		switch {
		case p.closed || !p.playing.Load():
		case lost:
			p.stream.Stop()
			p.playing.Store(false)
			p.setErr(&playError{p.path + " stopped playing: " + p.stream.Err().Error(), p.stream.Err()})
			p.endRun()
		case p.atEnd.Load() && p.applied.Load() == p.reqGen:
			p.stream.Stop()
			p.playing.Store(false)
			if p.feedFail.Load() {
				p.setErr(p.feedErr)
			}
			p.endRun()
		}
		p.mu.Unlock()
	}
}

// endRun closes this play-through's Done (with mu held).
func (p *Player) endRun() {
	if r := p.run.Load(); !r.closed {
		r.closed = true
		close(r.done)
	}
}

func (p *Player) setErr(err error) {
	p.emu.Lock()
	defer p.emu.Unlock()
	if p.err == nil {
		p.err = err
	}
}

// Play starts or resumes playback. At the end of the file, it starts again
// from the beginning. It does nothing after Close, or if the device
// stopped working (see Err).
func (p *Player) Play() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || p.playing.Load() {
		return
	}
	select {
	case <-p.stream.Done():
		return // Err says why
	default:
	}
	if p.applied.Load() == p.reqGen && (p.atEnd.Load() || p.run.Load().closed) {
		p.seekLocked(0)
	}
	if p.run.Load().closed {
		p.run.Store(&run{done: make(chan struct{})})
	}
	// The stream is stopped: Play is the ring's consumer until Start. (The
	// load of pos, which the callback stores last, and the store of handoff,
	// which it loads first, make the consumer's state pass between them for
	// the race detector too: PortAudio's thread is C's.)
	p.pos.Load()
	deadline := time.Now().Add(prefillWait)
	for {
		m := p.mark.Load()
		if m.gen == p.reqGen {
			if m.gen != p.gen {
				p.apply(m)
			}
			if p.ring.Writable() == 0 || p.eofAt.Load() >= 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			break // play what there is; the feeder catches up
		}
		time.Sleep(time.Millisecond)
	}
	p.handoff.Add(1)
	if err := p.stream.Start(); err != nil {
		p.setErr(&playError{p.path + " cannot be played: " + err.Error(), err})
		p.endRun()
		return
	}
	p.playing.Store(true)
}

// Pause stops playback where it is; Play resumes from there.
func (p *Player) Pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || !p.playing.Load() {
		return
	}
	p.stream.Stop()
	p.playing.Store(false)
}

// Seek moves playback to frame (of the file, at its own rate; clamped to
// 0..Length), playing or not. After the end of the file, it begins a new
// play-through (see Done); it does not start playing. (wav.FrameIndex is
// int64 under another name, which tells go vet that this is not an
// io.Seeker.)
func (p *Player) Seek(frame wav.FrameIndex) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.seekLocked(frame)
	if r := p.run.Load(); r.closed && !p.playing.Load() {
		p.run.Store(&run{done: make(chan struct{})})
	}
}

func (p *Player) seekLocked(frame int64) {
	frame = min(max(frame, 0), p.length)
	p.reqGen++
	p.req.Store(&seekReq{gen: p.reqGen, frame: frame})
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Position returns the frame of the file (at its own rate) that plays
// next: after a Seek, the frame sought, at once; at the end, Length. (What
// is heard lags by the device's output latency.)
func (p *Player) Position() int64 {
	if r := p.req.Load(); r != nil && r.gen != p.applied.Load() {
		return r.frame
	}
	return p.pos.Load()
}

// Length returns the number of frames in the file.
func (p *Player) Length() int64 { return p.length }

// Rate returns the file's sample rate: Position and Length count frames at
// this rate.
func (p *Player) Rate() int { return p.fileRate }

// Device describes the device the player plays on (with "" given to Open,
// the one it picked).
func (p *Player) Device() device.Info { return p.stream.Info() }

// Playing tells whether the player is playing: between Play and Pause, the
// end of the file, or Close.
func (p *Player) Playing() bool { return p.playing.Load() }

// Done is closed when playback reaches the end of the file (or stops
// because of an error, or the player is closed). Each play-through has its
// own: once it is closed, Play or Seek begin a new one, which Done then
// returns.
func (p *Player) Done() <-chan struct{} { return p.run.Load().done }

// Err says why playback stopped early, if it did: the file could not be
// read to its end, or the device stopped working. nil otherwise.
func (p *Player) Err() error {
	p.emu.Lock()
	defer p.emu.Unlock()
	return p.err
}

// Underruns counts the buffers the device played (partly) silent because
// the file was not read in time.
func (p *Player) Underruns() int64 { return p.underrun.Load() }

// Close stops playback and releases the device and the file. It returns
// at once (after the device's stream has stopped). Calling it again does
// nothing.
func (p *Player) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil
	}
	p.closed = true
	p.playing.Store(false)
	err := p.stream.Close()
	p.endRun()
	p.mu.Unlock()
	close(p.quit)
	<-p.fed
	<-p.idle
	if p.rs != nil {
		p.rs.Close()
	}
	p.reader.Close()
	if err != nil {
		return &playError{p.path + ": the device did not close cleanly: " + err.Error(), err}
	}
	return nil
}
