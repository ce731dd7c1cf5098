package layers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "sangstudio"

// pkg is what `go list -json` says about one package.
type pkg struct {
	ImportPath     string
	Name           string
	Dir            string
	Standard       bool
	Imports        []string
	GoFiles        []string
	CgoFiles       []string
	IgnoredGoFiles []string
	Module         *struct {
		Path string
		Main bool
	}
	Error *struct{ Err string }
}

func (p *pkg) inModule() bool { return p.Module != nil && p.Module.Main }

// under reports whether path is root or a package below it.
func under(path, root string) bool {
	return path == root || strings.HasPrefix(path, root+"/")
}

// A rule forbids the packages From (and those below them) to import, directly
// or through other packages, any package that Forbidden matches.
type rule struct {
	name      string
	from      []string
	forbidden func(importPath string) bool
}

var rules = []rule{
	{
		name: "audio, midi and projects never import Fyne or ui",
		from: []string{module + "/audio", module + "/midi", module + "/projects"},
		forbidden: func(p string) bool {
			return strings.HasPrefix(p, "fyne.io/") || under(p, module+"/ui")
		},
	},
	{
		name: "projects never imports audio or midi",
		from: []string{module + "/projects"},
		forbidden: func(p string) bool {
			return under(p, module+"/audio") || under(p, module+"/midi")
		},
	},
}

// goList runs `go list -deps -json ./...` at the module's root, and returns
// the packages by import path and the root.
func goList(t *testing.T) (map[string]*pkg, string) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to read the imports: %v", err)
	}
	root, err := exec.Command(goBin, "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	cmd := exec.Command(goBin, "list", "-deps",
		"-json=ImportPath,Name,Dir,Standard,Imports,GoFiles,CgoFiles,IgnoredGoFiles,Module,Error",
		"./...")
	cmd.Dir = strings.TrimSpace(string(root))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -deps -json ./...: %v\n%s", err, stderr.Bytes())
	}
	pkgs := map[string]*pkg{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		p := new(pkg)
		if err := dec.Decode(p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("reading go list's output: %v", err)
		}
		pkgs[p.ImportPath] = p
	}
	// A check that finds nothing to check must not pass.
	for _, want := range []string{module + "/audio/engine", module + "/midi", module + "/projects", module + "/ui/app", module + "/cmd/sangstudio"} {
		if pkgs[want] == nil {
			t.Fatalf("go list did not list %s: the layer check would check nothing", want)
		}
	}
	for _, p := range pkgs {
		if p.inModule() && p.Error != nil {
			t.Errorf("%s: %s", p.ImportPath, p.Error.Err)
		}
	}
	return pkgs, cmd.Dir
}

// importViolations returns one line for each forbidden package that a
// package under a rule's From reaches, with the chain of imports that pulls
// it in (the shortest one).
func importViolations(pkgs map[string]*pkg, rules []rule) []string {
	var roots []string
	for path, p := range pkgs {
		if p.inModule() {
			roots = append(roots, path)
		}
	}
	sort.Strings(roots)
	var out []string
	for _, r := range rules {
		for _, root := range roots {
			inScope := false
			for _, from := range r.from {
				inScope = inScope || under(root, from)
			}
			if !inScope {
				continue
			}
			// Breadth first, so the chain shown is the shortest; a forbidden
			// package is not followed further (its own imports are its business).
			parent := map[string]string{root: ""}
			queue := []string{root}
			var found []string
			for len(queue) > 0 {
				cur := queue[0]
				queue = queue[1:]
				p := pkgs[cur]
				if p == nil || p.Standard {
					continue
				}
				for _, imp := range p.Imports {
					if _, seen := parent[imp]; seen {
						continue
					}
					parent[imp] = cur
					if r.forbidden(imp) {
						found = append(found, imp)
						continue
					}
					queue = append(queue, imp)
				}
			}
			sort.Strings(found)
			for _, f := range found {
				chain := []string{f}
				for at := parent[f]; at != ""; at = parent[at] {
					chain = append([]string{at}, chain...)
				}
				out = append(out, fmt.Sprintf("%s imports %s (%s): %s",
					root, f, r.name, strings.Join(chain, " -> ")))
			}
		}
	}
	return out
}

// cmdViolations returns a line for each package under cmd/ that is not a main
// package: cmd holds wiring only, and a main package cannot be imported, so
// nothing it defines is used elsewhere.
func cmdViolations(pkgs map[string]*pkg) []string {
	var out []string
	for path, p := range pkgs {
		if p.inModule() && under(path, module+"/cmd") && p.Name != "main" {
			out = append(out, fmt.Sprintf("%s is package %s: only main packages (wiring) belong under cmd/; move its code to a package outside cmd", path, p.Name))
		}
	}
	sort.Strings(out)
	return out
}

