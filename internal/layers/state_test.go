package layers

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// knownState are the package-level variables that may hold state, by
// "import/path.name", with the reason. Everything else a non-test file
// declares at package level must be a constant in all but name (see
// stateViolations). Entries marked "test hook" go when the hook is replaced
// by an option the test passes (issue 18, item 2).
var knownState = map[string]string{
	// The documented cases: PortAudio's process-wide init, and the cgo
	// callback registries (C calls back with a number, not a Go pointer).
	module + "/audio/device.pa":            "PortAudio's process-wide init (Pa_Initialize once per process)",
	module + "/audio/device.paNextID":      "cgo callback registry: the next stream number",
	module + "/audio/device.jackSlots":     "cgo callback registry: JACK streams by slot",
	module + "/audio/device.jackSlotMu":    "cgo callback registry: guards jackSlots",
	module + "/audio/device.jackClaimed":   "cgo callback registry: slots in use",
	module + "/audio/device.jackNames":     "cgo callback registry: JACK client names in use",
	module + "/audio/device.speakers":      "oto allows one context per process",
	module + "/midi/input.inputs":          "cgo callback registry: RtMidi inputs by number",
	module + "/internal/jackclient.openMu": "libjack's message hooks are process-wide: one client opens at a time",
	// Caches of immutable results, safe for concurrent use.
	module + "/midi/synth.tablesOnce":        "built-in synth tables, computed once",
	module + "/midi/synth.tables":            "built-in synth tables, computed once",
	module + "/midi/synth.cacheMu":           "SoundFont cache: guards cache",
	module + "/midi/synth.cache":             "SoundFont cache: loaded files by path",
	module + "/projects/takehome.composeMap": "Unicode composition table, built once",
	// Tables completed once in init, read-only after.
	module + "/audio/cdimage.translitTable": "transliteration table, completed in init",
	module + "/cmd/sangstudio.commands":     "the command table, set in init (help lists it: an initialization cycle otherwise)",
}

// A stateVar is one package-level variable that may hold state.
type stateVar struct {
	key, pos, why string
}

// stateViolations returns the package-level variables of the package's
// non-test files (files) that can hold state, and why: a package-level
// variable is allowed only when
//   - it is `_` (a compile-time check),
//   - it is an error made once (errors.New, fmt.Errorf, or an Err… name
//     given another package's error),
//   - it holds a //go:embed file system,
//   - or it is unexported, given a value that is not a function, and never
//     assigned (x = …, x[i] = …, x.f = …, x++) anywhere in the package,
//     its tests included: a table or a compiled regexp.
//
// So an exported variable (which any caller can change), one declared
// without a value (a mutex, a counter, a cache), a function variable, and
// anything assigned after its declaration count as state.
func stateViolations(fset *token.FileSet, path string, files, tests []*ast.File) []stateVar {
	decls, order := packageVars(files)
	assigned := assignedVars(decls, append(append([]*ast.File{}, files...), tests...))
	var out []stateVar
	for _, name := range order {
		d := decls[name]
		why := ""
		switch {
		case isError(name, d.value) || d.embed:
			continue
		case ast.IsExported(name):
			why = "exported: any caller can change it (make it a function returning a fresh value, or a constant)"
		case d.value == nil:
			why = "declared without a value: state (pass it in, or keep it in a value that is passed)"
		case isFunc(d.value):
			why = "a function variable (pass what varies through an option)"
		case assigned[name]:
			why = "assigned after its declaration: state"
		default:
			continue
		}
		out = append(out, stateVar{key: path + "." + name, pos: fset.Position(d.name.Pos()).String(), why: why})
	}
	return out
}

// varDecl is one package-level variable: its spec, name, value (nil when
// declared without one), and whether it holds a //go:embed file system.
type varDecl struct {
	spec  *ast.ValueSpec
	name  *ast.Ident
	value ast.Expr
	embed bool
}

// packageVars are the package-level variables the files declare, by name,
// and their names in order.
func packageVars(files []*ast.File) (map[string]*varDecl, []string) {
	decls := map[string]*varDecl{}
	var order []string
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, s := range g.Specs {
				vs := s.(*ast.ValueSpec)
				embed := strings.Contains(commentText(g.Doc)+commentText(vs.Doc), "go:embed")
				for i, n := range vs.Names {
					if n.Name == "_" {
						continue
					}
					d := &varDecl{spec: vs, name: n, embed: embed}
					if i < len(vs.Values) {
						d.value = vs.Values[i]
					}
					decls[n.Name] = d
					order = append(order, n.Name)
				}
			}
		}
	}
	return decls, order
}

