package songlog_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"sangstudio/projects/songlog"
)

var oslo = func() *time.Location {
	l, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return time.FixedZone("CET", 3600)
	}
	return l
}()

func at(day, hour, min int) time.Time { return time.Date(2026, 12, day, hour, min, 0, 0, oslo) }

func TestAppendReadSessions(t *testing.T) {
	dir := t.TempDir()
	add := func(e songlog.Entry) {
		t.Helper()
		if err := songlog.Append(dir, e); err != nil {
			t.Fatal(err)
		}
	}
	// Day 1: open 10:00–10:50, two takes, a take-home copy.
	add(songlog.Entry{Time: at(1, 10, 0), Event: songlog.Opened, By: "window"})
	add(songlog.Entry{Time: at(1, 10, 5), Event: songlog.Take, Track: "Vokal", Seconds: 30.5})
	add(songlog.Entry{Time: at(1, 10, 20), Event: songlog.Take, Track: "Vokal", Seconds: 42})
	add(songlog.Entry{Time: at(1, 10, 45), Event: songlog.Copy, What: songlog.CopyTakeHome, Format: "mp3", To: "/media/usb/Sang.mp3"})
	add(songlog.Entry{Time: at(1, 10, 50), Event: songlog.Closed})
	// Day 3: a CD image made from the command line, song not opened.
	add(songlog.Entry{Time: at(3, 9, 0), Event: songlog.Copy, What: songlog.CopyCD, Format: "bin/cue", To: "/tmp/cd"})
	// Day 8: opened 13:00, a take at 13:30, then a crash (no Closed);
	// opened again 14:00, still open.
	add(songlog.Entry{Time: at(8, 13, 0), Event: songlog.Opened})
	add(songlog.Entry{Time: at(8, 13, 30), Event: songlog.Take, Track: "Gitar", Seconds: 10})
	add(songlog.Entry{Time: at(8, 14, 0), Event: songlog.Opened})

	got, damaged, err := songlog.Read(dir)
	if err != nil || damaged != 0 || len(got) != 9 {
		t.Fatalf("read %d entries, %d damaged, %v", len(got), damaged, err)
	}
	if got[1].Track != "Vokal" || got[1].Seconds != 30.5 || !got[1].Time.Equal(at(1, 10, 5)) || got[3].To != "/media/usb/Sang.mp3" {
		t.Fatalf("entries read back differ: %+v", got[:4])
	}
	now := at(8, 14, 25)
	ss := songlog.Sessions(got, now, true)
	if len(ss) != 3 {
		t.Fatalf("%d days, want 3: %+v", len(ss), ss)
	}
	if !ss[0].Day.Equal(at(1, 0, 0)) || ss[0].Open != 50*time.Minute || len(ss[0].Takes) != 2 || len(ss[0].Copies) != 1 {
		t.Fatalf("day 1: %+v", ss[0])
	}
	if ss[1].Open != 0 || len(ss[1].Copies) != 1 {
		t.Fatalf("day 3: %+v", ss[1])
	}
	// 13:00 to the take at 13:30 (the crash), then 14:00 to now (14:25).
	if ss[2].Open != 55*time.Minute || len(ss[2].Takes) != 1 {
		t.Fatalf("day 8: open %v, %d takes; want 55m0s, 1", ss[2].Open, len(ss[2].Takes))
	}
	if got := songlog.Today(ss, now); got != 55*time.Minute {
		t.Fatalf("today %v", got)
	}
	if got := songlog.Today(ss, at(9, 8, 0)); got != 0 {
		t.Fatalf("the next day: today %v", got)
	}
	// Not open now (the library): until the last entry of that opening.
	if got := songlog.Sessions(got, now, false)[2].Open; got != 30*time.Minute {
		t.Fatalf("not open now: day 8 open %v, want 30m0s", got)
	}
	if s := songlog.Summarize(ss); s != (songlog.Summary{Sessions: 2, Takes: 3, Copies: 2}) {
		t.Fatalf("summary %+v", s)
	}
}

// TestOpenOverMidnight: an evening session that goes past midnight counts
// on both days.
func TestOpenOverMidnight(t *testing.T) {
	es := []songlog.Entry{
		{Time: at(4, 23, 30), Event: songlog.Opened},
		{Time: at(5, 0, 20), Event: songlog.Closed},
	}
	ss := songlog.Sessions(es, at(6, 12, 0), false)
	if len(ss) != 2 || ss[0].Open != 30*time.Minute || ss[1].Open != 20*time.Minute {
		t.Fatalf("%+v", ss)
	}
}

// TestDamagedLinesAreSkipped: a torn line, garbage, an unknown event and
// invalid UTF-8 are counted and skipped; the rest is read, and the next
// entry after a torn line is whole.
func TestDamagedLinesAreSkipped(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"time":"2026-12-01T09:00:00Z","event":"opened"}`,
		`garbage`,
		`{"time":"2026-12-01T09:01:00Z","event":"exploded"}`,
		"{\"time\":\"2026-12-01T09:02:00Z\",\"event\":\"take\",\"track\":\"\xff\"}",
		`{"event":"take"}`,
		`{"time":"2026-12-01T09:03:00Z","event":"take","track":"Vokal","seconds":5}`,
		`{"time":"2026-12-01T09:04:00Z","ev`,
	}
	if err := os.WriteFile(songlog.Path(dir), []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := songlog.Append(dir, songlog.Entry{Time: at(1, 11, 0), Event: songlog.Closed}); err != nil {
		t.Fatal(err)
	}
	es, damaged, err := songlog.Read(dir)
	if err != nil || damaged != 5 || len(es) != 3 || es[1].Track != "Vokal" || es[2].Event != songlog.Closed {
		t.Fatalf("%d entries %+v, %d damaged, %v; want 3 and 5", len(es), es, damaged, err)
	}
}

func TestNoLogIsEmpty(t *testing.T) {
	es, damaged, err := songlog.Read(t.TempDir())
	if err != nil || damaged != 0 || len(es) != 0 {
		t.Fatalf("%v %d %v", es, damaged, err)
	}
}

// TestAFolderWhereTheLogShouldBe is refused with the path in the message.
func TestAFolderWhereTheLogShouldBe(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(songlog.Path(dir), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, _, err := songlog.Read(dir); err == nil || !strings.Contains(err.Error(), songlog.File) {
		t.Fatalf("read: %v", err)
	}
	if err := songlog.Append(dir, songlog.Entry{Event: songlog.Opened}); err == nil {
		t.Fatal("append to a folder succeeded")
	}
}

// TestAForgottenWindow: an opening that lasts days counts 12 hours.
func TestAForgottenWindow(t *testing.T) {
	es := []songlog.Entry{{Time: at(1, 9, 0), Event: songlog.Opened}, {Time: at(20, 9, 0), Event: songlog.Closed}}
	ss := songlog.Sessions(es, at(21, 9, 0), false)
	var open time.Duration
	for _, s := range ss {
		open += s.Open
	}
	if len(ss) != 1 || open != 12*time.Hour {
		t.Fatalf("%d days, %v open in all; want 1 day, 12h", len(ss), open)
	}
}
