package render_test

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sangstudio/audio/mix"
	"sangstudio/audio/render"
	"sangstudio/audio/wav"
	"sangstudio/internal/testtool"
	"sangstudio/internal/wavtest"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
)

// writeTake writes float32 audio as a take of the song and returns its name.
func writeTake(t *testing.T, dir string, s *projects.Song, name string, audio [][]float32) string {
	return wavtest.Take(t, dir, s, name, audio)
}

func ramp(n int, scale float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = scale * float32(math.Sin(float64(i)*0.05))
	}
	return x
}

func readAll(t *testing.T, path string) (wav.Format, [][]float32) { return wavtest.Read(t, path) }

// twoTrackSong: a mono track and a stereo track with gains, pans, a clip
// offset, fades, clip gain and a gap.
func twoTrackSong(t *testing.T) (string, *projects.Song) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("Test", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	a := projects.NewTrack("Vokal", 1)
	a.GainDB, a.Pan = -6, -0.4
	ta := writeTake(t, dir, s, "Vokal", [][]float32{ramp(30000, 0.8)})
	a.Clips = []projects.Clip{
		{Take: ta, Position: 1000, Offset: 500, Length: 20000, FadeIn: 300, FadeOut: 700, GainDB: -3},
		{Take: ta, Position: 15000, Offset: 0, Length: 10000}, // overlaps the first: covers it
	}
	b := projects.NewTrack("Gitar", 2)
	b.GainDB, b.Pan = 2, 0.7
	tb := writeTake(t, dir, s, "Gitar", [][]float32{ramp(12000, 0.5), ramp(12000, -0.3)})
	b.Clips = []projects.Clip{{Take: tb, Position: 30000, Length: 12000}}
	s.Tracks = []*projects.Track{a, b}
	s.Master.GainDB = -1
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir, s
}

// expected computes the mix by the definition, frame by frame.
func expected(s *projects.Song, takes map[string][][]float32, frames int64) (l, r []float32) {
	l, r = make([]float32, frames), make([]float32, frames)
	strips := mix.Strips(s)
	for i, t := range s.Tracks {
		for f := int64(0); f < frames; f++ {
			var x [2]float32
			for _, c := range t.Clips { // later clips cover earlier ones
				if f < c.Position || f >= c.End() {
					continue
				}
				k := f - c.Position
				g := float32(projects.DBToGain(c.GainDB))
				if k < c.FadeIn {
					g = float32(g * float32(float64(k)/float64(c.FadeIn)))
				}
				if c.FadeOut > 0 && k >= c.Length-c.FadeOut {
					g = float32(g * float32(float64(c.Length-k)/float64(c.FadeOut)))
				}
				src := takes[c.Take]
				for ch := 0; ch < t.Channels; ch++ {
					x[ch] = float32(src[ch][c.Offset+k] * g)
				}
			}
			st := strips[i]
			if t.Channels == 1 {
				l[f] += float32(x[0] * st.L)
				r[f] += float32(x[0] * st.R)
			} else {
				l[f] += float32(x[0] * st.L)
				r[f] += float32(x[1] * st.R)
			}
		}
	}
	return l, r
}

