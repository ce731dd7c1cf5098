package bounce_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/audio/bounce"
	"sangstudio/audio/demosong"
	"sangstudio/audio/encode"
	"sangstudio/audio/master"
	"sangstudio/projects/songlog"
)

// A take-home reports its progress in order (the bar never goes back, even
// though mastering reads the mix several times) and ends at 1.
func TestTakeHomeProgressAndFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s, err := demosong.Create(dir, 48000)
	if err != nil {
		t.Fatal(err)
	}
	s.Performer = "Kari"
	dest := t.TempDir()
	last := -1.0
	var stages []bounce.Stage
	res, err := bounce.TakeHome(context.Background(), dir, s, dest, bounce.Options{
		Formats: []encode.Format{encode.MP3, encode.FLAC16}, Lyrics: true, Preset: master.CD(),
		Progress: func(st bounce.Stage, f float64) {
			if f < last-1e-9 {
				t.Errorf("progress went back from %.3f to %.3f (stage %d)", last, f, st)
			}
			last = f
			if len(stages) == 0 || stages[len(stages)-1] != st {
				stages = append(stages, st)
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	if last < 0.999 {
		t.Errorf("progress ended at %.3f", last)
	}
	want := []bounce.Stage{bounce.StageMix, bounce.StageMaster, bounce.StageEncode, bounce.StageCopy}
	if len(stages) != len(want) {
		t.Errorf("stages %v, want %v", stages, want)
	}
	var names []string
	for _, f := range res.Files {
		names = append(names, filepath.Base(f))
	}
	if strings.Join(names, "|") != "Demo - Morgenlys.mp3|Demo - Morgenlys.flac|Demo - Morgenlys.txt" {
		t.Errorf("files %q", names)
	}
	// The song's log notes the two sound files that left it (not the
	// lyrics).
	es, _, err := songlog.Read(dir)
	if err != nil || len(es) != 2 || es[0].What != songlog.CopyTakeHome || es[0].Format != "mp3" || es[0].To != res.Files[0] || es[1].Format != "flac" {
		t.Errorf("the song's log after taking it home: %+v, %v", es, err)
	}
	if res.Master.Output.Integrated > -9.5 || res.Master.Output.Integrated < -10.5 {
		t.Errorf("CD preset: %.2f LUFS", res.Master.Output.Integrated)
	}
	if l, _ := filepath.Glob(filepath.Join(dir, ".cache", "takehome-*")); len(l) > 0 {
		t.Errorf("working folder left: %v", l)
	}
	if ents, _ := os.ReadDir(dest); len(ents) != 1 {
		t.Errorf("the destination holds %d entries, want the song's folder only", len(ents))
	}
}
