package widgets

// TipShown reports whether the tooltip is showing.
func (b *TipButton) TipShown() bool { return b.pop != nil }
