// Package timeline is the arrange view of the Sangstudio window: a custom
// Fyne widget that shows a song's tracks on a time axis, with a ruler (bar
// numbers and minutes:seconds), marker flags, the loop range, the clips of
// every track with their waveforms, fades and take lanes, the takes being
// recorded (growing, in the recording colour), and a playhead.
//
// The widget only reads the song (projects.Song); every edit the user makes
// with the pointer is reported through a callback, and the caller changes
// the model and calls SetSong again. All methods must be called on the Fyne
// thread (other goroutines post through the window's uithread.Poster);
// callbacks run on it too.
//
// Snapping: when the song has a tempo, clip moves, trims and loop ranges
// snap to the nearest beat (beat = Rate*60/Tempo frames, as the click
// plays it) when the dragged edge is within SnapDistance pixels of that
// beat at the current zoom; farther away the position is kept as dragged.
// Zoomed out (a beat narrower than 2*SnapDistance pixels) this means
// everything lands on a beat; zoomed in, fine placement between beats is
// possible and beats still "pull" the edge. Fades never snap.
//
// Pointer use: a tap on the ruler or on empty track space seeks; a tap on a
// clip selects it; a drag on a clip's body moves it. The selected clip and
// the clip under the mouse show handles (HandleSize touch targets): bars at
// both edges to trim, small squares at the top corners to set the fades.
// Dragging along the ruler sets a loop range; a tap on a marker flag or on
// a clip in a take lane reports it.
package timeline

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects"
)

// Geometry, in Fyne units (device-independent pixels).
const (
	// DefaultRowHeight is the height of one track row unless SetRowHeight
	// changes it.
	DefaultRowHeight float32 = 96
	// SnapDistance is how close (pixels) a dragged edge must come to a
	// beat to snap to it.
	SnapDistance float32 = 10
	// HandleSize is the touch target of a clip's trim and fade handles
	// (at least 16 px, so they are easy to hit).
	HandleSize float32 = 20

	rulerHeight   float32 = 64 // bar numbers 0..24, times 24..40, markers 40..64
	barBandBottom float32 = 24
	timeBandTop   float32 = 24
	timeBandBot   float32 = 40
	markerTop     float32 = 41
	markerHeight  float32 = 22
	clipPadY      float32 = 4
	minRowHeight  float32 = 32
	minLaneHeight float32 = 32
	nameBand      float32 = 18 // the clip name's strip at the top of a clip
	laneNameBand  float32 = 15
	minWidth      float32 = 100
	defaultFPP            = 480.0 // 100 px per second at 48 kHz
	minFPP                = 1.0 / 16
	maxFPP                = 1 << 22
	fitSeconds            = 30 // ZoomToFit on an empty song shows this much
)

// PeaksFunc gives a waveform overview for frames [from,to) of a take (take
// file frames, not timeline frames), reduced to n min/max pairs in -1..1.
// ok is false while the overview is not computed yet: the timeline then
// draws a flat placeholder and asks again on the next Refresh. It is called
// on the Fyne thread while drawing, so it must be quick (look up a cache;
// compute in the background and post Timeline.Refresh through the
// uithread.Poster when done).
type PeaksFunc func(take string, from, to int64, n int) (mins, maxs []float32, ok bool)

