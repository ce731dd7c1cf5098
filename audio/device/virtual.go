package device

import (
	"errors"
	"io"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"sangstudio/audio/ring"
	"sangstudio/audio/wav"
	"sangstudio/internal/fserr"
	"sangstudio/internal/openfile"
)

// Input kinds of the virtual device.
const (
	inSilence = iota
	inSine
	inFile
)

// fileBlock is how many frames the file reader reads at a time.
const fileBlock = 4096

// virtualStream is a stream on the virtual device. Its driver goroutine
// (run) calls the callback; a reader goroutine (readFile) feeds file input
// through inRing, and a writer goroutine (writeFile) writes output from
// outRing to the WAV file. Everything the driver touches is allocated by
// openVirtual.
type virtualStream struct {
	info   Info
	rate   int
	buffer int
	fast   bool
	speed  float64 // times real time, when not fast (Config.Speed)
	cb     Callback
	in     [][]float32
	out    [][]float32

	kind  int
	phase float64 // sine: current phase in radians
	step  float64 // sine: phase increment per frame

	// file input
	reader    *wav.Reader
	inPath    string
	inRing    *ring.Frames
	inScratch [][]float32 // the reader's decode buffer, one per file channel
	inViews   [][]float32 // the reader's: what it decoded, for inRing
	inPart    [][]float32 // the driver's: the part of in that inRing has
	loop      bool
	inEnd     atomic.Int64  // frames the reader will ever write (-1 until the file ended)
	inData    chan struct{} // reader -> driver: frames were written
	inSpace   chan struct{} // driver -> reader: frames were read
	inQuit    chan struct{}
	inDone    chan struct{}
	inErr     error // the reader's error, published by inFailed
	inFailed  atomic.Bool

	// output file
	writer    *wav.Writer
	outPath   string
	outRing   *ring.Frames
	outViews  [][]float32
	outWake   chan struct{} // driver -> writer: frames were written
	outSpace  chan struct{} // writer -> driver: frames were written to disk
	outQuit   chan struct{}
	outDone   chan struct{}
	outErr    error // the writer's error, published by outFailed
	outFailed atomic.Bool

	frame atomic.Int64
	xruns atomic.Int64

	mu      sync.Mutex // serialises Start, Stop and Close
	running bool
	closed  bool
	stop    chan struct{}
	exited  chan struct{}

	ending
}

// openVirtual opens a stream on the virtual device; cfg is checked except
// for the virtual source and output.
func openVirtual(info Info, cfg Config, cb Callback) (Stream, error) {
	s := &virtualStream{
		info:   info,
		rate:   cfg.Rate,
		buffer: cfg.Buffer,
		fast:   cfg.Fast,
		speed:  max(cfg.Speed, 1),
		cb:     cb,
		in:     make([][]float32, cfg.Inputs),
		out:    make([][]float32, cfg.Outputs),
	}
	s.ending.init()
	for c := range s.in {
		s.in[c] = make([]float32, cfg.Buffer)
	}
	for c := range s.out {
		s.out[c] = make([]float32, cfg.Buffer)
	}
	src := cfg.VirtualInput
	switch src.Kind {
	case "", "silence":
		s.kind = inSilence
	case "sine":
		s.kind = inSine
		f := src.Freq
		if f == 0 {
			f = 1000
		}
		if !(f > 0 && f < float64(cfg.Rate)/2) {
			return nil, newError(ErrConfig, nil, "the virtual device's sine must be between 0 and %d Hz; %g Hz is not", cfg.Rate/2, src.Freq)
		}
		s.step = 2 * math.Pi * f / float64(cfg.Rate)
	case "file":
		s.kind = inFile
		if src.Path == "" {
			return nil, newError(ErrConfig, nil, "the virtual device's input file was not given")
		}
	default:
		return nil, newError(ErrConfig, nil, "the virtual device's input must be \"silence\", \"sine\" or \"file\", not %q", src.Kind)
	}
	if s.kind == inFile && cfg.Inputs > 0 {
		if err := s.openInput(src, cfg); err != nil {
			return nil, err
		}
	}
	if cfg.VirtualOutput != "" {
		w, err := wav.Create(cfg.VirtualOutput, wav.Format{Rate: cfg.Rate, Channels: cfg.Outputs, Encoding: wav.Float32}, wav.WriterOptions{})
		if err != nil {
			s.closeInput()
			return nil, newError(ErrConfig, err, "the virtual device cannot write its output to %s: %v", cfg.VirtualOutput, err)
		}
		s.writer = w
		s.outPath = cfg.VirtualOutput
		s.outRing = ring.NewFrames(cfg.Outputs, max(8*cfg.Buffer, 4*fileBlock, cfg.Rate))
		s.outViews = make([][]float32, cfg.Outputs)
		s.outWake = make(chan struct{}, 1)
		s.outSpace = make(chan struct{}, 1)
		s.outQuit = make(chan struct{})
		s.outDone = make(chan struct{})
		go s.writeFile()
	}
	return s, nil
}

