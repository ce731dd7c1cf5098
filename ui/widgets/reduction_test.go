package widgets

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestReductionMeter: the figure is rounded to 0.1 dB and kept within the
// meter's range; the bar is as long as the reduction is deep; nothing is
// redrawn when the figure stays.
func TestReductionMeter(t *testing.T) {
	m := NewReductionMeter(20)
	w := test.NewTempWindow(t, m)
	w.Resize(fyne.NewSize(240, 40))
	m.Resize(fyne.NewSize(200, 30))
	if m.Value() != 0 || m.Text() != "0 dB" || m.bar.Size().Width != 0 {
		t.Fatalf("new: %v dB, %q, bar %v", m.Value(), m.Text(), m.bar.Size())
	}
	m.Set(4.96)
	if m.Value() != 5 || m.Text() != "−5.0 dB" || m.bar.Size().Width != 50 {
		t.Fatalf("5 dB: %v, %q, bar %v wide", m.Value(), m.Text(), m.bar.Size().Width)
	}
	m.Set(35)
	if m.Value() != 20 || m.bar.Size().Width != 200 {
		t.Fatalf("35 dB on a 20 dB meter: %v, bar %v wide", m.Value(), m.bar.Size().Width)
	}
	m.Set(-1)
	if m.Value() != 0 || m.bar.Size().Width != 0 {
		t.Fatalf("below 0: %v, bar %v wide", m.Value(), m.bar.Size().Width)
	}
}
