// Package look is the window's theme: Fyne's default theme made larger for
// people who read small text with difficulty, and optionally in high
// contrast for people who see poorly.
//
// High contrast is always a dark variant, whatever the system's light/dark
// setting: black background, white text and icons, yellow for the primary
// colour, focus and selection, thick white separators and input borders.
// Every colour used for text or controls has a contrast ratio of at least
// 7:1 against the black background (WCAG 2 "AAA"); labels have 7:1 against
// buttons and selects, which are grey boxes that stand out from the
// background by about 3:1, and against the focus and selection highlights.
package look

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme sizes the default theme by a scale and, with high contrast,
// replaces its colours.
type Theme struct {
	base         fyne.Theme
	scale        float32
	highContrast bool
}

var _ fyne.Theme = (*Theme)(nil)

// New returns Fyne's default theme with every size (text, headings,
// padding, icons, inline icons, separators, borders, scroll bars, and so
// the height of buttons and inputs, which Fyne derives from them) multiplied
// by scale (values below 0.5 or above 4 are clamped; 0 means 1), and with
// highContrast the black, white and yellow colours described in the package
// comment.
func New(scale float32, highContrast bool) fyne.Theme {
	if scale == 0 {
		scale = 1
	}
	scale = min(max(scale, 0.5), 4)
	return &Theme{base: theme.DefaultTheme(), scale: scale, highContrast: highContrast}
}

// Scale is the factor every size is multiplied by.
func (t *Theme) Scale() float32 { return t.scale }

// HighContrast tells whether the theme uses the high-contrast colours.
func (t *Theme) HighContrast() bool { return t.highContrast }

// Size returns the default theme's size multiplied by the scale; in high
// contrast separators are three times and input borders twice as thick.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	s := t.base.Size(n)
	if t.highContrast {
		switch n {
		case theme.SizeNameSeparatorThickness:
			s = max(s, 1) * 3
		case theme.SizeNameInputBorder:
			s = max(s, 1) * 2
		}
	}
	return s * t.scale
}

// Font returns the default theme's font.
func (t *Theme) Font(s fyne.TextStyle) fyne.Resource { return t.base.Font(s) }

// Icon returns the default theme's icon (icons take the foreground colour,
// so they are white in high contrast).
func (t *Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base.Icon(n) }

// Color returns the default theme's colour, or in high contrast the colour
// from the high-contrast palette (the variant is then ignored).
func (t *Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if !t.highContrast {
		return t.base.Color(n, v)
	}
	if c, ok := highContrast[n]; ok {
		return c
	}
	return t.base.Color(n, theme.VariantDark)
}

// The high-contrast palette: Black, White, Yellow and FocusYellow.

// Black is the high-contrast background.
func Black() color.NRGBA { return color.NRGBA{0, 0, 0, 0xff} }

// White is the high-contrast text and icon colour.
func White() color.NRGBA { return color.NRGBA{0xff, 0xff, 0xff, 0xff} }

// Yellow is the high-contrast primary colour (the selected radio button,
// the ticked check box, the focused entry's border, the important button).
func Yellow() color.NRGBA { return color.NRGBA{0xff, 0xff, 0x00, 0xff} }

// FocusYellow is the high-contrast focus and selection colour: a
// translucent Yellow.
func FocusYellow() color.NRGBA { return color.NRGBA{0xff, 0xff, 0x00, 0x55} }

