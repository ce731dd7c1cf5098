package album

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"sangstudio/internal/durable"
	"sangstudio/projects"
)

// The CD case insert: 120 mm × 120 mm at 300 dpi.
const (
	InsertDPI  = 300
	InsertSize = 1417 // pixels: 120 mm at 300 dpi
)

// Insert layout, in millimetres unless said otherwise.
const (
	insertMargin   = 10.0 // from the cut edge to the text
	cropMark       = 3.0  // length of the corner crop marks
	cropThickPx    = 2    // their thickness in pixels (0.17 mm)
	titleMaxPt     = 20.0
	titleMinPt     = 14.0
	performerPt    = 12.0
	footerPt       = 10.0
	rowMaxPt       = 10.0
	rowMinPt       = 6.0  // smallest track-list font: still readable in print
	rowSpacing     = 1.25 // line height in font sizes
	maxColumns     = 4
	columnGap      = 6.0 // between columns of a long track list
	defaultTotal   = "Total"
	ellipsis       = "…"
	performerSep   = " — "
	minTitleEms    = 3.0 // a column must leave this much room for the title
	maxInsertRunes = 400 // longer texts are cut before measuring
)

// InsertRow is one line of the insert's track list.
type InsertRow struct {
	Title, Performer string
	Length           time.Duration
}

// Insert is what the CD case insert shows.
type Insert struct {
	Title     string
	Performer string
	Rows      []InsertRow
	// TotalLabel is the word before the total time at the bottom ("" means
	// "Total"), for a translated insert: "Totalt".
	TotalLabel string
}

// WriteInsert writes the print-ready track list for the CD case insert to
// path as a PNG (see RenderInsert), atomically, readable only by the user.
func WriteInsert(path string, title, performer string, rows []InsertRow) error {
	data, err := RenderInsert(Insert{Title: title, Performer: performer, Rows: rows})
	if err != nil {
		return err
	}
	if err := durable.WriteFile(path, data, projects.FilePerm); err != nil {
		return fmt.Errorf("cannot write the CD insert %s: %w", path, err)
	}
	return nil
}

// RenderInsert draws the CD case insert and returns it as PNG bytes: 120 mm
// × 120 mm at 300 dpi (1417 × 1417 pixels, with the resolution stored in
// the file), white, with 3 mm crop marks on the corners to cut along and a
// 10 mm margin inside. At the top the album title, large, and the performer;
// then the numbered tracks ("1  Title — Performer  3:42", the performer
// only where it differs from the album's); the total time at the bottom.
// A long list gets a smaller font (down to 6 pt) and then columns; texts
// too long for their room end in "…". The same input gives the same bytes.
func RenderInsert(in Insert) ([]byte, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, InsertSize, InsertSize))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	drawCropMarks(img)

	m := px(insertMargin)
	box := image.Rect(m, m, InsertSize-m, InsertSize-m)
	dst := img.SubImage(box).(*image.Gray) // text can never leave the box
	y := box.Min.Y

	albumPerformer := cleanText(in.Performer)
	if t := cleanText(in.Title); t != "" {
		pt := titleMaxPt
		face := fs.face(fs.bold, pt)
		for pt > titleMinPt && measure(face, t) > box.Dx() {
			pt--
			face = fs.face(fs.bold, pt)
		}
		y = drawLine(dst, face, fit(face, t, box.Dx()), box.Min.X, y)
	}
	if albumPerformer != "" {
		y += px(1.5)
		face := fs.face(fs.regular, performerPt)
		y = drawLine(dst, face, fit(face, albumPerformer, box.Dx()), box.Min.X, y)
	}
	if y > box.Min.Y {
		y += px(3)
		rule(dst, box.Min.X, box.Max.X, y)
		y += px(3)
	}

	// The footer: the total time, right-aligned at the bottom.
	var total time.Duration
	for _, r := range in.Rows {
		if r.Length > 0 {
			total += r.Length
		}
	}
	label := cleanText(in.TotalLabel)
	if label == "" {
		label = defaultTotal
	}
	ff := fs.face(fs.bold, footerPt)
	fm := ff.Metrics()
	footerTop := box.Max.Y - fm.Ascent.Ceil() - fm.Descent.Ceil()
	foot := fit(ff, label+"  "+clock(total), box.Dx())
	drawLine(dst, ff, foot, box.Max.X-measure(ff, foot), footerTop)
	ruleY := footerTop - px(3)
	rule(dst, box.Min.X, box.Max.X, ruleY)

	area := image.Rect(box.Min.X, y, box.Max.X, ruleY-px(3))
	if len(in.Rows) > 0 {
		if err := drawRows(dst, fs, area, in.Rows, albumPerformer); err != nil {
			return nil, err
		}
	}
	return encodePNG(img)
}

