package songview

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"sangstudio/projects/songlog"
	"sangstudio/ui/i18n"
)

// TestLogText: the song's log in full, newest session first, in English
// and Norwegian: the day, the time open, the takes with their lengths, and
// each copy with what, format and where (shortened).
func TestLogText(t *testing.T) {
	test.NewTempApp(t)
	defer i18n.Use("en")
	day := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, time.Local) }
	es := []songlog.Entry{
		{Time: day(1, 10, 0), Event: songlog.Opened},
		{Time: day(1, 10, 5), Event: songlog.Take, Track: "Vokal", Seconds: 72.4},
		{Time: day(1, 10, 40), Event: songlog.Copy, What: songlog.CopyTakeHome, Format: "mp3", To: "/media/anna/USB-PINNE/Morgenlys.mp3"},
		{Time: day(1, 10, 50), Event: songlog.Closed},
		{Time: day(8, 13, 0), Event: songlog.Opened},
		{Time: day(8, 13, 30), Event: songlog.Closed},
	}
	ss := songlog.Sessions(es, day(9, 9, 0), false)
	i18n.Use("en")
	got := logText(ss)
	want := "2026-12-08: open 0:30\n\n2026-12-01: open 0:50\nTakes recorded (1): Vokal (1:12)\n10:40 copy: taken home, MP3, to …/USB-PINNE/Morgenlys.mp3"
	if got != want {
		t.Errorf("English:\n%s\nwant\n%s", got, want)
	}
	i18n.Use("nb")
	if got := logText(ss); !strings.Contains(got, "2026-12-01: åpen 0:50\nOpptak (1): Vokal (1:12)\n10:40 kopi: tatt med hjem, MP3, til …/USB-PINNE/Morgenlys.mp3") {
		t.Errorf("Norwegian:\n%s", got)
	}
	if got := logText(nil); !strings.HasPrefix(got, "Loggen er tom") {
		t.Errorf("no log: %q", got)
	}
}
