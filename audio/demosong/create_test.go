package demosong_test

import (
	"path/filepath"
	"testing"

	"sangstudio/audio/demosong"
	"sangstudio/projects"
)

func TestCreateWritesALoadableSong(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	s, err := demosong.Create(dir, 44100)
	if err != nil {
		t.Fatal(err)
	}
	got, rec, err := projects.Load(dir)
	if err != nil || rec != nil {
		t.Fatalf("load: %v %v", err, rec)
	}
	if got.Title != s.Title || got.Rate != 44100 || len(got.Tracks) != 6 || !got.Tracks[5].IsMIDI() || len(got.Markers) != 4 || got.Lyrics == "" {
		t.Fatalf("demo song: %q %d Hz, %d tracks, %d markers", got.Title, got.Rate, len(got.Tracks), len(got.Markers))
	}
	for _, tr := range got.Tracks {
		if len(tr.Clips) != 1 || tr.Clips[0].Length != got.Length() {
			t.Errorf("track %q clips %+v", tr.Name, tr.Clips)
		}
	}
	if _, err := demosong.Create(dir, 48000); err == nil {
		t.Error("Create over an existing song succeeded")
	}
	if _, err := demosong.Create(filepath.Join(t.TempDir(), "x"), 22050); err == nil {
		t.Error("Create at 22050 Hz succeeded")
	}
}
