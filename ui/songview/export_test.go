package songview

// Lyrics is the lyrics box.
func (v *View) Lyrics() *lyricsEntry { return v.lyrics.entry }
