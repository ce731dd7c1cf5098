package app

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// The window's size when the screen has room for it.
const (
	preferredWidth  = 1280
	preferredHeight = 820
)

// decorations is room left for the window's title bar and borders, which
// the screen's work area does not count, in pixels.
const decorations = 48

// fitScreen makes the window no larger than the usable area of the screen
// (the primary monitor's work area: without the desktop's panels), so that
// on a 1366×768 laptop or a 1024×600 netbook the whole window is on the
// screen. Fyne has no screen API, so it asks GLFW, which Fyne's desktop
// driver runs; it must run on the main thread once the driver has started
// (the app's OnStarted). Without a monitor (no GLFW) it does nothing.
func fitScreen(w fyne.Window) {
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return
	}
	_, _, width, height := m.GetWorkarea()
	if width <= 0 || height <= 0 {
		return
	}
	w.Resize(fitSize(width, height, w.Canvas().Scale()))
}

// fitSize is the window size (in Fyne's units, scale pixels each) for a
// work area of width×height pixels: the preferred size, or smaller.
func fitSize(width, height int, scale float32) fyne.Size {
	if scale <= 0 {
		scale = 1
	}
	wd := float32(width-decorations/3) / scale
	ht := float32(height-decorations) / scale
	return fyne.NewSize(min(preferredWidth, wd), min(preferredHeight, ht))
}
