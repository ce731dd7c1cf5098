package master_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"sangstudio/audio/demosong"
	"sangstudio/audio/encode"
	"sangstudio/audio/loudness"
	"sangstudio/audio/master"
	"sangstudio/audio/render"
	"sangstudio/audio/wav"
	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
)

// music makes seconds of music-like stereo material: a chord progression of
// decaying harmonic notes, a bass line, kick and snare-like bursts, with a
// quiet verse and a loud chorus, scaled so its peak is at peakDB.
func music(rate int, seconds float64, peakDB float64, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 99))
	n := int(seconds * float64(rate))
	x := [][]float32{make([]float32, n), make([]float32, n)}
	beat := int(0.5 * float64(rate)) // 120 BPM
	chords := [][]float64{{220, 277.2, 329.6}, {196, 246.9, 293.7}, {174.6, 220, 261.6}, {196, 246.9, 329.6}}
	for b := 0; b*beat < n; b++ {
		start := b * beat
		section := 0.5 // verse
		if (b/16)%2 == 1 {
			section = 1 // chorus
		}
		ch := chords[(b/4)%len(chords)]
		for i := start; i < min(n, start+2*beat); i++ {
			t := float64(i-start) / float64(rate)
			env := math.Exp(-t * 2.5)
			v := 0.0
			for j, f := range ch {
				for h := 1; h <= 4; h++ {
					v += math.Sin(2*math.Pi*f*float64(h)*t+float64(j)) / float64(h*h)
				}
			}
			bass := math.Sin(2*math.Pi*ch[0]/4*t) * math.Exp(-t*1.5)
			pan := 0.5 + 0.3*math.Sin(float64(b))
			x[0][i] += float32(section * 0.12 * (v*env*(1-pan) + bass))
			x[1][i] += float32(section * 0.12 * (v*env*pan + bass))
		}
		// kick on 1 and 3, snare on 2 and 4
		for i := start; i < min(n, start+beat/2); i++ {
			t := float64(i-start) / float64(rate)
			var d float64
			if b%2 == 0 {
				d = math.Sin(2*math.Pi*(50+100*math.Exp(-t*30))*t) * math.Exp(-t*12)
			} else {
				d = rng.NormFloat64() * 0.5 * math.Exp(-t*25)
			}
			x[0][i] += float32(section * 0.3 * d)
			x[1][i] += float32(section * 0.3 * d)
		}
	}
	peak := 0.0
	for c := range x {
		for _, v := range x[c] {
			peak = max(peak, math.Abs(float64(v)))
		}
	}
	g := math.Pow(10, peakDB/20) / peak
	for c := range x {
		for i := range x[c] {
			x[c][i] = float32(float64(x[c][i]) * g)
		}
	}
	return x
}

func writeMix(t *testing.T, rate int, x [][]float32) string {
	path := filepath.Join(t.TempDir(), "mix.wav")
	wavtest.Write(t, path, rate, x)
	return path
}

func measure(t *testing.T, path string) loudness.Result {
	t.Helper()
	r, err := loudness.MeasureFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// ffmpegLoudness measures a file with ffmpeg's ebur128 filter, the
// independent implementation: integrated LUFS and true peak dBTP.
func ffmpegLoudness(t *testing.T, path string) (i, tp float64, ok bool) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		return 0, 0, false
	}
	out, err := exec.Command("ffmpeg", "-nostats", "-hide_banner", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-").CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	s := string(out)
	s = s[strings.LastIndex(s, "Summary:"):]
	num := func(re string) float64 {
		m := regexp.MustCompile(re).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no %s in ffmpeg's summary:\n%s", re, s)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v
	}
	return num(`I:\s+(-?[\d.]+) LUFS`), num(`Peak:\s+(-?[\d.]+) dBFS`), true
}

