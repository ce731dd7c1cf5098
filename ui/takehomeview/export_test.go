package takehomeview

// What the tests read and press.

// Status is the line about drives ("No USB stick found…"), "" when hidden.
func (v *View) Status() string {
	if !v.noDrive.Visible() {
		return ""
	}
	return v.noDrive.Text
}

// Destinations are the places offered, as shown.
func (v *View) Destinations() []string { return append([]string(nil), v.where.Options...) }

// Selected is the chosen destination's path ("" for none).
func (v *View) Selected() string { return v.selected }

// SetPerformer types the performer's name.
func (v *View) SetPerformer(s string) { v.artist.SetText(s) }

// SetFormats ticks the formats.
func (v *View) SetFormats(mp3, wav, flac bool) {
	v.mp3.SetChecked(mp3)
	v.wav.SetChecked(wav)
	v.flac.SetChecked(flac)
}

// CanCopy reports whether the Copy button is enabled.
func (v *View) CanCopy() bool { return !v.goBtn.Disabled() }

// Copy presses the Copy button.
func (v *View) Copy() {
	if v.CanCopy() {
		v.start()
	}
}

// Running reports whether a take-home is under way.
func (v *View) Running() bool { return v.running }

// Result is the text shown after a take-home.
func (v *View) Result() string { return v.result.Text }
