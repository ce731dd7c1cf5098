package album

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"

	"sangstudio/projects"
)

func render(t *testing.T, in Insert) (*image.Gray, []byte) {
	t.Helper()
	data, err := RenderInsert(in)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != InsertSize || b.Dy() != InsertSize || InsertSize != 1417 {
		t.Fatalf("size %v", b)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("decoded as %T", img)
	}
	if os.Getenv("ALBUM_INSERT_OUT") != "" { // to look at it
		os.WriteFile(filepath.Join(os.Getenv("ALBUM_INSERT_OUT"), strings.ReplaceAll(t.Name(), "/", "_")+".png"), data, 0o600)
	}
	return g, data
}

// dark counts the dark pixels in r.
func dark(g *image.Gray, r image.Rectangle) int {
	n := 0
	r = r.Intersect(g.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if g.GrayAt(x, y).Y < 128 {
				n++
			}
		}
	}
	return n
}

// checkMargins fails when anything but the crop marks is dark outside the
// margins.
func checkMargins(t *testing.T, g *image.Gray) {
	t.Helper()
	m, c := px(insertMargin), px(cropMark)
	n := InsertSize
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			inside := x >= m && x < n-m && y >= m && y < n-m
			corner := (x < c || x >= n-c) && (y < c || y >= n-c)
			if !inside && !corner && g.GrayAt(x, y).Y < 250 {
				t.Fatalf("ink outside the margins at (%d, %d)", x, y)
			}
		}
	}
	// The crop marks are there, on every corner.
	for _, p := range []image.Point{{0, 0}, {c - 1, 0}, {0, c - 1}, {n - 1, 0}, {n - c, 1}, {0, n - 1}, {n - 1, n - 1}, {n - 1, n - c}} {
		if g.GrayAt(p.X, p.Y).Y != 0 {
			t.Fatalf("no crop mark at %v", p)
		}
	}
	if g.GrayAt(c, 0).Y != 255 || g.GrayAt(cropThickPx, cropThickPx).Y != 255 {
		t.Fatal("crop marks longer or thicker than 3 mm × 2 px")
	}
}

func rows(n int, title string) []InsertRow {
	out := make([]InsertRow, n)
	for i := range out {
		out[i] = InsertRow{Title: fmt.Sprintf("%s %d", title, i+1), Performer: "Solstua kor", Length: time.Duration(150+i*7) * time.Second}
	}
	return out
}

func TestInsertBasic(t *testing.T) {
	in := Insert{Title: "Sanger fra Solstua", Performer: "Solstua kor", Rows: []InsertRow{
		{Title: "Morgenlys", Performer: "Solstua kor", Length: 3*time.Minute + 42*time.Second},
		{Title: "Kveldssang", Performer: "Åse og Øystein", Length: 61 * time.Second},
		{Title: "Blåbærturen", Length: 0},
	}}
	g, data := render(t, in)
	m := px(insertMargin)
	if n := dark(g, image.Rect(m, m, InsertSize-m, m+px(8))); n < 500 {
		t.Fatalf("title area has %d dark pixels", n)
	}
	if n := dark(g, image.Rect(m, InsertSize-m-px(5), InsertSize-m, InsertSize-m)); n < 100 {
		t.Fatalf("total line has %d dark pixels", n)
	}
	checkMargins(t, g)
	_, again := render(t, in)
	if !bytes.Equal(data, again) {
		t.Fatal("two renderings of the same insert differ")
	}
	if !bytes.Contains(data[:100], []byte("pHYs\x00\x00\x2e\x23\x00\x00\x2e\x23\x01")) {
		t.Fatal("no 300 dpi pHYs chunk")
	}
	// A different total label changes the picture.
	in.TotalLabel = "Totalt"
	if _, other := render(t, in); bytes.Equal(data, other) {
		t.Fatal("TotalLabel made no difference")
	}
	// Empty insert: still a valid picture.
	t.Run("empty", func(t *testing.T) {
		g, _ := render(t, Insert{})
		checkMargins(t, g)
	})
}

