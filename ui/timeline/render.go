package timeline

import (
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"sangstudio/projects"
	"sangstudio/ui/shown"
)

// pool hands out reusable canvas objects, so that a full refresh allocates
// nothing once the pools are warm.
type pool[T any] struct {
	items []T
	n     int
	mk    func() T
}

func (p *pool[T]) get() T {
	if p.n == len(p.items) {
		p.items = append(p.items, p.mk())
	}
	v := p.items[p.n]
	p.n++
	return v
}

func (p *pool[T]) reset()    { p.n = 0 }
func (p *pool[T]) used() []T { return p.items[:p.n] }

// palette holds the theme colours in use.
type palette struct {
	bg, rowAlt, laneBg, sep, fg, rulerBg, grid color.Color
	clipFill, clipSel, clipStroke              color.Color
	recFill, recStroke                         color.Color
	midiFill, midiSel, midiStroke              color.Color
	laneFill, laneStroke                       color.Color
	wave, laneWave, placeholder                color.NRGBA
	loopRuler, loopTrack                       color.Color
	marker, markerText, markerLine             color.Color
	playhead, handle, pill                     color.Color
	textSize                                   float32
}

func (r *renderer) loadPalette() {
	t := r.t
	c := func(n fyne.ThemeColorName) color.Color { return theme.ColorForWidget(n, t) }
	bg, fg, primary := c(theme.ColorNameBackground), c(theme.ColorNameForeground), c(theme.ColorNamePrimary)
	success, warning, danger := c(theme.ColorNameSuccess), c(theme.ColorNameWarning), c(theme.ColorNameError)
	p := &r.pal
	p.bg = bg
	p.fg = fg
	p.rowAlt = blend(fg, bg, 0.04)
	p.laneBg = blend(fg, bg, 0.09)
	p.sep = c(theme.ColorNameSeparator)
	p.rulerBg = c(theme.ColorNameHeaderBackground)
	p.grid = blend(fg, bg, 0.14)
	p.clipFill, p.clipSel, p.clipStroke = blend(primary, bg, 0.30), blend(primary, bg, 0.50), primary
	p.midiFill, p.midiSel, p.midiStroke = blend(success, bg, 0.30), blend(success, bg, 0.50), success
	p.recFill, p.recStroke = blend(danger, bg, 0.35), danger
	p.laneFill, p.laneStroke = blend(fg, bg, 0.12), blend(fg, bg, 0.45)
	p.wave = toNRGBA(fg)
	p.laneWave = toNRGBA(blend(fg, bg, 0.6))
	p.placeholder = toNRGBA(blend(fg, bg, 0.45))
	p.loopRuler = withAlpha(primary, 0x70)
	p.loopTrack = withAlpha(primary, 0x22)
	p.marker = warning
	p.markerText = c(theme.ColorNameForegroundOnWarning)
	p.markerLine = withAlpha(warning, 0xb0)
	p.playhead = fg
	p.handle = fg
	p.pill = withAlpha(bg, 0xd8)
	p.textSize = theme.SizeForWidget(theme.SizeNameText, t)
}

func toNRGBA(c color.Color) color.NRGBA { return color.NRGBAModel.Convert(c).(color.NRGBA) }

// withAlpha returns c with its alpha scaled by a/255.
func withAlpha(c color.Color, a uint8) color.NRGBA {
	n := toNRGBA(c)
	n.A = uint8(uint16(n.A) * uint16(a) / 255)
	return n
}

// blend mixes f over b, opaque: f*k + b*(1-k).
func blend(f, b color.Color, k float64) color.NRGBA {
	x, y := toNRGBA(f), toNRGBA(b)
	m := func(p, q uint8) uint8 { return uint8(math.Round(float64(p)*k + float64(q)*(1-k))) }
	return color.NRGBA{R: m(x.R, y.R), G: m(x.G, y.G), B: m(x.B, y.B), A: 0xff}
}

// rowView is the background of one row.
type rowView struct {
	bg, sep *canvas.Rectangle
}

// label is a small text on a translucent pill (take lane names).
type label struct {
	pill *canvas.Rectangle
	text *canvas.Text

	src    string // the name it was made from
	active bool
	maxW   float32
	shown  string
}

// flagHit is where a marker's flag is, for taps.
type flagHit struct {
	marker int
	x0, x1 float32
}

