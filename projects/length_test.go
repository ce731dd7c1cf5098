package projects_test

import (
	"errors"
	"strings"
	"testing"

	"sangstudio/projects"
)

func lengthSong(clips ...[]projects.Clip) *projects.Song {
	s := &projects.Song{Rate: 48000}
	for i, cs := range clips {
		s.Tracks = append(s.Tracks, &projects.Track{Name: []string{"Vokal", "Gitar", "Bass"}[i], Clips: cs})
	}
	return s
}

// TestRenderLength: a song within MaxRenderHours renders; one beyond it
// is refused naming the clip far beyond the rest, where it starts and where
// the rest ends; a song long all the way (one long take) is refused
// without blaming a clip as lying apart.
func TestRenderLength(t *testing.T) {
	const rate = 48000
	minute := int64(60 * rate)
	day := 24 * 60 * minute
	short := []projects.Clip{{Take: "a.wav", Position: 0, Length: 3 * minute}}

	if err := lengthSong(short, []projects.Clip{{Take: "b.wav", Position: 5*60*minute - minute, Length: minute}}).CheckRenderLength(); err != nil {
		t.Errorf("a song of 5 hours: %v", err)
	}
	if _, ok := lengthSong(short, []projects.Clip{{Take: "b.wav", Position: minute, Length: minute}}).Outlier(); ok {
		t.Error("an outlier in a song with none")
	}

	far := lengthSong(short, []projects.Clip{{Take: "b.wav", Position: 2 * minute, Length: minute}, {Take: "c.wav", Position: 30 * day, Length: 12 * rate}})
	err := far.CheckRenderLength()
	var tl *projects.TooLongError
	if !errors.As(err, &tl) || tl.Outlier == nil {
		t.Fatalf("a clip 30 days in: %v", err)
	}
	if o := tl.Outlier; o.Track != 2 || o.Clip != 2 || o.TrackName != "Gitar" || o.Position != 30*day || o.RestEnd != 3*minute || o.Others != 0 {
		t.Errorf("the outlier: %+v", o)
	}
	for _, want := range []string{"720.0 hours long", `clip 2 on track 2 ("Gitar")`, "starts at 720:00:00 (30.0 days in)", "the rest of the song, which ends at 3:00", "move or delete that clip", "up to 6 hours"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "disk") {
		t.Errorf("%q speaks of the disk", err)
	}

	// Two clips far out, and one 20 minutes after the rest: the part
	// beyond the last gap is named, with the clip after it counted.
	two := lengthSong(short, []projects.Clip{{Take: "b.wav", Position: 23 * minute, Length: minute}, {Take: "c.wav", Position: 2 * day, Length: minute}},
		[]projects.Clip{{Take: "d.wav", Position: 2*day + 30*rate, Length: minute}})
	if !errors.As(two.CheckRenderLength(), &tl) || tl.Outlier == nil || tl.Outlier.Take != "c.wav" || tl.Outlier.Others != 1 ||
		tl.Outlier.RestEnd != 24*minute || tl.Last.Take != "d.wav" || !strings.Contains(tl.Error(), "and one more clip lies after it") {
		t.Errorf("two clips far out: %+v %v", tl.Outlier, tl)
	}

	// Within the limit, an outlier 20 minutes after the rest.
	o, ok := lengthSong(short, []projects.Clip{{Take: "b.wav", Position: 23 * minute, Length: minute}}).Outlier()
	if !ok || o.Take != "b.wav" || o.RestEnd != 3*minute || !strings.Contains(o.Text(), "starts at 23:00") {
		t.Errorf("an outlier 20 minute after the rest: %v %+v", ok, o)
	}

	// A song that is long all the way.
	long := lengthSong([]projects.Clip{{Take: "a.wav", Length: 7 * 60 * minute}})
	err = long.CheckRenderLength()
	if !errors.As(err, &tl) || tl.Outlier != nil || !strings.Contains(err.Error(), `the song is 7.0 hours long (clip 1 on track 1 ("Vokal") ends at 7:00:00)`) {
		t.Errorf("a song of 7 hours: %v", err)
	}
}
