package songview

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/projects"
	"sangstudio/ui/shown"
)

// LyricsPause is how long typing in the lyrics pauses before they are saved.
const LyricsPause = 1500 * time.Millisecond

// lyrics is the lyrics part of the song screen, right of the tracks: a
// title over a large multi-line entry. What is typed goes into the song at
// once and is saved (one undo step) once typing pauses.
type lyrics struct {
	v     *View
	box   fyne.CanvasObject
	entry *lyricsEntry
	// typedAt is when the lyrics were last typed in (zero: saved).
	typedAt time.Time
	// setting is true while the song's lyrics are copied into the entry,
	// so that its change callback does not write them back.
	setting bool
}

// newLyrics makes the lyrics part, its text scale times larger than the
// rest.
func newLyrics(v *View, scale float32) *lyrics {
	l := &lyrics{v: v, entry: newLyricsEntry()}
	l.entry.Wrapping = fyne.TextWrapWord
	l.entry.TextStyle = fyne.TextStyle{}
	l.entry.SetPlaceHolder(lang.L("Write the lyrics here"))
	l.entry.OnChanged = l.typed
	title := widget.NewLabelWithStyle(lang.L("Lyrics"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.box = container.NewBorder(title, nil, nil, nil, largeText(l.entry, scale))
	return l
}

// typed takes the entry's text into the song, or refuses it.
func (l *lyrics) typed(text string) {
	if l.setting {
		return
	}
	// Typed or pasted control characters (other than line breaks and
	// tabs) are refused: the lyrics go back to what they were.
	if err := projects.CheckLyrics(text); err != nil {
		l.show(l.v.st.Song().Lyrics)
		l.v.showError(err)
		return
	}
	l.v.st.Live(func(s *projects.Song) { s.Lyrics = text })
	l.typedAt = time.Now()
}

// show puts the song's lyrics in the entry (control characters from a file
// as symbols), unless it has them already.
func (l *lyrics) show(text string) {
	if t := shown.Lines(text); l.entry.Text != t {
		l.setting = true
		l.entry.SetText(t)
		l.setting = false
	}
}

// saveIfPaused saves what was typed as one undo step once typing paused
// for LyricsPause.
func (l *lyrics) saveIfPaused() {
	if !l.typedAt.IsZero() && time.Since(l.typedAt) > LyricsPause {
		l.typedAt = time.Time{}
		l.v.st.Commit("Edit lyrics")
	}
}

// largeText shows an entry with text scale times larger than the rest
// (the lyrics are read while singing).
func largeText(e fyne.CanvasObject, scale float32) fyne.CanvasObject {
	return container.NewThemeOverride(e, &bigText{scale: scale})
}

type bigText struct{ scale float32 }

func (bigText) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return fyne.CurrentApp().Settings().Theme().Color(n, v)
}
func (bigText) Font(s fyne.TextStyle) fyne.Resource {
	return fyne.CurrentApp().Settings().Theme().Font(s)
}
func (bigText) Icon(n fyne.ThemeIconName) fyne.Resource {
	return fyne.CurrentApp().Settings().Theme().Icon(n)
}
func (b bigText) Size(n fyne.ThemeSizeName) float32 {
	s := fyne.CurrentApp().Settings().Theme().Size(n)
	if n == theme.SizeNameText {
		return s * b.scale
	}
	return s
}

// lyricsEntry is the lyrics box: Escape leaves it, so that the plain keys
// (Space, R, M …) work again.
type lyricsEntry struct{ widget.Entry }

func newLyricsEntry() *lyricsEntry {
	e := &lyricsEntry{}
	e.MultiLine = true
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey unfocuses on Escape.
func (e *lyricsEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
			c.Unfocus()
		}
		return
	}
	e.Entry.TypedKey(k)
}
