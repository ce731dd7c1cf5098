package cdmake_test

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"sangstudio/audio/cdimage"
	"sangstudio/audio/cdmake"
	"sangstudio/audio/demosong"
	"sangstudio/audio/loudness"
	"sangstudio/audio/wav"
	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
)

func sine(rate int, freq, amp float64, seconds float64) [][]float32 {
	n := int(seconds * float64(rate))
	x := [][]float32{make([]float32, n), make([]float32, n)}
	for i := range n {
		v := float32(amp * math.Sin(2*math.Pi*freq*float64(i)/float64(rate)))
		x[0][i], x[1][i] = v, v
	}
	return x
}

func rmsDB(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return 10 * math.Log10(s/float64(len(x)))
}

// The converter CD masters go through: a 1 kHz tone keeps its level within
// ±0.01 dB, and a 23 kHz tone (above the CD's 22.05 kHz Nyquist frequency)
// is removed, not folded back as an alias.
func TestConvertTo44100(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.wav")
	out := filepath.Join(dir, "out.wav")

	wavtest.Write(t, in, 48000, sine(48000, 1000, 0.5, 3))
	if err := cdmake.ConvertFile(context.Background(), in, out, 44100); err != nil {
		t.Fatal(err)
	}
	f, y := wavtest.Read(t, out)
	if f.Rate != 44100 || len(y[0]) != 3*44100 {
		t.Fatalf("got %d Hz, %d frames", f.Rate, len(y[0]))
	}
	ref := 20*math.Log10(0.5) - 10*math.Log10(2) // RMS of a 0.5 sine
	got := rmsDB(y[0][44100 : 2*44100])
	t.Logf("1 kHz: level change %+.5f dB", got-ref)
	if math.Abs(got-ref) > 0.01 {
		t.Errorf("1 kHz changed level by %+.4f dB", got-ref)
	}

	wavtest.Write(t, in, 48000, sine(48000, 23000, 1, 3))
	if err := cdmake.ConvertFile(context.Background(), in, out, 44100); err != nil {
		t.Fatal(err)
	}
	_, y = wavtest.Read(t, out)
	left := rmsDB(y[0][44100:2*44100]) - (-3.0103) // relative to the 0 dBFS tone's RMS
	t.Logf("23 kHz: %.1f dB left", left)
	if left > -100 {
		t.Errorf("a 23 kHz tone is only attenuated to %.1f dB", left)
	}
}

func demo(t *testing.T, name, title string) cdmake.Track {
	dir := filepath.Join(t.TempDir(), name)
	s, err := demosong.Create(dir, 48000)
	if err != nil {
		t.Fatal(err)
	}
	return cdmake.Track{Dir: dir, Song: s, Title: title, Performer: "Kari", Gap: 2}
}

func TestMakeTwoSongs(t *testing.T) {
	d := cdmake.Disc{Title: "Høstsanger", Performer: "Koret", Tracks: []cdmake.Track{demo(t, "a", "Morgenlys"), demo(t, "b", `Kveld "live"`)}}
	d.Tracks[1].Gap = 0
	out := filepath.Join(t.TempDir(), "cd")
	var last cdmake.Progress
	res, err := cdmake.Make(context.Background(), out, d, cdmake.Options{Progress: func(p cdmake.Progress) {
		if p.Fraction < last.Fraction-1e-9 {
			t.Errorf("progress went back: %v after %v", p.Fraction, last.Fraction)
		}
		last = p
	}})
	if err != nil {
		t.Fatal(err)
	}
	if last.Fraction < 0.99 {
		t.Errorf("progress ended at %v", last.Fraction)
	}
	names := []string{"01-Morgenlys.wav", "02-Kveld 'live'.wav"}
	for i, m := range res.Masters {
		if filepath.Base(m) != names[i] {
			t.Errorf("master %d is %s, want %s", i+1, filepath.Base(m), names[i])
		}
		r, err := wav.Open(m)
		if err != nil {
			t.Fatal(err)
		}
		f, frames := r.Format(), r.Frames()
		r.Close()
		if f.Rate != 44100 || f.Encoding != wav.PCM16 || f.Channels != 2 || frames != cdmake.Frames(d.Tracks[i].Song) {
			t.Errorf("%s: %+v, %d frames (want %d)", m, f, frames, cdmake.Frames(d.Tracks[i].Song))
		}
		l, err := loudness.MeasureFile(m)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %.2f LUFS, %.2f dBTP", filepath.Base(m), l.Integrated, l.TruePeak)
		if math.Abs(l.Integrated+10) > 0.5 || l.TruePeak > -1 {
			t.Errorf("%s: %.2f LUFS, %.2f dBTP (CD preset: -10 LUFS, ≤ -1 dBTP)", m, l.Integrated, l.TruePeak)
		}
	}
	for _, f := range []string{"disc.bin", "disc.cue", "disc.toc"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	// Each song's log notes its CD master; nothing is left in the songs'
	// caches.
	for i, tr := range d.Tracks {
		es, _, err := songlog.Read(tr.Dir)
		if err != nil || len(es) != 1 || es[0].What != songlog.CopyCD || es[0].To != res.Masters[i] {
			t.Errorf("%s: the song's log after the CD: %+v, %v", tr.Dir, es, err)
		}
		if l, _ := filepath.Glob(filepath.Join(tr.Dir, ".cache", "cd-*")); len(l) > 0 {
			t.Errorf("left behind: %v", l)
		}
	}
}

func TestRefusedBeforeWriting(t *testing.T) {
	short := demo(t, "s", "Kort")
	// Cut the song to 3.9 s: too short for a CD track.
	s := short.Song
	end := int64(3.9 * 48000)
	for _, tr := range s.Tracks {
		var kept []projects.Clip
		for _, c := range tr.Clips {
			if c.Position < end-1000 {
				c.Length = min(c.Length, end-c.Position)
				c.FadeIn, c.FadeOut = 0, 0
				kept = append(kept, c)
			}
		}
		tr.Clips = kept
	}
	if err := projects.Save(short.Dir, s); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "cd")
	_, err := cdmake.Make(context.Background(), out, cdmake.Disc{Title: "X", Tracks: []cdmake.Track{short}}, cdmake.Options{})
	var fe *cdmake.FatalError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "4 seconds") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the output folder was made: %v", err)
	}
	if len(cdmake.Check(cdmake.Disc{}, nil)) == 0 {
		t.Error("an empty disc passes the check")
	}
	_ = cdimage.Rate
}

func TestCancelRemovesMasters(t *testing.T) {
	d := cdmake.Disc{Title: "X", Tracks: []cdmake.Track{demo(t, "a", "A"), demo(t, "b", "B")}}
	out := filepath.Join(t.TempDir(), "cd")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := cdmake.Make(ctx, out, d, cdmake.Options{Progress: func(p cdmake.Progress) {
		if p.Track == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
}

// A disk that fills up while the CD is made: a clear "full" error naming
// the file, and nothing half-written left in the folder.
func TestDiskFullLeavesNothing(t *testing.T) {
	d := cdmake.Disc{Title: "X", Tracks: []cdmake.Track{demo(t, "a", "A"), demo(t, "b", "B")}}
	disk := testtool.SmallDisk(t, "6m") // room for one master (about 4.9 MB), not for two
	out := filepath.Join(disk, "cd")
	_, err := cdmake.Make(context.Background(), out, d, cdmake.Options{})
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v, want the disk-full error", err)
	}
	if !strings.Contains(err.Error(), "the disk is full") || !strings.Contains(err.Error(), "02-B.wav") {
		t.Errorf("message: %v", err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("left on the full disk: %v", names)
	}
}
