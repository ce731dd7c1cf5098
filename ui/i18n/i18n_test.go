package i18n_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"sangstudio/ui/i18n"
)

// norwegian collects the keys of every *.nb.json file.
func norwegian(t *testing.T) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	err := fs.WalkDir(i18n.Files(), "translations", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".nb.json") {
			return err
		}
		data, err := fs.ReadFile(i18n.Files(), p)
		if err != nil {
			return err
		}
		m := map[string]any{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		for k, v := range m {
			if keys[k] {
				t.Errorf("%s: %q is translated in two files", p, k)
			}
			keys[k] = true
			if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
				t.Errorf("%s: %q has an empty translation", p, k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// call finds lookups, and the labels of undo steps (shown translated in
// the Undo and Redo tooltips and menus): Edit("…"), Commit("…"), record("…").
var call = regexp.MustCompile(`(?:lang\.(?:L|X|N|XN|Localize|LocalizeKey|LocalizePlural|LocalizePluralKey)|\.(?:[eE]dit|Commit|record)|\btr)\(\s*("(?:[^"\\]|\\.)*"|` + "`[^`]*`" + `)`)

// TestEveryTextHasNorwegian finds every text the window looks up (a string
// literal passed to lang.L, lang.X, …) in the ui packages and cmd, and
// checks that a Norwegian translation exists.
func TestEveryTextHasNorwegian(t *testing.T) {
	nb := norwegian(t)
	used := 0
	// audio/cdimage's messages (tr("…")) are shown in the window's CD step.
	for _, root := range []string{"..", "../../cmd", "../../audio/cdimage", "../../audio/cdmake"} {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			// Comments may show lang.L("…") as an example.
			src = regexp.MustCompile(`(?m)^\s*//.*$`).ReplaceAll(src, nil)
			for _, m := range call.FindAllSubmatch(src, -1) {
				key, err := strconv.Unquote(string(m[1]))
				if err != nil {
					t.Errorf("%s: %s: %v", p, m[1], err)
					continue
				}
				used++
				if !nb[key] {
					t.Errorf("%s: %q has no Norwegian translation (add it to a translations/*.nb.json)", p, key)
				}
			}
			return nil
		})
	}
	t.Logf("%d lookups checked", used)
}

func TestUseSwitchesLanguage(t *testing.T) {
	test.NewTempApp(t)
	t.Setenv("LC_ALL", "C")
	t.Setenv("LANGUAGE", "")
	if l, err := i18n.Use("nb"); err != nil || !l.Norwegian() {
		t.Fatal(l, err)
	}
	if got := lang.L("Cancel"); got != "Avbryt" {
		t.Errorf("nb: Cancel = %q, want Avbryt", got)
	}
	l, err := i18n.Use("en")
	if err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Cancel"); got != "Cancel" {
		t.Errorf("en: Cancel = %q", got)
	}
	if l != "en" || l.Norwegian() {
		t.Errorf("Use returned %q", l)
	}
}

func TestSystemLanguage(t *testing.T) {
	for _, c := range []struct{ language, lcAll, lang, want string }{
		{"", "", "nb_NO.UTF-8", "nb"},
		{"", "", "nn_NO.UTF-8", "nb"},
		{"no", "", "en_US.UTF-8", "nb"},
		{"", "", "en_GB.UTF-8", "en"},
		{"", "C", "", "en"},
		{"", "", "", "en"},
		{"", "C.UTF-8", "nb_NO.UTF-8", "nb"},
		{"de:nb", "", "", "en"},
	} {
		t.Setenv("LANGUAGE", c.language)
		t.Setenv("LC_ALL", c.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", c.lang)
		if got := i18n.SystemLanguage(); got != c.want {
			t.Errorf("LANGUAGE=%q LC_ALL=%q LANG=%q: %q, want %q", c.language, c.lcAll, c.lang, got, c.want)
		}
	}
	if i18n.Normalize("fr") != i18n.SystemLanguage() || i18n.Normalize("nb") != "nb" {
		t.Error("Normalize")
	}
}
