package timeline

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"sangstudio/projects"
)

// Handle drawing sizes (the touch targets are HandleSize).
const (
	trimHandleW  float32 = 8
	fadeHandleSz float32 = 12
	clipRadius   float32 = 6
)

// clipView draws one clip: a rounded rectangle, the take's waveform in a
// raster, fade ramps, the name and (on the selected or hovered clip) the
// trim and fade handles.
type clipView struct {
	t    *Timeline
	lane bool // a clip of a take lane: no handles, quieter colours
	rec  bool // a take being recorded: the recording colour, its waveform from live

	live       Waveform  // the recording's waveform (rec), or nil
	mins, maxs []float32 // reused for live

	body            *canvas.Rectangle
	wave            *canvas.Raster
	fadeIn, fadeOut *canvas.Line
	name            *canvas.Text
	trimL, trimR    *canvas.Rectangle
	fadeL, fadeR    *canvas.Rectangle

	// What the raster draws: take frames [from,to), scaled by gain.
	take     string
	from, to int64
	gain     float32
	col      color.NRGBA
	img      image.RGBA // reused between draws
	buf      []uint8

	take4name, short string // shortName cache
	fitSrc, fitted   string // fitText cache
	fitW             float32
}

func newClipView(t *Timeline, lane bool) *clipView {
	v := &clipView{t: t, lane: lane}
	v.body = canvas.NewRectangle(color.Transparent)
	v.wave = canvas.NewRaster(v.generate)
	v.fadeIn = canvas.NewLine(color.Transparent)
	v.fadeOut = canvas.NewLine(color.Transparent)
	v.name = canvas.NewText("", color.Black)
	v.trimL = canvas.NewRectangle(color.Transparent)
	v.trimR = canvas.NewRectangle(color.Transparent)
	v.fadeL = canvas.NewRectangle(color.Transparent)
	v.fadeR = canvas.NewRectangle(color.Transparent)
	for _, h := range []*canvas.Rectangle{v.trimL, v.trimR, v.fadeL, v.fadeR} {
		h.CornerRadius = 3
		h.StrokeWidth = 1.5
		h.Hide()
	}
	return v
}

// appendTo adds the view's objects to objs, back to front.
func (v *clipView) appendTo(objs []fyne.CanvasObject) []fyne.CanvasObject {
	return append(objs, v.body, v.wave, v.fadeIn, v.fadeOut, v.name, v.trimL, v.trimR, v.fadeL, v.fadeR)
}

// refresh asks the canvas to redraw every object of the view.
func (v *clipView) refresh() {
	v.body.Refresh()
	v.wave.Refresh()
	v.fadeIn.Refresh()
	v.fadeOut.Refresh()
	v.name.Refresh()
	v.trimL.Refresh()
	v.trimR.Refresh()
	v.fadeL.Refresh()
	v.fadeR.Refresh()
}

func setVisible(o fyne.CanvasObject, on bool) {
	if on != o.Visible() {
		if on {
			o.Show()
		} else {
			o.Hide()
		}
	}
}

// clipBox is where a clip is drawn: x0..x1 is the whole clip (it may
// reach past the edges), vx0..vx1 the part on screen, y0 its top and h its
// height, sw the width of its outline.
type clipBox struct {
	x0, x1, vx0, vx1 float32
	y0, h, sw        float32
}

// layout places the view for clip c in row rw.
func (v *clipView) layout(r *renderer, c projects.Clip, rw row, midi, selected, handles bool) {
	x0, x1 := v.t.clipX(c)
	if x1-x0 < 1 {
		x1 = x0 + 1
	}
	b := clipBox{x0: x0, x1: x1, vx0: max(x0, 0), vx1: min(x1, r.size.Width), y0: rw.y + clipPadY, h: rw.h - 2*clipPadY}
	visible := b.vx1 > b.vx0 && b.h > 0
	setVisible(v.body, visible)
	setVisible(v.wave, visible)
	if !visible {
		for _, o := range []fyne.CanvasObject{v.fadeIn, v.fadeOut, v.name, v.trimL, v.trimR, v.fadeL, v.fadeR} {
			setVisible(o, false)
		}
		return
	}
	b.sw = v.layoutBody(&r.pal, b, midi, selected)
	band := v.layoutName(&r.pal, c, b, handles)
	v.layoutWave(&r.pal, c, b, band)
	v.layoutFades(r, c, b)
	v.layoutHandles(r, c, b, handles && !v.lane)
}

// layoutBody draws the clip's rounded rectangle in the colours of its kind
// (audio, MIDI, take lane) and selection; it returns the outline's width.
func (v *clipView) layoutBody(p *palette, b clipBox, midi, selected bool) (sw float32) {
	fill, stroke, sw := p.clipFill, p.clipStroke, float32(1.5)
	if midi {
		fill, stroke = p.midiFill, p.midiStroke
	}
	if v.lane {
		fill, stroke, sw = p.laneFill, p.laneStroke, 1
	}
	if v.rec {
		fill, stroke = p.recFill, p.recStroke
	}
	if selected {
		if midi {
			fill = p.midiSel
		} else {
			fill = p.clipSel
		}
		stroke, sw = p.fg, 3
	}
	v.body.StrokeColor, v.body.StrokeWidth = stroke, sw
	v.body.CornerRadius = min(clipRadius, (b.vx1-b.vx0)/2)
	place(v.body, b.vx0, b.y0, b.vx1-b.vx0, b.h, fill)
	return sw
}