func TestInsertLongLists(t *testing.T) {
	long := strings.Repeat("Veldig lang tittel på en sang om fjorden og fjellet ", 10)
	for _, n := range []int{12, 30, 45, 99} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			rs := rows(n, long)
			rs[0].Performer = strings.Repeat("Åse Øystein Ærlig ", 20)
			rs[1].Length = 2*time.Hour + 3*time.Second
			g, _ := render(t, Insert{Title: long, Performer: long, Rows: rs})
			checkMargins(t, g)
		})
	}
}

func TestInsertFontShrinks(t *testing.T) {
	// A short list keeps the largest size; a long one gets smaller text:
	// compare the height of the ink of track 1's number.
	inkHeight := func(n int) int {
		g, _ := render(t, Insert{Title: "T", Rows: rows(n, "Sang")})
		m := px(insertMargin)
		top, bottom := -1, -1
		// The first track's number is in the leftmost column, below the title.
		for y := m + px(12); y < InsertSize/2; y++ {
			if dark(g, image.Rect(m, y, m+px(4), y+1)) > 0 {
				if top < 0 {
					top = y
				}
				bottom = y
			} else if top >= 0 {
				break
			}
		}
		return bottom - top
	}
	if a, b := inkHeight(5), inkHeight(30); !(b < a) {
		t.Fatalf("digit height %d for 5 tracks, %d for 30", a, b)
	}
}

func TestInsertNorwegianLetters(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	for _, f := range []*sfnt.Font{fs.regular, fs.bold} {
		for _, r := range "æøåÆØÅ…—é" {
			if x, err := f.GlyphIndex(&buf, r); err != nil || x == 0 {
				t.Errorf("the font has no glyph for %q", r)
			}
		}
	}
	g1, _ := render(t, Insert{Title: "æøå"})
	g2, _ := render(t, Insert{Title: "aoa"})
	m := px(insertMargin)
	area := image.Rect(m, m, m+px(30), m+px(10))
	if n := dark(g1, area); n < 300 {
		t.Fatalf("æøå rendered as %d dark pixels", n)
	}
	same := true
	for y := area.Min.Y; y < area.Max.Y && same; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			if g1.GrayAt(x, y) != g2.GrayAt(x, y) {
				same = false
				break
			}
		}
	}
	if same {
		t.Fatal("æøå looks the same as aoa")
	}
}

func TestFitAndClock(t *testing.T) {
	fs, _ := loadFonts()
	face := fs.face(fs.regular, 10)
	long := strings.Repeat("Blåbær ", 40)
	got := fit(face, long, 300)
	if !strings.HasSuffix(got, "…") || measure(face, got) > 300 || strings.HasSuffix(got, " …") {
		t.Fatalf("fit: %q (%d px)", got, measure(face, got))
	}
	if fit(face, "Kort", 300) != "Kort" || fit(face, "Kort", 1) != "" {
		t.Fatal("fit of a short text")
	}
	for d, want := range map[time.Duration]string{
		0: "0:00", 222 * time.Second: "3:42", 59*time.Second + 600*time.Millisecond: "1:00",
		time.Hour + 2*time.Minute + 3*time.Second: "1:02:03", -time.Second: "0:00",
	} {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %q, want %q", d, got, want)
		}
	}
	if got := cleanText(" a\n\tb\x00c \xff "); got != "a b c \uFFFD" {
		t.Errorf("cleanText: %q", got)
	}
}

func TestWriteInsert(t *testing.T) {
	path := filepath.Join(t.TempDir(), "innlegg.png")
	if err := WriteInsert(path, "Min CD", "Kari", rows(3, "Sang")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != projects.FilePerm {
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	want, _ := RenderInsert(Insert{Title: "Min CD", Performer: "Kari", Rows: rows(3, "Sang")})
	if !bytes.Equal(data, want) {
		t.Fatal("WriteInsert wrote other bytes than RenderInsert")
	}
	if err := WriteInsert(filepath.Join(t.TempDir(), "mangler", "x.png"), "x", "", nil); err == nil {
		t.Fatal("writing into a missing folder succeeded")
	}
}
