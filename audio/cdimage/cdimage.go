package cdimage

import (
	"fmt"
	"strings"
)

// Red Book figures. Lengths are in frames (one 16-bit stereo sample pair,
// 1/44100 s) or sectors (588 frames, 1/75 s).
const (
	Rate               = 44100
	SectorFrames       = 588 // stereo 16-bit frames per CD sector (2352 bytes)
	SectorBytes        = SectorFrames * 4
	SectorsPerSecond   = 75
	MinTrackFrames     = 4 * Rate // Red Book: at least 4 s per track
	MaxTracks          = 99
	MaxSectors         = (79*60 + 57) * 75          // 79:57 total (hard limit we allow)
	WarnSectors        = 74 * 60 * 75               // above 74:00 some older players/blank discs fail: warning
	FirstPregap        = 2 * Rate                   // 2 s before track 1
	MaxTextLen         = 160                        // CD-TEXT characters (Latin-1 bytes) per field
	firstPregapSectors = FirstPregap / SectorFrames // 150
)

// cdTextPacks is how many CD-TEXT packs one language block can hold: the
// sequence number is one byte, and 3 packs are the size information.
const cdTextPacks = 256 - 3

// Track is one song of the disc.
type Track struct {
	WAV       string // track master: 44.1 kHz 16-bit stereo PCM WAV
	Title     string
	Performer string
	// Gap is the silence before this track, in frames, rounded up to whole
	// sectors. Track 1 always gets FirstPregap: its Gap is not used (a
	// value other than 0 or FirstPregap gives a note).
	Gap int64
}

// Disc is what to put on the CD.
type Disc struct {
	Title, Performer string
	Tracks           []Track
}

// Problem is one finding of Check, in plain language for non-technical
// users, e.g. `Track 3 "Morgenlys" is 3.9 seconds long; a CD track must be
// at least 4 seconds.`
type Problem struct {
	Track int    // 1-based; 0 for the disc
	Field string // "", "tracks", "title", "performer", "length", "gap", "cdtext"
	Text  string
	Fatal bool // true: the image cannot be made; false: a warning
}

func (p Problem) String() string { return p.Text }

// Fatal reports whether any of ps is fatal.
func Fatal(ps []Problem) bool {
	for _, p := range ps {
		if p.Fatal {
			return true
		}
	}
	return false
}

// TrackLayout is where one track goes on the disc.
type TrackLayout struct {
	Number    int
	Frames    int64 // audio frames of the master
	PadFrames int64 // silence added after the audio up to a whole sector
	// GapSectors is the silence before INDEX 01 (INDEX 00 is at
	// Start-GapSectors). Track 1: 150 (2 s), which is not in disc.bin.
	GapSectors int64
	// Start is the sector of INDEX 01 in absolute time (from 00:00:00,
	// the start of the first pause): track 1 starts at 150 (00:02:00). In
	// disc.bin it is at byte (Start-150)*2352.
	Start            int64
	Title, Performer string // as written to CD-TEXT (after Latin1 and cutting)
}

// Sectors returns the track's length from INDEX 01 to its end, in sectors.
func (t TrackLayout) Sectors() int64 { return (t.Frames + t.PadFrames) / SectorFrames }

// Layout is where everything goes on the disc, in sectors and frames.
type Layout struct {
	Tracks []TrackLayout
	// TotalSectors is the lead-out position in absolute sectors: the first
	// 2 s pause, the gaps and the padded tracks.
	TotalSectors     int64
	Title, Performer string // the disc's CD-TEXT
}

// BinBytes is the size of disc.bin.
func (l *Layout) BinBytes() int64 { return (l.TotalSectors - firstPregapSectors) * SectorBytes }

// sectorsFor rounds frames up to whole sectors.
func sectorsFor(frames int64) int64 {
	if frames <= 0 {
		return 0
	}
	return (frames + SectorFrames - 1) / SectorFrames
}

