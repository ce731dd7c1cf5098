package songview

// MeterRedraws counts the redraws of all meters.
func (v *View) MeterRedraws() int {
	n := v.master.Redraws
	for _, s := range v.strips {
		n += s.meter.Redraws
	}
	return n
}

// Lyrics is the lyrics box.
func (v *View) Lyrics() *lyricsEntry { return v.lyrics }
