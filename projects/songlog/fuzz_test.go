package songlog_test

import (
	"testing"
	"time"

	"sangstudio/internal/fuzzcheck"
	"sangstudio/projects/songlog"
)

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"time":"2026-12-01T09:00:00Z","event":"opened","by":"window"}` + "\n" +
		`{"time":"2026-12-01T09:03:00Z","event":"take","track":"Vokal","seconds":5}` + "\n" +
		`{"time":"2026-12-01T09:40:00Z","event":"copy","what":"take-home","format":"mp3","to":"/media/usb"}` + "\n" +
		`{"time":"2026-12-01T09:50:00Z","event":"closed"}`))
	f.Add([]byte("garbage\n\n{\"time\":\"2026-12-01T09:04:00Z\",\"ev"))
	f.Add([]byte(`{"time":"2026-12-01T09:03:00Z","event":"take","seconds":-1e308}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 1 << 20, PerByte: 64}, func() {
			es, damaged := songlog.Parse(data)
			if damaged < 0 || len(es)+damaged > len(data) {
				t.Fatalf("%d entries, %d damaged from %d bytes", len(es), damaged, len(data))
			}
			for _, e := range es {
				if e.Time.IsZero() || e.Seconds < 0 || e.Seconds != e.Seconds {
					t.Fatalf("entry %+v", e)
				}
			}
			ss := songlog.Sessions(es, time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC), false)
			sum := songlog.Summarize(ss)
			if sum.Sessions > len(ss) || sum.Takes+sum.Copies > len(es) {
				t.Fatalf("summary %+v of %d entries", sum, len(es))
			}
			for _, s := range ss {
				if s.Open < 0 {
					t.Fatalf("day %v open %v", s.Day, s.Open)
				}
			}
		})
	})
}