type renderer struct {
	t    *Timeline
	size fyne.Size
	pal  palette
	objs []fyne.CanvasObject

	bg, rulerBg, rulerSep *canvas.Rectangle
	loopTrack, loopRuler  *canvas.Rectangle
	playhead              *canvas.Line

	rows        pool[*rowView]
	grid        pool[*canvas.Line]
	markerLines pool[*canvas.Line]
	active      pool[*clipView] // clips of the active lanes, track by track
	trackStart  []int           // index in active of each track's first clip
	lanes       pool[*clipView]
	recs        pool[*clipView] // takes being recorded (recording.go)
	labels      pool[*label]
	ticks       pool[*canvas.Line]
	rulerTexts  pool[*canvas.Text]
	flagRects   pool[*canvas.Rectangle]
	flagTexts   pool[*canvas.Text]
	flags       []flagHit
	times       map[int64]string // "m:ss" labels
}

func newRenderer(t *Timeline) *renderer {
	r := &renderer{t: t, times: map[int64]string{}}
	r.bg = canvas.NewRectangle(color.Transparent)
	r.rulerBg = canvas.NewRectangle(color.Transparent)
	r.rulerSep = canvas.NewRectangle(color.Transparent)
	r.loopTrack = canvas.NewRectangle(color.Transparent)
	r.loopRuler = canvas.NewRectangle(color.Transparent)
	r.playhead = canvas.NewLine(color.Transparent)
	r.playhead.StrokeWidth = 2
	r.rows.mk = func() *rowView {
		return &rowView{bg: canvas.NewRectangle(color.Transparent), sep: canvas.NewRectangle(color.Transparent)}
	}
	line := func() *canvas.Line { return canvas.NewLine(color.Transparent) }
	r.grid.mk, r.markerLines.mk, r.ticks.mk = line, line, line
	r.active.mk = func() *clipView { return newClipView(t, false) }
	r.lanes.mk = func() *clipView { return newClipView(t, true) }
	r.recs.mk = func() *clipView {
		v := newClipView(t, false)
		v.rec = true
		return v
	}
	r.labels.mk = func() *label {
		l := &label{pill: canvas.NewRectangle(color.Transparent), text: canvas.NewText("", color.Black)}
		l.pill.CornerRadius = 4
		return l
	}
	text := func() *canvas.Text { return canvas.NewText("", color.Black) }
	r.rulerTexts.mk, r.flagTexts.mk = text, text
	r.flagRects.mk = func() *canvas.Rectangle {
		rc := canvas.NewRectangle(color.Transparent)
		rc.CornerRadius = 3
		return rc
	}
	r.update()
	return r
}

// Destroy is part of fyne.WidgetRenderer.
func (r *renderer) Destroy() {
	if r.t.r == r {
		r.t.r = nil
	}
}

// Objects is part of fyne.WidgetRenderer.
func (r *renderer) Objects() []fyne.CanvasObject { return r.objs }

// Layout is part of fyne.WidgetRenderer.
func (r *renderer) Layout(size fyne.Size) {
	changed := size != r.size
	r.size = size
	r.update()
	if changed {
		canvas.Refresh(r.t)
	}
}

// MinSize is part of fyne.WidgetRenderer: a small width and the height of
// the ruler and all rows.
func (r *renderer) MinSize() fyne.Size {
	t := r.t
	h := rulerHeight
	if t.song != nil {
		for i := range t.song.Tracks {
			h += t.TrackHeight(i)
		}
	}
	return fyne.NewSize(minWidth, h)
}

// Refresh is part of fyne.WidgetRenderer: it redraws everything.
func (r *renderer) Refresh() {
	r.update()
	canvas.Refresh(r.t)
}

// update places every object from the song and the view state, back to
// front: rows, bar grid and loop shading, marker lines, clips and lane
// names, the ruler, and the playhead on top.
func (r *renderer) update() {
	t := r.t
	if t.fitting && r.size.Width > 0 {
		t.fit(r.size.Width)
	}
	r.loadPalette()
	W, H := r.size.Width, r.size.Height
	r.objs = r.objs[:0]

	place(r.bg, 0, 0, W, H, r.pal.bg)
	r.objs = append(r.objs, r.bg)
	r.layoutRows()
	r.layoutGrid(W, H)
	r.layoutMarkerLines(W, H)
	r.layoutClips()
	for _, v := range r.layoutRecordings() {
		r.objs = v.appendTo(r.objs)
	}
	r.layoutRulerBar(W)
	r.layoutPlayhead(H)
}

