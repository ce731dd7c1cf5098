package widgets_test

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"sangstudio/internal/uitest"
	"sangstudio/ui/widgets"
)

func TestClockAndBarBeat(t *testing.T) {
	for _, c := range []struct {
		frames int64
		want   string
	}{{0, "0:00.0"}, {48000, "0:01.0"}, {48000*65 + 14400, "1:05.3"}, {-24000, "-0:00.5"}, {48000 * 3600, "60:00.0"}} {
		if got := widgets.Clock(c.frames, 48000); got != c.want {
			t.Errorf("Clock(%d) = %q, want %q", c.frames, got, c.want)
		}
	}
	// 120 BPM 4/4 at 48 kHz: a beat is 24000 frames.
	for _, c := range []struct {
		frames    int64
		bar, beat int
	}{{0, 1, 1}, {23999, 1, 1}, {24000, 1, 2}, {4 * 24000, 2, 1}, {9*24000 + 5, 3, 2}} {
		bar, beat, ok := widgets.BarBeat(c.frames, 48000, 120, 4)
		if !ok || bar != c.bar || beat != c.beat {
			t.Errorf("BarBeat(%d) = %d.%d %v, want %d.%d", c.frames, bar, beat, ok, c.bar, c.beat)
		}
	}
	if _, _, ok := widgets.BarBeat(100, 48000, 0, 4); ok {
		t.Error("BarBeat without a tempo")
	}
}

func TestMeterRedrawsOnlyWhenItMoves(t *testing.T) {
	test.NewTempApp(t)
	m := widgets.NewMeter()
	w := test.NewTempWindow(t, container.NewGridWrap(fyne.NewSize(200, 10), m))
	_ = w
	redraws := uitest.WatchCanvas(t)
	if widgets.Fraction(1) != 1 || widgets.Fraction(0) != 0 || widgets.Fraction(0.0005) != 0 {
		t.Fatal("Fraction ends")
	}
	if f := widgets.Fraction(0.1); f < 0.66 || f > 0.67 { // -20 dBFS on a 60 dB scale
		t.Fatalf("Fraction(-20 dBFS) = %v", f)
	}
	m.Set(0.5, 0.5)
	n := redraws.Redraws(m)
	if n != 1 {
		t.Fatalf("%d redraws for the first level", n)
	}
	for i := 0; i < 100; i++ {
		m.Set(0.5, 0.5) // the same value: nothing to draw
	}
	m.Set(0.5001, 0.5) // less than a pixel
	if got := redraws.Redraws(m); got != n {
		t.Fatalf("%d redraws for an unchanged meter", got-n)
	}
	m.Set(0.05, 0.5)
	if got := redraws.Redraws(m); got != n+1 || m.Level() >= widgets.Fraction(0.5) || m.Held() != widgets.Fraction(0.5) {
		t.Fatalf("a falling meter: redraws %d, level %v, held %v", got-n, m.Level(), m.Held())
	}
}

func TestTipButton(t *testing.T) {
	test.NewTempApp(t)
	tapped := 0
	b := widgets.NewTipButton("Play", nil, "Play / stop (Space)", func() { tapped++ })
	w := test.NewTempWindow(t, container.NewCenter(b))
	w.Resize(fyne.NewSize(400, 300))
	b.ShowTip()
	if !b.TipShown() {
		t.Fatal("the tooltip did not show")
	}
	if !containsText(w.Canvas().Overlays().Top(), "Play / stop (Space)") {
		t.Fatal("the tooltip does not say what the button does")
	}
	test.Tap(b)
	if tapped != 1 || b.TipShown() {
		t.Fatalf("tap: %d, tip shown %v", tapped, b.TipShown())
	}
}

func containsText(o fyne.CanvasObject, text string) bool {
	return o != nil && contains(test.RenderObjectToMarkup(o), text)
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestHoldButton: a tap or a short press does nothing; a press held for
// Hold acts once.
func TestHoldButton(t *testing.T) {
	test.NewTempApp(t)
	q := uitest.NewQueue()
	held := 0
	b := widgets.NewHoldButton("Leave", nil, 150*time.Millisecond, q.Post, func() { held++ })
	test.Tap(b)
	b.Press(time.Now())
	time.Sleep(50 * time.Millisecond)
	b.Release()
	time.Sleep(200 * time.Millisecond)
	q.Drain()
	if held != 0 || b.Text != "Leave" {
		t.Fatalf("a tap and a short press: held %d times, text %q", held, b.Text)
	}
	b.Press(time.Now())
	q.WaitFor(t, "held", 5*time.Second, func() bool { return held > 0 })
	time.Sleep(200 * time.Millisecond)
	q.Drain()
	if held != 1 || b.Text != "Leave" {
		t.Fatalf("held %d times, text %q; want once, and the label back", held, b.Text)
	}
}
