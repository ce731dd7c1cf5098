package explain_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sangstudio/ui/i18n"
)

// use makes code ("en" or "nb") the language of the texts looked up, as
// the window does (ui/i18n.Use), for the rest of the test.
func use(t *testing.T, code string) {
	t.Helper()
	t.Setenv("LC_ALL", "C")
	t.Setenv("LANGUAGE", "")
	if _, err := i18n.Use(code); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { i18n.Use("en") })
}

// translations are the texts of every translations/*.nb.json: the
// English key and its Norwegian text, as patterns that match a text made
// from them ({{.File}} stands for anything).
type translations struct {
	english, norwegian []*regexp.Regexp
	file               map[string]map[string]string // errors.nb.json and the others, by file name
}

func readTranslations(t *testing.T) translations {
	t.Helper()
	paths, err := filepath.Glob("../i18n/translations/*.nb.json")
	if err != nil || len(paths) == 0 {
		t.Fatal("no translations", err)
	}
	tr := translations{file: map[string]map[string]string{}}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		texts := map[string]string{}
		for k, v := range m {
			s, ok := v.(string)
			if !ok { // plural forms: not used by explain
				continue
			}
			texts[k] = s
			tr.english = append(tr.english, pattern(k))
			tr.norwegian = append(tr.norwegian, pattern(s))
		}
		tr.file[filepath.Base(p)] = texts
	}
	return tr
}

// pattern matches the texts made from the template s: a {{.Field}}, or a
// verb of fmt (ui/shown's texts are formatted with fmt.Sprintf), stands
// for anything.
func pattern(s string) *regexp.Regexp {
	field := regexp.MustCompile(`\\\{\\\{\\\.[A-Za-z]+\\\}\\\}|%[sdqv]`)
	return regexp.MustCompile(`(?s)^` + field.ReplaceAllString(regexp.QuoteMeta(s), `.+`) + `$`)
}

// made reports whether msg is made from one of the texts.
func made(msg string, texts []*regexp.Regexp) bool {
	for _, re := range texts {
		if re.MatchString(msg) {
			return true
		}
	}
	return false
}

// TestErrorTextsAreUsed checks that every text of errors.nb.json is looked
// up by this package, so the file holds no text nobody shows.
func TestErrorTextsAreUsed(t *testing.T) {
	tr := readTranslations(t)
	var src strings.Builder
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(data)
	}
	for key := range tr.file["errors.nb.json"] {
		quoted, _ := json.Marshal(key)
		lit := strings.ReplaceAll(string(quoted), `\u003c`, "<")
		lit = strings.ReplaceAll(lit, `\u003e`, ">")
		lit = strings.ReplaceAll(lit, `\u0026`, "&")
		if !strings.Contains(src.String(), "lang.L("+lit) {
			t.Errorf("errors.nb.json: %q is not looked up in ui/explain", key)
		}
	}
}