// drawRows lays out the track list in area. Of the layouts that fit (1–4
// columns, 10 pt down to 6 pt) it takes the one that cuts the fewest
// titles, then the one with the largest text, then the fewest columns.
// Titles too long for every layout do not count: they are cut anyway, and
// need not make the whole list small.
func drawRows(dst *image.Gray, fs *fontSet, area image.Rectangle, rows []InsertRow, albumPerformer string) error {
	texts := make([]string, len(rows))
	times := make([]string, len(rows))
	ref := fs.face(fs.regular, rowMaxPt) // widths at other sizes scale from these
	refW := make([]float64, len(rows))
	for i, r := range rows {
		t := cleanText(r.Title)
		if p := cleanText(r.Performer); p != "" && !strings.EqualFold(p, albumPerformer) {
			t += performerSep + p
		}
		texts[i] = t
		times[i] = clock(r.Length)
		refW[i] = float64(measure(ref, t)) / rowMaxPt
	}
	type layout struct {
		cols                   int
		pt                     float64
		perCol, lineH, colW    int
		numW, timeW, space, tw int
	}
	var fitting []layout
	room := 0.0 // the most text width per point of any layout
	for cols := 1; cols <= maxColumns; cols++ {
		for pt := rowMaxPt; pt >= rowMinPt; pt -= 0.5 {
			face := fs.face(fs.regular, pt)
			fm := face.Metrics()
			l := layout{cols: cols, pt: pt}
			l.lineH = int(math.Round(pt * InsertDPI / 72 * rowSpacing))
			l.perCol = (len(rows) + cols - 1) / cols
			if (l.perCol-1)*l.lineH+fm.Ascent.Ceil()+fm.Descent.Ceil() > area.Dy() {
				continue
			}
			em := int(math.Round(pt * InsertDPI / 72))
			l.colW = (area.Dx() - (cols-1)*px(columnGap)) / cols
			l.numW = measure(face, strconv.Itoa(len(rows)))
			for _, t := range times {
				l.timeW = max(l.timeW, measure(face, t))
			}
			l.space = em * 2 / 3
			l.tw = l.colW - l.numW - l.timeW - 2*l.space
			if l.tw < int(minTitleEms*float64(em)) {
				continue
			}
			fitting = append(fitting, l)
			room = max(room, float64(l.tw)/pt)
		}
	}
	var best *layout
	bestCuts := 0
	for i := range fitting {
		l := &fitting[i]
		cuts := 0
		for _, w := range refW {
			if w <= room && w*l.pt > float64(l.tw) {
				cuts++
			}
		}
		if best == nil || cuts < bestCuts || cuts == bestCuts && l.pt > best.pt {
			best, bestCuts = l, cuts
		}
	}
	if best == nil {
		return fmt.Errorf("%d tracks are too many to print on the CD insert", len(rows))
	}
	l := *best
	face := fs.face(fs.regular, l.pt)
	for i := range rows {
		c, k := i/l.perCol, i%l.perCol
		x := area.Min.X + c*(l.colW+px(columnGap))
		top := area.Min.Y + k*l.lineH
		n := strconv.Itoa(i + 1)
		drawLine(dst, face, n, x+l.numW-measure(face, n), top)
		drawLine(dst, face, fit(face, texts[i], l.tw), x+l.numW+l.space, top)
		drawLine(dst, face, times[i], x+l.colW-measure(face, times[i]), top)
	}
	return nil
}

