package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/projects"
	"sangstudio/projects/album"
)

func TestAlbumAndCDCommands(t *testing.T) {
	root := t.TempDir()
	a, b := filepath.Join(root, "A"), filepath.Join(root, "B")
	mustSang(t, "demo", a)
	mustSang(t, "demo", b)
	s, _, _ := projects.Load(b)
	s.Title = "Kveld"
	projects.Save(b, s)

	alb := filepath.Join(root, "Min CD")
	out := mustSang(t, "album", alb, "--title", "Høstkonsert", "--performer", "Koret", a, b)
	if !strings.Contains(out, "2 songs") || !strings.Contains(out, "Kveld — Koret") {
		t.Errorf("album said:\n%s", out)
	}
	if saved, _, err := album.Load(alb); err != nil || len(saved.Tracks) != 2 || saved.Tracks[0].Song != "A" {
		t.Fatalf("album on disk: %+v %v", saved, err)
	}

	img := filepath.Join(t.TempDir(), "cd")
	out = mustSang(t, "cd", alb, "--out", img)
	if !strings.Contains(out, "Made the CD image of \"Høstkonsert\"") || !strings.Contains(out, "tracklist.png") {
		t.Errorf("cd said:\n%s", out)
	}
	for _, f := range []string{"disc.bin", "disc.cue", "disc.toc", "tracklist.png", "01-Demo - Morgenlys.wav", "02-Kveld.wav"} {
		if _, err := os.Stat(filepath.Join(img, f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := exec.LookPath("cdrdao"); err == nil {
		b, err := exec.Command("cdrdao", "toc-info", filepath.Join(img, "disc.toc")).CombinedOutput()
		if err != nil || !strings.Contains(string(b), "2 tracks") {
			t.Errorf("cdrdao toc-info: %v\n%s", err, b)
		}
	}

	// Songs given directly, with no pause between them.
	img2 := filepath.Join(t.TempDir(), "cd2")
	mustSang(t, "cd", "--title", "Live", "--gap", "0", a, b, "--out", img2)
	cue, _ := os.ReadFile(filepath.Join(img2, "disc.cue"))
	if strings.Contains(string(cue), "INDEX 00") {
		t.Errorf("a live CD has gaps:\n%s", cue)
	}

	// A song too short for a CD: refused in plain words, nothing written.
	short := filepath.Join(root, "Kort")
	mustSang(t, "new", short)
	img3 := filepath.Join(t.TempDir(), "cd3")
	code, _, errs := sang(t, "cd", "--title", "X", short, "--out", img3)
	if code != 1 || !strings.Contains(errs, "nothing recorded") {
		t.Errorf("empty song: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(img3); !os.IsNotExist(err) {
		t.Error("a refused CD created its folder")
	}

	// Burning needs a writer; these machines have none: the image stays and the message says so.
	img4 := filepath.Join(t.TempDir(), "cd4")
	code, _, errs = sang(t, "cd", alb, "--out", img4, "--burn", "--simulate")
	if code != 1 || !strings.Contains(errs, "no usable CD writer") {
		t.Errorf("burn without a writer: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(img4, "disc.toc")); err != nil {
		t.Error("the image is gone after a burn that could not start")
	}
	mustSang(t, "cd", "--list-drives")
	for _, args := range [][]string{{"cd", alb}, {"cd", a, "--out", img}, {"cd", alb, "--out", img, "--gap", "20"}} {
		if code, _, errs := sang(t, args...); code != 2 {
			t.Errorf("%q: exit %d %s", args, code, errs)
		}
	}
}
