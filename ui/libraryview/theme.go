package libraryview

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// bigScale is how much larger big controls are than the rest of the window.
const bigScale = 1.25

// big shows o (a button, an entry) larger than the window's other controls:
// its text, icon and inner padding are scaled from the window's theme, so the
// user's text size and a high-contrast theme still apply.
func big(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewThemeOverride(o, scaledTheme{bigScale})
}

// scaledTheme is the window's current theme with larger text and controls.
type scaledTheme struct{ k float32 }

func (s scaledTheme) base() fyne.Theme {
	if a := fyne.CurrentApp(); a != nil && a.Settings().Theme() != nil {
		return a.Settings().Theme()
	}
	return theme.DefaultTheme()
}

func (s scaledTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return s.base().Color(n, v)
}

func (s scaledTheme) Font(st fyne.TextStyle) fyne.Resource { return s.base().Font(st) }

func (s scaledTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return s.base().Icon(n) }

func (s scaledTheme) Size(n fyne.ThemeSizeName) float32 {
	size := s.base().Size(n)
	switch n {
	case theme.SizeNameText, theme.SizeNameSubHeadingText, theme.SizeNameHeadingText,
		theme.SizeNameCaptionText, theme.SizeNameInlineIcon, theme.SizeNameInnerPadding:
		return size * s.k
	}
	return size
}
