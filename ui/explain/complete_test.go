package explain_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// skipped are the exported errors explain deliberately does not say,
// each with the reason.
func skipped() map[string]string {
	return map[string]string{
		"ui/app.ErrNoDisplay": "ui/app imports the views, which import explain (an import cycle); " +
			"and it is returned before there is a window to show it in: the command prints it",
		"ui/app.OpenError": "ui/app imports the views, which import explain (an import cycle); " +
			"ui/app says it itself, with explain.Message of the error it wraps",
		"internal/testtool/jackkeys.NoJACKError": "the tests' virtual keyboard (a test helper): never reaches the window",
	}
}

// exportedErrors parses the non-test Go files of every package under
// audio, projects, midi, ui and internal (but ui/explain) and returns each
// exported Err… variable (isErrName), each exported type whose name ends in
// Error, and each other exported type with an Error method (the notes
// for the user, such as audio/session.RecoveredTake), as
// "audio/wav.FormatError".
func exportedErrors(t *testing.T) map[string]bool {
	t.Helper()
	found := map[string]bool{}
	for _, root := range []string{"audio", "projects", "midi", "ui", "internal"} {
		err := filepath.WalkDir(filepath.Join("..", "..", root), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
			rel = filepath.ToSlash(rel)
			if d.IsDir() && (d.Name() == "testdata" || rel == "ui/explain") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			for _, name := range errorNames(f) {
				found[filepath.ToSlash(filepath.Dir(rel))+"."+name] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return found
}

// errorNames are the exported Err… variables and …Error types of f, and
// the other exported types f gives an Error method.
func errorNames(f *ast.File) []string {
	var names []string
	for _, decl := range f.Decls {
		if name := errorMethodOf(decl); name != "" {
			names = append(names, name)
		}
		g, ok := decl.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range g.Specs {
			switch s := spec.(type) {
			case *ast.TypeSpec:
				if s.Name.IsExported() && strings.HasSuffix(s.Name.Name, "Error") {
					names = append(names, s.Name.Name)
				}
			case *ast.ValueSpec:
				for _, n := range s.Names {
					if g.Tok == token.VAR && isErrName(n.Name) {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}

// errorMethodOf is the name of the exported type decl is the Error method
// of, when that name does not end in Error (those are found by name); else
// "".
func errorMethodOf(decl ast.Decl) string {
	fn, ok := decl.(*ast.FuncDecl)
	if !ok || fn.Recv == nil || len(fn.Recv.List) != 1 || fn.Name.Name != "Error" || fn.Type.Params.NumFields() != 0 {
		return ""
	}
	typ := fn.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	id, ok := typ.(*ast.Ident)
	if !ok || !id.IsExported() || strings.HasSuffix(id.Name, "Error") {
		return ""
	}
	return id.Name
}

// isErrName reports whether name is an exported error variable's:
// "ErrBusy" (not "Errand").
func isErrName(name string) bool {
	rest, ok := strings.CutPrefix(name, "Err")
	return ok && (rest == "" || unicode.IsUpper([]rune(rest)[0]))
}

// TestEveryErrorIsSaid fails when an exported error appears that explain
// neither says (an example in examples) nor skips (with a reason), and
// when one of those is gone.
func TestEveryErrorIsSaid(t *testing.T) {
	found := exportedErrors(t)
	known := map[string]bool{}
	for _, ex := range examples() {
		known[ex.name] = true
	}
	for name, why := range skipped() {
		if known[name] {
			t.Errorf("%s is said and skipped (%s)", name, why)
		}
		known[name] = true
	}
	var missing, gone []string
	for name := range found {
		if !known[name] {
			missing = append(missing, name)
		}
	}
	for name := range known {
		if !found[name] {
			gone = append(gone, name)
		}
	}
	sort.Strings(missing)
	sort.Strings(gone)
	for _, name := range missing {
		t.Errorf("%s: say it in ui/explain (and add an example), or add it to skipped with the reason", name)
	}
	for _, name := range gone {
		t.Errorf("%s: no such exported error any more: remove it from the examples or skipped", name)
	}
	if len(found) < 80 {
		t.Errorf("only %d exported errors found: is the search right?", len(found))
	}
}

// TestErrorNames checks that the search finds every kind of exported
// error declaration, and nothing else.
func TestErrorNames(t *testing.T) {
	src := `package p
import "errors"
var ErrOne = errors.New("one")
var (
	ErrTwo, errHidden = errors.New("two"), errors.New("hidden")
	Errand = 1
	NotAnErr = errors.New("x")
)
const ErrConst = "not a variable"
type FooError struct{}
type UTF8Error struct{ Offset int }
type (
	BarError = FooError
	fooError struct{}
	Errors []error
)
func ErrFunc() error { return nil }
type Note struct{}
func (n *Note) Error() string { return "" }
func (e FooError) Error() string { return "" }
type hidden struct{}
func (hidden) Error() string { return "" }
func (n Note) String() string { return "" }
func (n Note) Err() error { return nil }
`
	f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(errorNames(f), " ")
	if want := "ErrOne ErrTwo FooError UTF8Error BarError Note"; got != want {
		t.Errorf("found %q, want %q", got, want)
	}
}
