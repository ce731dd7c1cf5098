package cdimage

import (
	"fmt"
	"strings"
	"testing"
)

// disc returns a disc of n tracks titled "Song i" with 2 s gaps.
func disc(n int) Disc {
	d := Disc{Title: "Sanger", Performer: "Gruppa"}
	for i := 0; i < n; i++ {
		d.Tracks = append(d.Tracks, Track{Title: fmt.Sprintf("Song %d", i+1), Performer: "Kari", Gap: 2 * Rate})
	}
	return d
}

func lengths(n int, frames int64) []int64 {
	l := make([]int64, n)
	for i := range l {
		l[i] = frames
	}
	return l
}

// oneTrack returns lengths for a 1-track disc whose total (first pause
// included) is exactly sectors.
func oneTrack(sectors int64) []int64 { return []int64{(sectors - 150) * SectorFrames} }

func TestCheck(t *testing.T) {
	type want struct {
		track int
		field string
		fatal bool
		text  string // a part of the text
	}
	long161 := strings.Repeat("æ", 160) + "x"
	tests := []struct {
		name    string
		d       Disc
		lengths []int64
		want    []want // exactly these problems, in order
	}{
		{"no tracks", Disc{}, nil, []want{{0, "tracks", true, "no songs"}}},
		{"one good track", disc(1), lengths(1, 60*Rate), nil},
		{"3.9 s", func() Disc { d := disc(3); d.Tracks[2].Title = "Morgenlys"; return d }(), []int64{60 * Rate, 60 * Rate, 39 * Rate / 10},
			[]want{{3, "length", true, `Track 3 "Morgenlys" is 3.9 seconds long; a CD track must be at least 4 seconds.`}}},
		{"3.99 s shows as 3.9", disc(1), []int64{4*Rate - 441}, []want{{1, "length", true, "is 3.9 seconds long"}}},
		{"4 s minus a frame", disc(1), []int64{4*Rate - 1}, []want{{1, "length", true, "at least 4 seconds"}}},
		{"4.0 s exactly", disc(1), []int64{4 * Rate}, nil},
		{"empty track", disc(2), []int64{0, 5 * Rate}, []want{{1, "length", true, "Track 1 \"Song 1\" has no audio"}}},
		{"untitled short track", Disc{Tracks: []Track{{}}}, []int64{Rate}, []want{{1, "length", true, "Track 1 is 1.0 seconds long"}}},
		{"99 tracks", disc(99), lengths(99, 5*Rate), nil},
		{"100 tracks", disc(100), lengths(100, 5*Rate), []want{{0, "tracks", true, "100 songs; a CD can hold at most 99"}}},
		{"74:00 exactly", disc(1), oneTrack(WarnSectors), nil},
		{"74:00 and a sector", disc(1), oneTrack(WarnSectors + 1), []want{{0, "length", false, "lasts 74:01"}}},
		{"74:01", disc(1), oneTrack(WarnSectors + 75), []want{{0, "length", false, "80-minute blank"}}},
		{"79:57 exactly", disc(1), oneTrack(MaxSectors), []want{{0, "length", false, "lasts 79:57"}}},
		{"79:57 and a frame", disc(1), []int64{(MaxSectors-150)*SectorFrames + 1}, []want{{0, "length", true, "last 79:58 (minutes:seconds); a CD holds at most 79:57"}}},
		{"80:00", disc(1), oneTrack(80 * 60 * 75), []want{{0, "length", true, "a CD holds at most 79:57. Remove a song or shorten the pauses by 0:03"}}},
		{"gaps count", func() Disc { d := disc(2); d.Tracks[1].Gap = 75 * 588; return d }(), []int64{(WarnSectors - 150 - 300 - 75) * 588, 300 * 588}, nil},
		{"gaps count, one more", func() Disc { d := disc(2); d.Tracks[1].Gap = 75*588 + 1; return d }(), []int64{(WarnSectors - 150 - 300 - 75) * 588, 300 * 588},
			[]want{{0, "length", false, "lasts 74:01"}}},
		{"track 1 gap note", func() Disc { d := disc(2); d.Tracks[0].Gap = 3 * Rate; return d }(), lengths(2, 5*Rate),
			[]want{{1, "gap", false, "2-second pause before track 1; the pause of 3.0 seconds"}}},
		{"track 1 gap 0 is fine", func() Disc { d := disc(2); d.Tracks[0].Gap = 0; return d }(), lengths(2, 5*Rate), nil},
		{"negative gap", func() Disc { d := disc(2); d.Tracks[1].Gap = -1; return d }(), lengths(2, 5*Rate), []want{{2, "gap", true, "negative"}}},
		{"quotes are fine", func() Disc { d := disc(1); d.Tracks[0].Title = `Si "hei"`; return d }(), lengths(1, 5*Rate), nil},
		{"backslash is fine", func() Disc { d := disc(1); d.Tracks[0].Title = `a\b\`; return d }(), lengths(1, 5*Rate), nil},
		{"newline", func() Disc { d := disc(2); d.Tracks[1].Title = "Linje 1\nLinje 2"; return d }(), lengths(2, 5*Rate),
			[]want{{2, "title", false, `Title of track 2 will show as "Linje 1 Linje 2" on CD players (line breaks and tabs become spaces).`}}},
		{"tab in performer", func() Disc { d := disc(1); d.Performer = "Kari\tOla"; return d }(), lengths(1, 5*Rate),
			[]want{{0, "performer", false, `Performer of the disc will show as "Kari Ola"`}}},
		{"NUL", func() Disc { d := disc(1); d.Title = "a\x00b"; return d }(), lengths(1, 5*Rate), []want{{0, "title", false, `"a b"`}}},
		{"Cyrillic", func() Disc { d := disc(2); d.Tracks[1].Title = "Привет"; return d }(), lengths(2, 5*Rate),
			[]want{{2, "title", false, `Title of track 2 will show as "Privet" on CD players (CD-TEXT cannot show "Привет").`}}},
		{"emoji", func() Disc { d := disc(1); d.Tracks[0].Title = "Sol ☀️"; return d }(), lengths(1, 5*Rate),
			[]want{{1, "title", false, `will show as "Sol ?"`}}},
		{"Chinese performer", func() Disc { d := disc(1); d.Tracks[0].Performer = "王菲"; return d }(), lengths(1, 5*Rate),
			[]want{{1, "performer", false, `Performer of track 1 will show as "??" on CD players (CD-TEXT cannot show "王菲")`}}},
		{"Norwegian is fine", func() Disc { d := disc(1); d.Title = "Blåbærsyltetøy ÆØÅ"; return d }(), lengths(1, 5*Rate), nil},
		{"160 characters", func() Disc { d := disc(1); d.Tracks[0].Title = strings.Repeat("æ", 160); return d }(), lengths(1, 5*Rate), nil},
		{"161 characters", func() Disc { d := disc(1); d.Tracks[0].Title = long161; return d }(), lengths(1, 5*Rate),
			[]want{{1, "title", false, `will show as "` + strings.Repeat("æ", 160) + `" on CD players (CD-TEXT holds at most 160 characters; this one has 161)`}}},
		{"long after transliteration", func() Disc { d := disc(1); d.Tracks[0].Title = strings.Repeat("щ", 41); return d }(), lengths(1, 5*Rate),
			[]want{{1, "title", false, "CD-TEXT cannot show \"щщщ"}}},
		{"empty titles", Disc{Tracks: []Track{{}, {Gap: Rate}}}, lengths(2, 5*Rate), nil},
		{"too much CD-TEXT", func() Disc {
			d := disc(99)
			for i := range d.Tracks {
				d.Tracks[i].Title = strings.Repeat("x", 30)
			}
			return d
		}(), lengths(99, 5*Rate), []want{{0, "cdtext", true, "too long together"}}},
		{"length mismatch", disc(2), lengths(1, 5*Rate), []want{{0, "length", true, "Internal error"}, {2, "length", true, "no audio"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := Check(tc.d, tc.lengths, nil)
			if len(ps) != len(tc.want) {
				t.Fatalf("got %d problems, want %d: %q", len(ps), len(tc.want), ps)
			}
			for i, w := range tc.want {
				p := ps[i]
				if p.Track != w.track || p.Field != w.field || p.Fatal != w.fatal || !strings.Contains(p.Text, w.text) {
					t.Errorf("problem %d = %+v\nwant track %d field %q fatal %v text containing %q", i, p, w.track, w.field, w.fatal, w.text)
				}
			}
			fatal := false
			for _, w := range tc.want {
				fatal = fatal || w.fatal
			}
			if Fatal(ps) != fatal {
				t.Errorf("Fatal = %v, want %v", Fatal(ps), fatal)
			}
		})
	}
}

// TestCheckCDTextLimit pins the CD-TEXT size rule at its edge: 253 packs of
// 12 bytes for titles and performers, each with its NUL.
func TestCheckCDTextLimit(t *testing.T) {
	// 19 tracks, no performers: disc title "" (1 byte) + 19 titles of
	// k bytes + NUL. 253 packs = 3036 bytes.
	mk := func(k int) Disc {
		d := Disc{}
		for i := 0; i < 19; i++ {
			d.Tracks = append(d.Tracks, Track{Title: strings.Repeat("a", k)})
		}
		return d
	}
	// 1 + 19*(k+1) <= 3036  <=>  k <= 158.7: k = 158 fits, 159 does not.
	if ps := Check(mk(158), lengths(19, 5*Rate), nil); Fatal(ps) {
		t.Errorf("158-byte titles: %q", ps)
	}
	if ps := Check(mk(159), lengths(19, 5*Rate), nil); !Fatal(ps) {
		t.Errorf("159-byte titles should not fit: %q", ps)
	}
}

func TestLatin1(t *testing.T) {
	tests := []struct {
		in, out string
		changed bool
	}{
		{"", "", false},
		{"Morgenlys", "Morgenlys", false},
		{"æøå ÆØÅ é ü ß ¿ © ½", "æøå ÆØÅ é ü ß ¿ © ½", false},
		{"Dvořák", "Dvorák", true},
		{"Łódź", "Lódz", true},
		{"Gdańsk ő š ž ł", "Gdansk o s z l", true},
		{"Привет", "Privet", true},
		{"Щука", "Shchuka", true},
		{"ЩИ", "SHCHI", true},
		{"Чайковский", "Chaykovskiy", true},
		{"Ελλάδα", "Ellada", true},
		{"Σωκράτης", "Sokratis", true},
		{"“Hei” ‘du’ „x“", `"Hei" 'du' "x"`, true},
		{"a–b—c", "a-b-c", true},
		{"Vent…", "Vent...", true},
		{"ﬁne œuvre Œ", "fine oeuvre Oe", true},
		{"Ａｂｃ", "Abc", true},
		{"10 €", "10 EUR", true},
		{"Sol 😀", "Sol ?", true},
		{"👍🏽 ok", "? ok", true},
		{"👨‍👩‍👧 familie", "? familie", true},
		{"🇳🇴🇸🇪", "??", true},
		{"❤️", "?", true},
		{"你好", "??", true},
		{"e\u0301", "é", false}, // composes to Latin-1 é: looks the same
		{"q\u0303", "q", true},
		{"ǖ", "ü", true},
		{"Việt", "Viet", true},
		{"a\u200bb", "ab", true},
		{"a\nb", "a b", true},
		{"a\r\nb", "a b", true},
		{"\ta b\n", "a b", true},
		{"a\x00\x01b", "a b", true},
		{"a\u0085b", "a b", true},
		{"bad \xff\xfe utf8", "bad ?? utf8", true},
		{"tab\t", "tab", true},
		{`"quoted" \ back`, `"quoted" \ back`, false},
	}
	for _, tc := range tests {
		out, changed := Latin1(tc.in)
		if out != tc.out || changed != tc.changed {
			t.Errorf("Latin1(%q) = %q, %v; want %q, %v", tc.in, out, changed, tc.out, tc.changed)
		}
		for _, r := range out {
			if r > 0xFF || isControl(r) {
				t.Errorf("Latin1(%q) = %q holds %U", tc.in, out, r)
			}
		}
		if again, ch := Latin1(out); again != out || ch {
			t.Errorf("Latin1(Latin1(%q)) = %q, %v: not stable", tc.in, again, ch)
		}
	}
}

func TestLayout(t *testing.T) {
	d := disc(3)
	d.Tracks[1].Gap = Rate + 1 // 75 sectors and a frame: 76
	d.Tracks[2].Gap = 0
	l := plan(d, []int64{176401, 198467, 4 * Rate})
	want := []TrackLayout{
		{Number: 1, Frames: 176401, PadFrames: 301*588 - 176401, GapSectors: 150, Start: 150},
		{Number: 2, Frames: 198467, PadFrames: 338*588 - 198467, GapSectors: 76, Start: 150 + 301 + 76},
		{Number: 3, Frames: 4 * Rate, PadFrames: 0, GapSectors: 0, Start: 150 + 301 + 76 + 338},
	}
	for i, w := range want {
		g := l.Tracks[i]
		if g.Number != w.Number || g.Frames != w.Frames || g.PadFrames != w.PadFrames || g.GapSectors != w.GapSectors || g.Start != w.Start {
			t.Errorf("track %d: got %+v, want %+v", i+1, g, w)
		}
	}
	if l.Tracks[0].Sectors() != 301 {
		t.Errorf("176401 frames: %d sectors, want 301", l.Tracks[0].Sectors())
	}
	if got, want := l.TotalSectors, int64(150+301+76+338+300); got != want {
		t.Errorf("TotalSectors = %d, want %d", got, want)
	}
	if got, want := l.BinBytes(), int64(301+76+338+300)*2352; got != want {
		t.Errorf("BinBytes = %d, want %d", got, want)
	}
	cue := string(cueSheet(l))
	for _, s := range []string{
		"TRACK 01 AUDIO\r\n    TITLE \"Song 1\"\r\n    PERFORMER \"Kari\"\r\n    INDEX 01 00:00:00\r\n",
		"TRACK 02 AUDIO\r\n    TITLE \"Song 2\"\r\n    PERFORMER \"Kari\"\r\n    INDEX 00 00:04:01\r\n    INDEX 01 00:05:02\r\n",
		"TRACK 03 AUDIO\r\n    TITLE \"Song 3\"\r\n    PERFORMER \"Kari\"\r\n    INDEX 01 00:09:40\r\n",
	} {
		if !strings.Contains(cue, s) {
			t.Errorf("CUE lacks %q:\n%s", s, cue)
		}
	}
	toc := string(tocFile(l))
	for _, s := range []string{
		"FILE \"disc.bin\" SWAP 0 176988\n",
		fmt.Sprintf("FILE \"disc.bin\" SWAP %d %d\nSTART 00:01:01\n", 301*588, (76+338)*588),
		fmt.Sprintf("FILE \"disc.bin\" SWAP %d %d\n", (301+76+338)*588, 300*588),
	} {
		if !strings.Contains(toc, s) {
			t.Errorf("TOC lacks %q:\n%s", s, toc)
		}
	}
}

func TestMSF(t *testing.T) {
	for _, tc := range []struct {
		sectors int64
		msf     string
	}{
		{0, "00:00:00"}, {74, "00:00:74"}, {75, "00:01:00"}, {150, "00:02:00"},
		{59*75 + 74, "00:59:74"}, {60 * 75, "01:00:00"},
		{74*60*75 + 59*75 + 74, "74:59:74"}, {75 * 60 * 75, "75:00:00"},
		{MaxSectors, "79:57:00"}, {MaxSectors - 1, "79:56:74"},
	} {
		if got := msf(tc.sectors); got != tc.msf {
			t.Errorf("msf(%d) = %s, want %s", tc.sectors, got, tc.msf)
		}
	}
	// A track at 74:59:74 in the CUE: INDEX 01 is that MSF.
	d := disc(2)
	d.Tracks[1].Gap = 0
	first := int64(74*60*75 + 59*75 + 74)
	l := plan(d, []int64{first * 588, 300 * 588})
	if got := l.Tracks[1].Start; got != first+150 {
		t.Fatalf("track 2 starts at %d", got)
	}
	if cue := string(cueSheet(l)); !strings.Contains(cue, "INDEX 01 74:59:74\r\n") {
		t.Errorf("CUE:\n%s", cue)
	}
	if got := clock(WarnSectors); got != "74:00" {
		t.Errorf("clock(74:00) = %s", got)
	}
	if got := clock(WarnSectors + 1); got != "74:01" {
		t.Errorf("clock(74:00 + 1 sector) = %s", got)
	}
}

func TestEmptyTextOmitted(t *testing.T) {
	d := Disc{Tracks: []Track{{}, {Gap: Rate}}}
	l := plan(d, lengths(2, 5*Rate))
	if toc := string(tocFile(l)); strings.Contains(toc, "CD_TEXT") {
		t.Errorf("TOC without any text has CD_TEXT:\n%s", toc)
	}
	if cue := string(cueSheet(l)); strings.Contains(cue, "TITLE") || strings.Contains(cue, "PERFORMER") {
		t.Errorf("CUE without any text has TITLE/PERFORMER:\n%s", cue)
	}
	// One title: every track and the disc get a TITLE (cdrdao wants them
	// all), no PERFORMER.
	d.Tracks[1].Title = "B"
	l = plan(d, lengths(2, 5*Rate))
	toc := string(tocFile(l))
	if n := strings.Count(toc, "TITLE "); n != 3 || strings.Contains(toc, "PERFORMER") {
		t.Errorf("%d TITLEs:\n%s", n, toc)
	}
	if n := strings.Count(toc, `TITLE ""`); n != 2 {
		t.Errorf("%d empty TITLEs:\n%s", n, toc)
	}
	if cue := string(cueSheet(l)); strings.Count(cue, "TITLE") != 1 {
		t.Errorf("CUE:\n%s", cue)
	}
}