// openInput opens the input file and starts reading it ahead.
func (s *virtualStream) openInput(src VirtualSource, cfg Config) error {
	r, err := wav.Open(src.Path)
	if err != nil {
		var fe *wav.FormatError
		var oe *openfile.Error
		switch {
		case errors.As(err, &oe): // it names the file
			return newError(ErrConfig, err, "the virtual device cannot read its input file: %v", oe)
		case errors.As(err, &fe):
			return newError(ErrConfig, err, "the virtual device cannot read its input file %s: %s", src.Path, fe.Reason)
		}
		return newError(ErrConfig, err, "the virtual device cannot read its input file %s: %v", src.Path, fserr.Describe(err))
	}
	if f := r.Format(); f.Rate != cfg.Rate {
		r.Close()
		return newError(ErrConfig, nil, "the virtual device's input file %s is at %d Hz, but the stream runs at %d Hz", src.Path, f.Rate, cfg.Rate)
	}
	s.reader = r
	s.inPath = src.Path
	s.loop = src.Loop
	s.inRing = ring.NewFrames(cfg.Inputs, max(4*cfg.Buffer, 2*fileBlock, cfg.Rate/2))
	s.inScratch = make([][]float32, r.Format().Channels)
	for c := range s.inScratch {
		s.inScratch[c] = make([]float32, fileBlock)
	}
	s.inViews = make([][]float32, len(s.inScratch))
	s.inPart = make([][]float32, cfg.Inputs)
	s.inEnd.Store(-1)
	s.inData = make(chan struct{}, 1)
	s.inSpace = make(chan struct{}, 1)
	s.inQuit = make(chan struct{})
	s.inDone = make(chan struct{})
	go s.readFile()
	return nil
}

// signal wakes whoever waits on ch, without blocking.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// readFile reads the input file ahead into inRing until the file ends (or,
// with Loop, until Close).
func (s *virtualStream) readFile() {
	defer close(s.inDone)
	for {
		if s.inRing.Writable() < fileBlock {
			select {
			case <-s.inSpace:
				continue
			case <-s.inQuit:
				return
			}
		}
		n, err := s.reader.Read(s.inScratch)
		if n > 0 {
			s.inRing.Write(firstFrames(s.inViews, s.inScratch, n))
			signal(s.inData)
		}
		switch {
		case err == io.EOF || (err == nil && n == 0):
			if s.loop && s.reader.Frames() > 0 {
				if err := s.reader.Seek(0); err == nil {
					continue
				}
			}
			s.inEnd.Store(s.inRing.Written())
			signal(s.inData)
			return
		case err != nil:
			s.inErr = err
			s.inFailed.Store(true)
			s.inEnd.Store(s.inRing.Written())
			signal(s.inData)
			return
		}
	}
}