// drawLine draws s with its top at y (the baseline one ascent lower) and
// returns the y just below its descent.
func drawLine(dst *image.Gray, face font.Face, s string, x, y int) int {
	m := face.Metrics()
	base := y + m.Ascent.Ceil()
	d := font.Drawer{Dst: dst, Src: image.Black, Face: face, Dot: fixed.P(x, base)}
	d.DrawString(s)
	return base + m.Descent.Ceil()
}

// rule draws a thin grey line across [x0, x1) at y.
func rule(dst *image.Gray, x0, x1, y int) {
	draw.Draw(dst, image.Rect(x0, y, x1, y+2), image.NewUniform(color.Gray{Y: 0x70}), image.Point{}, draw.Src)
}

// drawCropMarks draws 3 mm marks along the cut edges at each corner.
func drawCropMarks(img *image.Gray) {
	l, t, n := px(cropMark), cropThickPx, InsertSize
	for _, r := range []image.Rectangle{
		image.Rect(0, 0, l, t), image.Rect(0, 0, t, l), // top left
		image.Rect(n-l, 0, n, t), image.Rect(n-t, 0, n, l), // top right
		image.Rect(0, n-t, l, n), image.Rect(0, n-l, t, n), // bottom left
		image.Rect(n-l, n-t, n, n), image.Rect(n-t, n-l, n, n), // bottom right
	} {
		draw.Draw(img, r, image.Black, image.Point{}, draw.Src)
	}
}

// px converts millimetres to pixels at InsertDPI.
func px(mm float64) int { return int(math.Round(mm * InsertDPI / 25.4)) }

// clock formats a duration as m:ss, or h:mm:ss from an hour, rounded to
// the second.
func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// cleanText makes any text printable on one line: valid UTF-8, control
// characters as spaces, runs of spaces as one, trimmed, at most
// maxInsertRunes runes.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxInsertRunes {
		s = string([]rune(s)[:maxInsertRunes])
	}
	return s
}

func measure(face font.Face, s string) int {
	return font.MeasureString(face, s).Ceil()
}

// fit returns s, or as much of it as fits in width followed by "…".
func fit(face font.Face, s string, width int) string {
	if measure(face, s) <= width {
		return s
	}
	r := []rune(s)
	cut := func(k int) string { return strings.TrimRight(string(r[:k]), " ") + ellipsis }
	lo, hi := 0, len(r) // cut(lo) fits (or lo == 0); cut(hi) does not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if measure(face, cut(mid)) <= width {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo == 0 && measure(face, ellipsis) > width {
		return ""
	}
	return cut(lo)
}

type fontSet struct {
	regular, bold *opentype.Font
}

// face makes a face of f at pt points for InsertDPI. Faces are cheap and
// not safe for concurrent use, so each rendering makes its own.
func (fs *fontSet) face(f *opentype.Font, pt float64) font.Face {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: pt, DPI: InsertDPI, Hinting: font.HintingFull})
	if err != nil { // only for invalid options, which these are not
		panic(err)
	}
	return face
}

var loadFonts = sync.OnceValues(func() (*fontSet, error) {
	r, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("the insert font cannot be read: %w", err)
	}
	b, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("the insert font cannot be read: %w", err)
	}
	return &fontSet{regular: r, bold: b}, nil
})

// encodePNG encodes img with a pHYs chunk saying 300 dpi, so that it prints
// at 120 mm.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	// The signature (8 bytes) and IHDR (4+4+13+4 bytes) come first.
	const afterIHDR = 8 + 25
	if len(data) < afterIHDR || string(data[12:16]) != "IHDR" {
		return nil, errors.New("unexpected PNG layout")
	}
	ppm := uint32(math.Round(InsertDPI / 0.0254))
	chunk := make([]byte, 0, 21)
	chunk = binary.BigEndian.AppendUint32(chunk, 9)
	chunk = append(chunk, "pHYs"...)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = binary.BigEndian.AppendUint32(chunk, ppm)
	chunk = append(chunk, 1) // unit: metre
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	out := make([]byte, 0, len(data)+len(chunk))
	out = append(out, data[:afterIHDR]...)
	out = append(out, chunk...)
	return append(out, data[afterIHDR:]...), nil
}
