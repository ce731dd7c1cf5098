package playfile_test

// The tests play files on the virtual device, whose output goes to a WAV
// file (device.Config.VirtualOutput), and compare it with the file played.
// With Config.Fast, the device runs as fast as it can; the others run in
// real time, for what needs time to pass (Pause, a Seek while playing,
// Close while playing).

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/device"
	"sangstudio/audio/playfile"
	"sangstudio/audio/resample"
	"sangstudio/audio/wav"
)

// sample is the test signal: a different value for each channel and frame,
// never 0, exact in 16-bit (and so in float32).
func sample(c int, i int64) float32 {
	x := uint64(i)*16 + uint64(c) + 0x9E3779B97F4A7C15
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	v := int32(x>>48) - 32768
	if v == 0 {
		v = 1
	}
	return float32(v) / 32768
}

// writeFile writes a WAV file of frames frames of f(c, i).
func writeFile(t *testing.T, name string, f wav.Format, frames int, fn func(c int, i int64) float32) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	w, err := wav.Create(path, f, wav.WriterOptions{NoDither: true})
	if err != nil {
		t.Fatal(err)
	}
	buf := make([][]float32, f.Channels)
	for c := range buf {
		buf[c] = make([]float32, frames)
		for i := range buf[c] {
			buf[c][i] = fn(c, int64(i))
		}
	}
	if err := w.Write(buf); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// readFile reads a whole WAV file.
func readFile(t *testing.T, path string) (wav.Format, [][]float32) {
	t.Helper()
	r, err := wav.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f := r.Format()
	out := make([][]float32, f.Channels)
	for c := range out {
		out[c] = make([]float32, r.Frames())
	}
	if n, err := r.Read(out); int64(n) != r.Frames() {
		t.Fatalf("reading %s: %d of %d frames: %v", path, n, r.Frames(), err)
	}
	return f, out
}

// open opens path on the virtual device, its output going to a file.
func open(t *testing.T, path string, cfg device.Config) (*playfile.Player, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.wav")
	cfg.Device = device.VirtualID
	cfg.VirtualOutput = out
	p, err := playfile.OpenConfig(path, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p, out
}

// wait waits for the end of the play-through.
func wait(t *testing.T, p *playfile.Player, limit time.Duration) {
	t.Helper()
	select {
	case <-p.Done():
	case <-time.After(limit):
		t.Fatalf("Done not closed after %v (position %d of %d, playing %v)", limit, p.Position(), p.Length(), p.Playing())
	}
}

// played returns the output's non-silent frames (the test signal is never
// 0), and checks that the output is stereo.
func played(t *testing.T, out string, rate int) [][2]float32 {
	t.Helper()
	f, data := readFile(t, out)
	if f.Channels != 2 || f.Rate != rate {
		t.Fatalf("the output is %+v, want stereo at %d Hz", f, rate)
	}
	var frames [][2]float32
	for i := range data[0] {
		if data[0][i] != 0 || data[1][i] != 0 {
			frames = append(frames, [2]float32{data[0][i], data[1][i]})
		}
	}
	return frames
}

// want is the file's frames from..to as the player plays them (mono on
// both outputs).
func want(channels int, from, to int64) [][2]float32 {
	var w [][2]float32
	for i := from; i < to; i++ {
		r := sample(1, i)
		if channels == 1 {
			r = sample(0, i)
		}
		w = append(w, [2]float32{sample(0, i), r})
	}
	return w
}

// same reports the first difference between got and want.
func same(t *testing.T, what string, got, want [][2]float32) {
	t.Helper()
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("%s: frame %d is %v, want %v", what, i, got[i], want[i])
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d frames, want %d", what, len(got), len(want))
	}
}

func TestPlay(t *testing.T) {
	for _, c := range []struct {
		name   string
		format wav.Format
		frames int
	}{
		{"16-bit stereo 48000", wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM16}, 30011},
		{"float mono 44100", wav.Format{Rate: 44100, Channels: 1, Encoding: wav.Float32}, 22050},
		{"24-bit 4 channels 96000", wav.Format{Rate: 96000, Channels: 4, Encoding: wav.PCM24}, 50000},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := writeFile(t, "song.wav", c.format, c.frames, sample)
			p, out := open(t, path, device.Config{Fast: true})
			if p.Length() != int64(c.frames) || p.Rate() != c.format.Rate || p.Position() != 0 || p.Playing() {
				t.Errorf("before Play: length %d, rate %d, position %d, playing %v", p.Length(), p.Rate(), p.Position(), p.Playing())
			}
			if d := p.Device(); d.ID != device.VirtualID {
				t.Errorf("Device() = %+v", d)
			}
			p.Play()
			wait(t, p, 20*time.Second)
			if p.Playing() || p.Position() != p.Length() || p.Err() != nil || p.Underruns() != 0 {
				t.Errorf("at the end: playing %v, position %d of %d, err %v, %d underruns", p.Playing(), p.Position(), p.Length(), p.Err(), p.Underruns())
			}
			if err := p.Close(); err != nil {
				t.Fatal(err)
			}
			same(t, "output", played(t, out, c.format.Rate), want(min(c.format.Channels, 2), 0, int64(c.frames)))
		})
	}
}

