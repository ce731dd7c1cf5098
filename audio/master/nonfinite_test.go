package master_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"sangstudio/audio/encode"
	"sangstudio/audio/loudness"
	"sangstudio/audio/master"
)

// TestFileNonFinite: a mix file holding NaN and infinities (written by
// another program) masters with finite figures, and the files written stay
// under the ceiling, by our meter and by ffmpeg's.
func TestFileNonFinite(t *testing.T) {
	x := music(48000, 12, -6, 21)
	for i := 0; i < len(x[0]); i += 4999 {
		x[0][i] = float32(math.NaN())
		x[1][(i+77)%len(x[1])] = float32(math.Inf(1))
	}
	for i := 100000; i < 110000; i++ {
		x[0][i], x[1][i] = float32(math.Inf(-1)), float32(math.NaN())
	}
	in := writeMix(t, 48000, x)
	dir := t.TempDir()
	outs := []master.Output{{Path: filepath.Join(dir, "m.wav"), Format: encode.WAV24}, {Path: filepath.Join(dir, "m.mp3"), Format: encode.MP3}}
	rep, err := master.File(context.Background(), in, master.OptionsFor(master.Streaming(), -1), outs)
	if err != nil {
		t.Fatal(err)
	}
	for what, r := range map[string]loudness.Result{"input": rep.Input, "output": rep.Output, "the WAV": measure(t, outs[0].Path)} {
		for name, v := range map[string]float64{"integrated": r.Integrated, "range": r.Range, "sample peak": r.SamplePeak, "true peak": r.TruePeak} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("%s: %s is %v", what, name, v)
			}
		}
		if r.TruePeak > -1 && what != "input" {
			t.Errorf("%s: true peak %.2f dBTP above the ceiling", what, r.TruePeak)
		}
	}
	if math.IsNaN(rep.GainDB) || math.IsNaN(rep.MaxReduction) || math.IsInf(rep.MaxReduction, 0) {
		t.Errorf("gain %v dB, limiter %v dB", rep.GainDB, rep.MaxReduction)
	}
	for _, o := range outs {
		if _, tp, ok := ffmpegLoudness(t, o.Path); ok && tp > -1+0.05 {
			t.Errorf("%s: ffmpeg measures a true peak of %.1f dBTP", filepath.Base(o.Path), tp)
		}
	}
}
