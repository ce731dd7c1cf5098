package timeline

import (
	"fmt"
	"image/color"
	"math"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"sangstudio/internal/uitest"
	"sangstudio/projects"
)

// At 48 kHz and 120 BPM a beat is 24000 frames and a 4/4 bar 96000. At the
// default zoom of 480 frames per pixel a beat is 50 px and a bar 200 px.
const (
	beat = 24000
	fpp  = 480
)

// testSong has two tracks, lanes and markers:
//
//	track 0 "Vocal" (audio), active lane "Take 2":
//	   clip 0 at 48000 (x 100) for 96000 (200 px), offset 48000
//	   clip 1 at 240000 (x 500) for 48000 (100 px), with fades
//	   lane 0 "Take 1": one clip at 48000 for 96000
//	track 1 "Piano" (MIDI): clip 0 at 0 for 192000 (400 px)
//	markers "Verse" at 0, "Chorus" at 192000 (x 400)
func testSong() *projects.Song {
	s := projects.New("Test", 48000)
	s.Tempo = 120
	s.Takes = []projects.TakeInfo{{File: "0002-Vocal.wav", Frames: 480000}}
	v := projects.NewTrack("Vocal", 1)
	v.Clips = []projects.Clip{
		{Take: "0002-Vocal.wav", Position: 48000, Offset: 48000, Length: 96000},
		{Take: "0003-Vocal.wav", Position: 240000, Length: 48000, FadeIn: 4800, FadeOut: 9600},
	}
	v.ActiveLane = "Take 2"
	v.Lanes = []projects.Lane{{Name: "Take 1", Clips: []projects.Clip{{Take: "0001-Vocal.wav", Position: 48000, Length: 96000}}}}
	p := projects.NewMIDITrack("Piano", 0, false)
	p.Clips = []projects.Clip{{Take: "0004-Piano.mid", Position: 0, Length: 192000}}
	s.Tracks = []*projects.Track{v, p}
	s.Markers = []projects.Marker{{Name: "Verse", Position: 0}, {Name: "Chorus", Position: 192000}}
	return s
}

// fakePeaks returns a sine-ish overview once ready is set, and records calls.
type fakePeaks struct {
	ready      bool
	calls      int
	lastTake   string
	from, to   int64
	mins, maxs []float32
}

func (f *fakePeaks) peaks(take string, from, to int64, n int) ([]float32, []float32, bool) {
	f.calls++
	f.lastTake, f.from, f.to = take, from, to
	if !f.ready {
		return nil, nil, false
	}
	if cap(f.mins) < n {
		f.mins, f.maxs = make([]float32, n), make([]float32, n)
	}
	f.mins, f.maxs = f.mins[:n], f.maxs[:n]
	for i := range n {
		a := float32(0.3 + 0.5*math.Abs(math.Sin(float64(i)/7)))
		f.mins[i], f.maxs[i] = -a, a
	}
	return f.mins, f.maxs, true
}

type fixture struct {
	tl    *Timeline
	w     fyne.Window
	r     *renderer
	peaks *fakePeaks
}

func newFixture(t testing.TB, s *projects.Song) *fixture {
	test.NewTempApp(t)
	f := &fixture{peaks: &fakePeaks{}}
	f.tl = New(f.peaks.peaks)
	f.tl.SetSong(s)
	f.w = test.NewWindow(f.tl)
	f.w.SetPadded(false)
	f.w.Resize(fyne.NewSize(1000, 400))
	t.Cleanup(f.w.Close)
	f.r = test.WidgetRenderer(f.tl).(*renderer)
	return f
}

func (f *fixture) c() fyne.Canvas { return f.w.Canvas() }

// themeReads is the app's theme in a test that watches the timeline: it
// counts the colours and sizes read from it. Every full update of the
// timeline reads its palette from the theme; cheap changes read nothing.
type themeReads struct {
	fyne.Theme
	n atomic.Int64
}

func (th *themeReads) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	th.n.Add(1)
	return th.Theme.Color(n, v)
}

func (th *themeReads) Size(n fyne.ThemeSizeName) float32 {
	th.n.Add(1)
	return th.Theme.Size(n)
}

func (th *themeReads) reads() int64 { return th.n.Load() }