// Timeline is the arrange view widget. Create it with New.
//
// The callbacks are all optional; they are called on the Fyne thread. Drags
// report once, at the end of the drag, and only when the value changed; while
// dragging the clip (or loop range) is drawn at its new place. The timeline
// does not change the song: the caller applies the edit and calls SetSong.
type Timeline struct {
	widget.BaseWidget

	// OnSeek is called with the frame under the pointer when the ruler or
	// empty track space is tapped.
	OnSeek func(frame int64)
	// OnSelectClip is called when a clip of a track's active lane is
	// tapped. The timeline draws it selected straight away.
	OnSelectClip func(track, clip int)
	// OnMoveClip is called when a clip's body has been dragged, with its
	// new (snapped) Position.
	OnMoveClip func(track, clip int, newPos int64)
	// OnTrimStart is called when a clip's left edge handle has been
	// dragged, with the new (snapped) timeline frame of the clip's start;
	// the caller moves Position to it and Offset by the same amount.
	OnTrimStart func(track, clip int, newStart int64)
	// OnTrimEnd is called when a clip's right edge handle has been dragged,
	// with the new (snapped) timeline frame just after the clip.
	OnTrimEnd func(track, clip int, newEnd int64)
	// OnFadeIn and OnFadeOut are called when a clip's fade handle (the
	// small squares at its top corners) has been dragged, with the new
	// fade length in frames.
	OnFadeIn, OnFadeOut func(track, clip int, frames int64)
	// OnSetLoop is called when the user drags along the ruler, with the
	// (snapped) range from < to. The caller shows it with SetLoop.
	OnSetLoop func(from, to int64)
	// OnMarker is called when the flag of Song.Markers[i] is tapped.
	OnMarker func(i int)
	// OnPickTake is called when a clip in one of a track's other take
	// lanes (shown with SetShowLanes) is tapped, with that lane's name.
	OnPickTake func(track int, lane string)

	peaks     PeaksFunc
	song      *projects.Song
	fpp       float64 // frames per pixel
	scroll    int64   // frame at x = 0
	rowHeight float32
	showLanes bool
	fitting   bool // ZoomToFit waits for a width

	playhead             int64
	recs                 []Recording // takes being recorded
	loopFrom, loopTo     int64
	loopOn               bool
	selTrack, selClip    int
	hoverTrack, hoverClp int
	hoverZone            zone

	pressPos   fyne.Position // where the primary button went down (desktop)
	pressValid bool
	drag       dragState

	r *renderer // the live renderer, if any
}

// New returns an empty timeline that draws waveforms with peaks (which may
// be nil: every clip then shows the flat placeholder).
func New(peaks PeaksFunc) *Timeline {
	t := &Timeline{
		peaks:      peaks,
		fpp:        defaultFPP,
		rowHeight:  DefaultRowHeight,
		selTrack:   -1,
		selClip:    -1,
		hoverTrack: -1,
		hoverClp:   -1,
	}
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer is part of fyne.Widget.
func (t *Timeline) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	r := newRenderer(t)
	t.r = r
	return r
}

// SetSong shows s (nil for none). The timeline only reads the song; call
// SetSong again after every change to it. A selection or drag that no
// longer fits the song is dropped.
func (t *Timeline) SetSong(s *projects.Song) {
	t.song = s
	if t.selTrack >= 0 && !t.validClip(t.selTrack, t.selClip) {
		t.selTrack, t.selClip = -1, -1
	}
	if t.hoverTrack >= 0 && !t.validClip(t.hoverTrack, t.hoverClp) {
		t.hoverTrack, t.hoverClp = -1, -1
	}
	if t.drag.kind != dragNone && t.drag.track >= 0 && !t.validClip(t.drag.track, t.drag.clip) {
		t.drag = dragState{kind: dragIgnore}
	}
	t.Refresh()
}

// Song returns the song shown, or nil.
func (t *Timeline) Song() *projects.Song { return t.song }

// SetPlayhead moves the playhead line to frame. It is cheap (it moves one
// line and redraws nothing else) and does nothing when frame is unchanged.
func (t *Timeline) SetPlayhead(frame int64) {
	if frame == t.playhead {
		return
	}
	t.playhead = frame
	if t.r != nil {
		t.r.placePlayhead()
	}
}

// Playhead returns the playhead frame.
func (t *Timeline) Playhead() int64 { return t.playhead }

// SetLoop sets the loop range [from,to) and whether looping is on; the
// range is shaded on the ruler and over the tracks while on.
func (t *Timeline) SetLoop(from, to int64, on bool) {
	if from > to {
		from, to = to, from
	}
	if from == t.loopFrom && to == t.loopTo && on == t.loopOn {
		return
	}
	t.loopFrom, t.loopTo, t.loopOn = from, to, on
	if t.r != nil {
		t.r.placeLoop()
	}
}