// writeFile writes outRing to the output file until Close, then drains it.
// It writes whole blocks of fileBlock frames (the ring's size is a multiple
// of it, so a block never straddles the wrap): the WAV writer's scratch
// buffer is allocated once, by the first write.
func (s *virtualStream) writeFile() {
	defer close(s.outDone)
	for {
		quit := false
		select {
		case <-s.outWake:
		case <-s.outQuit:
			quit = true
		}
		for quit || s.outRing.Readable() >= fileBlock {
			k := s.outRing.Peek(s.outViews, fileBlock)
			if k == 0 {
				break
			}
			if !s.outFailed.Load() {
				if err := s.writer.Write(s.outViews); err != nil {
					s.outErr = err
					s.outFailed.Store(true)
				}
			}
			s.outRing.Discard(k)
			signal(s.outSpace)
		}
		if quit {
			return
		}
	}
}

// framesToDuration converts frames at rate to a duration without overflow.
func framesToDuration(frames int64, rate int) time.Duration {
	r := int64(rate)
	return time.Duration(frames/r)*time.Second + time.Duration(frames%r)*time.Second/time.Duration(r)
}

// run is the driver: it calls the callback once per buffer, at the
// buffer's time (or at once, when fast), until stop is closed or the
// stream fails. It does not allocate.
func (s *virtualStream) run(stop <-chan struct{}, exited chan<- struct{}) {
	defer close(exited)
	// Not locked to an OS thread: each wait on a locked thread hands the
	// scheduler over to another thread and back (measured: an idle window
	// on the virtual device used 15 % of a core locked, 4 % unlocked).
	// Nothing here needs a thread of its own.
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	period := time.Duration(float64(framesToDuration(int64(s.buffer), s.rate)) / s.speed)
	base := time.Now()
	var n int64 // frames since base
	var inLost, outLate bool
	for {
		select {
		case <-stop:
			return
		default:
		}
		if s.outFailed.Load() {
			s.fail(newError(ErrDeviceLost, s.outErr, "the virtual device stopped: writing its output to %s failed: %v", s.outPath, s.outErr))
			return
		}
		if !s.fast {
			wait := time.Until(base.Add(time.Duration(float64(framesToDuration(n, s.rate)) / s.speed)))
			switch {
			case wait > 0:
				timer.Reset(wait)
				select {
				case <-stop:
					timer.Stop()
					return
				case <-timer.C:
				}
			case wait < -period:
				// More than a buffer late (the machine was busy): a device
				// would have played nothing meanwhile. Count it and start
				// the clock afresh rather than rush to catch up.
				outLate = true
				base, n = time.Now(), 0
			}
		}
		switch s.kind {
		case inSilence:
			for _, b := range s.in {
				clear(b)
			}
		case inSine:
			s.sine()
		case inFile:
			lost, ok := s.fileInput(stop)
			if !ok {
				return
			}
			inLost = inLost || lost
		}
		st := Status{InputOverflow: inLost, OutputUnderflow: outLate, Frame: s.frame.Load()}
		if inLost || outLate {
			s.xruns.Add(1)
		}
		inLost, outLate = false, false
		s.cb(s.in, s.out, st)
		s.frame.Store(st.Frame + int64(s.buffer))
		n += int64(s.buffer)
		if s.outRing != nil {
			// Fast: wait for the writer, so that the file holds every
			// buffer (it always catches up: after an error it discards).
			for s.outRing.Writable() < s.buffer && s.fast && !s.outFailed.Load() {
				<-s.outSpace
			}
			if s.outRing.Writable() >= s.buffer {
				s.outRing.Write(s.out)
				signal(s.outWake)
			} else {
				outLate = true // the writer fell behind: these frames are not in the file
			}
		}
	}
}