// watchTheme makes the test app's theme count its reads (looking the same),
// and checks that a full update of f's timeline is seen.
func watchTheme(t *testing.T, f *fixture) *themeReads {
	t.Helper()
	th := &themeReads{Theme: test.Theme()}
	fyne.CurrentApp().Settings().SetTheme(th)
	n := th.reads()
	f.tl.Refresh()
	if th.reads() == n {
		t.Fatal("a full update of the timeline read nothing from the theme")
	}
	return th
}

func near(a, b float32) bool { return math.Abs(float64(a-b)) < 0.01 }

func TestGeometry(t *testing.T) {
	f := newFixture(t, testSong())
	tl, r := f.tl, f.r
	if tl.Zoom() != fpp || tl.Size().Width != 1000 {
		t.Fatalf("zoom %v size %v", tl.Zoom(), tl.Size())
	}
	want := []struct {
		track, clip int
		x, w        float32
	}{{0, 0, 100, 200}, {0, 1, 500, 100}, {1, 0, 0, 400}}
	check := func() {
		t.Helper()
		for _, c := range want {
			v := r.activeView(c.track, c.clip)
			if v == nil || !v.body.Visible() {
				t.Fatalf("clip %d/%d has no view", c.track, c.clip)
			}
			pos, size := v.body.Position(), v.body.Size()
			top := rulerHeight + float32(c.track)*DefaultRowHeight + clipPadY
			if !near(pos.X, c.x) || !near(size.Width, c.w) || !near(pos.Y, top) || !near(size.Height, DefaultRowHeight-2*clipPadY) {
				t.Errorf("clip %d/%d at %v size %v, want x %v w %v y %v", c.track, c.clip, pos, size, c.x, c.w, top)
			}
			if !inObjects(r, v.body) || !inObjects(r, v.wave) {
				t.Errorf("clip %d/%d is not among the renderer's objects", c.track, c.clip)
			}
		}
	}
	check()

	// The MIDI clip has its own colour.
	if r.activeView(1, 0).body.FillColor == r.activeView(0, 0).body.FillColor {
		t.Error("MIDI and audio clips have the same colour")
	}
	// Names are shortened take names.
	if got := r.activeView(0, 0).name.Text; got != "Vocal 2" {
		t.Errorf("clip name %q, want %q", got, "Vocal 2")
	}

	// Zoom in by 2 and scroll by a beat: x = (frame-24000)/240.
	tl.SetZoom(240)
	tl.SetScroll(beat)
	want = []struct {
		track, clip int
		x, w        float32
	}{{0, 0, 100, 400}, {0, 1, 900, 100}, {1, 0, 0, 700}} // the MIDI clip is cut at x 0
	check()

	// Round trip.
	for _, fr := range []int64{0, 1, 24000, 48000, 123457, 9_999_999} {
		if x := tl.XAt(fr); math.Abs(float64(tl.FrameAt(x)-fr)) > 0.5*tl.Zoom() {
			t.Errorf("FrameAt(XAt(%d)) = %d", fr, tl.FrameAt(x))
		}
	}
	for _, x := range []float32{0, 1, 10.5, 333, 999} {
		if got := tl.XAt(tl.FrameAt(x)); math.Abs(float64(got-x)) > 0.5 {
			t.Errorf("XAt(FrameAt(%v)) = %v", x, got)
		}
	}
	if tl.XAt(beat) != 0 || tl.FrameAt(100) != 48000 {
		t.Errorf("XAt(beat) = %v, FrameAt(100) = %v", tl.XAt(beat), tl.FrameAt(100))
	}

	// ZoomToFit: the whole song (last end 288000) fits the width with 5% to spare.
	tl.ZoomToFit()
	if tl.Scroll() != 0 || math.Abs(tl.Zoom()-288000*1.05/1000) > 1e-9 {
		t.Errorf("ZoomToFit: scroll %d zoom %v", tl.Scroll(), tl.Zoom())
	}
}

func inObjects(r *renderer, o fyne.CanvasObject) bool {
	for _, x := range r.Objects() {
		if x == o {
			return true
		}
	}
	return false
}