// SetSelection draws clip (of the track's active lane) selected, with its
// handles; -1, -1 selects nothing.
func (t *Timeline) SetSelection(track, clip int) {
	if track < 0 || clip < 0 {
		track, clip = -1, -1
	}
	if track == t.selTrack && clip == t.selClip {
		return
	}
	oldT, oldC := t.selTrack, t.selClip
	t.selTrack, t.selClip = track, clip
	if t.r != nil {
		t.r.updateClip(oldT, oldC)
		t.r.updateClip(track, clip)
	}
}

// Selection returns the selected clip, or -1, -1.
func (t *Timeline) Selection() (track, clip int) { return t.selTrack, t.selClip }

// SetZoom sets the zoom in frames per pixel (smaller is closer). The frame
// at the left edge stays where it is.
func (t *Timeline) SetZoom(framesPerPixel float64) {
	t.fitting = false
	t.setZoom(framesPerPixel)
	t.Refresh()
}

func (t *Timeline) setZoom(fpp float64) {
	if math.IsNaN(fpp) || fpp <= 0 {
		fpp = defaultFPP
	}
	t.fpp = math.Min(math.Max(fpp, minFPP), maxFPP)
}

// Zoom returns the zoom in frames per pixel.
func (t *Timeline) Zoom() float64 { return t.fpp }

// ZoomToFit scrolls to the start and zooms so that the whole song (every
// clip, lane and marker) fits the width, with a little room after it. Before
// the widget has a width, it waits for the first layout.
func (t *Timeline) ZoomToFit() {
	if t.Size().Width <= 0 {
		t.fitting = true
		return
	}
	t.fit(t.Size().Width)
	t.Refresh()
}

func (t *Timeline) fit(width float32) {
	t.fitting = false
	end := t.contentEnd()
	if end <= 0 {
		rate := int64(projects.DefaultRate)
		if t.song != nil && t.song.Rate > 0 {
			rate = int64(t.song.Rate)
		}
		end = rate * fitSeconds
	}
	t.scroll = 0
	t.setZoom(float64(end) * 1.05 / float64(width))
}

// contentEnd is the last frame anything is drawn at.
func (t *Timeline) contentEnd() int64 {
	s := t.song
	if s == nil {
		return 0
	}
	n := s.Length()
	for _, tr := range s.Tracks {
		for _, l := range tr.Lanes {
			for _, c := range l.Clips {
				n = max(n, c.End())
			}
		}
	}
	for _, m := range s.Markers {
		n = max(n, m.Position)
	}
	return n
}

// SetScroll scrolls so that frame is at the left edge (0 or more).
func (t *Timeline) SetScroll(frame int64) {
	frame = max(frame, 0)
	if frame == t.scroll {
		return
	}
	t.scroll = frame
	t.Refresh()
}

// Scroll returns the frame at the left edge.
func (t *Timeline) Scroll() int64 { return t.scroll }

// SetShowLanes shows (or hides) each track's other take lanes in smaller
// rows under it; the active take is marked. Tapping a clip in a lane calls
// OnPickTake.
func (t *Timeline) SetShowLanes(on bool) {
	if on == t.showLanes {
		return
	}
	t.showLanes = on
	t.Refresh()
}

// ShowLanes reports whether take lanes are shown.
func (t *Timeline) ShowLanes() bool { return t.showLanes }

// SetRowHeight sets the height of one track row (default 96, at least 32);
// it must match the track strips the caller draws to the left. Take lane
// rows are half as high (at least 32).
func (t *Timeline) SetRowHeight(h float32) {
	h = max(h, minRowHeight)
	if h == t.rowHeight {
		return
	}
	t.rowHeight = h
	t.Refresh()
}

// RowHeight returns the height of one track row.
func (t *Timeline) RowHeight() float32 { return t.rowHeight }

// RulerHeight returns the height of the ruler above the first track row.
func (t *Timeline) RulerHeight() float32 { return rulerHeight }

// LaneHeight returns the height of one take lane row.
func (t *Timeline) LaneHeight() float32 { return max(t.rowHeight/2, minLaneHeight) }

// TrackHeight returns the height track i takes: RowHeight, plus its lane
// rows while lanes are shown. The caller sizes its track strips with it.
func (t *Timeline) TrackHeight(i int) float32 {
	h := t.rowHeight
	if t.showLanes && t.song != nil && i >= 0 && i < len(t.song.Tracks) {
		h += float32(len(t.song.Tracks[i].Lanes)) * t.LaneHeight()
	}
	return h
}