func TestLayers(t *testing.T) {
	pkgs, _ := goList(t)
	for _, v := range importViolations(pkgs, rules) {
		t.Error(v)
	}
	for _, v := range cmdViolations(pkgs) {
		t.Error(v)
	}
}

// The calls and fields that exist only on Linux (or only on Unix) and so
// belong in internal/, in a file for one system.
var (
	platformImports  = map[string]bool{"golang.org/x/sys/unix": true}
	platformSyscalls = map[string]bool{"Flock": true, "Statfs": true, "Statfs_t": true, "Fstatfs": true, "Mkfifo": true,
		"Kill": true, "Getpgid": true, "Setpgid": true, "Fdatasync": true, "Syncfs": true, "Stat_t": true, "Access": true}
	platformFields = map[string]bool{"Setpgid": true, "Pdeathsig": true, "Setsid": true, "Setctty": true}
	// errnoMeanings are errno values that compile on Windows but that no
	// Windows call returns (its errors are ERROR_… codes): asking
	// errors.Is(err, syscall.EROFS) there is never true. What an error
	// means is asked of internal/fserr (IsReadOnly, IsDiskFull, …), which
	// knows each system's codes. Making an error with one is fine.
	errnoMeanings = map[string]bool{"EROFS": true, "EIO": true, "ENOSPC": true, "EDQUOT": true, "EFBIG": true,
		"ENAMETOOLONG": true, "EILSEQ": true, "EINVAL": true, "ENODEV": true, "ENXIO": true, "ENOTCONN": true,
		"ESHUTDOWN": true, "ENOMEDIUM": true, "ENOSYS": true, "ENOTSUP": true, "ENOTEMPTY": true}
)

// knownPlatform lists the Linux-only code that is outside internal/ or in a
// file of internal/ that is not for one system, as "file: what". Issue 23
// (a Windows build) moves each into an internal/ name_linux.go /
// name_windows.go pair; when one moves, this test fails until its line here
// is removed, so the list only shrinks. Nothing may be added to it.
var knownPlatform = map[string]bool{
	"audio/cdburn/drives.go: golang.org/x/sys/unix":      true, // optical drives (issue 23: burning through IMAPI2)
	"projects/takehome/drives.go: golang.org/x/sys/unix": true, // removable drives (issue 23: GetDriveType)
	"internal/testtool/jack.go: Pdeathsig":               true, // the tests' private JACK server
	"internal/testtool/jack.go: syscall.Kill":            true,
}

var goosSuffix = regexp.MustCompile(`_(aix|android|darwin|dragonfly|freebsd|illumos|ios|js|linux|netbsd|openbsd|plan9|solaris|wasip1|windows)(_[a-z0-9]+)?\.go$`)

// forOneSystem reports whether a file is built only for some systems: by its
// name (name_linux.go) or by a //go:build line that names a system.
func forOneSystem(name string, f *ast.File) bool {
	if goosSuffix.MatchString(name) {
		return true
	}
	for _, g := range f.Comments {
		if g.Pos() > f.Package {
			break
		}
		for _, c := range g.List {
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				continue
			}
			system := false
			expr.Eval(func(tag string) bool {
				system = system || tag == "unix" || goosSuffix.MatchString("_"+tag+".go")
				return true
			})
			if system {
				return true
			}
		}
	}
	return false
}

