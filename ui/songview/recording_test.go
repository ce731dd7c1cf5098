package songview_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"sangstudio/audio/engine"
	"sangstudio/internal/uitest"
)

// TestRecordingSeenGrowing records the virtual device's sine on the first
// track: while it records, the track shows a block in the recording colour
// from where the take starts to the playhead, wider at each tick, with the
// sine's waveform; after Stop the block is gone and the take's clip is
// where it was.
func TestRecordingSeenGrowing(t *testing.T) {
	st, v, _ := setup(t)
	waitFor(t, v, "the virtual device", func() bool { return st.Audio().Device != "" && !st.Audio().Starting })
	tl := v.Timeline()
	if err := st.Arm(0, true); err != nil {
		t.Fatal(err)
	}
	st.SetCountIn(0)
	st.Locate(96000)
	if err := st.Record(); err != nil {
		t.Fatal(err)
	}
	var block *canvas.Rectangle
	var wave *canvas.Raster
	waitFor(t, v, "a recording block", func() bool {
		block, wave = recordingBlock(tl)
		return block != nil && block.Size().Width >= 4
	})
	x0, w0 := block.Position().X, block.Size().Width
	top := tl.RulerHeight()
	if st.State() != engine.Recording || x0 > tl.XAt(96000)+1 || block.Position().Y < top || block.Position().Y > top+tl.RowHeight() {
		t.Fatalf("recording block at %v, %v; want it on track 1 from x %v (frame 96000) on", block.Position(), block.Size(), tl.XAt(96000))
	}
	waitFor(t, v, "the block to grow", func() bool {
		b, _ := recordingBlock(tl)
		return b == block && b.Size().Width >= w0+3
	})
	if right := block.Position().X + block.Size().Width; block.Position().X != x0 || right > tl.XAt(st.Position())+1 || right < tl.XAt(st.Position())-8 {
		t.Errorf("the block spans x %v–%v, want %v to the playhead at %v", block.Position().X, right, x0, tl.XAt(st.Position()))
	}
	s := wave.Size()
	if n := uitest.Opaque(wave.Generator(int(s.Width), int(s.Height))); !wave.Visible() || n < int(s.Width*s.Height)/5 {
		t.Errorf("the block's waveform draws %d pixels of %v: want the sine's (a quarter of full scale)", n, s)
	}
	st.Stop()
	waitFor(t, v, "the take on the track", func() bool { return !st.Finishing() && len(st.Song().Tracks[0].Lanes) > 0 })
	if b, _ := recordingBlock(tl); b != nil {
		t.Fatal("the recording block is still shown after Stop")
	}
	if c := st.Song().Tracks[0].Clips; len(c) != 1 || tl.XAt(c[0].Position) < x0-1 || tl.XAt(c[0].Position) > x0+1 {
		t.Fatalf("the take's clip %+v is not where the block was (x %v)", c, x0)
	}
}

// recordingBlock finds the timeline's block of a take being recorded (its
// outline is the theme's error colour, which no other block has), and its
// waveform raster (drawn next).
func recordingBlock(tl fyne.Widget) (*canvas.Rectangle, *canvas.Raster) {
	red := theme.ColorForWidget(theme.ColorNameError, tl)
	objs := test.WidgetRenderer(tl).Objects()
	for i, o := range objs {
		if r, ok := o.(*canvas.Rectangle); ok && r.Visible() && r.StrokeColor == red && i+1 < len(objs) {
			w, _ := objs[i+1].(*canvas.Raster)
			return r, w
		}
	}
	return nil, nil
}
