package songview_test

import (
	"testing"

	"sangstudio/audio/engine"
)

// BenchmarkTickIdle is the window's ticker on a song that is stopped with
// nothing armed: it must not allocate or redraw anything.
func BenchmarkTickIdle(b *testing.B) {
	st, v, _ := setup(b)
	for st.Audio().Device == "" {
		drain()
		v.Tick()
	}
	v.Tick()
	redraws := v.MeterRedraws()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v.Tick()
	}
	b.StopTimer()
	if st.State() != engine.Stopped {
		b.Fatal("not idle")
	}
	if n := v.MeterRedraws() - redraws; n != 0 {
		b.Fatalf("%d meter redraws while idle", n)
	}
}