// assignedVars are the package-level variables (decls) that the files
// assign to (x = …, x[i] = …, x.f = …, x++).
func assignedVars(decls map[string]*varDecl, files []*ast.File) map[string]bool {
	assigned := map[string]bool{}
	mark := func(e ast.Expr) {
		x, ok := root(e).(*ast.Ident)
		if !ok {
			return
		}
		d, ok := decls[x.Name]
		// Obj is nil for a name declared in another file of the package,
		// and a local's when a local shadows it.
		if ok && (x.Obj == nil || x.Obj.Decl == d.spec) {
			assigned[x.Name] = true
		}
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch s := n.(type) {
			case *ast.AssignStmt:
				if s.Tok != token.DEFINE {
					for _, l := range s.Lhs {
						mark(l)
					}
				}
			case *ast.IncDecStmt:
				mark(s.X)
			}
			return true
		})
	}
	return assigned
}

// root is the variable an assignment to e changes: x for x[i], x.f, *x.
func root(e ast.Expr) ast.Expr {
	for {
		switch x := e.(type) {
		case *ast.IndexExpr:
			e = x.X
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return e
		}
	}
}

func commentText(g *ast.CommentGroup) string {
	if g == nil {
		return ""
	}
	var b strings.Builder
	for _, c := range g.List {
		b.WriteString(c.Text)
	}
	return b.String()
}

// isError reports whether a variable is an error made once.
func isError(name string, v ast.Expr) bool {
	switch x := v.(type) {
	case *ast.CallExpr:
		if sel, ok := x.Fun.(*ast.SelectorExpr); ok {
			if pkg, ok := sel.X.(*ast.Ident); ok {
				return pkg.Name == "errors" && sel.Sel.Name == "New" || pkg.Name == "fmt" && sel.Sel.Name == "Errorf"
			}
		}
	case *ast.SelectorExpr:
		return strings.HasPrefix(name, "Err") || strings.HasPrefix(name, "err")
	}
	return false
}

// isFunc reports whether v is a function literal or names a function of
// another package (openDevice = device.Open); a call (regexp.MustCompile)
// is a value.
func isFunc(v ast.Expr) bool {
	switch x := v.(type) {
	case *ast.FuncLit:
		return true
	case *ast.SelectorExpr:
		_, ok := x.X.(*ast.Ident)
		return ok && ast.IsExported(x.Sel.Name)
	}
	return false
}

// TestNoPackageState fails when a non-test file declares a package-level
// variable that can hold state (see stateViolations) and is not in
// knownState: tables are functions returning a fresh copy or unexported
// values nothing assigns; what varies is passed (the language, the
// function that posts to the UI thread, the test's hooks).
func TestNoPackageState(t *testing.T) {
	pkgs, _ := goList(t)
	fset := token.NewFileSet()
	var bad []string
	seen := map[string]bool{}
	for path, p := range pkgs {
		if !p.inModule() {
			continue
		}
		parse := func(names []string, want func(*ast.File) bool) []*ast.File {
			var fs []*ast.File
			for _, name := range names {
				f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ParseComments)
				if err != nil {
					t.Errorf("%s: %v", path, err)
					continue
				}
				if want(f) {
					fs = append(fs, f)
				}
			}
			return fs
		}
		all := func(*ast.File) bool { return true }
		files := parse(append(append(append([]string{}, p.GoFiles...), p.CgoFiles...), p.IgnoredGoFiles...), func(f *ast.File) bool {
			return f.Name.Name == p.Name
		})
		var testNames []string
		if m, err := filepath.Glob(filepath.Join(p.Dir, "*_test.go")); err == nil {
			for _, f := range m {
				testNames = append(testNames, filepath.Base(f))
			}
		}
		tests := parse(testNames, all)
		for _, v := range stateViolations(fset, path, files, tests) {
			if _, ok := knownState[v.key]; ok {
				seen[v.key] = true
				continue
			}
			bad = append(bad, fmt.Sprintf("%s (%s): %s", v.key, v.pos, v.why))
		}
	}
	for key := range knownState {
		if !seen[key] {
			bad = append(bad, key+" is in knownState but no longer there: remove it from the list")
		}
	}
	sort.Strings(bad)
	for _, b := range bad {
		t.Errorf("package-level state %s; or, if it is one of the documented cases, add it to knownState with the reason", b)
	}
}

// The state check catches what it is meant to.
func TestStateCheckCatches(t *testing.T) {
	src := `package p

import (
	"embed"
	"errors"
	"regexp"
	"os"
)

var ErrGone = errors.New("gone")
var errAlias = os.ErrNotExist
var Table = []int{1, 2}
var table = []int{1, 2}
var re = regexp.MustCompile("x")
var current = "en"
var counter int
var hook = func() {}
var open = os.Open
var cache = map[string]int{}
var _ = table

//go:embed x
var files embed.FS

func set() {
	current = "nb"
	cache["a"] = 1
	n := 0
	n++
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range stateViolations(fset, "p", []*ast.File{f}, nil) {
		got = append(got, v.key)
	}
	want := []string{"p.Table", "p.current", "p.counter", "p.hook", "p.open", "p.cache"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("flagged %q, want %q", got, want)
	}
}
