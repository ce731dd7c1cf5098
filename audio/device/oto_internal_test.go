package device

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"sync/atomic"
	"testing"
	"time"
)

// otoValue is what the test callbacks write: a different value for each
// channel and frame, exact in float32.
func otoValue(c int, frame int64) float32 {
	return float32(frame%30000)/32768 + float32(c)/4
}

// decode turns what Read gave into frames of two float32.
func decode(t *testing.T, b []byte) [][2]float32 {
	t.Helper()
	if len(b)%otoFrameBytes != 0 {
		t.Fatalf("Read gave %d bytes: not whole frames", len(b))
	}
	f := make([][2]float32, len(b)/otoFrameBytes)
	for i := range f {
		f[i][0] = math.Float32frombits(binary.LittleEndian.Uint32(b[8*i:]))
		f[i][1] = math.Float32frombits(binary.LittleEndian.Uint32(b[8*i+4:]))
	}
	return f
}

// TestOtoReader: Read interleaves the callback's output into little-endian
// float32, one callback per Read at most, whatever the size oto asks for;
// the frames run on across calls, and Status.Frame counts them.
func TestOtoReader(t *testing.T) {
	for _, outputs := range []int{1, 2} {
		const buffer = 64
		var calls int
		var badStatus bool
		r := newOtoReader(func(in, out [][]float32, st Status) {
			if len(in) != 0 || len(out) != outputs || len(out[0]) != buffer || st.Frame != int64(calls*buffer) {
				badStatus = true
			}
			for c, o := range out {
				for i := range o {
					o[i] = otoValue(c, st.Frame+int64(i))
				}
			}
			calls++
		}, outputs, buffer)
		r.running.Store(true)
		var got [][2]float32
		// Sizes in bytes: whole buffers, several buffers, partial frames,
		// less than a frame, odd sizes.
		for _, size := range []int{8 * buffer, 3 * 8 * buffer, 1000, 7, 100, 8, 4096, 13, 8 * buffer} {
			p := make([]byte, size)
			before := calls
			n, err := r.Read(p)
			if err != nil {
				t.Fatalf("Read(%d bytes): %v", size, err)
			}
			if calls-before > 1 {
				t.Errorf("Read(%d bytes) called the callback %d times", size, calls-before)
			}
			if n > size || n%otoFrameBytes != 0 {
				t.Fatalf("Read(%d bytes) = %d", size, n)
			}
			if size >= otoFrameBytes && n == 0 {
				t.Errorf("Read(%d bytes) gave nothing", size)
			}
			got = append(got, decode(t, p[:n])...)
		}
		if badStatus {
			t.Errorf("outputs %d: the callback got wrong slices or Status.Frame", outputs)
		}
		for i, f := range got {
			l, rt := otoValue(0, int64(i)), otoValue(1, int64(i))
			if outputs == 1 {
				rt = l // mono plays on both channels
			}
			if f[0] != l || f[1] != rt {
				t.Fatalf("outputs %d: frame %d is %v, want [%v %v]", outputs, i, f, l, rt)
			}
		}
		t.Logf("outputs %d: %d frames in order over %d callbacks", outputs, len(got), calls)
	}
}

// TestOtoReaderStopped: a stream that is not started gives silence without
// calling the callback (oto keeps reading); a closed one gives io.EOF.
func TestOtoReaderStopped(t *testing.T) {
	calls := 0
	r := newOtoReader(func(in, out [][]float32, st Status) {
		for _, o := range out {
			for i := range o {
				o[i] = 0.5
			}
		}
		calls++
	}, 2, 64)
	p := make([]byte, 1001)
	for i := range p {
		p[i] = 0xAA
	}
	n, err := r.Read(p)
	if err != nil || n != 1000 || calls != 0 {
		t.Fatalf("stopped: Read = %d, %v after %d callbacks; want 1000 bytes of silence", n, err, calls)
	}
	for _, f := range decode(t, p[:n]) {
		if f != [2]float32{} {
			t.Fatalf("stopped: not silence: %v", f)
		}
	}
	// Started, then stopped half-way through a callback's output: the rest
	// of it still goes out, then silence.
	r.running.Store(true)
	if n, _ := r.Read(p[:8*16]); n != 8*16 || calls != 1 {
		t.Fatalf("running: Read = %d after %d callbacks", n, calls)
	}
	if !r.stop(time.Second) {
		t.Fatal("stop: timed out")
	}
	n, _ = r.Read(p)
	if n != 8*48 || calls != 1 {
		t.Fatalf("after stop: Read = %d bytes (want the 48 frames left) after %d callbacks", n, calls)
	}
	n, _ = r.Read(p)
	if f := decode(t, p[:n]); n != 1000 || f[0] != [2]float32{} || calls != 1 {
		t.Fatalf("after stop: Read = %d bytes, %v after %d callbacks; want silence", n, f[0], calls)
	}
	r.closed.Store(true)
	if n, err := r.Read(p); n != 0 || err != io.EOF {
		t.Fatalf("closed: Read = %d, %v; want io.EOF", n, err)
	}
	// Closed half-way through a callback's output: the rest, then io.EOF.
	r.closed.Store(false)
	r.running.Store(true)
	r.Read(p[:8*10])
	r.stop(time.Second)
	r.closed.Store(true)
	if n, err := r.Read(p); n != 8*54 || err != nil {
		t.Fatalf("closed with 54 frames left: Read = %d, %v", n, err)
	}
	if n, err := r.Read(p); n != 0 || err != io.EOF {
		t.Fatalf("closed, then: Read = %d, %v; want io.EOF", n, err)
	}
}