// TestPlayExactOutput: the output file starts with the file's frames, and
// only silence follows.
func TestPlayExactOutput(t *testing.T) {
	path := writeFile(t, "song.wav", wav.Format{Rate: 48000, Channels: 2, Encoding: wav.Float32}, 10000, sample)
	p, out := open(t, path, device.Config{Fast: true, Buffer: 64})
	p.Play()
	wait(t, p, 20*time.Second)
	p.Close()
	_, data := readFile(t, out)
	for i := range data[0] {
		w0, w1 := float32(0), float32(0)
		if i < 10000 {
			w0, w1 = sample(0, int64(i)), sample(1, int64(i))
		}
		if data[0][i] != w0 || data[1][i] != w1 {
			t.Fatalf("output frame %d: [%v %v], want [%v %v]", i, data[0][i], data[1][i], w0, w1)
		}
	}
	t.Logf("%d frames of output for 10000 of file", len(data[0]))
}

func TestSeek(t *testing.T) {
	const frames = 48000
	path := writeFile(t, "song.wav", wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM16}, frames, sample)
	p, out := open(t, path, device.Config{Fast: true})
	p.Seek(12345)
	if p.Position() != 12345 {
		t.Errorf("Position() after Seek(12345) = %d", p.Position())
	}
	p.Play()
	wait(t, p, 20*time.Second)
	if p.Position() != frames {
		t.Errorf("Position() at the end = %d", p.Position())
	}
	// Past the end: clamped; playing it ends at once.
	p.Seek(frames + 100)
	if p.Position() != frames {
		t.Errorf("Position() after Seek past the end = %d", p.Position())
	}
	p.Play()
	wait(t, p, 20*time.Second)
	p.Seek(-5)
	if p.Position() != 0 {
		t.Errorf("Position() after Seek(-5) = %d", p.Position())
	}
	p.Close()
	same(t, "output", played(t, out, 48000), want(2, 12345, frames))
}

// TestSeekWhilePlaying: the output is the file up to some frame, then from
// the frame sought, with nothing lost, repeated or changed.
func TestSeekWhilePlaying(t *testing.T) {
	const frames = 2 * 48000
	path := writeFile(t, "song.wav", wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM16}, frames, sample)
	p, out := open(t, path, device.Config{})
	p.Play()
	deadline := time.Now().Add(10 * time.Second)
	for p.Position() < 12000 {
		if time.Now().After(deadline) {
			t.Fatalf("position %d after 10 s", p.Position())
		}
		time.Sleep(time.Millisecond)
	}
	p.Seek(72000)
	if got := p.Position(); got < 72000 || got > 72000+4096 {
		t.Errorf("Position() right after Seek(72000) = %d", got)
	}
	if !p.Playing() {
		t.Error("not playing after a Seek while playing")
	}
	wait(t, p, 20*time.Second)
	p.Close()
	got := played(t, out, 48000)
	k := 0
	for k < len(got) && got[k] == want(2, int64(k), int64(k)+1)[0] {
		k++
	}
	t.Logf("seeked after %d frames; %d underruns", k, p.Underruns())
	if k < 12000 || k > 72000 {
		t.Fatalf("the file played up to frame %d before the Seek", k)
	}
	same(t, "output after the Seek", got[k:], want(2, 72000, frames))
}

// TestPause: Pause stops playback where it is, Play resumes there: the
// output is the whole file, once.
func TestPause(t *testing.T) {
	const frames = 48000
	path := writeFile(t, "song.wav", wav.Format{Rate: 48000, Channels: 1, Encoding: wav.PCM16}, frames, sample)
	p, out := open(t, path, device.Config{})
	p.Play()
	time.Sleep(200 * time.Millisecond)
	p.Pause()
	if p.Playing() {
		t.Error("playing after Pause")
	}
	pos := p.Position()
	time.Sleep(100 * time.Millisecond)
	if p.Position() != pos || pos <= 0 || pos >= frames {
		t.Errorf("paused at %d, then at %d", pos, p.Position())
	}
	select {
	case <-p.Done():
		t.Fatal("Done closed by Pause")
	default:
	}
	p.Play()
	wait(t, p, 20*time.Second)
	p.Close()
	t.Logf("paused at frame %d", pos)
	same(t, "output", played(t, out, 48000), want(1, 0, frames))
}

