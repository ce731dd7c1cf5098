package layers

import (
	"path/filepath"

	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

// maxFuncLines is the longest a function may be (issue 18: a newcomer
// reads one function at a time), from its func line to its closing brace.
const maxFuncLines = 80

// longFuncs returns the functions and function literals in f longer than
// maxFuncLines: their names ("func literal" for a literal), first lines
// and lengths. In a test file (tables true) a function's longest table, a
// slice or array literal, is not counted: table-driven tests may be long.
func longFuncs(fset *token.FileSet, f *ast.File, tables bool) (names []string, lines, lengths []int) {
	ast.Inspect(f, func(n ast.Node) bool {
		var body *ast.BlockStmt
		name := "func literal"
		switch x := n.(type) {
		case *ast.FuncDecl:
			body, name = x.Body, x.Name.Name
		case *ast.FuncLit:
			body = x.Body
		}
		if body == nil {
			return true
		}
		first := fset.Position(n.Pos()).Line
		l := fset.Position(body.End()).Line - first + 1
		if tables {
			l -= longestTable(fset, body)
		}
		if l > maxFuncLines {
			names, lines, lengths = append(names, name), append(lines, first), append(lengths, l)
		}
		return true
	})
	return names, lines, lengths
}

// longestTable is the most lines a slice or array literal in body spans.
func longestTable(fset *token.FileSet, body *ast.BlockStmt) int {
	most := 0
	ast.Inspect(body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CompositeLit); ok {
			if _, ok := c.Type.(*ast.ArrayType); ok {
				most = max(most, fset.Position(c.End()).Line-fset.Position(c.Pos()).Line+1)
				return false
			}
		}
		return true
	})
	return most
}

// TestNoLongFunctions: no function is over maxFuncLines lines, in
// production files or tests (a test's table not counted).
func TestNoLongFunctions(t *testing.T) {
	fset := token.NewFileSet()
	report := func(rel string, f *ast.File, tables bool) {
		names, lines, lengths := longFuncs(fset, f, tables)
		for i := range names {
			t.Errorf("%s:%d: %s is %d lines; split it into functions of at most %d (issue 18)", rel, lines[i], names[i], lengths[i], maxFuncLines)
		}
	}
	productionFiles(t, fset, func(_ *pkg, _, rel string, f *ast.File) { report(rel, f, false) })
	testFiles(t, fset, func(rel string, f *ast.File) { report(rel, f, true) })
}

// testFiles parses each _test.go file of the module's packages and calls
// visit with its path from the module's folder and the file.
func testFiles(t *testing.T, fset *token.FileSet, visit func(rel string, f *ast.File)) {
	t.Helper()
	pkgs, modDir := goList(t)
	for _, p := range pkgs {
		if !p.inModule() {
			continue
		}
		names, err := filepath.Glob(filepath.Join(p.Dir, "*_test.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range names {
			f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Errorf("%s: %v", file, err)
				continue
			}
			rel, _ := filepath.Rel(modDir, file)
			visit(filepath.ToSlash(rel), f)
		}
	}
}

func TestLongFuncsCaught(t *testing.T) {
	src := "package p\n\nfunc short() {\n}\n\nfunc long() {\n"
	for range maxFuncLines - 2 {
		src += "\t_ = 1\n"
	}
	src += "}\n\nvar f = func() {\n"
	for range maxFuncLines - 1 {
		src += "\t_ = 1\n"
	}
	src += "}\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	names, lines, lengths := longFuncs(fset, f, false)
	if len(names) != 1 || names[0] != "func literal" || lengths[0] != maxFuncLines+1 || lines[0] != 6+maxFuncLines+1 {
		t.Fatalf("found %v at %v, %v lines; want only the %d-line literal", names, lines, lengths, maxFuncLines+1)
	}
}