func TestLanesLayout(t *testing.T) {
	f := newFixture(t, testSong())
	tl, r := f.tl, f.r
	if tl.MinSize().Height != rulerHeight+2*DefaultRowHeight {
		t.Errorf("MinSize %v", tl.MinSize())
	}
	tl.SetShowLanes(true)
	if lh := tl.LaneHeight(); lh != 48 || tl.TrackHeight(0) != 144 || tl.TrackHeight(1) != 96 {
		t.Errorf("lane height %v, track heights %v %v", lh, tl.TrackHeight(0), tl.TrackHeight(1))
	}
	if tl.MinSize().Height != rulerHeight+144+96 {
		t.Errorf("MinSize with lanes %v", tl.MinSize())
	}
	if r.lanes.n != 1 {
		t.Fatalf("%d lane clip views, want 1", r.lanes.n)
	}
	lv := r.lanes.items[0]
	if p := lv.body.Position(); !near(p.X, 100) || !near(p.Y, rulerHeight+96+clipPadY) {
		t.Errorf("lane clip at %v", p)
	}
	// The second track moved down under the lane.
	if p := r.activeView(1, 0).body.Position(); !near(p.Y, rulerHeight+144+clipPadY) {
		t.Errorf("track 1 clip at %v", p)
	}
	// The active take and the lane are named.
	var texts []string
	for _, l := range r.labels.used() {
		texts = append(texts, l.text.Text)
	}
	if fmt.Sprint(texts) != "[Take 2 (in use) Take 1]" {
		t.Errorf("lane labels %q", texts)
	}
	tl.SetRowHeight(120)
	if tl.LaneHeight() != 60 || tl.TrackHeight(0) != 180 {
		t.Errorf("after SetRowHeight: lane %v track %v", tl.LaneHeight(), tl.TrackHeight(0))
	}
	tl.SetShowLanes(false)
	if r.lanes.n != 0 || len(r.labels.used()) != 0 {
		t.Error("lanes still drawn")
	}
}

func TestTaps(t *testing.T) {
	f := newFixture(t, testSong())
	tl := f.tl
	var got []string
	tl.OnSelectClip = func(track, clip int) { got = append(got, fmt.Sprintf("select %d/%d", track, clip)) }
	tl.OnSeek = func(frame int64) { got = append(got, fmt.Sprintf("seek %d", frame)) }
	tl.OnMarker = func(i int) { got = append(got, fmt.Sprintf("marker %d", i)) }
	tl.OnPickTake = func(track int, lane string) { got = append(got, fmt.Sprintf("pick %d %s", track, lane)) }
	tap := func(x, y float32) { test.TapCanvas(f.c(), fyne.NewPos(x, y)) }

	tap(200, 110) // track 0 clip 0
	tap(550, 110) // track 0 clip 1
	tap(300, 200) // track 1 clip 0
	tap(450, 200) // empty space on track 1
	tap(250, 10)  // ruler
	tap(405, 50)  // the "Chorus" flag
	tap(5, 50)    // the "Verse" flag
	tap(700, 50)  // the marker band, no flag
	tap(300, 380) // below the tracks
	want := "[select 0/0 select 0/1 select 1/0 seek 216000 seek 120000 marker 1 marker 0 seek 336000 seek 144000]"
	if fmt.Sprint(got) != want {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if a, b := tl.Selection(); a != 1 || b != 0 {
		t.Errorf("selection %d/%d", a, b)
	}
	if v := f.r.activeView(1, 0); v.body.StrokeWidth != 3 || f.r.activeView(0, 0).body.StrokeWidth == 3 {
		t.Error("the selected clip is not highlighted (alone)")
	}

	// Take lanes: tapping a lane clip picks its take.
	got = nil
	tl.SetShowLanes(true)
	tap(150, 185) // lane row 160..208, clip x 100..300
	tap(500, 185) // empty lane space
	tap(150, 250) // track 1 is now at 208..304
	if fmt.Sprint(got) != "[pick 0 Take 1 seek 240000 select 1/0]" {
		t.Errorf("lanes: %v", got)
	}
}

func TestDragMove(t *testing.T) {
	f := newFixture(t, testSong())
	tl, r := f.tl, f.r
	var moves []string
	tl.OnMoveClip = func(track, clip int, pos int64) { moves = append(moves, fmt.Sprintf("%d/%d@%d", track, clip, pos)) }

	// 45 px = 21600 frames: 69600 is 5 px from the beat at 72000, so it snaps.
	test.Drag(f.c(), fyne.NewPos(200, 110), 45, 0)
	// 37 px = 17760 frames: 65760 is 13 px from the nearest beat: kept.
	test.Drag(f.c(), fyne.NewPos(200, 110), 37, 0)
	// Dragging the MIDI clip left stops at 0.
	test.Drag(f.c(), fyne.NewPos(200, 200), -300, 0)
	if fmt.Sprint(moves) != "[0/0@72000 0/0@65760]" {
		t.Errorf("moves %v", moves)
	}

	// The clip is drawn moving during the drag, and back in place after.
	moves = nil
	v := r.activeView(0, 0)
	tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(200, 110)}, Dragged: fyne.NewDelta(100, 0)})
	if x := v.body.Position().X; !near(x, 200) {
		t.Errorf("while dragging the clip is at x %v, want 200", x)
	}
	tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(300, 110)}, Dragged: fyne.NewDelta(50, 0)})
	if len(moves) != 0 {
		t.Error("callback before DragEnd")
	}
	tl.DragEnd()
	if fmt.Sprint(moves) != "[0/0@120000]" {
		t.Errorf("moves %v", moves)
	}
	if x := v.body.Position().X; !near(x, 100) {
		t.Errorf("after the drag the clip is at x %v until the song changes", x)
	}

	// As the desktop driver does it: the press, then moves of a few px.
	moves = nil
	tl.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(200, 110)}, Button: desktop.MouseButtonPrimary})
	tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(203, 110)}, Dragged: fyne.NewDelta(3, 0)})
	tl.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(245, 110)}, Dragged: fyne.NewDelta(42, 0)})
	tl.DragEnd()
	tl.MouseUp(&desktop.MouseEvent{})
	if fmt.Sprint(moves) != "[0/0@72000]" {
		t.Errorf("desktop drag: %v", moves)
	}

	// Zoomed in (a beat is 200 px) positions between beats are kept; near a
	// beat they snap.
	moves = nil
	// Clip 0 is now at x 400.
	tl.SetZoom(120)
	test.Drag(f.c(), fyne.NewPos(450, 110), 60, 0)  // 48000+7200: 60 px from the beat
	test.Drag(f.c(), fyne.NewPos(450, 110), 195, 0) // 48000+23400: 5 px before 72000
	if fmt.Sprint(moves) != "[0/0@55200 0/0@72000]" {
		t.Errorf("zoomed moves %v", moves)
	}

	// No tempo: no snapping.
	s := testSong()
	s.Tempo = 0
	tl.SetSong(s)
	tl.SetZoom(fpp)
	moves = nil
	test.Drag(f.c(), fyne.NewPos(200, 110), 45, 0)
	if fmt.Sprint(moves) != "[0/0@69600]" {
		t.Errorf("no tempo: %v", moves)
	}
}

