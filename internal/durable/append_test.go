package durable_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"sangstudio/internal/durable"
)

// TestAppendLineTwoWriters: writers at once, each with its own open file,
// lose none of each other's lines, and every line is whole.
func TestAppendLineTwoWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.jsonl")
	const writers, each = 4, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				line := fmt.Sprintf(`{"writer":%d,"n":%d,"pad":%q}`, w, i, strings.Repeat("x", 200))
				if err := durable.AppendLine(path, []byte(line), 0o600); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != writers*each {
		t.Fatalf("%d lines, want %d", len(lines), writers*each)
	}
	var want, got []string
	for w := range writers {
		for i := range each {
			want = append(want, fmt.Sprintf(`{"writer":%d,"n":%d,`, w, i))
		}
	}
	for _, l := range lines {
		got = append(got, l[:strings.Index(l, `"pad"`)])
	}
	sort.Strings(want)
	sort.Strings(got)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatal("lines lost or mixed up")
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
}

// TestAppendLineAfterATornLine: a line cut short by a crash is ended
// before the next one, so the next one is whole.
func TestAppendLineAfterATornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.jsonl")
	if err := os.WriteFile(path, []byte("{\"a\":1}\n{\"b\":"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := durable.AppendLine(path, []byte(`{"c":3}`), 0o600); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if string(data) != "{\"a\":1}\n{\"b\":\n{\"c\":3}\n" {
		t.Fatalf("got %q", data)
	}
}