// platformUses returns "what" and the line for each Linux-only call, field or
// import in one file's source.
func platformUses(fset *token.FileSet, f *ast.File) (what []string, line []int) {
	add := func(w string, pos token.Pos) {
		what = append(what, w)
		line = append(line, fset.Position(pos).Line)
	}
	syscallName := ""
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if platformImports[path] {
			add(path, imp.Pos())
		}
		if path == "syscall" {
			syscallName = "syscall"
			if imp.Name != nil {
				syscallName = imp.Name.Name
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && syscallName != "" && x.Name == syscallName && platformSyscalls[n.Sel.Name] {
				add("syscall."+n.Sel.Name, n.Pos())
			}
		case *ast.CallExpr:
			// errors.Is(err, syscall.EROFS): a meaning asked by errno.
			if fn, ok := n.Fun.(*ast.SelectorExpr); ok && len(n.Args) == 2 && fn.Sel.Name == "Is" {
				if pkg, ok := fn.X.(*ast.Ident); ok && pkg.Name == "errors" {
					if sel, ok := n.Args[1].(*ast.SelectorExpr); ok {
						if x, ok := sel.X.(*ast.Ident); ok && syscallName != "" && x.Name == syscallName && errnoMeanings[sel.Sel.Name] {
							add("errors.Is(…, syscall."+sel.Sel.Name+")", sel.Pos())
						}
					}
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok && platformFields[k.Name] {
				add(k.Name, n.Pos())
			}
		}
		return true
	})
	return what, line
}

func TestPlatformCodeOnlyInInternal(t *testing.T) {
	known := newKnownList("knownPlatform", knownPlatform)
	fset := token.NewFileSet()
	productionFiles(t, fset, func(p *pkg, name, rel string, f *ast.File) {
		if under(p.ImportPath, module+"/internal") && forOneSystem(name, f) {
			return
		}
		what, line := platformUses(fset, f)
		known.check(rel, what, line, func(line int, w string) {
			t.Errorf("%s (%s:%d) uses %s, which is Linux-only: platform code belongs in internal/, in a name_linux.go / name_windows.go pair (issue 23)",
				p.ImportPath, rel, line, w)
		})
	})
	known.done(t)
}

// The checks catch what they are meant to, on a made-up module.
func TestChecksCatch(t *testing.T) {
	main := &struct {
		Path string
		Main bool
	}{module, true}
	mk := func(path, name string, imports ...string) *pkg {
		return &pkg{ImportPath: path, Name: name, Imports: imports, Module: main}
	}
	pkgs := map[string]*pkg{}
	for _, p := range []*pkg{
		mk(module+"/projects", "projects", module+"/projects/edit"),
		mk(module+"/projects/edit", "edit", module+"/internal/x"),
		mk(module+"/internal/x", "x", module+"/audio/wav"),
		mk(module+"/audio/wav", "wav", module+"/ui/look"),
		mk(module+"/ui/look", "look", "fyne.io/fyne/v2"),
		mk(module+"/midi", "midi"),
		mk(module+"/cmd/sangstudio", "main", module+"/cmd/sangstudio/wire"),
		mk(module+"/cmd/sangstudio/wire", "wire"),
		{ImportPath: "fyne.io/fyne/v2", Name: "fyne"},
	} {
		pkgs[p.ImportPath] = p
	}
	got := strings.Join(importViolations(pkgs, rules), "\n")
	for _, want := range []string{
		module + "/audio/wav imports " + module + "/ui/look (audio, midi and projects never import Fyne or ui): " + module + "/audio/wav -> " + module + "/ui/look",
		module + "/projects imports " + module + "/ui/look (audio, midi and projects never import Fyne or ui): " +
			strings.Join([]string{module + "/projects", module + "/projects/edit", module + "/internal/x", module + "/audio/wav", module + "/ui/look"}, " -> "),
		module + "/projects imports " + module + "/audio/wav (projects never imports audio or midi): " +
			strings.Join([]string{module + "/projects", module + "/projects/edit", module + "/internal/x", module + "/audio/wav"}, " -> "),
	} {
		if !strings.Contains(got, want) {
			t.Errorf("importViolations does not say\n%s\nit says\n%s", want, got)
		}
	}
	if strings.Contains(got, module+"/midi imports") {
		t.Errorf("midi imports nothing, yet:\n%s", got)
	}
	if c := cmdViolations(pkgs); len(c) != 1 || !strings.HasPrefix(c[0], module+"/cmd/sangstudio/wire is package wire") {
		t.Errorf("cmdViolations = %q", c)
	}

	src := `package p

import (
	sys "syscall"

	"golang.org/x/sys/unix"
)

func f() {
	_ = sys.Flock(0, 0)
	_ = sys.SysProcAttr{Setpgid: true}
	_ = unix.Getpid()
	_ = errors.Is(err, sys.EROFS)
	_ = &fs.PathError{Err: sys.EROFS}
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	what, line := platformUses(fset, f)
	if fmt.Sprint(what, line) != "[golang.org/x/sys/unix syscall.Flock Setpgid errors.Is(…, syscall.EROFS)] [6 10 11 13]" {
		t.Errorf("platformUses = %v %v", what, line)
	}
	if forOneSystem("p.go", f) || !forOneSystem("p_linux.go", f) {
		t.Error("forOneSystem does not go by the file name")
	}
	f, _ = parser.ParseFile(fset, "q.go", "//go:build unix\n\npackage p\n", parser.ParseComments)
	if !forOneSystem("q.go", f) {
		t.Error("forOneSystem does not read //go:build unix")
	}
}
