package layers

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// testHookComment finds comments that say code is there for tests: a
// production variable or function a test sets or calls instead of passing
// what it needs (issue 18: tests inject through options, fields or small
// interfaces).
var testHookComment = regexp.MustCompile(`(?i)\bfor (tests|testing)\b|\btest hooks?\b|\bhooks? for tests\b|\btests? (use|uses|set|sets|can|replace|replaces|point|points|lower|lowers|shorten|shortens|override|overrides)\b`)

// testHooks returns what in a production file looks like a test hook, and
// its line: a comment that says code is for tests, and a package-level
// variable holding a function (which a test could swap).
func testHooks(fset *token.FileSet, f *ast.File) (what []string, line []int) {
	for _, g := range f.Comments {
		for _, c := range g.List {
			if m := testHookComment.FindString(c.Text); m != "" {
				what = append(what, fmt.Sprintf("comment %q", strings.ToLower(m)))
				line = append(line, fset.Position(c.Pos()).Line)
			}
		}
	}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			_, funcType := vs.Type.(*ast.FuncType)
			for i, n := range vs.Names {
				isFunc := funcType
				if i < len(vs.Values) {
					if _, ok := vs.Values[i].(*ast.FuncLit); ok {
						isFunc = true
					}
				}
				if isFunc && n.Name != "_" {
					what = append(what, "func variable "+n.Name)
					line = append(line, fset.Position(n.Pos()).Line)
				}
			}
		}
	}
	return what, line
}

// knownTestHooks lists the test hooks not yet replaced, as "file: what".
// The list can only shrink: a new hook fails the test, and so does an entry
// whose hook is gone.
var knownTestHooks = map[string]bool{}

// productionFiles parses each non-test Go file of the module's packages
// (all of them, for every system) and calls visit with its package, its
// name, its path from the module's folder and the file.
func productionFiles(t *testing.T, fset *token.FileSet, visit func(p *pkg, name, rel string, f *ast.File)) {
	t.Helper()
	pkgs, modDir := goList(t)
	for path, p := range pkgs {
		if !p.inModule() {
			continue
		}
		files := append(append(append([]string{}, p.GoFiles...), p.CgoFiles...), p.IgnoredGoFiles...)
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			file := filepath.Join(p.Dir, name)
			f, err := parser.ParseFile(fset, file, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			rel, _ := filepath.Rel(modDir, file)
			visit(p, name, filepath.ToSlash(rel), f)
		}
	}
}

func TestNoTestHooksInProduction(t *testing.T) {
	known := newKnownList("knownTestHooks", knownTestHooks)
	fset := token.NewFileSet()
	productionFiles(t, fset, func(p *pkg, _, rel string, f *ast.File) {
		if slices.Contains(p.Imports, "testing") {
			return // a test helper (internal/testtool, uitest, …) is for tests
		}
		what, line := testHooks(fset, f)
		known.check(rel, what, line, func(line int, w string) {
			t.Errorf("%s:%d: %s: a test hook in production code; let the test pass what it needs through an option, a field or a small interface the caller sets (issue 18)",
				rel, line, w)
		})
	})
	known.done(t)
}

// A knownList is a list of findings, "file: what", that can only shrink.
type knownList struct {
	name        string
	known, seen map[string]bool
}

func newKnownList(name string, known map[string]bool) *knownList {
	return &knownList{name: name, known: known, seen: map[string]bool{}}
}

// check calls complain for each of a file's findings that is not listed.
func (k *knownList) check(rel string, what []string, line []int, complain func(line int, what string)) {
	for i, w := range what {
		if key := rel + ": " + w; k.known[key] {
			k.seen[key] = true
		} else {
			complain(line[i], w)
		}
	}
}

// done fails t for each listed finding that is no longer there.
func (k *knownList) done(t *testing.T) {
	t.Helper()
	for key := range k.known {
		if !k.seen[key] {
			t.Errorf("%s lists %q, which is no longer there: remove it from the list", k.name, key)
		}
	}
}

// testHooks catches what it is meant to, and leaves the rest.
func TestTestHooksCaught(t *testing.T) {
	src := `package p

import "os"

// Hooks for tests.
var (
	open = os.Open // not caught: a plain value
	later = func() {}
	step func(n int) bool
)

// table is computed once: not a hook.
var table = func() []int { return nil }()

// Command is the program run (tests point it at a fake).
var Command = "x"

// Options are set by the caller; tests, like the window, pass them.
type Options struct{ Run func() }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	what, line := testHooks(fset, f)
	if got, want := fmt.Sprint(what, line), `[comment "hooks for tests" comment "tests point" func variable later func variable step] [5 15 8 9]`; got != want {
		t.Errorf("testHooks =\n%s\nwant\n%s", got, want)
	}
}