var highContrast = map[fyne.ThemeColorName]color.Color{
	theme.ColorNameBackground:          Black(),
	theme.ColorNameForeground:          White(),
	theme.ColorNamePrimary:             Yellow(),
	theme.ColorNameForegroundOnPrimary: Black(),
	// Fyne fills focused selects, menu items and the focus circle of
	// checks and radio buttons with the focus colour, and selected text and
	// list rows with the selection colour, under white text: a translucent
	// yellow, dark enough over black for it (7.8:1).
	theme.ColorNameFocus:          FocusYellow(),
	theme.ColorNameSelection:      FocusYellow(),
	theme.ColorNameHyperlink:      Yellow(),
	theme.ColorNameButton:         color.NRGBA{0x59, 0x59, 0x59, 0xff}, // 7:1 with white text, about 3:1 against black
	theme.ColorNameHover:          color.NRGBA{0xff, 0xff, 0x00, 0x40},
	theme.ColorNamePressed:        color.NRGBA{0xff, 0xff, 0x00, 0x80},
	theme.ColorNameDisabled:       color.NRGBA{0xb0, 0xb0, 0xb0, 0xff},
	theme.ColorNameDisabledButton: color.NRGBA{0x1a, 0x1a, 0x1a, 0xff},
	theme.ColorNamePlaceHolder:    color.NRGBA{0xe6, 0xe6, 0xe6, 0xff},
	// Selects draw no border: their grey box, like a button's, shows
	// where to press. Entries also have a thick white border.
	theme.ColorNameInputBackground:     color.NRGBA{0x59, 0x59, 0x59, 0xff},
	theme.ColorNameInputBorder:         White(),
	theme.ColorNameSeparator:           White(),
	theme.ColorNameScrollBar:           color.NRGBA{0xd0, 0xd0, 0xd0, 0xff},
	theme.ColorNameScrollBarBackground: color.NRGBA{0x33, 0x33, 0x33, 0xff},
	theme.ColorNameHeaderBackground:    color.NRGBA{0x26, 0x26, 0x26, 0xff},
	// Dialogs and menus are dark grey boxes; behind a dialog the window is
	// darkened (the shadow colour), so that only the dialog is to be read.
	theme.ColorNameMenuBackground:      color.NRGBA{0x33, 0x33, 0x33, 0xff},
	theme.ColorNameOverlayBackground:   color.NRGBA{0x33, 0x33, 0x33, 0xff},
	theme.ColorNameShadow:              color.NRGBA{0x00, 0x00, 0x00, 0xcc},
	theme.ColorNameError:               color.NRGBA{0xff, 0x7a, 0x7a, 0xff},
	theme.ColorNameForegroundOnError:   Black(),
	theme.ColorNameSuccess:             color.NRGBA{0x5c, 0xff, 0x5c, 0xff},
	theme.ColorNameForegroundOnSuccess: Black(),
	theme.ColorNameWarning:             color.NRGBA{0xff, 0xb3, 0x00, 0xff},
	theme.ColorNameForegroundOnWarning: Black(),
}

// Meter levels (linear peak amplitude, 1 = 0 dBFS) at which MeterColor
// changes colour.
const (
	MeterLoud    = 0.2512 // -12 dBFS: loud; good for recording, but careful
	MeterTooLoud = 0.7079 // -3 dBFS: too loud, risks distortion; turn down
)

// MeterGreen is the meter's colour below MeterLoud. Each meter colour has
// a contrast ratio of at least 3:1 against both black and white, so a meter
// reads on the default light and dark themes and in high contrast.
func MeterGreen() color.NRGBA { return color.NRGBA{0x00, 0x99, 0x00, 0xff} }

// MeterAmber is the meter's colour from MeterLoud (see MeterGreen).
func MeterAmber() color.NRGBA { return color.NRGBA{0xbe, 0x82, 0x00, 0xff} }

// MeterRed is the meter's colour from MeterTooLoud (see MeterGreen).
func MeterRed() color.NRGBA { return color.NRGBA{0xe0, 0x10, 0x10, 0xff} }

// MeterColor is the colour of a level meter at level (linear peak amplitude,
// 1 = 0 dBFS): green below MeterLoud, amber from there, red from
// MeterTooLoud.
func MeterColor(level float32) color.Color {
	switch {
	case level >= MeterTooLoud:
		return MeterRed()
	case level >= MeterLoud:
		return MeterAmber()
	}
	return MeterGreen()
}

// Luminance is the WCAG 2 relative luminance of c (0 for black, 1 for
// white); alpha is ignored.
func Luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

// ContrastRatio is the WCAG 2 contrast ratio of two colours, from 1 (the
// same) to 21 (black and white). WCAG asks 4.5:1 for text (AA), 7:1 for
// AAA, 3:1 for the parts of controls.
func ContrastRatio(a, b color.Color) float64 {
	la, lb := Luminance(a), Luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