// layoutRows places the row backgrounds: alternating track rows, and the
// take lane rows under each track while lanes are shown.
func (r *renderer) layoutRows() {
	t := r.t
	r.rows.reset()
	if t.song == nil {
		return
	}
	p := &r.pal
	top := rulerHeight
	lh := t.LaneHeight()
	for i, tr := range t.song.Tracks {
		c := p.bg
		if i%2 == 1 {
			c = p.rowAlt
		}
		top = r.addRow(top, t.rowHeight, c)
		if t.showLanes {
			for range tr.Lanes {
				top = r.addRow(top, lh, p.laneBg)
			}
		}
	}
}

// layoutGrid lays out the ruler's ticks and labels, and puts the bar grid
// and the loop shading behind the clips.
func (r *renderer) layoutGrid(W, H float32) {
	r.grid.reset()
	r.ticks.reset()
	r.rulerTexts.reset()
	r.layoutRuler(W, H)
	for _, g := range r.grid.used() {
		r.objs = append(r.objs, g)
	}
	r.objs = append(r.objs, r.loopTrack)
}

// layoutMarkerLines draws a line over the tracks at each marker.
func (r *renderer) layoutMarkerLines(W, H float32) {
	t := r.t
	r.markerLines.reset()
	if t.song == nil {
		return
	}
	for _, m := range t.song.Markers {
		x := t.XAt(m.Position)
		if x < 0 || x > W {
			continue
		}
		l := r.markerLines.get()
		vline(l, x, rulerHeight, H, 1, r.pal.markerLine)
		r.objs = append(r.objs, l)
	}
}

// layoutClips places the clips of every track's active lane and, while
// lanes are shown, of its take lanes with their names.
func (r *renderer) layoutClips() {
	t := r.t
	r.active.reset()
	r.lanes.reset()
	r.labels.reset()
	r.trackStart = r.trackStart[:0]
	if t.song == nil {
		return
	}
	top := rulerHeight
	for i, tr := range t.song.Tracks {
		top = r.layoutTrack(i, tr, top)
	}
	// Take lane names over the clips, at the bottom left of each row.
	if t.showLanes {
		r.layoutLaneLabels()
	}
}

// layoutTrack places track i's clips in its row from top, and those of its
// lanes below when shown; it returns the top of the next track.
func (r *renderer) layoutTrack(i int, tr *projects.Track, top float32) float32 {
	t := r.t
	r.trackStart = append(r.trackStart, r.active.n)
	rw := row{track: i, lane: -1, y: top, h: t.rowHeight}
	for k, c := range tr.Clips {
		v := r.active.get()
		v.layout(r, t.shownClip(i, k, c), rw, tr.IsMIDI(), t.selTrack == i && t.selClip == k, t.handlesOn(i, k))
		r.objs = v.appendTo(r.objs)
	}
	top += t.rowHeight
	if !t.showLanes {
		return top
	}
	lh := t.LaneHeight()
	for j, l := range tr.Lanes {
		rw := row{track: i, lane: j, y: top, h: lh}
		for _, c := range l.Clips {
			v := r.lanes.get()
			v.layout(r, c, rw, tr.IsMIDI(), false, false)
			r.objs = v.appendTo(r.objs)
		}
		top += lh
	}
	return top
}

// layoutLaneLabels names the active take under each track that has lanes,
// and each lane.
func (r *renderer) layoutLaneLabels() {
	t := r.t
	top := rulerHeight
	lh := t.LaneHeight()
	for _, tr := range t.song.Tracks {
		if len(tr.Lanes) > 0 {
			name := tr.ActiveLane
			if name == "" {
				name = "Original"
			}
			r.addLabel(shown.Text(name), true, top+t.rowHeight)
		}
		top += t.rowHeight
		for _, l := range tr.Lanes {
			top += lh
			r.addLabel(shown.Text(l.Name), false, top)
		}
	}
}

