package jsondoc

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

type doc struct {
	Schema int    `json:"schema"`
	Name   string `json:"name"`
}

// format is a test format whose SchemaError wraps errSchema.
func format(errSchema error) Format {
	return Format{
		Kind:        "test",
		Schema:      2,
		SchemaError: func(v int) error { return fmt.Errorf("version %d: %w", v, errSchema) },
		Describe:    func(data []byte, err error) error { return fmt.Errorf("described: %v", err) },
	}
}

func TestDecode(t *testing.T) {
	errSchema := errors.New("another version")
	var d doc
	if err := format(errSchema).Decode([]byte(`{"schema":2,"name":"a"}`), &d); err != nil || d.Name != "a" {
		t.Fatalf("Decode = %v, %+v", err, d)
	}
	for data, want := range map[string]string{
		`{"name":"a"}`:            "no schema version: this is not a Sangstudio test file",
		`{"schema":3,"name":"a"}`: "version 3: another version",
		`{"schema":2,"other":1}`:  `described: json: unknown field "other"`,
	} {
		err := format(errSchema).Decode([]byte(data), &doc{})
		if err == nil || err.Error() != want {
			t.Errorf("Decode(%s) = %v, want %q", data, err, want)
		}
	}
	// Not JSON, cut off, trailing data, a wrong type: Describe words it.
	for _, data := range []string{`[1]`, `{"schema":2,"name":"a"`, `{"schema":2} {}`, `{"schema":2,"name":1}`, `{"schema":"2"}`} {
		err := format(errSchema).Decode([]byte(data), &doc{})
		if err == nil || !strings.HasPrefix(err.Error(), "described: ") {
			t.Errorf("Decode(%s) = %v, want an error from Describe", data, err)
		}
	}
	if err := format(errSchema).Decode([]byte(`{"schema":3}`), &doc{}); !errors.Is(err, errSchema) {
		t.Errorf("another version: %v, want the SchemaError", err)
	}
}

// TestDecodeOlder: a format that reads older versions decodes them (the
// caller brings them up to date) and still refuses newer ones, version 0
// and those older than it reads.
func TestDecodeOlder(t *testing.T) {
	errSchema := errors.New("another version")
	f := format(errSchema)
	f.Schema, f.Oldest = 3, 2
	for _, v := range []int{2, 3} {
		var d doc
		if err := f.Decode(fmt.Appendf(nil, `{"schema":%d,"name":"a"}`, v), &d); err != nil || d.Schema != v || d.Name != "a" {
			t.Errorf("version %d: %v, %+v", v, err, d)
		}
	}
	for _, v := range []int{0, 1, 4, -1} {
		if err := f.Decode(fmt.Appendf(nil, `{"schema":%d}`, v), &doc{}); !errors.Is(err, errSchema) {
			t.Errorf("version %d: %v, want the SchemaError", v, err)
		}
	}
	// Without Oldest only Schema is read.
	f.Oldest = 0
	if err := f.Decode([]byte(`{"schema":2}`), &doc{}); !errors.Is(err, errSchema) {
		t.Errorf("version 2 with Oldest unset: %v, want the SchemaError", err)
	}
}
