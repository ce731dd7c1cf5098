package loudness

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"sangstudio/audio/wav"
	"sangstudio/internal/testtool"
)

// ffmpegResult is what ffmpeg's ebur128 filter reports: the Summary block
// it prints on stderr (one decimal) and the last frame metadata it injects
// with metadata=1 (three decimals; peaks linear).
type ffmpegResult struct {
	I, LRA, SamplePeak, TruePeak float64 // Summary, rounded to 0.1
	MetaI, MetaLRA               float64 // metadata, rounded to 0.001
	MetaSP, MetaTP               float64 // metadata, linear, rounded to 0.001
}

var summaryRe = regexp.MustCompile(`(?s)Summary:.*?I:\s*(-?[\d.]+|-?inf) LUFS.*?LRA:\s*(-?[\d.]+) LU.*?Sample peak:\s*Peak:\s*(-?[\d.]+|-?inf) dBFS.*?True peak:\s*Peak:\s*(-?[\d.]+|-?inf) dBFS`)

func runFFmpeg(t *testing.T, ffmpeg, dir, file string) ffmpegResult {
	t.Helper()
	// Run in dir so that the metadata file name needs no escaping in the
	// filter graph.
	cmd := exec.Command(ffmpeg, "-nostats", "-hide_banner", "-i", file,
		"-af", "ebur128=peak=true+sample:metadata=1,ametadata=mode=print:file=meta.txt",
		"-f", "null", "-")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, stderr.String())
	}
	m := summaryRe.FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no Summary block in ffmpeg's output:\n%s", stderr.String())
	}
	var r ffmpegResult
	for i, p := range []*float64{&r.I, &r.LRA, &r.SamplePeak, &r.TruePeak} {
		v, err := strconv.ParseFloat(m[i+1], 64)
		if err != nil {
			t.Fatalf("ffmpeg summary value %q: %v", m[i+1], err)
		}
		*p = v
	}
	meta, err := os.ReadFile(filepath.Join(dir, "meta.txt"))
	if err != nil {
		t.Fatal(err)
	}
	last := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(meta))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok || !strings.HasPrefix(k, "lavfi.r128.") {
			continue
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			last[strings.TrimPrefix(k, "lavfi.r128.")] = f
		}
	}
	for _, k := range []string{"I", "LRA", "sample_peak", "true_peak"} {
		if _, ok := last[k]; !ok {
			t.Fatalf("ffmpeg metadata has no lavfi.r128.%s", k)
		}
	}
	r.MetaI, r.MetaLRA, r.MetaSP, r.MetaTP = last["I"], last["LRA"], last["sample_peak"], last["true_peak"]
	return r
}

// TestAgainstFFmpeg compares with FFmpeg's ebur128 filter on 30 s of
// music-like material at 44.1 and 48 kHz, stereo and mono.
//
// Tolerances: integrated loudness and LRA within 0.1 LU of FFmpeg's
// three-decimal metadata values, and within 0.1 + 0.05 LU of its Summary
// (printed with one decimal, so up to 0.05 of rounding); the true peak
// within 0.2 dB (FFmpeg upsamples to 192 kHz with libswresample, a
// different filter); the sample peak within 0.01 dB + 0.05 of Summary
// rounding, and within the 0.0005 rounding of the linear metadata value.
func TestAgainstFFmpeg(t *testing.T) {
	// Skips without ffmpeg, unless SANGSTUDIO_REQUIRE_TOOLS=1 (make test).
	ffmpeg := testtool.Require(t, "ffmpeg")
	t.Parallel()
	dir := t.TempDir()
	for _, rate := range testRates {
		for _, channels := range []int{2, 1} {
			name := fmt.Sprintf("music-%d-%dch.wav", rate, channels)
			path := filepath.Join(dir, name)
			planar := music(rate, channels, 30, uint64(rate+channels))
			w, err := wav.Create(path, wav.Format{Rate: rate, Channels: channels, Encoding: wav.Float32}, wav.WriterOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(planar); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			ours, err := MeasureFile(path)
			if err != nil {
				t.Fatal(err)
			}
			ff := runFFmpeg(t, ffmpeg, dir, name)
			t.Logf("%s: I ours %.3f ffmpeg %.3f (%.1f) diff %+.3f | LRA ours %.3f ffmpeg %.3f (%.1f) diff %+.3f | TP ours %.3f ffmpeg %.3f (%.1f) diff %+.3f | SP ours %.3f ffmpeg %.1f (lin %.3f vs %.3f)",
				name,
				ours.Integrated, ff.MetaI, ff.I, ours.Integrated-ff.MetaI,
				ours.Range, ff.MetaLRA, ff.LRA, ours.Range-ff.MetaLRA,
				ours.TruePeak, 20*math.Log10(ff.MetaTP), ff.TruePeak, ours.TruePeak-20*math.Log10(ff.MetaTP),
				ours.SamplePeak, ff.SamplePeak, math.Pow(10, ours.SamplePeak/20), ff.MetaSP)

			check := func(what string, got, want, tol float64) {
				if math.IsNaN(got) || math.Abs(got-want) > tol {
					t.Errorf("%s: %s ours %.4f, ffmpeg %.4f: differ by more than %g", name, what, got, want, tol)
				}
			}
			check("integrated (metadata)", ours.Integrated, ff.MetaI, 0.1)
			check("integrated (summary)", ours.Integrated, ff.I, 0.1+0.05)
			check("LRA (metadata)", ours.Range, ff.MetaLRA, 0.1)
			check("LRA (summary)", ours.Range, ff.LRA, 0.1+0.05)
			check("true peak (metadata)", ours.TruePeak, 20*math.Log10(ff.MetaTP), 0.2)
			check("true peak (summary)", ours.TruePeak, ff.TruePeak, 0.2+0.05)
			check("sample peak (summary)", ours.SamplePeak, ff.SamplePeak, 0.01+0.05)
			check("sample peak (linear metadata)", math.Pow(10, ours.SamplePeak/20), ff.MetaSP, 0.0005+1e-6)
		}
	}
}