// layoutName writes the take's short name in a strip at the top of the
// clip, when the clip is high enough; it returns the strip's height (0:
// no name).
func (v *clipView) layoutName(p *palette, c projects.Clip, b clipBox, handles bool) (band float32) {
	size, band := p.textSize, nameBand
	if v.lane {
		size, band = p.textSize*0.85, laneNameBand
	}
	if b.h-band < 12 {
		band = 0
	}
	if v.take4name != c.Take || v.short == "" {
		v.take4name, v.short = c.Take, shortName(c.Take)
	}
	// Keep the name clear of the fade-in handle while it shows.
	nameX := b.vx0 + 6
	if handles && !v.lane && b.x0+HandleSize > b.vx0 {
		nameX = b.x0 + HandleSize + 4
	}
	name := ""
	if band > 0 {
		name = v.fit(v.short, size, b.vx1-nameX-6)
	}
	if name != v.name.Text || size != v.name.TextSize {
		v.name.Text, v.name.TextSize = name, size
	}
	v.name.Color = p.fg
	v.name.Move(fyne.NewPos(nameX, b.y0+1))
	setVisible(v.name, name != "")
	return band
}

// layoutWave places the waveform's raster inside the outline, under the
// name strip band high, and notes the take frames it then shows.
func (v *clipView) layoutWave(p *palette, c projects.Clip, b clipBox, band float32) {
	t := v.t
	wx0, wx1 := b.vx0+b.sw, b.vx1-b.sw
	wy0, wy1 := b.y0+max(band, b.sw), b.y0+b.h-b.sw
	if wx1-wx0 < 1 || wy1-wy0 < 2 {
		setVisible(v.wave, false)
		return
	}
	v.wave.Move(fyne.NewPos(wx0, wy0))
	v.wave.Resize(fyne.NewSize(wx1-wx0, wy1-wy0))
	// Take frames under the raster.
	f0 := float64(t.scroll) + float64(wx0)*t.fpp
	f1 := float64(t.scroll) + float64(wx1)*t.fpp
	f0 = max(f0, float64(c.Position))
	f1 = min(f1, float64(c.End()))
	v.take = c.Take
	v.from = c.Offset + int64(math.Floor(f0)) - c.Position
	v.to = c.Offset + int64(math.Ceil(f1)) - c.Position
	v.gain = float32(projects.DBToGain(c.GainDB))
	v.col = p.wave
	if v.lane {
		v.col = p.laneWave
	}
}

// layoutFades draws the fade ramps: from silence at the clip's bottom edge
// to full at the top.
func (v *clipView) layoutFades(r *renderer, c projects.Clip, b clipBox) {
	fin := float32(float64(c.FadeIn) / v.t.fpp)
	fout := float32(float64(c.FadeOut) / v.t.fpp)
	rampColor := r.pal.fg
	if v.lane {
		rampColor = r.pal.laneStroke
	}
	W := r.size.Width
	v.segment(v.fadeIn, c.FadeIn > 0, b.x0, b.y0+b.h, b.x0+fin, b.y0, W, rampColor)
	v.segment(v.fadeOut, c.FadeOut > 0, b.x1-fout, b.y0, b.x1, b.y0+b.h, W, rampColor)
}

// layoutHandles shows (on) the trim bars at the clip's edges and the fade
// squares at its top corners, each where it fits on screen; or hides them.
func (v *clipView) layoutHandles(r *renderer, c projects.Clip, b clipBox, on bool) {
	p, W := &r.pal, r.size.Width
	x0, x1, y0, h := b.x0, b.x1, b.y0, b.h
	hh := min(max(h*0.45, 16), h-4)
	v.handle(v.trimL, on && x0 >= 0 && x0+trimHandleW <= W, x0, y0+(h-hh)/2, trimHandleW, hh, p)
	v.handle(v.trimR, on && x1-trimHandleW >= 0 && x1 <= W, x1-trimHandleW, y0+(h-hh)/2, trimHandleW, hh, p)
	fin := float32(float64(c.FadeIn) / v.t.fpp)
	fout := float32(float64(c.FadeOut) / v.t.fpp)
	cin, cout := fadeHandleX(x0, x1, fin, fout)
	wide := x1-x0 >= HandleSize
	lo, hi := fadeHandleSz/2, W-fadeHandleSz/2
	fy := y0 + (HandleSize-fadeHandleSz)/2
	v.handle(v.fadeL, on && wide && cin >= lo && cin <= hi, cin-fadeHandleSz/2, fy, fadeHandleSz, fadeHandleSz, p)
	v.handle(v.fadeR, on && wide && cout >= lo && cout <= hi, cout-fadeHandleSz/2, fy, fadeHandleSz, fadeHandleSz, p)
}