// TestPlayAgain: Play at the end plays the file again from the start, with
// a new Done.
func TestPlayAgain(t *testing.T) {
	path := writeFile(t, "song.wav", wav.Format{Rate: 48000, Channels: 2, Encoding: wav.Float32}, 5000, sample)
	p, out := open(t, path, device.Config{Fast: true})
	p.Play()
	wait(t, p, 20*time.Second)
	first := p.Done()
	p.Play()
	if p.Done() == first {
		t.Fatal("the same Done for the second play-through")
	}
	wait(t, p, 20*time.Second)
	p.Close()
	same(t, "output", played(t, out, 48000), append(want(2, 0, 5000), want(2, 0, 5000)...))
}

// TestResample: a 44100 Hz file on a 48000 Hz stream, from the start and
// after a Seek: a sine of each channel's frequency, within -60 dB.
func TestResample(t *testing.T) {
	const frames = 22050
	freq := [2]float64{441, 1000}
	sine := func(c int, i int64) float32 { return float32(0.5 * math.Sin(2*math.Pi*freq[c]*float64(i)/44100)) }
	path := writeFile(t, "song.wav", wav.Format{Rate: 44100, Channels: 2, Encoding: wav.Float32}, frames, sine)
	for _, from := range []int64{0, 11025} {
		p, out := open(t, path, device.Config{Fast: true, Rate: 48000})
		if p.Rate() != 44100 || p.Length() != frames {
			t.Errorf("rate %d, length %d", p.Rate(), p.Length())
		}
		p.Seek(from)
		p.Play()
		wait(t, p, 20*time.Second)
		if p.Position() != frames {
			t.Errorf("from %d: position at the end %d", from, p.Position())
		}
		p.Close()
		f, data := readFile(t, out)
		if f.Rate != 48000 {
			t.Fatalf("the output runs at %d Hz", f.Rate)
		}
		n := int(resample.OutputFrames(frames-from, 44100, 48000))
		// The file's sine starts and stops abruptly: the filter rings
		// there, so the first and last 10 ms are left out.
		edge := 480
		worst := 0.0
		for c := range 2 {
			for j := edge; j < n-edge; j++ {
				w := 0.5 * math.Sin(2*math.Pi*freq[c]*(float64(from)/44100+float64(j)/48000))
				worst = max(worst, math.Abs(float64(data[c][j])-w))
			}
			for j := n + edge; j < len(data[c]); j++ {
				if data[c][j] != 0 {
					t.Fatalf("from %d: output frame %d (after the file's %d) is %v, not silence", from, j, n, data[c][j])
				}
			}
		}
		t.Logf("from %d: %d frames at 48000 Hz, largest error %.2g (%.1f dB)", from, n, worst, 20*math.Log10(worst))
		if worst > 1e-3 {
			t.Errorf("from %d: the resampled sine is off by up to %g", from, worst)
		}
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "song.wav")
	os.WriteFile(bad, []byte("hello, this is not audio at all"), 0o600)
	_, err := playfile.Open(bad, device.VirtualID)
	var fe *wav.FormatError
	if err == nil || !strings.HasPrefix(err.Error(), bad+": not a WAV file") || !errors.As(err, &fe) {
		t.Errorf("a text file: %v", err)
	}
	t.Logf("a text file: %v", err)

	missing := filepath.Join(dir, "gone.wav")
	_, err = playfile.Open(missing, device.VirtualID)
	if err == nil || err.Error() != missing+": there is no such file" || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}

	empty := filepath.Join(dir, "empty.wav")
	os.WriteFile(empty, nil, 0o600)
	_, err = playfile.Open(empty, device.VirtualID)
	if err == nil || err.Error() != empty+": empty file (0 bytes)" {
		t.Errorf("an empty file: %v", err)
	}

	good := writeFile(t, "good.wav", wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM16}, 100, sample)
	_, err = playfile.Open(good, "no such device")
	if err == nil || !strings.HasPrefix(err.Error(), good+" cannot be played: ") || !errors.Is(err, device.ErrNotFound) {
		t.Errorf("an unknown device: %v", err)
	}
	t.Logf("an unknown device: %v", err)
}

// TestClose: Close while playing returns at once, ends the play-through,
// and the player does nothing afterwards.
func TestClose(t *testing.T) {
	path := writeFile(t, "long.wav", wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM16}, 10*48000, sample)
	for _, fast := range []bool{false, true} {
		p, out := open(t, path, device.Config{Fast: fast})
		p.Play()
		time.Sleep(300 * time.Millisecond)
		t0 := time.Now()
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		took := time.Since(t0)
		t.Logf("fast %v: Close took %v, at frame %d", fast, took, p.Position())
		if took > 500*time.Millisecond {
			t.Errorf("fast %v: Close took %v", fast, took)
		}
		select {
		case <-p.Done():
		default:
			t.Error("Done not closed by Close")
		}
		if p.Playing() {
			t.Error("playing after Close")
		}
		if err := p.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		p.Play()
		p.Seek(0)
		p.Pause()
		if p.Playing() {
			t.Error("Play after Close plays")
		}
		got := played(t, out, 48000)
		same(t, "output", got, want(2, 0, int64(len(got))))
	}
}