func TestDragHandles(t *testing.T) {
	f := newFixture(t, testSong())
	tl, r := f.tl, f.r
	var got []string
	rec := func(what string) func(int, int, int64) {
		return func(track, clip int, v int64) { got = append(got, fmt.Sprintf("%s %d/%d %d", what, track, clip, v)) }
	}
	tl.OnMoveClip = rec("move")
	tl.OnTrimStart = rec("start")
	tl.OnTrimEnd = rec("end")
	tl.OnFadeIn = rec("fadein")
	tl.OnFadeOut = rec("fadeout")

	// Without selection or hover the edge is just the clip body.
	test.Drag(f.c(), fyne.NewPos(101, 110), 15, 0)
	if v := r.activeView(0, 0); v.trimL.Visible() || v.fadeL.Visible() {
		t.Error("handles shown on a clip that is neither selected nor hovered")
	}

	tl.SetSelection(0, 0)
	v := r.activeView(0, 0)
	for name, h := range map[string]*canvas.Rectangle{"trimL": v.trimL, "trimR": v.trimR, "fadeL": v.fadeL, "fadeR": v.fadeR} {
		if !h.Visible() || !inObjects(r, h) {
			t.Errorf("handle %s not shown on the selected clip", name)
		}
	}
	if p := v.trimL.Position(); !near(p.X, 100) {
		t.Errorf("left trim handle at %v", p)
	}
	// Left edge 45 px left: 26400 snaps to the beat at 24000 (the take has
	// 48000 frames before the clip's offset, so there is room).
	test.Drag(f.c(), fyne.NewPos(101, 110), -45, 0)
	// Left edge grabbed just outside the clip, dragged far left: stops at
	// the take's first frame (48000-48000 = 0).
	test.Drag(f.c(), fyne.NewPos(95, 110), -400, 0)
	// Right edge 50 px right: 168000 is a beat.
	test.Drag(f.c(), fyne.NewPos(298, 110), 50, 0)
	// Right edge far right: stops at the take's end (48000+480000-48000).
	test.Drag(f.c(), fyne.NewPos(303, 110), 2000, 0)
	// Fade-in handle (top left, at x 110 while there is no fade): 30 px.
	test.Drag(f.c(), fyne.NewPos(110, 75), 30, 0)
	// Fade-out handle (top right, at x 290): 20 px to the left.
	test.Drag(f.c(), fyne.NewPos(290, 75), -20, 0)
	// Trimming left past the clip's end keeps at least one frame.
	test.Drag(f.c(), fyne.NewPos(101, 110), 500, 0)
	want := "[move 0/0 55200 start 0/0 24000 start 0/0 0 end 0/0 168000 end 0/0 480000 fadein 0/0 14400 fadeout 0/0 9600 start 0/0 143999]"
	if fmt.Sprint(got) != want {
		t.Errorf("got  %v\nwant %v", got, want)
	}

	// Fade lines are drawn over the corners of the clip that has fades:
	// clip 1 at x 500..600, fade in 10 px, fade out 20 px.
	v1 := r.activeView(0, 1)
	top, bottom := rulerHeight+clipPadY, rulerHeight+DefaultRowHeight-clipPadY
	if !v1.fadeIn.Visible() || v1.fadeIn.Position1 != fyne.NewPos(500, bottom) || v1.fadeIn.Position2 != fyne.NewPos(510, top) {
		t.Errorf("fade in line %v-%v", v1.fadeIn.Position1, v1.fadeIn.Position2)
	}
	if !v1.fadeOut.Visible() || v1.fadeOut.Position1 != fyne.NewPos(580, top) || v1.fadeOut.Position2 != fyne.NewPos(600, bottom) {
		t.Errorf("fade out line %v-%v", v1.fadeOut.Position1, v1.fadeOut.Position2)
	}
	if v.fadeIn.Visible() {
		t.Error("fade line on a clip without a fade")
	}

	// Hovering shows a clip's handles; the mouse leaving hides them.
	test.MoveMouse(f.c(), fyne.NewPos(550, 120))
	if !v1.trimR.Visible() || tl.Cursor() != desktop.PointerCursor {
		t.Error("hover does not show the handles")
	}
	test.MoveMouse(f.c(), fyne.NewPos(599, 120))
	if tl.Cursor() != desktop.HResizeCursor {
		t.Error("no resize cursor over a trim handle")
	}
	test.MoveMouse(f.c(), fyne.NewPos(800, 120))
	if v1.trimR.Visible() {
		t.Error("handles still shown after the mouse left")
	}
}