// plan computes the layout of d whose tracks have the given lengths (one per
// track; missing lengths count as 0).
func plan(d Disc, lengths []int64) *Layout {
	l := &Layout{TotalSectors: firstPregapSectors}
	l.Title, _, _, _ = cdText(d.Title)
	l.Performer, _, _, _ = cdText(d.Performer)
	for i, t := range d.Tracks {
		var n int64
		if i < len(lengths) {
			n = max(lengths[i], 0)
		}
		tl := TrackLayout{Number: i + 1, Frames: n}
		tl.PadFrames = sectorsFor(n)*SectorFrames - n
		if i == 0 {
			tl.GapSectors = firstPregapSectors
		} else {
			tl.GapSectors = sectorsFor(t.Gap)
			l.TotalSectors += tl.GapSectors
		}
		tl.Start = l.TotalSectors
		l.TotalSectors += tl.Sectors()
		tl.Title, _, _, _ = cdText(t.Title)
		tl.Performer, _, _, _ = cdText(t.Performer)
		l.Tracks = append(l.Tracks, tl)
	}
	return l
}

// Check applies the Red Book rules to a disc whose tracks have the given
// lengths in frames (44.1 kHz, lengths[i] for d.Tracks[i]) before anything
// is written. See the package documentation for the rules. The problems
// come in order: the disc as a whole, its text, then track by track, then
// the total time and the CD-TEXT size. The messages are in the language
// of in (nil: English).
func Check(d Disc, lengths []int64, in Translator) []Problem {
	tr := in.Lookup()
	var ps []Problem
	add := func(track int, field string, fatal bool, format string, args ...any) {
		ps = append(ps, Problem{Track: track, Field: field, Fatal: fatal, Text: fmt.Sprintf(format, args...)})
	}
	n := len(d.Tracks)
	switch {
	case n == 0:
		add(0, "tracks", true, "%s", tr("The disc has no songs. Choose at least one song."))
	case n > MaxTracks:
		add(0, "tracks", true, tr("The disc has %d songs; a CD can hold at most %d tracks. Remove %d of them."), n, MaxTracks, n-MaxTracks)
	}
	if len(lengths) != n {
		add(0, "length", true, tr("Internal error: %d songs but %d lengths."), n, len(lengths))
	}
	textProblem(&ps, tr, 0, "title", tr("Title of the disc"), d.Title)
	textProblem(&ps, tr, 0, "performer", tr("Performer of the disc"), d.Performer)
	for i, t := range d.Tracks {
		num := i + 1
		name := fmt.Sprintf(tr("Track %d"), num)
		if s := strings.TrimSpace(display(t.Title)); s != "" {
			name += ` "` + s + `"`
		}
		var frames int64
		if i < len(lengths) {
			frames = lengths[i]
		}
		switch {
		case frames <= 0:
			add(num, "length", true, tr("%s has no audio; a CD track must be at least 4 seconds."), name)
		case frames < MinTrackFrames:
			add(num, "length", true, tr("%s is %s seconds long; a CD track must be at least 4 seconds."), name, tenths(frames))
		}
		switch {
		case t.Gap < 0:
			add(num, "gap", true, tr("%s: the pause before it is negative (%s seconds)."), name, tenths(t.Gap))
		case i == 0 && t.Gap != 0 && t.Gap != FirstPregap:
			add(num, "gap", false, tr("A CD always has a 2-second pause before track 1; the pause of %s seconds chosen before %s is not used."), tenths(t.Gap), name)
		}
		textProblem(&ps, tr, num, "title", fmt.Sprintf(tr("Title of track %d"), num), t.Title)
		textProblem(&ps, tr, num, "performer", fmt.Sprintf(tr("Performer of track %d"), num), t.Performer)
	}
	if n == 0 {
		return ps
	}
	l := plan(d, lengths)
	switch {
	case l.TotalSectors > MaxSectors:
		add(0, "length", true, tr("The songs and pauses last %s (minutes:seconds); a CD holds at most 79:57. Remove a song or shorten the pauses by %s."),
			clock(l.TotalSectors), clock(l.TotalSectors-MaxSectors))
	case l.TotalSectors > WarnSectors:
		add(0, "length", false, tr("The disc lasts %s (minutes:seconds). Discs longer than 74 minutes need an 80-minute blank CD, and some older CD players cannot play them."),
			clock(l.TotalSectors))
	}
	if need := packs(l); need > cdTextPacks {
		add(0, "cdtext", true, tr("The titles and performer names are too long together: CD-TEXT holds about %d letters per disc, and these need %d. Shorten some titles or performer names by about %d letters in all."),
			cdTextPacks*12, need*12, (need-cdTextPacks)*12)
	}
	return ps
}