func TestNormalizesToTheTargetAndKeepsTheCeiling(t *testing.T) {
	cases := []struct {
		rate   int
		peak   float64 // input peak, dBFS
		preset master.Preset
		format encode.Format
	}{
		{48000, -12, master.Streaming(), encode.WAV16},
		{48000, -12, master.CD(), encode.WAV16},
		{44100, -3, master.Streaming(), encode.WAV24},
		{44100, -20, master.CD(), encode.FLAC16},
		{48000, +6, master.Streaming(), encode.WAV16}, // a float mix that clips
	}
	for _, tc := range cases {
		in := writeMix(t, tc.rate, music(tc.rate, 40, tc.peak, uint64(tc.rate)))
		out := filepath.Join(t.TempDir(), "master"+tc.format.Ext())
		rep, err := master.File(context.Background(), in, master.OptionsFor(tc.preset, -1), []master.Output{{Path: out, Format: tc.format, Tags: encode.Tags{Title: "Test"}}})
		if err != nil {
			t.Fatal(err)
		}
		measured := rep.Output
		if tc.format != encode.FLAC16 {
			measured = measure(t, out) // the file itself, after dither
		}
		t.Logf("%d Hz, peak %+.0f dBFS, %s: in %.2f LUFS → out %.2f LUFS, %.2f dBTP, gain %+.1f dB, limiter at most %.1f dB, %d passes",
			tc.rate, tc.peak, tc.preset.Name, rep.Input.Integrated, measured.Integrated, measured.TruePeak, rep.GainDB, rep.MaxReduction, rep.Passes)
		if d := math.Abs(measured.Integrated - tc.preset.Target); d > 0.5 {
			t.Errorf("%s: %.2f LUFS is %.2f LU from the target %.0f", tc.preset.Name, measured.Integrated, d, tc.preset.Target)
		}
		if measured.TruePeak > -1 {
			t.Errorf("%s: true peak %.3f dBTP is above the -1 dBTP ceiling", tc.preset.Name, measured.TruePeak)
		}
		if fi, tp, ok := ffmpegLoudness(t, out); ok {
			// ffmpeg prints one decimal: allow its rounding on top.
			if d := math.Abs(fi - tc.preset.Target); d > 0.55 {
				t.Errorf("ffmpeg measures %.1f LUFS, target %.0f", fi, tc.preset.Target)
			}
			if tp > -1+0.05 {
				t.Errorf("ffmpeg measures a true peak of %.1f dBTP, above the ceiling", tp)
			}
		}
	}
}

