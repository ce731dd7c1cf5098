package songview_test

import (
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"sangstudio/audio/engine"
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
	redraws := watchCanvas(b)
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
		n += redraws.redraws(m)
	}
	if n != 0 {
		b.Fatalf("%d meter redraws while idle", n)
	}
}

// canvasWatch is the app of a test that watches what is redrawn: the test
// app, with a driver whose canvases count, for each object, how often they
// are asked to redraw it (canvas.Refresh, which a widget's renderer calls
// for each of its objects when it redraws).
type canvasWatch struct {
	fyne.App
	drv watchDriver
}

type watchDriver struct {
	fyne.Driver
	mu       sync.Mutex
	redrawn  map[fyne.CanvasObject]int
	canvases map[fyne.Canvas]*watchedCanvas
}

type watchedCanvas struct {
	fyne.Canvas
	d *watchDriver
}

// watchCanvas makes the current (test) app count redraws until the test
// ends. Windows made before keep working as they are.
func watchCanvas(t testing.TB) *canvasWatch {
	t.Helper()
	a := fyne.CurrentApp()
	w := &canvasWatch{App: a}
	w.drv = watchDriver{Driver: a.Driver(), redrawn: map[fyne.CanvasObject]int{}, canvases: map[fyne.Canvas]*watchedCanvas{}}
	fyne.SetCurrentApp(w)
	t.Cleanup(func() { fyne.SetCurrentApp(a) })
	return w
}

func (w *canvasWatch) Driver() fyne.Driver { return &w.drv }

func (d *watchDriver) CanvasForObject(o fyne.CanvasObject) fyne.Canvas {
	c := d.Driver.CanvasForObject(o)
	if c == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	wc := d.canvases[c]
	if wc == nil {
		wc = &watchedCanvas{Canvas: c, d: d}
		d.canvases[c] = wc
	}
	return wc
}

func (c *watchedCanvas) Refresh(o fyne.CanvasObject) {
	c.d.mu.Lock()
	c.d.redrawn[o]++
	c.d.mu.Unlock()
	c.Canvas.Refresh(o)
}

// SetDirty passes on to the canvas watched (an object that moves asks for it).
func (c *watchedCanvas) SetDirty() {
	if d, ok := c.Canvas.(interface{ SetDirty() }); ok {
		d.SetDirty()
	}
}

// redraws is how often the widget was redrawn so far: the most any of its
// renderer's objects was.
func (w *canvasWatch) redraws(wid fyne.Widget) int {
	w.drv.mu.Lock()
	defer w.drv.mu.Unlock()
	n := 0
	for _, o := range test.WidgetRenderer(wid).Objects() {
		n = max(n, w.drv.redrawn[o])
	}
	return n
}