// packs returns how many CD-TEXT packs cdrdao makes from l's text, without
// the 3 size-information packs: per kind of field (titles, performers)
// that is used at all, the disc's and every track's string with its NUL,
// packed 12 bytes a pack.
func packs(l *Layout) int64 {
	var title, perf int64
	useT, useP := l.Title != "", l.Performer != ""
	for _, t := range l.Tracks {
		useT = useT || t.Title != ""
		useP = useP || t.Performer != ""
	}
	for i := -1; i < len(l.Tracks); i++ {
		t, p := l.Title, l.Performer
		if i >= 0 {
			t, p = l.Tracks[i].Title, l.Tracks[i].Performer
		}
		title += int64(latin1Len(t)) + 1
		perf += int64(latin1Len(p)) + 1
	}
	var n int64
	if useT {
		n += (title + 11) / 12
	}
	if useP {
		n += (perf + 11) / 12
	}
	return n
}

// latin1Len is the number of runes in s (its length in Latin-1 bytes when
// every rune is ≤ 0xFF).
func latin1Len(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

// textProblem adds a warning when a CD-TEXT field will not show as typed.
func textProblem(ps *[]Problem, tr func(string) string, track int, field, what, s string) {
	out, ctrl, translit, cut := cdText(s)
	if !ctrl && !translit && !cut {
		return
	}
	var why []string
	if translit {
		why = append(why, fmt.Sprintf(tr("CD-TEXT cannot show %q"), display(s)))
	}
	if ctrl {
		why = append(why, tr("line breaks and tabs become spaces"))
	}
	if cut {
		full, _ := Latin1(s)
		why = append(why, fmt.Sprintf(tr("CD-TEXT holds at most %d characters; this one has %d"), MaxTextLen, latin1Len(strings.TrimSpace(full))))
	}
	*ps = append(*ps, Problem{Track: track, Field: field,
		Text: fmt.Sprintf(tr("%s will show as %s on CD players (%s)."), what, `"`+out+`"`, strings.Join(why, "; "))})
}

// display is s for a message: control characters become spaces, invalid
// UTF-8 becomes U+FFFD.
func display(s string) string {
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// cdText is s as written to CD-TEXT: Latin1, cut to MaxTextLen characters
// (and trailing spaces of the cut removed). It reports what changed.
func cdText(s string) (out string, ctrl, translit, cut bool) {
	out, ctrl, translit = latin1(s)
	r := []rune(out)
	if len(r) > MaxTextLen {
		cut = true
		out = strings.TrimRight(string(r[:MaxTextLen]), " ")
	}
	return out, ctrl, translit, cut
}

// tenths formats frames as seconds with one decimal, rounded towards zero
// (3.99 s is "3.9", so it never shows as the 4 it is short of).
func tenths(frames int64) string {
	neg := frames < 0
	if neg {
		frames = -frames
	}
	t := frames * 10 / Rate
	s := fmt.Sprintf("%d.%d", t/10, t%10)
	if neg {
		s = "-" + s
	}
	return s
}

// clock formats sectors as m:ss, a started second counting as whole (so a
// disc one sector over 74:00 shows as 74:01).
func clock(sectors int64) string {
	s := (sectors + SectorsPerSecond - 1) / SectorsPerSecond
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// msf formats sectors as mm:ss:ff (minutes, seconds, 1/75 s frames), as
// CUE sheets and TOC files write times.
func msf(sectors int64) string {
	return fmt.Sprintf("%02d:%02d:%02d", sectors/(60*75), sectors/75%60, sectors%75)
}

// Translator turns the English message templates of Check (format strings
// for fmt.Sprintf) into the user's language: the window passes its
// translation lookup, the command line nil (English).
type Translator func(s string) string

// Lookup is t, or English when t is nil.
func (t Translator) Lookup() func(string) string {
	if t == nil {
		return func(s string) string { return s }
	}
	return t
}