func TestLoopDrag(t *testing.T) {
	f := newFixture(t, testSong())
	tl, r := f.tl, f.r
	var got []string
	tl.OnSetLoop = func(from, to int64) { got = append(got, fmt.Sprintf("%d-%d", from, to)) }
	// From x 100 (48000) to x 195 (93600, 5 px from the beat at 96000).
	test.Drag(f.c(), fyne.NewPos(100, 10), 95, 0)
	// Backwards, over a marker flag.
	test.Drag(f.c(), fyne.NewPos(405, 50), -105, 0)
	if fmt.Sprint(got) != "[48000-96000 144000-192000]" {
		t.Errorf("loops %v", got)
	}
	if r.loopRuler.Visible() {
		t.Error("loop shown before SetLoop")
	}
	tl.SetLoop(96000, 48000, true)
	if !r.loopRuler.Visible() || !r.loopTrack.Visible() || !near(r.loopRuler.Position().X, 100) || !near(r.loopRuler.Size().Width, 100) {
		t.Errorf("loop shade at %v size %v", r.loopRuler.Position(), r.loopRuler.Size())
	}
	tl.SetLoop(48000, 96000, false)
	if r.loopRuler.Visible() {
		t.Error("loop shown while off")
	}
}

func TestPlayhead(t *testing.T) {
	f := newFixture(t, testSong())
	tl, r := f.tl, f.r
	theme := watchTheme(t, f)
	tl.SetSelection(0, 0)
	before := append([]fyne.CanvasObject(nil), r.Objects()...)
	pos := make([]fyne.Position, len(before))
	for i, o := range before {
		pos[i] = o.Position()
	}
	line := r.playhead
	reads := theme.reads()

	tl.SetPlayhead(96000)
	if tl.Playhead() != 96000 || !line.Visible() || !near(line.Position1.X, 200) || !near(line.Position2.X, 200) ||
		line.Position1.Y != 0 || line.Position2.Y != 400 {
		t.Errorf("playhead line %v-%v", line.Position1, line.Position2)
	}
	tl.SetPlayhead(96000) // unchanged: nothing to do
	after := r.Objects()
	if len(after) != len(before) {
		t.Fatalf("objects %d -> %d", len(before), len(after))
	}
	for i := range after {
		if after[i] != before[i] {
			t.Fatalf("object %d was replaced", i)
		}
		if after[i] != fyne.CanvasObject(line) && after[i].Position() != pos[i] {
			t.Errorf("object %d (%T) moved", i, after[i])
		}
	}
	if theme.reads() != reads {
		t.Error("SetPlayhead rebuilt the view (it read the theme)")
	}
	tl.SetPlayhead(1_000_000) // x 2083: off screen
	if line.Visible() {
		t.Error("playhead visible off screen")
	}
	tl.SetPlayhead(0)
	if !line.Visible() || line.Position1.X != 0 {
		t.Error("playhead not back at 0")
	}
}