// Refresh redraws everything from the song, e.g. when peaks have arrived.
func (t *Timeline) Refresh() { t.BaseWidget.Refresh() }

// FrameAt returns the timeline frame at x (relative to the widget).
func (t *Timeline) FrameAt(x float32) int64 {
	return t.scroll + int64(math.Round(float64(x)*t.fpp))
}

// XAt returns the x (relative to the widget) of a timeline frame.
func (t *Timeline) XAt(frame int64) float32 {
	return float32(float64(frame-t.scroll) / t.fpp)
}

// beat returns the frames per beat, or 0 when the song has no tempo.
func (t *Timeline) beat() float64 {
	s := t.song
	if s == nil || s.Tempo <= 0 || s.Rate <= 0 {
		return 0
	}
	return float64(s.Rate) * 60 / s.Tempo
}

// snap rounds f to the nearest beat when that beat is within SnapDistance
// pixels; see the package comment.
func (t *Timeline) snap(f int64) int64 {
	b := t.beat()
	if b <= 0 {
		return f
	}
	n := int64(math.Round(math.Round(float64(f)/b) * b))
	if math.Abs(float64(n-f))/t.fpp <= float64(SnapDistance) {
		return n
	}
	return f
}

func (t *Timeline) validClip(track, clip int) bool {
	s := t.song
	return s != nil && track >= 0 && track < len(s.Tracks) && clip >= 0 && clip < len(s.Tracks[track].Clips)
}

// ---- rows and hit testing ----

// row is one horizontal strip of the track area.
type row struct {
	track int
	lane  int // -1 for the active lane
	y, h  float32
}

// rowAt finds the row under y.
func (t *Timeline) rowAt(y float32) (row, bool) {
	s := t.song
	if s == nil || y < rulerHeight {
		return row{}, false
	}
	top := rulerHeight
	lh := t.LaneHeight()
	for i, tr := range s.Tracks {
		if y < top+t.rowHeight {
			return row{track: i, lane: -1, y: top, h: t.rowHeight}, true
		}
		top += t.rowHeight
		if t.showLanes {
			for j := range tr.Lanes {
				if y < top+lh {
					return row{track: i, lane: j, y: top, h: lh}, true
				}
				top += lh
			}
		}
	}
	return row{}, false
}

// zone is the part of a clip under the pointer.
type zone int

const (
	zoneNone zone = iota
	zoneBody
	zoneTrimStart
	zoneTrimEnd
	zoneFadeIn
	zoneFadeOut
	zoneLaneClip
	zoneRuler
	zoneMarker
)

// clipX returns the x span of a clip.
func (t *Timeline) clipX(c projects.Clip) (x0, x1 float32) {
	return t.XAt(c.Position), t.XAt(c.End())
}

// handlesOn reports whether the clip shows (and answers to) its handles: it
// is selected or under the mouse.
func (t *Timeline) handlesOn(track, clip int) bool {
	return (track == t.selTrack && clip == t.selClip) || (track == t.hoverTrack && clip == t.hoverClp)
}

// fadeHandleX returns the centres of a clip's fade handles.
func fadeHandleX(x0, x1 float32, fin, fout float32) (in, out float32) {
	in = min(max(x0+fin, x0+HandleSize/2), x1-HandleSize/2)
	out = max(min(x1-fout, x1-HandleSize/2), x0+HandleSize/2)
	return in, out
}

