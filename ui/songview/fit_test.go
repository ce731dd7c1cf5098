package songview_test

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"sangstudio/ui/i18n"
	"sangstudio/ui/look"
	"sangstudio/ui/songview"
	"sangstudio/ui/studio"
)

// windowContent is the room the song view has in a window on a screen of
// the given size: the window opens at most at the preferred 1280 wide
// (ui/app fitScreen), and loses about 48 px to its title bar and 40 px
// to the menu bar above the view.
func windowContent(w, h float32) fyne.Size {
	return fyne.NewSize(min(w-16, 1280), h-48-40)
}

// visibleTracks is how many track rows are whole in the view of the
// tracks' scroll container, and that container's height.
func visibleTracks(v *view, rows int) (n int, viewport float32) {
	var scroll *container.Scroll
	walk(v.Content(), func(o fyne.CanvasObject) {
		if s, ok := o.(*container.Scroll); ok && scroll == nil {
			scroll = s
		}
	})
	if scroll == nil {
		return 0, 0
	}
	tl := v.Timeline()
	y := tl.RulerHeight()
	for i := range rows {
		y += tl.TrackHeight(i)
		if y > scroll.Size().Height {
			break
		}
		n++
	}
	return n, scroll.Size().Height
}

// TestFitsTheScreen: at the default text size, in Norwegian, on a
// 1366×768 laptop at least 6 tracks of the demo song are whole on the
// screen at the default (normal) track height; on a 1024×600 netbook the
// view needs no more room than it has (the tracks scroll). A screenshot of
// each is written to $SANGSTUDIO_SHOTS when set.
func TestFitsTheScreen(t *testing.T) {
	for _, c := range []struct {
		name    string
		screen  fyne.Size
		height  string
		atLeast int
	}{
		{"1366x768-normal", fyne.NewSize(1366, 768), "", 6},
		{"1366x768-compact", fyne.NewSize(1366, 768), studio.TrackCompact, 6},
		{"1366x768-large", fyne.NewSize(1366, 768), studio.TrackLarge, 1},
		{"1024x600-normal", fyne.NewSize(1024, 600), "", 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			a.Settings().SetTheme(look.New(studio.Defaults().TextScale, false))
			i18n.Use("nb")
			t.Cleanup(func() { i18n.Use("en") })
			st, err := studio.Open(demoSong(t), testAudio(t, sineConfig(0), post), post)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close(); drain() })
			w := test.NewTempWindow(t, nil)
			v := newView(songview.Options{Window: w, Studio: st, TrackHeight: c.height})
			w.SetContent(v.Content())
			size := windowContent(c.screen.Width, c.screen.Height)
			w.Resize(size)
			if min := v.Content().MinSize(); min.Width > size.Width || min.Height > size.Height {
				t.Errorf("the view needs %v, the window has %v: it is cut off", min, size)
			}
			n, viewport := visibleTracks(v, len(st.Song().Tracks))
			t.Logf("%s: %d of %d tracks whole in %.0f px (rows of %.0f px)", c.name, n, len(st.Song().Tracks), viewport, v.Timeline().RowHeight())
			if n < c.atLeast {
				t.Errorf("%d tracks whole on the screen, want at least %d", n, c.atLeast)
			}
			if dir := os.Getenv("SANGSTUDIO_SHOTS"); dir != "" {
				f, err := os.Create(filepath.Join(dir, "song-"+c.name+".png"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := png.Encode(f, w.Canvas().Capture()); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
