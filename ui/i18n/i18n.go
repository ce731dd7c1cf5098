// Package i18n gives the window its two languages, Norwegian (bokmål, "nb")
// and English ("en"), through Fyne's lang package.
//
// Every text in the window is written in English in the code, as
// lang.L("Record") or lang.X("key", "English fallback"), and translated by
// the JSON files in translations/: one pair per area of the window
// ("library.nb.json", "song.nb.json", …), plus fyne.nb.json with the ~40
// texts of Fyne's own dialogs (Cancel, Open, Folder, weekdays, …), which Fyne
// does not ship in Norwegian. English needs no file except for plurals.
//
// Fyne has no call to choose the language (fyne-io/fyne#5333): it follows the
// environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) every time translations
// are added. Use sets LANGUAGE (and replaces a "C" locale, which would make
// LANGUAGE ignored) and adds the translations again, so the language can be
// changed while the program runs; the window then rebuilds its views.
//
// Fyne's lookup (lang.L, lang.X) and the environment it follows are
// process-wide: that is the one documented exception to "no package-level
// mutable state" on the window's side. Sangstudio keeps no language of its
// own in a package variable: Use returns the Lang, which the window passes
// (through Options) to the views that format numbers and dates themselves,
// and the views pass their lookup to audio/cdmake for the CD rules.
package i18n

import (
	"embed"
	"os"
	"strings"

	"fyne.io/fyne/v2/lang"

	"sangstudio/internal/locale"
)

//go:embed translations
var files embed.FS

// Languages are the codes Use accepts, in the order a menu shows them (a
// new slice each call).
func Languages() []string { return []string{"nb", "en"} }

// Lang is the language the window's texts are in: "nb" or "en", as Use
// returns it. The zero value is English.
type Lang string

// Norwegian reports whether l is Norwegian (decimal comma, Norwegian month
// names).
func (l Lang) Norwegian() bool { return l == "nb" }

// Name is a language's name in that language, for the language menu.
func Name(code string) string {
	switch code {
	case "nb":
		return "Norsk (bokmål)"
	case "en":
		return "English"
	}
	return code
}

// SystemLanguage is "nb" when the user's locale is Norwegian (bokmål,
// nynorsk or plain "no"), else "en".
func SystemLanguage() string {
	for _, v := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		for _, l := range strings.Split(os.Getenv(v), ":") {
			if l == "" || l == "C" || l == "POSIX" || strings.HasPrefix(l, "C.") {
				continue
			}
			l = strings.ToLower(l)
			if strings.HasPrefix(l, "nb") || strings.HasPrefix(l, "nn") || strings.HasPrefix(l, "no") {
				return "nb"
			}
			return "en"
		}
	}
	return "en"
}

// Normalize returns code if it is one of Languages, else the system's.
func Normalize(code string) string {
	for _, l := range Languages() {
		if l == code {
			return code
		}
	}
	return SystemLanguage()
}

// Use makes code ("nb" or "en"; anything else means the system's language)
// the language of every text looked up from now on, and returns it.
func Use(code string) (Lang, error) {
	code = Normalize(code)
	// go-locale reads the first of LC_ALL, LC_MESSAGES, LANG; if that is
	// C or POSIX it ignores LANGUAGE: unset it (it means no language).
	locale.Tidy()
	os.Setenv("LANGUAGE", code)
	return Lang(code), lang.AddTranslationsFS(files, "translations")
}
