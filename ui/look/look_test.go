package look_test

import (
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"sangstudio/ui/look"
)

var sizes = []fyne.ThemeSizeName{
	theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText,
	theme.SizeNameCaptionText, theme.SizeNamePadding, theme.SizeNameInnerPadding,
	theme.SizeNameInlineIcon, theme.SizeNameLineSpacing, theme.SizeNameScrollBar,
	theme.SizeNameScrollBarSmall, theme.SizeNameInputRadius, theme.SizeNameSelectionRadius,
	theme.SizeNameInputBorder, theme.SizeNameSeparatorThickness,
}

func TestSizesScale(t *testing.T) {
	base := theme.DefaultTheme()
	for _, scale := range []float32{1, 1.25, 1.5, 2} {
		th := look.New(scale, false)
		for _, n := range sizes {
			if got, want := th.Size(n), base.Size(n)*scale; got != want {
				t.Errorf("scale %v: %s = %v, want %v", scale, n, got, want)
			}
		}
	}
	if got := look.New(0, false).Size(theme.SizeNameText); got != base.Size(theme.SizeNameText) {
		t.Errorf("scale 0 (unset) text size %v, want the default's", got)
	}
	hc := look.New(2, true)
	if got := hc.Size(theme.SizeNameText); got != 2*base.Size(theme.SizeNameText) {
		t.Errorf("high contrast text size %v", got)
	}
	if got := hc.Size(theme.SizeNameSeparatorThickness); got < 2*2*base.Size(theme.SizeNameSeparatorThickness) {
		t.Errorf("high contrast separators %v are not thick", got)
	}
}

// TestControlsGrow checks that the scaled theme makes real widgets larger
// (Fyne derives button and input heights from text size and padding).
func TestControlsGrow(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(look.New(1, false))
	small := newControls().MinSize()
	a.Settings().SetTheme(look.New(2, false))
	large := newControls().MinSize()
	if large.Height < 1.8*small.Height || large.Width < 1.8*small.Width {
		t.Errorf("controls at scale 2 are %v, at 1 %v", large, small)
	}
}

func TestHighContrastColours(t *testing.T) {
	def, hc := look.New(1, false), look.New(1, true)
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		for _, n := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameForeground, theme.ColorNamePrimary, theme.ColorNameFocus} {
			if same(def.Color(n, v), hc.Color(n, v)) {
				t.Errorf("variant %d: %s is the same in high contrast", v, n)
			}
		}
		if !same(def.Color(theme.ColorNameBackground, v), theme.DefaultTheme().Color(theme.ColorNameBackground, v)) {
			t.Errorf("variant %d: the normal theme changed the default colours", v)
		}
		bg := hc.Color(theme.ColorNameBackground, v)
		if !same(bg, color.Black) || !same(hc.Color(theme.ColorNameForeground, v), color.White) {
			t.Errorf("variant %d: high contrast is not white on black", v)
		}
		if !same(hc.Color(theme.ColorNamePrimary, v), look.Yellow()) {
			t.Errorf("variant %d: primary is not yellow", v)
		}
		// Text and controls against the background: 7:1 (WCAG AAA).
		for _, n := range []fyne.ThemeColorName{
			theme.ColorNameForeground, theme.ColorNamePrimary,
			theme.ColorNameHyperlink, theme.ColorNameDisabled, theme.ColorNamePlaceHolder,
			theme.ColorNameError, theme.ColorNameSuccess, theme.ColorNameWarning,
			theme.ColorNameSeparator, theme.ColorNameInputBorder,
		} {
			if r := look.ContrastRatio(hc.Color(n, v), bg); r < 7 {
				t.Errorf("variant %d: %s against the background: %.2f:1, want ≥ 7:1", v, n, r)
			}
		}
		// Text on coloured surfaces.
		for _, p := range [][2]fyne.ThemeColorName{
			{theme.ColorNameForeground, theme.ColorNameButton},
			{theme.ColorNameForeground, theme.ColorNameMenuBackground},
			{theme.ColorNameForeground, theme.ColorNameOverlayBackground},
			{theme.ColorNameForeground, theme.ColorNameHeaderBackground},
			{theme.ColorNameForeground, theme.ColorNameInputBackground},
			{theme.ColorNameDisabled, theme.ColorNameDisabledButton},
			{theme.ColorNameForegroundOnPrimary, theme.ColorNamePrimary},
			{theme.ColorNameForegroundOnError, theme.ColorNameError},
			{theme.ColorNameForegroundOnSuccess, theme.ColorNameSuccess},
			{theme.ColorNameForegroundOnWarning, theme.ColorNameWarning},
		} {
			if r := look.ContrastRatio(hc.Color(p[0], v), hc.Color(p[1], v)); r < 7 {
				t.Errorf("variant %d: %s on %s: %.2f:1, want ≥ 7:1", v, p[0], p[1], r)
			}
		}
		// Text keeps the foreground colour over the translucent focus,
		// selection and hover highlights.
		for _, n := range []fyne.ThemeColorName{theme.ColorNameSelection, theme.ColorNameFocus, theme.ColorNameHover} {
			hl := over(hc.Color(n, v), bg)
			if r := look.ContrastRatio(hc.Color(theme.ColorNameForeground, v), hl); r < 7 {
				t.Errorf("variant %d: text on %s: %.2f:1", v, n, r)
			}
		}
		// The focus and selection are visibly yellow, not just dark.
		if f := over(hc.Color(theme.ColorNameFocus, v), bg); look.ContrastRatio(f, bg) < 1.5 {
			t.Errorf("variant %d: the focus highlight does not show", v)
		}
		// Placeholders on inputs: 4.5:1 (AA).
		if r := look.ContrastRatio(hc.Color(theme.ColorNamePlaceHolder, v), hc.Color(theme.ColorNameInputBackground, v)); r < 4.5 {
			t.Errorf("variant %d: placeholder on inputs: %.2f:1", v, r)
		}
		// Buttons and selects stand out from the background.
		for _, n := range []fyne.ThemeColorName{theme.ColorNameButton, theme.ColorNameInputBackground} {
			if r := look.ContrastRatio(hc.Color(n, v), bg); r < 2.9 {
				t.Errorf("variant %d: %s against the background: %.2f:1", v, n, r)
			}
		}
	}
}