func TestRenderMatchesDefinition(t *testing.T) {
	dir, s := twoTrackSong(t)
	out := t.TempDir()
	res, err := render.Render(context.Background(), dir, s, render.Options{
		Mix: filepath.Join(out, "mix.wav"), StemsDir: filepath.Join(out, "stems"), Encoding: wav.Float32, Block: 4096})
	if err != nil {
		t.Fatal(err)
	}
	if res.Frames != 42000 {
		t.Fatalf("frames %d, want 42000 (end of the last clip)", res.Frames)
	}
	takes := map[string][][]float32{}
	for _, tr := range s.Tracks {
		for _, c := range tr.Clips {
			_, takes[c.Take] = readAll(t, projects.AudioPath(dir, c.Take))
		}
	}
	wl, wr := expected(s, takes, res.Frames)
	f, got := readAll(t, res.Mix)
	if f.Channels != 2 || f.Rate != 48000 || f.Encoding != wav.Float32 || int64(len(got[0])) != res.Frames {
		t.Fatalf("mix format %+v, %d frames", f, len(got[0]))
	}
	for i := range wl {
		if got[0][i] != wl[i] || got[1][i] != wr[i] {
			t.Fatalf("frame %d: got %v %v, want %v %v", i, got[0][i], got[1][i], wl[i], wr[i])
		}
	}
	// Stems: named NN-name, as long as the mix, with the same time reference, adding up to the mix exactly.
	wantNames := []string{"01-Vokal.wav", "02-Gitar.wav"}
	sumL, sumR := make([]float32, res.Frames), make([]float32, res.Frames)
	for i, p := range res.Stems {
		if filepath.Base(p) != wantNames[i] {
			t.Errorf("stem %d is %s, want %s", i, filepath.Base(p), wantNames[i])
		}
		_, st := readAll(t, p)
		if int64(len(st[0])) != res.Frames {
			t.Errorf("stem %s has %d frames, want %d", p, len(st[0]), res.Frames)
		}
		mix.Add(sumL, st[0])
		mix.Add(sumR, st[1])
		r, _ := wav.Open(p)
		if b := r.Bext(); b == nil || b.TimeReference != 0 {
			t.Errorf("stem %s: bext %+v, want a time reference of 0", p, b)
		}
		r.Close()
	}
	for i := range sumL {
		if sumL[i] != got[0][i] || sumR[i] != got[1][i] {
			t.Fatalf("frame %d: stems add up to %v %v, mix is %v %v", i, sumL[i], sumR[i], got[0][i], got[1][i])
		}
	}
	if left, _ := filepath.Glob(filepath.Join(out, "*", ".*tmp*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestRenderDeterministic: the same song gives identical bytes, whatever the
// number of workers or the block size, including 16-bit dither.
func TestRenderDeterministic(t *testing.T) {
	dir, s := twoTrackSong(t)
	var first []byte
	for i, opt := range []render.Options{
		{Workers: 1, Block: 1000}, {Workers: 2, Block: 16384}, {Workers: 3, Block: 777}, {Workers: 2, Block: 16384},
	} {
		opt.Mix = filepath.Join(t.TempDir(), "mix.wav")
		opt.StemsDir = filepath.Join(t.TempDir(), "stems")
		opt.Encoding = wav.PCM16
		if _, err := render.Render(context.Background(), dir, s, opt); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(opt.Mix)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = data
		} else if !bytes.Equal(data, first) {
			t.Fatalf("render %d (%+v) differs from the first", i, opt)
		}
	}
}

func TestRenderMuteSolo(t *testing.T) {
	dir, s := twoTrackSong(t)
	s.Tracks[1].Solo = true
	out := t.TempDir()
	res, err := render.Render(context.Background(), dir, s, render.Options{
		Mix: filepath.Join(out, "mix.wav"), StemsDir: out, Encoding: wav.Float32})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Silent) != 1 || filepath.Base(res.Silent[0]) != "01-Vokal.wav" {
		t.Fatalf("silent stems %v, want 01-Vokal.wav", res.Silent)
	}
	_, v := readAll(t, res.Stems[0])
	for _, x := range v[0] {
		if x != 0 {
			t.Fatal("the stem of a track silenced by solo is not silent")
		}
	}
	_, m := readAll(t, res.Mix)
	if m[0][20000] != 0 || m[0][35000] == 0 {
		t.Fatal("solo: only the soloed track should sound in the mix")
	}
}

func TestRenderErrors(t *testing.T) {
	t.Run("empty song", func(t *testing.T) {
		dir := t.TempDir()
		s := projects.New("x", 48000)
		_, err := render.Render(context.Background(), dir, s, render.Options{Mix: filepath.Join(dir, "m.wav")})
		if err == nil || !strings.Contains(err.Error(), "no audio") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("take at another rate", func(t *testing.T) {
		dir, s := twoTrackSong(t)
		p := projects.AudioPath(dir, s.Tracks[1].Clips[0].Take)
		w, _ := wav.Create(p, wav.Format{Rate: 44100, Channels: 2, Encoding: wav.PCM16}, wav.WriterOptions{})
		w.Write([][]float32{make([]float32, 20000), make([]float32, 20000)})
		w.Close()
		out := filepath.Join(t.TempDir(), "m.wav")
		_, err := render.Render(context.Background(), dir, s, render.Options{Mix: out})
		if err == nil || !strings.Contains(err.Error(), "44100 Hz") || !strings.Contains(err.Error(), p) {
			t.Fatalf("got %v, want an error naming %s and its rate", err, p)
		}
		if _, serr := os.Stat(out); serr == nil {
			t.Fatal("a failed render left its output")
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		dir, s := twoTrackSong(t)
		ctx, cancel := context.WithCancel(context.Background())
		out := t.TempDir()
		_, err := render.Render(ctx, dir, s, render.Options{Mix: filepath.Join(out, "m.wav"), StemsDir: out, Block: 1000,
			Progress: func(done, total int64) {
				if done > total/2 {
					cancel()
				}
			}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled render: err = %v, want one that is context.Canceled (the window then says Stopped, not an error)", err)
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != 0 {
			t.Fatalf("cancelled render left files: %v", entries)
		}
	})
	t.Run("take shortened", func(t *testing.T) {
		dir, s := twoTrackSong(t)
		p := projects.AudioPath(dir, s.Tracks[1].Clips[0].Take)
		w, _ := wav.Create(p, wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM16}, wav.WriterOptions{})
		w.Write([][]float32{make([]float32, 100), make([]float32, 100)})
		w.Close()
		_, err := render.Render(context.Background(), dir, s, render.Options{Mix: filepath.Join(t.TempDir(), "m.wav")})
		if err == nil || !strings.Contains(err.Error(), "frames") {
			t.Fatalf("got %v", err)
		}
		var te interface{ Unwrap() error }
		if !errors.As(err, &te) {
			t.Fatalf("error %v does not wrap its cause", err)
		}
	})
}

// TestRenderReadBySox: sox, ffprobe and ecasound read every output format,
// and a 16-bit render is plain PCM (format tag 1) with the bext time reference.
func TestRenderReadBySox(t *testing.T) {
	dir, s := twoTrackSong(t)
	for _, tc := range []struct {
		bits  string
		enc   wav.Encoding
		codec string
	}{{"16", wav.PCM16, "pcm_s16le"}, {"24", wav.PCM24, "pcm_s24le"}, {"32f", wav.Float32, "pcm_f32le"}} {
		t.Run(tc.bits, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "mix.wav")
			if _, err := render.Render(context.Background(), dir, s, render.Options{Mix: out, Encoding: tc.enc}); err != nil {
				t.Fatal(err)
			}
			probe := testtool.Run(t, "ffprobe", "-v", "error", "-show_entries",
				"stream=codec_name,codec_tag_string,sample_rate,channels,duration_ts:format_tags=time_reference", "-of", "default=nw=1", out)
			for _, want := range []string{"codec_name=" + tc.codec, "sample_rate=48000", "channels=2", "duration_ts=42000", "TAG:time_reference=0"} {
				if !strings.Contains(probe, want) {
					t.Errorf("ffprobe output lacks %q:\n%s", want, probe)
				}
			}
			if tc.enc != wav.Float32 && !strings.Contains(probe, "codec_tag_string=[1][0][0][0]") {
				t.Errorf("not plain PCM (tag 1):\n%s", probe)
			}
			info := testtool.Run(t, "sox", "--i", "-s", out)
			if n, _ := strconv.Atoi(strings.TrimSpace(info)); n != 42000 {
				t.Errorf("sox reads %q samples, want 42000", info)
			}
			testtool.Run(t, "ecasound", "-q", "-i:"+out, "-o:null")
		})
	}
}

// TestRenderDiskFull: a render onto a disk without room for it says so
// before writing anything; a disk that fills up during the render gives the
// same message; neither leaves a file behind.
func TestRenderDiskFull(t *testing.T) {
	t.Run("too little space from the start", func(t *testing.T) {
		dir, s := twoTrackSong(t)
		small := testtool.SmallDisk(t, "200k")
		_, err := render.Render(context.Background(), dir, s, render.Options{
			Mix: filepath.Join(small, "mix.wav"), StemsDir: filepath.Join(small, "stems"), Encoding: wav.Float32})
		if err == nil || !strings.Contains(err.Error(), "disk is full") || !strings.Contains(err.Error(), "free") {
			t.Fatalf("got %v, want a message that the disk is full", err)
		}
		checkEmpty(t, small)
	})
	t.Run("disk fills up during the render", func(t *testing.T) {
		dir, s := twoTrackSong(t)
		small := testtool.SmallDisk(t, "2m")
		filler := filepath.Join(small, "filler")
		_, err := render.Render(context.Background(), dir, s, render.Options{
			Mix: filepath.Join(small, "mix.wav"), StemsDir: filepath.Join(small, "out", "stems"), Encoding: wav.Float32, Block: 1000,
			Progress: func(done, total int64) {
				if _, err := os.Stat(filler); err == nil {
					return
				}
				f, _ := os.Create(filler) // another program takes the rest of the disk
				for {
					if _, err := f.Write(make([]byte, 4096)); err != nil {
						break
					}
				}
				f.Close()
			}})
		if err == nil || !strings.Contains(err.Error(), "disk is full") {
			t.Fatalf("got %v, want a message that the disk is full", err)
		}
		os.Remove(filler)
		checkEmpty(t, small)
	})
}

func checkEmpty(t *testing.T, small string) {
	t.Helper()
	var left []string
	filepath.Walk(small, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Fatalf("a failed render left files: %v", left)
	}
}

// TestMixOnlyEqualsMixWithStems: the mix-only pipeline (whole blocks per
// worker) and the stems path give the same bytes, for any worker count.
func TestMixOnlyEqualsMixWithStems(t *testing.T) {
	dir, s := twoTrackSong(t)
	// Add mono tracks so mix.Sum takes its four-at-a-time path too.
	for i := 0; i < 5; i++ {
		tr := projects.NewTrack("m", 1)
		tr.GainDB, tr.Pan = -float64(i), float64(i)/5-0.4
		tr.Clips = []projects.Clip{{Take: s.Tracks[0].Clips[0].Take, Position: int64(i * 700), Length: 25000}}
		s.Tracks = append(s.Tracks, tr)
	}
	ref := filepath.Join(t.TempDir(), "ref.wav")
	if _, err := render.Render(context.Background(), dir, s, render.Options{Mix: ref, StemsDir: t.TempDir(), Encoding: wav.Float32, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(ref)
	for _, opt := range []render.Options{{Workers: 1, Block: 4096}, {Workers: 2, Block: 999}, {Workers: 3, Block: 32768}} {
		opt.Mix = filepath.Join(t.TempDir(), "mix.wav")
		opt.Encoding = wav.Float32
		if _, err := render.Render(context.Background(), dir, s, opt); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(opt.Mix)
		if !bytes.Equal(got, want) {
			t.Fatalf("mix-only render with %d workers, block %d differs from the stems path", opt.Workers, opt.Block)
		}
	}
}

// TestRenderNotesItsFiles: a render for people (NoteInLog) notes its mix
// and stems in the song's log; an intermediate one does not.
func TestRenderNotesItsFiles(t *testing.T) {
	dir, s := twoTrackSong(t)
	if _, err := render.Render(context.Background(), dir, s, render.Options{Mix: filepath.Join(t.TempDir(), "tmp.wav")}); err != nil {
		t.Fatal(err)
	}
	if es, _, _ := songlog.Read(dir); len(es) != 0 {
		t.Fatalf("an intermediate render was noted: %+v", es)
	}
	mix, stems := filepath.Join(t.TempDir(), "Sang.wav"), filepath.Join(t.TempDir(), "stems")
	if _, err := render.Render(context.Background(), dir, s, render.Options{Mix: mix, StemsDir: stems, NoteInLog: true}); err != nil {
		t.Fatal(err)
	}
	es, _, err := songlog.Read(dir)
	if err != nil || len(es) != 2 || es[0].What != songlog.CopyMix || es[0].To != mix || es[0].Format != "wav" ||
		es[1].What != songlog.CopyStems || es[1].To != stems || es[1].Format != "folder" {
		t.Fatalf("the song's log: %+v, %v", es, err)
	}
}

// TestSinkErrorStopsTheRender: when the mix cannot be written (a sink that
// fails, like a full disk), the render stops with that error instead of
// waiting forever for its workers, with and without stems.
func TestSinkErrorStopsTheRender(t *testing.T) {
	dir, s := twoTrackSong(t)
	full := errors.New("no space left on the disk")
	for _, stems := range []bool{false, true} {
		opt := render.Options{Block: 1000, Workers: 2}
		if stems {
			opt.StemsDir = filepath.Join(t.TempDir(), "stems")
		}
		blocks := 0
		opt.Sink = func(l, r []float32) error {
			if blocks++; blocks >= 2 {
				return full
			}
			return nil
		}
		done := make(chan error, 1)
		go func() {
			_, err := render.Render(context.Background(), dir, s, opt)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, full) {
				t.Errorf("stems %v: %v, want the sink's error", stems, err)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("stems %v: the render hangs after its sink failed", stems)
		}
	}
}

// TestEffectsStemsAddUp: with effects and sends on, the render has a stem
// per track (its own effects in it, after its fader) and one per bus
// ("03-Reverb.wav", "04-Delay.wav"), and the stems added up in that order
// are the mix exactly; the mix is the same bytes for any number of
// workers and any block size.
func TestEffectsStemsAddUp(t *testing.T) {
	dir, s := twoTrackSong(t)
	for i, tr := range s.Tracks {
		tr.Effects = projects.Effects{HighPass: 80, Mid1: projects.Bell{Freq: 800, GainDB: 4, Q: 1},
			Comp:   projects.Comp{On: true, ThresholdDB: -30, Ratio: 5, KneeDB: 3, AttackMs: 2, ReleaseMs: 60, MakeupDB: 6},
			Reverb: projects.Send{On: true, DB: -3}, Delay: projects.Send{On: i == 1, DB: -6}}
	}
	var first []byte
	for k, opt := range []render.Options{{Workers: 2, Block: 4096}, {Workers: 1, Block: 999}, {Workers: 3, Block: 32768}} {
		out := t.TempDir()
		opt.Mix, opt.StemsDir, opt.Encoding = filepath.Join(out, "mix.wav"), filepath.Join(out, "stems"), wav.Float32
		res, err := render.Render(context.Background(), dir, s, opt)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(res.Mix)
		if k > 0 {
			if !bytes.Equal(data, first) {
				t.Fatalf("%d workers, blocks of %d: a different mix", opt.Workers, opt.Block)
			}
			continue
		}
		first = data
		var names []string
		sumL, sumR := make([]float32, res.Frames), make([]float32, res.Frames)
		for _, p := range res.Stems {
			names = append(names, filepath.Base(p))
			_, st := readAll(t, p)
			mix.Add(sumL, st[0])
			mix.Add(sumR, st[1])
		}
		if want := []string{"01-Vokal.wav", "02-Gitar.wav", "03-Reverb.wav", "04-Delay.wav"}; !slices.Equal(names, want) {
			t.Fatalf("stems %q, want %q", names, want)
		}
		_, got := readAll(t, res.Mix)
		for i := range sumL {
			if sumL[i] != got[0][i] || sumR[i] != got[1][i] {
				t.Fatalf("frame %d: the stems add up to %v %v, the mix is %v %v", i, sumL[i], sumR[i], got[0][i], got[1][i])
			}
		}
	}
}

// TestTailRingsOut: with sends, the render goes on after the last clip for
// as long as the reverb and the echoes take to fall 80 dB (mix.BusFX.Tail),
// so they are not cut off: there is sound just after the last clip, and
// next to none at the very end; without sends, it ends with the last clip.
func TestTailRingsOut(t *testing.T) {
	dir, s := twoTrackSong(t)
	end := s.Length()
	s.Tracks[0].Effects.Reverb = projects.Send{On: true, DB: 0}
	s.Tracks[1].Effects.Delay = projects.Send{On: true, DB: 0}
	b := projects.DefaultBuses()
	b.Delay.Beats, b.Delay.Ms, b.Delay.Feedback = 0, 250, 0.5
	s.Buses = &b
	mixPath := filepath.Join(t.TempDir(), "mix.wav")
	res, err := render.Render(context.Background(), dir, s, render.Options{Mix: mixPath, Encoding: wav.Float32})
	if err != nil {
		t.Fatal(err)
	}
	tail := res.Frames - end
	want := mix.BusesOf(s).Tail(48000, mix.Strips(s))
	t.Logf("%d frames of clips, then a tail of %.2f s", end, float64(tail)/48000)
	if tail != want || tail < 48000 {
		t.Fatalf("a tail of %d frames, want %d (over a second)", tail, want)
	}
	_, got := readAll(t, res.Mix)
	peak := func(lo, hi int64) float64 {
		p := 0.0
		for _, ch := range got {
			for _, v := range ch[lo:hi] {
				p = max(p, math.Abs(float64(v)))
			}
		}
		return p
	}
	if p := peak(end, end+4800); p < 1e-3 {
		t.Errorf("just after the last clip the tail peaks at %g: nothing rings on", p)
	}
	if p := peak(res.Frames-4800, res.Frames); p > 1e-3 {
		t.Errorf("the render's last 0.1 s peaks at %g (%.0f dB): the tail was cut", p, 20*math.Log10(p))
	}
}