// TestOtoReaderAllocs: Read (and the callback it calls) does not allocate.
func TestOtoReaderAllocs(t *testing.T) {
	r := newOtoReader(func(in, out [][]float32, st Status) {
		for c, o := range out {
			for i := range o {
				o[i] = otoValue(c, st.Frame+int64(i))
			}
		}
	}, 2, 256)
	r.running.Store(true)
	p := make([]byte, 4800*otoFrameBytes)
	for _, size := range []int{len(p), 1000, 8 * 256} {
		if a := testing.AllocsPerRun(200, func() { r.Read(p[:size]) }); a != 0 {
			t.Errorf("Read(%d bytes): %v allocations per call", size, a)
		}
	}
	r.running.Store(false)
	if a := testing.AllocsPerRun(200, func() { r.Read(p) }); a != 0 {
		t.Errorf("Read while stopped: %v allocations per call", a)
	}
}

// TestOtoReaderStop: while another goroutine reads as oto does, stop
// returns promptly and no callback runs after it; what the callback wrote
// is visible (run with -race).
func TestOtoReaderStop(t *testing.T) {
	var calls atomic.Int64
	var inCallback atomic.Bool
	var last float32 // written by the callback only, read after stop
	r := newOtoReader(func(in, out [][]float32, st Status) {
		inCallback.Store(true)
		time.Sleep(200 * time.Microsecond) // a slow callback (tests only)
		last = float32(st.Frame)
		for _, o := range out {
			clear(o)
		}
		calls.Add(1)
		inCallback.Store(false)
	}, 2, 64)
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		p := make([]byte, 4096)
		for {
			select {
			case <-quit:
				return
			default:
			}
			r.Read(p)
		}
	}()
	defer func() { close(quit); <-done }()
	for round := 0; round < 50; round++ {
		r.running.Store(true)
		for c := calls.Load(); calls.Load() < c+3; {
			time.Sleep(50 * time.Microsecond)
		}
		t0 := time.Now()
		if !r.stop(time.Second) {
			t.Fatal("stop timed out")
		}
		if d := time.Since(t0); d > 100*time.Millisecond {
			t.Errorf("stop took %v", d)
		}
		if inCallback.Load() {
			t.Fatal("the callback runs after stop returned")
		}
		n := calls.Load()
		if want := float32((n - 1) * 64); last != want { // visible, without a race, after stop
			t.Fatalf("round %d: the last callback wrote %v, want %v", round, last, want)
		}
		time.Sleep(2 * time.Millisecond)
		if calls.Load() != n {
			t.Fatalf("round %d: %d callbacks after stop", round, calls.Load()-n)
		}
	}
}

// TestSpeakersChecks: the device's description, and the checks of Open that
// come before oto is touched.
func TestSpeakersChecks(t *testing.T) {
	info := speakersInfo()
	if info.ID != "speakers" || info.Inputs != 0 || info.Outputs != 2 || info.Virtual || info.Default {
		t.Errorf("speakersInfo() = %+v", info)
	}
	if shortHostAPI(info.HostAPI) == "ALSA" || shortHostAPI(info.HostAPI) == "JACK" {
		t.Errorf("HostAPI %q is a PortAudio host API's name", info.HostAPI)
	}
	for _, c := range []struct {
		cfg  Config
		kind error
		want string
	}{
		{Config{Device: SpeakersID, Inputs: 2, Outputs: 2}, ErrChannels,
			`the audio device "System sound output (playback only, no recording)" (ALSA via oto) has no inputs: it can only play, not record`},
		{Config{Device: SpeakersID, Outputs: 3}, ErrChannels,
			`the audio device "System sound output (playback only, no recording)" (ALSA via oto) has 2 outputs; 3 were asked for`},
		{Config{Device: SpeakersID}, ErrChannels, `at least one output channel is needed (the stream is paced by its output)`},
		{Config{Device: SpeakersID, Rate: 32000, Outputs: 2}, ErrUnsupportedRate, `Sangstudio runs at 44100, 48000 or 96000 Hz; 32000 Hz is not one of them`},
		{Config{Device: SpeakersID, Buffer: 4096, Outputs: 2}, ErrBufferSize, `the buffer size must be between 64 and 2048 frames; 4096 is not`},
	} {
		s, err := Open(c.cfg, func(in, out [][]float32, st Status) {})
		if err == nil {
			s.Close()
			t.Errorf("Open(%+v) succeeded", c.cfg)
			continue
		}
		if !errors.Is(err, c.kind) || err.Error() != c.want {
			t.Errorf("Open(%+v):\n got  %v\n want %s (wrapping %v)", c.cfg, err, c.want, c.kind)
		}
	}
}

func TestOtoPlayerFrames(t *testing.T) {
	for _, c := range []struct{ rate, buffer, want int }{
		{48000, 256, 4800},
		{44100, 2048, 4410},
		{96000, 256, 9600},
		{44100, 64, 4410},
	} {
		got := otoPlayerFrames(c.rate, c.buffer)
		if got != c.want || got < 2*otoALSAPeriod+c.buffer {
			t.Errorf("otoPlayerFrames(%d, %d) = %d, want %d", c.rate, c.buffer, got, c.want)
		}
	}
}