func TestPeaks(t *testing.T) {
	f := newFixture(t, testSong())
	v := f.r.activeView(0, 0)
	size := v.wave.Size()
	w, h := int(size.Width), int(size.Height)
	img := v.wave.Generator(w, h)
	if n := uitest.Opaque(img); n != w {
		t.Errorf("placeholder draws %d pixels, want a flat line of %d", n, w)
	}
	if f.peaks.lastTake != "0002-Vocal.wav" || f.peaks.from < 48000 || f.peaks.from > 49000 || f.peaks.to < 143000 || f.peaks.to > 144000 {
		t.Errorf("peaks asked for %s [%d,%d), want about [48000,144000) of 0002-Vocal.wav", f.peaks.lastTake, f.peaks.from, f.peaks.to)
	}
	blank := waveArea(t, f, v)

	f.peaks.ready = true
	f.tl.Refresh()
	img = v.wave.Generator(w, h)
	if n := uitest.Opaque(img); n < w*h/3 {
		t.Errorf("waveform draws %d pixels of %d", n, w*h)
	}
	drawn := waveArea(t, f, v)
	if drawn < 10*blank || drawn < w*h/3 {
		t.Errorf("captured waveform area: %d pixels differ from the clip colour (%d before the peaks)", drawn, blank)
	}

	// The generator reuses its buffer.
	if a := testing.AllocsPerRun(20, func() { v.wave.Generator(w, h) }); a > 0 {
		t.Errorf("generator allocates %v times per draw", a)
	}
}

// waveArea captures the window and counts the pixels of v's waveform area
// that differ from the clip's fill.
func waveArea(t *testing.T, f *fixture, v *clipView) int {
	t.Helper()
	img := f.c().Capture()
	fill := color.NRGBAModel.Convert(v.body.FillColor).(color.NRGBA)
	p, s := v.wave.Position(), v.wave.Size()
	n := 0
	for y := int(p.Y) + 1; y < int(p.Y+s.Height)-1; y++ {
		for x := int(p.X) + 1; x < int(p.X+s.Width)-1; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if absDiff(c.R, fill.R)+absDiff(c.G, fill.G)+absDiff(c.B, fill.B) > 24 {
				n++
			}
		}
	}
	return n
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func TestEmpty(t *testing.T) {
	for _, s := range []*projects.Song{nil, projects.New("Empty", 0), {Rate: 0, Tempo: 0}} {
		f := newFixture(t, s)
		tl := f.tl
		seeks := 0
		tl.OnSeek = func(int64) { seeks++ }
		f.c().Capture()
		test.TapCanvas(f.c(), fyne.NewPos(100, 10))
		test.TapCanvas(f.c(), fyne.NewPos(100, 200))
		test.Drag(f.c(), fyne.NewPos(100, 10), 50, 0)
		test.Drag(f.c(), fyne.NewPos(100, 200), 50, 0)
		test.MoveMouse(f.c(), fyne.NewPos(100, 200))
		tl.SetShowLanes(true)
		tl.SetSelection(3, 4)
		tl.SetPlayhead(48000)
		tl.ZoomToFit()
		tl.SetLoop(0, 48000, true)
		f.c().Capture()
		if seeks != 2 {
			t.Errorf("%d seeks, want 2", seeks)
		}
	}
	// ZoomToFit before the widget has a size waits for it.
	test.NewTempApp(t)
	tl := New(nil)
	tl.SetSong(testSong())
	tl.ZoomToFit()
	tl.Resize(fyne.NewSize(500, 300))
	if math.Abs(tl.Zoom()-288000*1.05/500) > 1e-9 {
		t.Errorf("deferred ZoomToFit: zoom %v", tl.Zoom())
	}
}

