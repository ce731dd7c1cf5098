package studio_test

import (
	"fmt"
	"path/filepath"
	"syscall"
	"testing"

	"sangstudio/internal/wavtest"
	"sangstudio/projects"
	"sangstudio/ui/studio"
)

// largeSong writes a song of tracks × takes takes of seconds each (48 kHz
// mono 24-bit WAV), the last take of each track active and the others as
// take lanes. The take files are sparse: a valid header, then the file is
// truncated to its full size, so the audio reads as silence without using
// the disk (32 × 20 × 5 min is 27 GB of apparent size).
func largeSong(tb testing.TB, dir string, tracks, takes int, seconds int) *projects.Song {
	tb.Helper()
	s := projects.New("Large", 48000)
	if err := projects.Create(dir, s); err != nil {
		tb.Fatal(err)
	}
	frames := int64(seconds) * 48000
	for i := 0; i < tracks; i++ {
		tr := projects.NewTrack(fmt.Sprintf("Track %d", i+1), 1)
		for k := 0; k < takes; k++ {
			f, take, err := projects.NewTakeFile(dir, s, tr.Name, ".wav")
			if err != nil {
				tb.Fatal(err)
			}
			wavtest.Sparse24(tb, f, frames)
			s.Takes = append(s.Takes, projects.TakeInfo{File: take, Recorded: "2026-11-25T10:00:00Z", Frames: frames})
			tr.NewPass(fmt.Sprintf("Take %d", k+1), []projects.Clip{{Take: take, Length: frames}})
		}
		s.Tracks = append(s.Tracks, tr)
	}
	if err := projects.Save(dir, s); err != nil {
		tb.Fatal(err)
	}
	return s
}

// checkDisk skips when the temporary folder's file system has less than
// need bytes free (sparse files use almost none, but be safe).
func checkDisk(tb testing.TB, dir string, need uint64) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err == nil && st.Bavail*uint64(st.Bsize) < need {
		tb.Skipf("only %d MB free in %s", st.Bavail*uint64(st.Bsize)>>20, dir)
	}
}

// BenchmarkOpenLargeSong opens a song of 32 tracks × 20 takes of 5 minutes
// as the window does: studio.Open (load, validate, recover, undo history)
// and StartAudio on the virtual device, until the device runs the song.
// Figure to report: ns/op in ms (target: under 1 s).
func BenchmarkOpenLargeSong(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "large")
	checkDisk(b, filepath.Dir(dir), 1<<30)
	largeSong(b, dir, 32, 20, 300)
	l := newLoop(&testing.T{})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		st, err := studio.Open(dir, testAudio(b, virtual(), l.post), l.post)
		if err != nil {
			b.Fatal(err)
		}
		if len(st.Song().Tracks) != 32 {
			b.Fatalf("%d tracks", len(st.Song().Tracks))
		}
		st.StartAudio()
		pumpB(b, l, func() bool { a := st.Audio(); return a.Device != "" && !a.Starting || a.Err != nil })
		if err := st.Audio().Err; err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkLoadLargeSong is projects.Load alone on the same song.
func BenchmarkLoadLargeSong(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "large")
	largeSong(b, dir, 32, 20, 300)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := projects.Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// pumpB runs the loop's posted functions until cond holds.
func pumpB(b *testing.B, l *loop, cond func() bool) {
	for !cond() {
		select {
		case f := <-l.posts:
			f()
		default:
			if cond() {
				return
			}
			f := <-l.posts
			f()
		}
	}
}
