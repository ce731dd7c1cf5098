package shown

import (
	"errors"
	"fmt"
	"testing"

	"fyne.io/fyne/v2/test"

	"sangstudio/projects"
	"sangstudio/ui/i18n"
)

func TestTextAndLines(t *testing.T) {
	for in, want := range map[string]string{
		"Morgenlys – blåbær 🎵": "Morgenlys – blåbær 🎵",
		"Red\x1b[31m\a!":       "Red␛[31m␇!",
		"a\x00b\x7fc":          "a␀b␡c",
		"tab\tline\nend":       "tab␉line␊end",
		"c1\u0085 rlo\u202e":   `c1\u0085 rlo\u202e`,
		"bad\xff":              "bad\uFFFD",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"Vers 1\n\tla la\r\nslutt": "Vers 1\n\tla la\r\nslutt",
		"la\x1b[2J\nla":            "la␛[2J\nla",
		"lone\rcr":                 "lone␍cr",
	} {
		if got := Lines(in); got != want {
			t.Errorf("Lines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRefusalInBothLanguages(t *testing.T) {
	test.NewTempApp(t)
	defer i18n.Use("en")
	name := projects.CheckName(projects.FieldTrack, "Bass\x1b")
	lyrics := fmt.Errorf("cannot save: %w", projects.CheckLyrics("la\nla\a"))
	cases := []struct {
		lang string
		err  error
		want string
	}{
		{"en", name, "This name has an invisible control character (ESC) at character 5. Names are plain text on one line: please remove it."},
		{"nb", name, "Dette navnet har et usynlig kontrolltegn (ESC) ved tegn nummer 5. Navn er vanlig tekst på én linje: fjern det."},
		{"en", lyrics, "The lyrics can have line breaks and tabs, but not other control characters: there is one (BEL) at character 6. It was not added."},
		{"nb", lyrics, "Sangteksten kan ha linjeskift og tabulatorer, men ikke andre kontrolltegn: det er ett (BEL) ved tegn nummer 6. Det ble ikke lagt til."},
		{"nb", projects.CheckName(projects.FieldTitle, "a\nb"), "Dette navnet har et usynlig kontrolltegn (et linjeskift) ved tegn nummer 2. Navn er vanlig tekst på én linje: fjern det."},
	}
	for _, c := range cases {
		i18n.Use(c.lang)
		if got, ok := Refusal(c.err); !ok || got != c.want {
			t.Errorf("%s: Refusal(%v) = %q, %v\nwant %q", c.lang, c.err, got, ok, c.want)
		}
	}
	if _, ok := Refusal(errors.New("other")); ok {
		t.Error("Refusal takes any error")
	}
	i18n.Use("en")
	if err := Validator(projects.FieldPerformer)("Koret\u009b"); err == nil || err.Error() != "This name has an invisible control character (U+009B) at character 6. Names are plain text on one line: please remove it." {
		t.Errorf("Validator: %v", err)
	}
	if err := Validator(projects.FieldPerformer)("Åse og Øystein"); err != nil {
		t.Errorf("Validator refuses plain text: %v", err)
	}
}