func TestSetSongDropsStaleSelection(t *testing.T) {
	f := newFixture(t, testSong())
	f.tl.SetSelection(0, 1)
	s := testSong()
	s.Tracks[0].Clips = s.Tracks[0].Clips[:1]
	f.tl.SetSong(s)
	if a, b := f.tl.Selection(); a != -1 || b != -1 {
		t.Errorf("selection %d/%d kept for a clip that is gone", a, b)
	}
}

func TestShortName(t *testing.T) {
	for in, want := range map[string]string{
		"0007-Bass.wav":   "Bass 7",
		"0010-Piano.mid":  "Piano 10",
		"guitar.wav":      "guitar",
		"0000-x.wav":      "x 0",
		"12.wav":          "12",
		"dir/0003-A B.wa": "A B 3",
	} {
		if got := shortName(in); got != want {
			t.Errorf("shortName(%q) = %q, want %q", in, got, want)
		}
	}
}

// bigSong has 16 tracks of 8 clips each, with two take lanes per track.
func bigSong() *projects.Song {
	s := projects.New("Big", 48000)
	s.Tempo = 96
	for i := range 16 {
		tr := projects.NewTrack(fmt.Sprintf("Track %d", i+1), 1)
		if i%4 == 3 {
			tr = projects.NewMIDITrack(tr.Name, 0, false)
		}
		for k := range 8 {
			tr.Clips = append(tr.Clips, projects.Clip{Take: fmt.Sprintf("%04d-Track.wav", i*8+k), Position: int64(k) * 480000, Length: 400000, FadeIn: 4800, FadeOut: 4800})
		}
		tr.ActiveLane = "Take 3"
		tr.Lanes = []projects.Lane{{Name: "Take 2", Clips: tr.Clips[:4]}, {Name: "Take 1", Clips: tr.Clips[4:]}}
		s.Tracks = append(s.Tracks, tr)
	}
	for k := range 10 {
		s.Markers = append(s.Markers, projects.Marker{Name: fmt.Sprintf("Part %d", k+1), Position: int64(k) * 384000})
	}
	return s
}

func BenchmarkSetPlayhead(b *testing.B) {
	f := newFixture(b, bigSong())
	f.tl.ZoomToFit()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f.tl.SetPlayhead(int64(i%4096) * 480)
	}
}

// BenchmarkRefresh16 is a full refresh (what SetSong does) of 16 tracks
// with lanes shown: every object placed again.
func BenchmarkRefresh16(b *testing.B) {
	f := newFixture(b, bigSong())
	f.tl.SetShowLanes(true)
	f.w.Resize(fyne.NewSize(1600, f.tl.MinSize().Height))
	f.tl.ZoomToFit()
	f.peaks.ready = true
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		f.tl.Refresh()
	}
}

// BenchmarkWaveforms16 draws the waveforms of all visible clips of the
// 16-track song (what the painter does after a full refresh).
func BenchmarkWaveforms16(b *testing.B) {
	f := newFixture(b, bigSong())
	f.w.Resize(fyne.NewSize(1600, f.tl.MinSize().Height))
	f.tl.ZoomToFit()
	f.peaks.ready = true
	var views []*clipView
	for _, v := range f.r.active.used() {
		if v.wave.Visible() {
			views = append(views, v)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, v := range views {
			s := v.wave.Size()
			v.wave.Generator(int(s.Width), int(s.Height))
		}
	}
	b.ReportMetric(float64(len(views)), "clips")
}