// hit finds what is at pos: the zone, and the track, clip (or lane) and
// marker it belongs to.
func (t *Timeline) hit(pos fyne.Position) (z zone, track, idx int) {
	s := t.song
	if pos.Y < rulerHeight {
		if pos.Y >= markerTop-2 && t.r != nil {
			fl := t.r.flags
			for k := len(fl) - 1; k >= 0; k-- {
				if pos.X >= fl[k].x0 && pos.X < fl[k].x1 {
					return zoneMarker, -1, fl[k].marker
				}
			}
		}
		return zoneRuler, -1, -1
	}
	rw, ok := t.rowAt(pos.Y)
	if !ok {
		return zoneNone, -1, -1
	}
	tr := s.Tracks[rw.track]
	clips := tr.Clips
	if rw.lane >= 0 {
		clips = tr.Lanes[rw.lane].Clips
	}
	cy0, cy1 := rw.y+clipPadY, rw.y+rw.h-clipPadY
	if rw.lane < 0 {
		// Handles reach a little outside the clip, so look at them first.
		for k := len(clips) - 1; k >= 0; k-- {
			if !t.handlesOn(rw.track, k) {
				continue
			}
			if z := t.handleZone(clips[k], pos, cy0, cy1); z != zoneNone {
				return z, rw.track, k
			}
		}
	}
	for k := len(clips) - 1; k >= 0; k-- {
		x0, x1 := t.clipX(clips[k])
		if x1-x0 < 1 {
			x0, x1 = x0-0.5, x0+0.5
		}
		if pos.X >= x0 && pos.X < x1 && pos.Y >= cy0 && pos.Y < cy1 {
			if rw.lane >= 0 {
				return zoneLaneClip, rw.track, rw.lane
			}
			return zoneBody, rw.track, k
		}
	}
	return zoneNone, rw.track, -1
}