// sine fills the inputs with the sine.
func (s *virtualStream) sine() {
	if len(s.in) == 0 {
		return
	}
	b := s.in[0]
	for i := range b {
		b[i] = float32(SineLevel * math.Sin(s.phase))
		s.phase += s.step
		if s.phase >= 2*math.Pi {
			s.phase -= 2 * math.Pi
		}
	}
	for _, o := range s.in[1:] {
		copy(o, b)
	}
}

// fileInput fills the inputs from inRing. lost reports frames missing
// because the reader fell behind (real time only: fast waits for them);
// ok is false if the stream must end (stopped, or the file failed).
func (s *virtualStream) fileInput(stop <-chan struct{}) (lost, ok bool) {
	if s.inRing == nil { // no inputs opened
		return false, true
	}
	for {
		avail := s.inRing.Readable()
		if avail >= s.buffer {
			s.inRing.Read(s.in)
			signal(s.inSpace)
			return false, true
		}
		if end := s.inEnd.Load(); end >= 0 && s.inRing.Consumed()+int64(avail) >= end {
			if s.inFailed.Load() {
				s.fail(newError(ErrDeviceLost, s.inErr, "the virtual device stopped: reading its input file %s failed: %v", s.inPath, s.inErr))
				return false, false
			}
			s.readPadded(avail) // the file ended: silence after it
			return false, true
		}
		if !s.fast {
			s.readPadded(avail)
			return true, true
		}
		select {
		case <-s.inData:
		case <-stop:
			return false, false
		}
	}
}

// firstFrames points views[c] at the first n frames of b[c] and returns
// views.
func firstFrames(views, b [][]float32, n int) [][]float32 {
	for c := range views {
		views[c] = b[c][:n]
	}
	return views
}

// readPadded reads avail frames and fills the rest of the buffer with
// silence.
func (s *virtualStream) readPadded(avail int) {
	s.inRing.Read(firstFrames(s.inPart, s.in, avail))
	for _, b := range s.in {
		clear(b[avail:])
	}
	if avail > 0 {
		signal(s.inSpace)
	}
}

// fail ends the stream on its own with err.
func (s *virtualStream) fail(err error) { s.end(err) }

func (s *virtualStream) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return newError(ErrConfig, nil, "the stream on the virtual device is closed")
	case s.Err() != nil:
		return s.Err()
	case s.running:
		return nil
	}
	if s.inRing != nil && !s.fast {
		// Let the reader get ahead before the clock starts.
		for t0 := time.Now(); time.Since(t0) < 2*time.Second; time.Sleep(time.Millisecond) {
			if s.inRing.Writable() < fileBlock || s.inEnd.Load() >= 0 {
				break
			}
		}
	}
	s.stop = make(chan struct{})
	s.exited = make(chan struct{})
	s.running = true
	go s.run(s.stop, s.exited)
	return nil
}

func (s *virtualStream) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopLocked()
	return nil
}

func (s *virtualStream) stopLocked() {
	if !s.running {
		return
	}
	close(s.stop)
	<-s.exited
	s.running = false
}

func (s *virtualStream) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.stopLocked()
	s.closed = true
	s.closeInput()
	if s.writer == nil {
		return nil
	}
	close(s.outQuit)
	<-s.outDone
	err := s.writer.Close()
	if s.outFailed.Load() {
		err = s.outErr
	}
	if err != nil {
		return newError(ErrConfig, err, "the virtual device could not finish its output file %s: %v", s.outPath, err)
	}
	return nil
}

// closeInput stops the reader and closes the input file.
func (s *virtualStream) closeInput() {
	if s.reader == nil {
		return
	}
	close(s.inQuit)
	<-s.inDone
	s.reader.Close()
	s.reader = nil
}

func (s *virtualStream) Info() Info         { return s.info }
func (s *virtualStream) Rate() int          { return s.rate }
func (s *virtualStream) Buffer() int        { return s.buffer }
func (s *virtualStream) InputLatency() int  { return 0 }
func (s *virtualStream) OutputLatency() int { return 0 }
func (s *virtualStream) Xruns() int64       { return s.xruns.Load() }