// layoutRulerBar puts the ruler on top of the tracks: its background, the
// loop range, the ticks and labels laid out by layoutGrid, and the marker
// flags.
func (r *renderer) layoutRulerBar(W float32) {
	p := &r.pal
	place(r.rulerBg, 0, 0, W, rulerHeight, p.rulerBg)
	place(r.rulerSep, 0, rulerHeight-1, W, 1, p.sep)
	r.objs = append(r.objs, r.rulerBg, r.loopRuler, r.rulerSep)
	for _, l := range r.ticks.used() {
		r.objs = append(r.objs, l)
	}
	for _, x := range r.rulerTexts.used() {
		r.objs = append(r.objs, x)
	}
	r.layoutFlags(W)
	r.placeLoop()
}

// layoutPlayhead colours the playhead line, makes it H high and puts it
// on top.
func (r *renderer) layoutPlayhead(H float32) {
	r.playhead.StrokeColor = r.pal.playhead
	r.playhead.Position1 = fyne.NewPos(r.playhead.Position1.X, 0)
	r.playhead.Position2 = fyne.NewPos(r.playhead.Position1.X, H)
	r.placePlayhead()
	r.objs = append(r.objs, r.playhead)
}

func (r *renderer) addRow(top, h float32, c color.Color) float32 {
	v := r.rows.get()
	place(v.bg, 0, top, r.size.Width, h, c)
	place(v.sep, 0, top+h-1, r.size.Width, 1, r.pal.sep)
	r.objs = append(r.objs, v.bg, v.sep)
	return top + h
}

// activeLabel names the active take when lanes are shown.
func activeLabel(name string) string { return laneName(name) + " (" + lang.L("in use") + ")" }

// laneName shows a lane's name ("Take 3", as recording names them) in the
// window's language.
func laneName(name string) string {
	if n, ok := strings.CutPrefix(name, "Take "); ok {
		return lang.L("Take") + " " + n
	}
	return name
}

// addLabel puts a lane label at the bottom left of a row ending at bottom;
// active marks the track's active take.
func (r *renderer) addLabel(name string, active bool, bottom float32) {
	l := r.labels.get()
	size := r.pal.textSize * 0.85
	style := fyne.TextStyle{Bold: true}
	if maxW := r.size.Width - 16; name != l.src || active != l.active || maxW != l.maxW || l.text.TextSize != size {
		s := laneName(name)
		if active {
			s = activeLabel(name)
		}
		l.src, l.active, l.maxW = name, active, maxW
		l.shown = fitText(s, size, style, maxW)
		l.text.Text, l.text.TextSize, l.text.TextStyle = l.shown, size, style
	}
	l.text.Color = r.pal.fg
	w := textWidth(l.shown, size) + 10
	h := size + 6
	place(l.pill, 4, bottom-clipPadY-h-2, w, h, r.pal.pill)
	l.text.Move(fyne.NewPos(9, bottom-clipPadY-h-2+2))
	r.objs = append(r.objs, l.pill, l.text)
}

// place moves and sizes a rectangle and sets its fill.
func place(rc *canvas.Rectangle, x, y, w, h float32, c color.Color) {
	rc.FillColor = c
	rc.Move(fyne.NewPos(x, y))
	rc.Resize(fyne.NewSize(max(w, 0), max(h, 0)))
}

// vline places a vertical line.
func vline(l *canvas.Line, x, y0, y1, width float32, c color.Color) {
	l.StrokeColor, l.StrokeWidth = c, width
	l.Position1, l.Position2 = fyne.NewPos(x, y0), fyne.NewPos(x, y1)
}

// placePlayhead moves the playhead line (only it).
func (r *renderer) placePlayhead() {
	x := r.t.XAt(r.t.playhead)
	if x < 0 || x > r.size.Width || r.size.Height <= 0 {
		if r.playhead.Visible() {
			r.playhead.Hide()
		}
		return
	}
	r.playhead.Move(fyne.NewPos(x, 0))
	if !r.playhead.Visible() {
		r.playhead.Show()
	}
}

// placeLoop shades the loop range (or the range being dragged).
func (r *renderer) placeLoop() {
	t := r.t
	from, to, on := t.shownLoop()
	x0, x1 := max(t.XAt(from), 0), min(t.XAt(to), r.size.Width)
	if !on || x1 <= x0 {
		r.loopRuler.Hide()
		r.loopTrack.Hide()
		return
	}
	if x1-x0 < 2 {
		x1 = x0 + 2
	}
	place(r.loopRuler, x0, 0, x1-x0, rulerHeight-1, r.pal.loopRuler)
	place(r.loopTrack, x0, rulerHeight, x1-x0, r.size.Height-rulerHeight, r.pal.loopTrack)
	r.loopRuler.Show()
	r.loopTrack.Show()
	r.loopRuler.Refresh()
	r.loopTrack.Refresh()
}