func (v *clipView) handle(rc *canvas.Rectangle, on bool, x, y, w, h float32, p *palette) {
	setVisible(rc, on)
	if !on {
		return
	}
	rc.StrokeColor = p.bg
	place(rc, x, y, w, h, p.handle)
}

// segment draws the part of the line (ax,ay)-(bx,by) inside 0 <= x <= W.
func (v *clipView) segment(l *canvas.Line, on bool, ax, ay, bx, by, W float32, c color.Color) {
	if on {
		on = clipSegment(&ax, &ay, &bx, &by, 0, W)
	}
	setVisible(l, on)
	if !on {
		return
	}
	l.StrokeColor, l.StrokeWidth = c, 2
	l.Position1, l.Position2 = fyne.NewPos(ax, ay), fyne.NewPos(bx, by)
}

// clipSegment cuts a segment (ax < bx) to lo <= x <= hi; false if nothing is left.
func clipSegment(ax, ay, bx, by *float32, lo, hi float32) bool {
	if *bx < lo || *ax > hi {
		return false
	}
	dx := *bx - *ax
	if dx <= 0 {
		return true
	}
	slope := (*by - *ay) / dx
	if *ax < lo {
		*ay += slope * (lo - *ax)
		*ax = lo
	}
	if *bx > hi {
		*by -= slope * (*bx - hi)
		*bx = hi
	}
	return true
}

// fit caches fitText for the clip name.
func (v *clipView) fit(s string, size, maxW float32) string {
	if s == v.fitSrc && maxW == v.fitW {
		return v.fitted
	}
	v.fitSrc, v.fitW, v.fitted = s, maxW, fitText(s, size, fyne.TextStyle{}, maxW)
	return v.fitted
}

// generate is the raster's generator: min/max columns of the take, or a
// flat line while the peaks are not ready. It reuses one pixel buffer.
func (v *clipView) generate(w, h int) image.Image {
	if w <= 0 || h <= 0 {
		return image.NewRGBA(image.Rect(0, 0, 1, 1))
	}
	n := w * h * 4
	if cap(v.buf) < n {
		v.buf = make([]uint8, n)
	}
	v.img.Pix, v.img.Stride, v.img.Rect = v.buf[:n], 4*w, image.Rect(0, 0, w, h)
	img := &v.img
	clear(img.Pix)
	mins, maxs, ok := v.peaks(w)
	if v.rec && !ok {
		return img // a take without a waveform (MIDI): a plain block
	}
	np := min(len(mins), len(maxs))
	if !ok || np == 0 {
		c := v.t.r.placeholderColor()
		mid := h / 2
		for x := 0; x < w; x++ {
			setPix(img, x, mid, c)
		}
		return img
	}
	c := premul(v.col)
	amp := float32(h-1) / 2
	mid := float32(h-1) / 2
	for x := 0; x < w; x++ {
		i := x
		if np != w {
			i = x * np / w
		}
		lo, hi := clampUnit(mins[i]*v.gain), clampUnit(maxs[i]*v.gain)
		if lo > hi {
			lo, hi = hi, lo
		}
		y0 := int(mid - hi*amp)
		y1 := int(math.Ceil(float64(mid - lo*amp)))
		y0, y1 = max(y0, 0), min(y1, h-1)
		pix, stride := img.Pix, img.Stride
		for o := y0*stride + 4*x; y0 <= y1; y0, o = y0+1, o+stride {
			p := pix[o : o+4 : o+4]
			p[0], p[1], p[2], p[3] = c[0], c[1], c[2], c[3]
		}
	}
	return img
}

// peaks gives the waveform the raster draws, n pairs: the take's (ok is
// false while it is not ready), or a recording's.
func (v *clipView) peaks(n int) (mins, maxs []float32, ok bool) {
	if v.to <= v.from {
		return nil, nil, false
	}
	if v.rec {
		if v.live == nil {
			return nil, nil, false
		}
		v.mins, v.maxs = v.live.Range(v.from, v.to, n, v.mins[:0], v.maxs[:0])
		return v.mins, v.maxs, true
	}
	if v.t.peaks == nil {
		return nil, nil, false
	}
	return v.t.peaks(v.take, v.from, v.to, n)
}

// placeholderColor is the flat line's colour (premultiplied).
func (r *renderer) placeholderColor() [4]uint8 {
	if r == nil {
		return [4]uint8{0x80, 0x80, 0x80, 0xff}
	}
	return premul(r.pal.placeholder)
}

func premul(c color.NRGBA) [4]uint8 {
	a := uint16(c.A)
	return [4]uint8{uint8(uint16(c.R) * a / 255), uint8(uint16(c.G) * a / 255), uint8(uint16(c.B) * a / 255), c.A}
}

func setPix(img *image.RGBA, x, y int, c [4]uint8) {
	o := y*img.Stride + 4*x
	img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = c[0], c[1], c[2], c[3]
}

func clampUnit(v float32) float32 { return min(max(v, -1), 1) }