// handleZone tells which handle of c (if any) is at pos.
func (t *Timeline) handleZone(c projects.Clip, pos fyne.Position, cy0, cy1 float32) zone {
	x0, x1 := t.clipX(c)
	if pos.Y < cy0-HandleSize/4 || pos.Y >= cy1+HandleSize/4 {
		return zoneNone
	}
	w := x1 - x0
	// Fade handles: HandleSize squares at the top corners.
	if pos.Y < cy0+HandleSize && w >= HandleSize {
		in, out := fadeHandleX(x0, x1, float32(float64(c.FadeIn)/t.fpp), float32(float64(c.FadeOut)/t.fpp))
		din, dout := abs32(pos.X-in), abs32(pos.X-out)
		if din <= HandleSize/2 && din <= dout {
			return zoneFadeIn
		}
		if dout <= HandleSize/2 {
			return zoneFadeOut
		}
	}
	// Trim handles: HandleSize wide at the edges, less inside a narrow clip.
	inside := min(HandleSize*0.6, w/3)
	outside := HandleSize - inside
	switch {
	case pos.X >= x0-outside && pos.X < x0+inside:
		return zoneTrimStart
	case pos.X >= x1-inside && pos.X < x1+outside:
		return zoneTrimEnd
	}
	return zoneNone
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// ---- taps ----

// Tapped is part of fyne.Tappable: it seeks, selects a clip, picks a take
// or reports a marker, depending on what is under the pointer.
func (t *Timeline) Tapped(ev *fyne.PointEvent) {
	t.pressValid = false
	if t.song == nil {
		t.seek(ev.Position.X)
		return
	}
	z, track, idx := t.hit(ev.Position)
	switch z {
	case zoneMarker:
		if t.OnMarker != nil {
			t.OnMarker(idx)
		}
	case zoneBody, zoneTrimStart, zoneTrimEnd, zoneFadeIn, zoneFadeOut:
		t.SetSelection(track, idx)
		if t.OnSelectClip != nil {
			t.OnSelectClip(track, idx)
		}
	case zoneLaneClip:
		if t.OnPickTake != nil {
			t.OnPickTake(track, t.song.Tracks[track].Lanes[idx].Name)
		}
	default:
		t.seek(ev.Position.X)
	}
}

func (t *Timeline) seek(x float32) {
	if t.OnSeek != nil {
		t.OnSeek(max(t.FrameAt(x), 0))
	}
}

// ---- mouse (desktop) ----

// MouseDown is part of desktop.Mouseable: it notes where a drag starts.
func (t *Timeline) MouseDown(ev *desktop.MouseEvent) {
	if ev.Button == desktop.MouseButtonPrimary {
		t.pressPos, t.pressValid = ev.Position, true
	}
}

// MouseUp is part of desktop.Mouseable.
func (t *Timeline) MouseUp(*desktop.MouseEvent) { t.pressValid = false }

// MouseIn is part of desktop.Hoverable.
func (t *Timeline) MouseIn(ev *desktop.MouseEvent) { t.MouseMoved(ev) }

// MouseMoved is part of desktop.Hoverable: the clip under the mouse shows
// its handles.
func (t *Timeline) MouseMoved(ev *desktop.MouseEvent) {
	if t.drag.kind != dragNone {
		return
	}
	z, track, idx := t.hit(ev.Position)
	t.hoverZone = z
	switch z {
	case zoneBody, zoneTrimStart, zoneTrimEnd, zoneFadeIn, zoneFadeOut:
		t.setHover(track, idx)
	default:
		t.setHover(-1, -1)
	}
}

// MouseOut is part of desktop.Hoverable.
func (t *Timeline) MouseOut() {
	t.hoverZone = zoneNone
	t.setHover(-1, -1)
}

func (t *Timeline) setHover(track, clip int) {
	if track == t.hoverTrack && clip == t.hoverClp {
		return
	}
	oldT, oldC := t.hoverTrack, t.hoverClp
	t.hoverTrack, t.hoverClp = track, clip
	if t.r != nil {
		t.r.updateHandles(oldT, oldC)
		t.r.updateHandles(track, clip)
	}
}

// Cursor is part of desktop.Cursorable: a resize cursor over handles.
func (t *Timeline) Cursor() desktop.Cursor {
	switch t.hoverZone {
	case zoneTrimStart, zoneTrimEnd, zoneFadeIn, zoneFadeOut:
		return desktop.HResizeCursor
	case zoneBody, zoneLaneClip, zoneMarker:
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

// ---- drags ----

type dragKind int

const (
	dragNone   dragKind = iota
	dragIgnore          // a drag that does nothing (empty space, lanes)
	dragMove
	dragTrimStart
	dragTrimEnd
	dragFadeIn
	dragFadeOut
	dragLoop
)

type dragState struct {
	kind         dragKind
	track, clip  int
	startX       float32
	dx           float32
	orig         projects.Clip
	value        int64 // the result so far
	from, to     int64 // loop drags
	changed      bool
	minPos, maxE int64 // trim limits
}

// Dragged is part of fyne.Draggable: it moves or trims the clip (or fade,
// or loop range) under the point where the drag started, showing the result.
func (t *Timeline) Dragged(ev *fyne.DragEvent) {
	if t.drag.kind == dragNone {
		start := ev.Position
		if t.pressValid {
			start = t.pressPos
		}
		t.pressValid = false
		t.beginDrag(start)
	}
	d := &t.drag
	if d.kind == dragIgnore {
		return
	}
	d.dx += ev.Dragged.DX
	delta := int64(math.Round(float64(d.dx) * t.fpp))
	c := d.orig
	switch d.kind {
	case dragMove:
		d.value = max(t.snap(c.Position+delta), 0)
		d.changed = d.value != c.Position
	case dragTrimStart:
		v := t.snap(c.Position + delta)
		d.value = min(max(v, d.minPos), c.End()-1)
		d.changed = d.value != c.Position
	case dragTrimEnd:
		v := t.snap(c.End() + delta)
		d.value = max(min(v, d.maxE), c.Position+1)
		d.changed = d.value != c.End()
	case dragFadeIn:
		d.value = min(max(c.FadeIn+delta, 0), max(c.Length-c.FadeOut, 0))
		d.changed = d.value != c.FadeIn
	case dragFadeOut:
		d.value = min(max(c.FadeOut-delta, 0), max(c.Length-c.FadeIn, 0))
		d.changed = d.value != c.FadeOut
	case dragLoop:
		a := max(t.snap(t.FrameAt(d.startX)), 0)
		b := max(t.snap(t.FrameAt(d.startX+d.dx)), 0)
		d.from, d.to = min(a, b), max(a, b)
		d.changed = d.to > d.from
	}
	if t.r != nil {
		if d.kind == dragLoop {
			t.r.placeLoop()
		} else {
			t.r.updateClip(d.track, d.clip)
		}
	}
}

func (t *Timeline) beginDrag(pos fyne.Position) {
	t.drag = dragState{kind: dragIgnore, startX: pos.X, track: -1, clip: -1}
	if t.song == nil {
		return
	}
	z, track, idx := t.hit(pos)
	var k dragKind
	switch z {
	case zoneRuler, zoneMarker:
		t.drag.kind = dragLoop
		return
	case zoneBody:
		k = dragMove
	case zoneTrimStart:
		k = dragTrimStart
	case zoneTrimEnd:
		k = dragTrimEnd
	case zoneFadeIn:
		k = dragFadeIn
	case zoneFadeOut:
		k = dragFadeOut
	default:
		return
	}
	c := t.song.Tracks[track].Clips[idx]
	d := &t.drag
	d.kind, d.track, d.clip, d.orig = k, track, idx, c
	d.minPos = max(c.Position-c.Offset, 0)
	d.maxE = math.MaxInt64
	if ti := t.song.Take(c.Take); ti != nil && ti.Frames > 0 {
		d.maxE = c.Position + ti.Frames - c.Offset
		d.maxE = max(d.maxE, c.End())
	}
	switch k {
	case dragMove:
		d.value = c.Position
	case dragTrimStart:
		d.value = c.Position
	case dragTrimEnd:
		d.value = c.End()
	case dragFadeIn:
		d.value = c.FadeIn
	case dragFadeOut:
		d.value = c.FadeOut
	}
}

// DragEnd is part of fyne.Draggable: it reports the drag's result through
// the matching callback (when it changed anything) and draws the song as it
// is again; the caller applies the change and calls SetSong.
func (t *Timeline) DragEnd() {
	d := t.drag
	t.drag = dragState{}
	t.pressValid = false
	if d.kind == dragNone || d.kind == dragIgnore {
		return
	}
	if t.r != nil {
		if d.kind == dragLoop {
			t.r.placeLoop()
		} else {
			t.r.updateClip(d.track, d.clip)
		}
	}
	if !d.changed {
		return
	}
	switch d.kind {
	case dragMove:
		if t.OnMoveClip != nil {
			t.OnMoveClip(d.track, d.clip, d.value)
		}
	case dragTrimStart:
		if t.OnTrimStart != nil {
			t.OnTrimStart(d.track, d.clip, d.value)
		}
	case dragTrimEnd:
		if t.OnTrimEnd != nil {
			t.OnTrimEnd(d.track, d.clip, d.value)
		}
	case dragFadeIn:
		if t.OnFadeIn != nil {
			t.OnFadeIn(d.track, d.clip, d.value)
		}
	case dragFadeOut:
		if t.OnFadeOut != nil {
			t.OnFadeOut(d.track, d.clip, d.value)
		}
	case dragLoop:
		if t.OnSetLoop != nil {
			t.OnSetLoop(d.from, d.to)
		}
	}
}

// shownClip returns clip k of a track as drawn: with the drag in progress
// applied.
func (t *Timeline) shownClip(track, k int, c projects.Clip) projects.Clip {
	d := &t.drag
	if d.track != track || d.clip != k {
		return c
	}
	switch d.kind {
	case dragMove:
		c.Position = d.value
	case dragTrimStart:
		shift := d.value - c.Position
		c.Position, c.Offset, c.Length = d.value, c.Offset+shift, c.Length-shift
	case dragTrimEnd:
		c.Length = d.value - c.Position
	case dragFadeIn:
		c.FadeIn = d.value
	case dragFadeOut:
		c.FadeOut = d.value
	default:
		return c
	}
	c.FadeIn = min(max(c.FadeIn, 0), c.Length)
	c.FadeOut = min(max(c.FadeOut, 0), c.Length-c.FadeIn)
	return c
}

// shownLoop returns the loop range as drawn.
func (t *Timeline) shownLoop() (from, to int64, on bool) {
	if t.drag.kind == dragLoop {
		return t.drag.from, t.drag.to, t.drag.to > t.drag.from
	}
	return t.loopFrom, t.loopTo, t.loopOn && t.loopTo > t.loopFrom
}

var (
	_ fyne.Widget        = (*Timeline)(nil)
	_ fyne.Tappable      = (*Timeline)(nil)
	_ fyne.Draggable     = (*Timeline)(nil)
	_ desktop.Hoverable  = (*Timeline)(nil)
	_ desktop.Mouseable  = (*Timeline)(nil)
	_ desktop.Cursorable = (*Timeline)(nil)
)