func TestContrastRatio(t *testing.T) {
	if r := look.ContrastRatio(color.Black, color.White); r < 20.99 || r > 21.01 {
		t.Errorf("black/white %.3f, want 21", r)
	}
	if r := look.ContrastRatio(color.White, color.White); r != 1 {
		t.Errorf("white/white %.3f", r)
	}
	// #767676 on white is the classic 4.54:1.
	if r := look.ContrastRatio(color.NRGBA{0x76, 0x76, 0x76, 0xff}, color.White); r < 4.5 || r > 4.6 {
		t.Errorf("#767676/white %.3f, want 4.54", r)
	}
}

func TestMeterColor(t *testing.T) {
	for _, c := range []struct {
		level float32
		want  color.Color
	}{
		{0, look.MeterGreen()}, {0.1, look.MeterGreen()}, {0.25, look.MeterGreen()},
		{0.3, look.MeterAmber()}, {0.7, look.MeterAmber()},
		{0.71, look.MeterRed()}, {1, look.MeterRed()}, {2, look.MeterRed()},
	} {
		if got := look.MeterColor(c.level); !same(got, c.want) {
			t.Errorf("MeterColor(%v) = %v, want %v", c.level, got, c.want)
		}
	}
	for _, c := range []color.Color{look.MeterGreen(), look.MeterAmber(), look.MeterRed()} {
		if r := look.ContrastRatio(c, color.Black); r < 3 {
			t.Errorf("meter colour %v on black %.2f:1", c, r)
		}
		if r := look.ContrastRatio(c, color.White); r < 3 {
			t.Errorf("meter colour %v on white %.2f:1", c, r)
		}
	}
}

func same(a, b color.Color) bool {
	r1, g1, b1, a1 := a.RGBA()
	r2, g2, b2, a2 := b.RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2 && a1 == a2
}

// over composites c (with alpha) over an opaque background.
func over(c, bg color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	mix := func(x, y uint8) uint8 { return uint8((int(x)*int(n.A) + int(y)*(255-int(n.A))) / 255) }
	return color.NRGBA{mix(n.R, b.R), mix(n.G, b.G), mix(n.B, b.B), 0xff}
}

func newControls() fyne.CanvasObject {
	return container.NewVBox(widget.NewButton("Record", nil), widget.NewEntry(), widget.NewLabel("Take 1"))
}