func TestOffStillLimits(t *testing.T) {
	in := writeMix(t, 48000, music(48000, 20, +4, 5))
	out := filepath.Join(t.TempDir(), "off.wav")
	rep, err := master.File(context.Background(), in, master.OptionsFor(master.Off(), -1), []master.Output{{Path: out, Format: encode.WAV16}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.GainDB != 0 {
		t.Errorf("Off applied %v dB of gain", rep.GainDB)
	}
	if r := measure(t, out); r.TruePeak > -1 {
		t.Errorf("true peak %.2f dBTP above the ceiling with normalization off", r.TruePeak)
	}
	if rep.MaxReduction > -4 {
		t.Errorf("the limiter took off only %.1f dB from a mix peaking at +4 dBFS", rep.MaxReduction)
	}
}

// The demo song, mastered for streaming into MP3, FLAC and WAV at once:
// every file is there, the MP3 decodes without clipping, and the limiter
// works gently (no pumping: little gain reduction, seldom).
func TestDemoSongAllFormats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	s, err := demosong.Create(dir, 48000)
	if err != nil {
		t.Fatal(err)
	}
	outDir := t.TempDir()
	var outs []master.Output
	for _, f := range []encode.Format{encode.MP3, encode.FLAC16, encode.WAV16} {
		outs = append(outs, master.Output{Path: filepath.Join(outDir, "Demo"+f.Ext()), Format: f, Tags: encode.Tags{Title: "Demo", Artist: "Kari"}})
	}
	rep, err := master.Song(context.Background(), dir, s, master.OptionsFor(master.Streaming(), -1), outs)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("demo: %.2f → %.2f LUFS, true peak %.2f dBTP, gain %+.1f dB, limiter at most %.1f dB, %d passes",
		rep.Input.Integrated, rep.Output.Integrated, rep.Output.TruePeak, rep.GainDB, rep.MaxReduction, rep.Passes)
	if len(rep.Files) != 3 {
		t.Fatalf("files %v", rep.Files)
	}
	w := measure(t, outs[2].Path)
	if math.Abs(w.Integrated+14) > 0.5 || w.TruePeak > -1 {
		t.Errorf("WAV: %.2f LUFS, %.2f dBTP", w.Integrated, w.TruePeak)
	}
	if rep.MaxReduction < -6 {
		t.Errorf("the limiter took off %.1f dB on the demo: it would pump", rep.MaxReduction)
	}
	if _, err := exec.LookPath("ffmpeg"); err == nil {
		dec := filepath.Join(t.TempDir(), "mp3.wav")
		if out, err := exec.Command("ffmpeg", "-v", "error", "-i", outs[0].Path, "-c:a", "pcm_f32le", dec).CombinedOutput(); err != nil {
			t.Fatalf("ffmpeg decode: %v %s", err, out)
		}
		r := measure(t, dec)
		t.Logf("MP3 decoded: %.2f LUFS, sample peak %.2f dBFS, true peak %.2f dBTP", r.Integrated, r.SamplePeak, r.TruePeak)
		if r.SamplePeak >= 0 {
			t.Errorf("the MP3 clips when decoded: sample peak %.2f dBFS", r.SamplePeak)
		}
		if math.Abs(r.Integrated+14) > 0.5 {
			t.Errorf("the MP3 is at %.2f LUFS", r.Integrated)
		}
	}
	// The CD preset needs the limiter on the demo: it works, gently.
	cd, err := master.Song(context.Background(), dir, s, master.OptionsFor(master.CD(), -1), []master.Output{{Path: filepath.Join(outDir, "cd.wav"), Format: encode.WAV16}})
	if err != nil {
		t.Fatal(err)
	}
	r := measure(t, filepath.Join(outDir, "cd.wav"))
	t.Logf("demo, CD preset: %.2f LUFS, %.2f dBTP, limiter at most %.1f dB", r.Integrated, r.TruePeak, cd.MaxReduction)
	if math.Abs(r.Integrated+10) > 0.5 || r.TruePeak > -1 || cd.MaxReduction > -0.5 || cd.MaxReduction < -6 {
		t.Errorf("demo, CD preset: %.2f LUFS, %.2f dBTP, limiter at most %.1f dB", r.Integrated, r.TruePeak, cd.MaxReduction)
	}
	// Nothing is left in the song's cache.
	left, _ := filepath.Glob(filepath.Join(dir, ".cache", "master-*"))
	if len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestCancelLeavesNothing(t *testing.T) {
	in := writeMix(t, 48000, music(48000, 20, -10, 3))
	outDir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	opt := master.OptionsFor(master.Streaming(), -1)
	opt.Progress = func(st master.Stage, done, total int64) {
		if st == master.StageWrite && done > total/2 {
			cancel()
		}
	}
	_, err := master.File(ctx, in, opt, []master.Output{{Path: filepath.Join(outDir, "a.mp3"), Format: encode.MP3}, {Path: filepath.Join(outDir, "a.wav"), Format: encode.WAV16}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if ents, _ := os.ReadDir(outDir); len(ents) != 0 {
		t.Errorf("left behind after cancel: %v", ents)
	}
}

func TestDiskFullLeavesNothing(t *testing.T) {
	in := writeMix(t, 48000, music(48000, 30, -10, 4))
	disk := testtool.SmallDisk(t, "1m")
	_, err := master.File(context.Background(), in, master.OptionsFor(master.Streaming(), -1), []master.Output{{Path: filepath.Join(disk, "song.wav"), Format: encode.WAV16}})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v, want ENOSPC", err)
	}
	if !strings.Contains(err.Error(), "song.wav") {
		t.Errorf("the message does not name the file: %v", err)
	}
	if ents, _ := os.ReadDir(disk); len(ents) != 0 {
		t.Errorf("left behind on the full disk: %v", ents)
	}
}

func TestBadOptions(t *testing.T) {
	in := writeMix(t, 48000, music(48000, 2, -10, 1))
	out := []master.Output{{Path: filepath.Join(t.TempDir(), "x.wav"), Format: encode.WAV16}}
	for _, opt := range []master.Options{
		{Ceiling: 3},
		{Ceiling: math.NaN()},
		{Normalize: true, Target: 5, Ceiling: -1},
	} {
		if _, err := master.File(context.Background(), in, opt, out); err == nil {
			t.Errorf("%+v: no error", opt)
		}
	}
	if _, err := master.File(context.Background(), in, master.OptionsFor(master.CD(), -1), nil); err == nil {
		t.Error("no outputs: no error")
	}
	if _, err := master.File(context.Background(), filepath.Join(t.TempDir(), "missing.wav"), master.OptionsFor(master.CD(), -1), out); err == nil || !strings.Contains(err.Error(), "missing.wav") {
		t.Errorf("missing input: %v", err)
	}
}

func TestSilentSongIsNotAmplified(t *testing.T) {
	in := writeMix(t, 48000, [][]float32{make([]float32, 48000*3), make([]float32, 48000*3)})
	out := filepath.Join(t.TempDir(), "s.wav")
	rep, err := master.File(context.Background(), in, master.OptionsFor(master.Streaming(), -1), []master.Output{{Path: out, Format: encode.WAV16}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.GainDB != 0 || !math.IsInf(rep.Output.Integrated, -1) {
		t.Errorf("silence: gain %v, loudness %v", rep.GainDB, rep.Output.Integrated)
	}
}

// BenchmarkMaster4Minutes masters a 4-minute stereo song (from its float
// mix) to a 16-bit WAV, reporting multiples of real time.
func BenchmarkMaster4Minutes(b *testing.B) {
	for _, f := range []encode.Format{encode.WAV16, encode.MP3} {
		b.Run(f.Ext()[1:], func(b *testing.B) {
			dir := b.TempDir()
			in := filepath.Join(dir, "mix.wav")
			wavtest.Write(b, in, 48000, music(48000, 240, -8, 9))
			out := filepath.Join(dir, "out"+f.Ext())
			b.ReportAllocs()
			for b.Loop() {
				if _, err := master.File(context.Background(), in, master.OptionsFor(master.Streaming(), -1), []master.Output{{Path: out, Format: f}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(240*float64(b.N)/b.Elapsed().Seconds(), "x_realtime")
		})
	}
}

// TestMeasureSongWritesNothing: measuring a song's loudness needs no write
// into its folder: on a full disk it works and changes nothing there (its
// MIDI track is rendered into the user's cache folder instead); the
// figure is the one its rendered mix gives.
func TestMeasureSongWritesNothing(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := filepath.Join(testtool.SmallDisk(t, "48m"), "demo")
	s, err := demosong.Create(dir, 48000)
	if err != nil {
		t.Fatal(err)
	}
	fill, err := os.Create(filepath.Join(filepath.Dir(dir), "filler"))
	if err != nil {
		t.Fatal(err)
	}
	for err == nil {
		_, err = fill.Write(make([]byte, 1<<16))
	}
	fill.Close()
	listing := func() string {
		var b strings.Builder
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err == nil {
				b.WriteString(p + " " + strconv.FormatInt(fi.Size(), 10) + " " + fi.ModTime().String() + "\n")
			}
			return nil
		})
		return b.String()
	}
	before := listing()
	got, err := master.MeasureSong(context.Background(), dir, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if after := listing(); after != before {
		t.Fatalf("measuring changed the song folder:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	mix := filepath.Join(t.TempDir(), "mix.wav")
	if _, err := render.Render(context.Background(), dir, s, render.Options{Mix: mix, Encoding: wav.Float32}); err != nil {
		t.Fatal(err)
	}
	if after := listing(); after != before {
		t.Fatalf("rendering to another disk changed the song folder")
	}
	if err != nil {
		t.Fatal(err)
	}
	want := measure(t, mix)
	if got.Integrated != want.Integrated || got.TruePeak != want.TruePeak {
		t.Fatalf("measured as rendered: %.4f LUFS %.4f dBTP; the rendered file: %.4f LUFS %.4f dBTP",
			got.Integrated, got.TruePeak, want.Integrated, want.TruePeak)
	}
}