// activeView returns the view of clip k of track i's active lane, or nil.
func (r *renderer) activeView(i, k int) *clipView {
	t := r.t
	if !t.validClip(i, k) || i >= len(r.trackStart) {
		return nil
	}
	n := r.trackStart[i] + k
	end := r.active.n
	if i+1 < len(r.trackStart) {
		end = r.trackStart[i+1]
	}
	if n >= end {
		return nil
	}
	return r.active.items[n]
}

// updateClip redraws one clip of an active lane (a drag, the selection or
// the mouse moved), leaving everything else alone.
func (r *renderer) updateClip(i, k int) {
	v := r.activeView(i, k)
	if v == nil {
		return
	}
	t := r.t
	tr := t.song.Tracks[i]
	v.layout(r, t.shownClip(i, k, tr.Clips[k]), row{track: i, lane: -1, y: t.trackTop(i), h: t.rowHeight},
		tr.IsMIDI(), t.selTrack == i && t.selClip == k, t.handlesOn(i, k))
	v.refresh()
}

// updateHandles shows or hides the handles of one clip.
func (r *renderer) updateHandles(i, k int) { r.updateClip(i, k) }

// layoutFlags draws the marker flags on the ruler.
func (r *renderer) layoutFlags(W float32) {
	t := r.t
	r.flagRects.reset()
	r.flagTexts.reset()
	r.flags = r.flags[:0]
	if t.song == nil {
		return
	}
	size := r.pal.textSize * 0.9
	style := fyne.TextStyle{Bold: true}
	for i, m := range t.song.Markers {
		x := t.XAt(m.Position)
		if x < 0 || x >= W {
			continue
		}
		room := W - x
		name := fitText(shown.Text(m.Name), size, style, room-12)
		w := min(max(textWidth(name, size)+12, HandleSize), room)
		rc := r.flagRects.get()
		place(rc, x, markerTop, w, markerHeight, r.pal.marker)
		tx := r.flagTexts.get()
		if tx.Text != name || tx.TextSize != size {
			tx.Text, tx.TextSize, tx.TextStyle = name, size, style
		}
		tx.Color = r.pal.markerText
		tx.Move(fyne.NewPos(x+6, markerTop+(markerHeight-size*1.35)/2))
		r.objs = append(r.objs, rc, tx)
		r.flags = append(r.flags, flagHit{marker: i, x0: x, x1: x + max(w, HandleSize)})
	}
}

// textWidth measures a bold text (the driver caches the result).
func textWidth(s string, size float32) float32 {
	if s == "" {
		return 0
	}
	return fyne.MeasureText(s, size, fyne.TextStyle{Bold: true}).Width
}

// shortName turns a take file name such as "0007-Bass.wav" into "Bass 7".
func shortName(take string) string {
	for i := len(take) - 1; i >= 0; i-- {
		if take[i] == '/' || take[i] == '\\' {
			take = take[i+1:]
			break
		}
	}
	for i := len(take) - 1; i > 0; i-- {
		if take[i] == '.' {
			take = take[:i]
			break
		}
	}
	d := 0
	for d < len(take) && take[d] >= '0' && take[d] <= '9' {
		d++
	}
	if d == 0 || d+1 >= len(take) || take[d] != '-' {
		return take
	}
	num := take[:d]
	for len(num) > 1 && num[0] == '0' {
		num = num[1:]
	}
	return take[d+1:] + " " + num
}

// fitText shortens s with "…" so that it is at most maxW wide.
func fitText(s string, size float32, style fyne.TextStyle, maxW float32) string {
	if maxW < size || s == "" {
		return ""
	}
	// Quick accept: no glyph is wider than a text size.
	n := 0
	for range s {
		n++
	}
	if float32(n)*size <= maxW || fyne.MeasureText(s, size, style).Width <= maxW {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes)-1 // the longest prefix that fits is in [lo, hi]
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= maxW {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return ""
	}
	return string(runes[:lo]) + "…"
}

var _ fyne.WidgetRenderer = (*renderer)(nil)
