package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"sangstudio/audio/mix"
	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

// sangBin runs the real binary and returns its standard output; a non-zero
// exit fails the test.
func sangBin(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sangstudio %s: %v\n%s%s", strings.Join(args, " "), err, out, errb.String())
	}
	return string(out)
}

// ffmpegTruePeak is ffmpeg's ebur128 true peak of a file, in dBTP.
func ffmpegTruePeak(t *testing.T, path string) float64 {
	t.Helper()
	out := testtool.Run(t, "ffmpeg", "-nostats", "-hide_banner", "-i", path, "-af", "ebur128=peak=true", "-f", "null", "-")
	s := out[strings.LastIndex(out, "Summary:"):]
	m := regexp.MustCompile(`True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no true peak in ffmpeg's summary:\n%s", s)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatalf("ffmpeg's true peak %q", m[1])
	}
	return v
}

// figure finds "label ... number unit" in out and fails unless the number
// is finite.
func figure(t *testing.T, out, label, unit string) float64 {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(label) + `\s+(\S+) ` + regexp.QuoteMeta(unit)).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %q … %s in:\n%s", label, unit, out)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		t.Fatalf("%s %q is not a finite figure:\n%s", label, m[1], out)
	}
	return v
}

// TestNonFiniteSamples (issue 17): a 32-bit float WAV holding NaN and
// infinite samples, next to a normal track, through the real commands.
//
//   - import says how many samples it replaced, in plain words;
//   - render: the mix is, frame for frame, the render of a song holding the
//     normal track alone plus the bad track as imported (silence where it
//     was NaN, full scale where infinite): exactly equal wherever the bad
//     file is silent or NaN, so the normal track was neither silenced nor
//     shifted; the same with the raw file put back in the song as its take
//     (an old song's), which playback and render guard on their own;
//   - master to MP3 and WAV: finite figures printed, and ffmpeg's ebur128
//     true-peak meter reads at most -1 dBTP;
//   - loudness of the song and of the raw file: finite figures.
func TestNonFiniteSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	testtool.Require(t, "ffmpeg")
	src := t.TempDir()
	good, bad, nNaN, nInf := nonFiniteSignals()
	goodPath, badPath := filepath.Join(src, "Voice.wav"), filepath.Join(src, "Broken.wav")
	wavtest.Write(t, goodPath, nfRate, [][]float32{good})
	wavtest.Write(t, badPath, nfRate, bad)

	song := filepath.Join(t.TempDir(), "Song")
	alone := filepath.Join(t.TempDir(), "Alone")
	out := sangBin(t, "import", song, goodPath, badPath)
	want := fmt.Sprintf("%s: %d samples were not numbers (NaN) and were imported as silence; %d samples were infinite and were imported at full scale.", badPath, nNaN, nInf)
	if !strings.Contains(out, want) {
		t.Fatalf("import said:\n%s\nwant the line %q", out, want)
	}
	if strings.Contains(out, goodPath+":") {
		t.Errorf("import reported replacements in the normal file:\n%s", out)
	}
	sangBin(t, "import", alone, goodPath)

	ref := renderMix32(t, alone)
	imported := renderMix32(t, song)
	checkNonFiniteMix(t, "imported", imported, ref, bad)
	// Around the NaN run the normal track plays on, unchanged.
	for i := 60000; i < 62000; i++ {
		if imported[0][i] != ref[0][i] {
			t.Fatalf("frame %d in the NaN run: %v, want %v", i, imported[0][i], ref[0][i])
		}
	}

	// An old song: the raw file as the bad track's take.
	s, _, err := projects.Load(song)
	if err != nil {
		t.Fatal(err)
	}
	take := projects.AudioPath(song, s.Tracks[1].Clips[0].Take)
	raw, err := os.ReadFile(badPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(take, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	checkNonFiniteMix(t, "raw take in the song", renderMix32(t, song), ref, bad)
	checkNonFiniteFigures(t, song, badPath)
}

// The signals of TestNonFiniteSamples: 4 s at 48 kHz.
const nfRate, nfFrames = 48000, 4 * 48000

// nonFiniteSignals makes the normal track, with no period (a chirp and a
// deterministic noise) so that any shift would show, and the bad stereo
// track: silence with NaN (singles and a run of 2000) and infinities of
// both signs, which it counts.
func nonFiniteSignals() (good []float32, bad [][]float32, nNaN, nInf int) {
	good = make([]float32, nfFrames)
	seed := uint32(1)
	for i := range good {
		seed = seed*1664525 + 1013904223
		tt := float64(i) / nfRate
		good[i] = float32(0.3*math.Sin(2*math.Pi*(200+150*tt)*tt) + 0.05*(float64(seed>>8)/(1<<24)-0.5))
	}
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	bad = [][]float32{make([]float32, nfFrames), make([]float32, nfFrames)}
	for i := 1000; i < nfFrames; i += 7919 {
		bad[i%2][i] = nan
		nNaN++
	}
	for i := 60000; i < 62000; i++ {
		bad[0][i], bad[1][i] = nan, nan
		nNaN += 2
	}
	for i := 3000; i < nfFrames; i += 15013 {
		bad[0][i] = inf
		bad[1][i+1] = -inf
		nInf += 2
	}
	return good, bad, nNaN, nInf
}

// renderMix32 renders the song in dir to a 32-bit float mix and reads it.
func renderMix32(t *testing.T, dir string) [][]float32 {
	p := filepath.Join(t.TempDir(), "mix.wav")
	sangBin(t, "render", dir, "--mix", p, "--bits", "32f")
	_, x := wavtest.Read(t, p)
	return x
}

// checkNonFiniteMix checks that got is the mix of the normal track alone
// (ref) plus the bad track as imported: the bad track (stereo, centre,
// 0 dB) adds its imported samples times the centre pan gain to each side,
// after the normal track.
func checkNonFiniteMix(t *testing.T, what string, got, ref, bad [][]float32) {
	t.Helper()
	pl, pr := mix.PanGains(0)
	gl, gr := float32(pl), float32(pr)
	if len(got[0]) != nfFrames || len(ref[0]) != nfFrames {
		t.Fatalf("%s: %d frames, the song alone %d, want %d", what, len(got[0]), len(ref[0]), nfFrames)
	}
	exact, loud := 0, 0
	for i := 0; i < nfFrames; i++ {
		for c, g := range []float32{gl, gr} {
			b := mix.FiniteSample(bad[c][i])
			want := ref[c][i] + float32(b*g)
			if got[c][i] != want {
				t.Fatalf("%s: frame %d, channel %d: %v, want %v (the normal track alone: %v)", what, i, c, got[c][i], want, ref[c][i])
			}
			if b == 0 {
				exact++
				if math.Abs(float64(ref[c][i])) > 0.1 {
					loud++
				}
			}
		}
	}
	if loud < nfFrames/2 {
		t.Fatalf("%s: only %d samples of the normal track are loud: the comparison proves little", what, loud)
	}
	t.Logf("%s: %d samples equal to the normal track alone, %d of them above -20 dBFS", what, exact, loud)
}

// checkNonFiniteFigures masters the song (holding the raw take) to MP3
// and WAV, and measures the loudness of the song and of the raw file
// badPath: every figure is finite, and the masters' true peak at most
// -1 dBTP by ffmpeg too.
func checkNonFiniteFigures(t *testing.T, song, badPath string) {
	for _, name := range []string{"master.mp3", "master.wav"} {
		p := filepath.Join(t.TempDir(), name)
		out := sangBin(t, "master", song, "--out", p)
		figure(t, out, "Loudness:", "LUFS")
		if tp := figure(t, out, "True peak:", "dBTP"); tp > -1 {
			t.Errorf("%s: the master reports a true peak of %.2f dBTP", name, tp)
		}
		tp := ffmpegTruePeak(t, p)
		t.Logf("%s: ffmpeg's true peak %.1f dBTP\n%s", name, tp, out)
		if tp > -1 {
			t.Errorf("%s: ffmpeg measures a true peak of %.1f dBTP, above the -1 dBTP ceiling", name, tp)
		}
	}
	for _, target := range []string{song, badPath} {
		out := sangBin(t, "loudness", target)
		if strings.Contains(out, "NaN") || strings.Contains(out, "+Inf") {
			t.Errorf("loudness %s:\n%s", target, out)
		}
		figure(t, out, "True peak:", "dBTP")
		figure(t, out, "Sample peak:", "dBFS")
		figure(t, out, "Loudness range:", "LU")
		if target == song {
			figure(t, out, "Integrated loudness:", "LUFS")
		}
	}
}
