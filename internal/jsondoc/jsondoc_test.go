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
