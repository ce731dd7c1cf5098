package uitest

import (
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// CanvasWatch is the app of a test that watches what is redrawn: the test
// app, with a driver whose canvases count, for each object, how often they
// are asked to redraw it (canvas.Refresh, which a widget's renderer calls
// for each of its objects when it redraws).
type CanvasWatch struct {
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

// WatchCanvas makes the current (test) app count redraws until the test
// ends. Windows made before keep working as they are.
func WatchCanvas(t testing.TB) *CanvasWatch {
	t.Helper()
	a := fyne.CurrentApp()
	w := &CanvasWatch{App: a}
	w.drv = watchDriver{Driver: a.Driver(), redrawn: map[fyne.CanvasObject]int{}, canvases: map[fyne.Canvas]*watchedCanvas{}}
	fyne.SetCurrentApp(w)
	t.Cleanup(func() { fyne.SetCurrentApp(a) })
	return w
}

func (w *CanvasWatch) Driver() fyne.Driver { return &w.drv }

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

// Redraws is how often the widget was redrawn so far: the most any of its
// renderer's objects was.
func (w *CanvasWatch) Redraws(wid fyne.Widget) int {
	w.drv.mu.Lock()
	defer w.drv.mu.Unlock()
	n := 0
	for _, o := range test.WidgetRenderer(wid).Objects() {
		n = max(n, w.drv.redrawn[o])
	}
	return n
}
