package songview_test

import (
	"testing"

	"fyne.io/fyne/v2"

	"sangstudio/audio/engine"
	"sangstudio/internal/uitest"
	"sangstudio/ui/widgets"
)

// BenchmarkTickIdle is the window's ticker on a song that is stopped with
// nothing armed: it must not allocate or redraw anything.
func BenchmarkTickIdle(b *testing.B) {
	st, v, w := setup(b)
	for st.Audio().Device == "" {
		drain()
		v.Tick()
	}
	v.Tick()
	var meters []*widgets.Meter
	walk(w.Canvas().Content(), func(o fyne.CanvasObject) {
		if m, ok := o.(*widgets.Meter); ok {
			meters = append(meters, m)
		}
	})
	if len(meters) != len(st.Song().Tracks)+1 {
		b.Fatalf("%d meters for %d tracks and the master", len(meters), len(st.Song().Tracks))
	}
	redraws := uitest.WatchCanvas(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v.Tick()
	}
	b.StopTimer()
	if st.State() != engine.Stopped {
		b.Fatal("not idle")
	}
	n := 0
	for _, m := range meters {
		n += redraws.Redraws(m)
	}
	if n != 0 {
		b.Fatalf("%d meter redraws while idle", n)
	}
}
