// Package jsondoc decodes the versioned JSON documents Sangstudio keeps
// (song.json, album.json) strictly: the schema version is checked first,
// and a field the program does not know or data after the document is an
// error, never silently dropped.
package jsondoc

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Format says what a document is and how its errors are worded.
type Format struct {
	Kind        string                             // "song", "album": names the document in messages
	Schema      int                                // the schema version this program writes
	Oldest      int                                // the oldest it reads (0: Schema only); the caller brings older documents up to date
	SchemaError func(version int) error            // the error for another version
	Describe    func(data []byte, err error) error // words a JSON error in data
}

// Decode decodes data into v, which must point to the document's type. A
// document with no "schema" member is not one of this format's; one with
// a version outside Oldest…Schema is refused with f.SchemaError before v
// is decoded.
func (f Format) Decode(data []byte, v any) error {
	var head struct {
		Schema *int `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return f.Describe(data, err)
	}
	if head.Schema == nil {
		return fmt.Errorf("no schema version: this is not a Sangstudio %s file", f.Kind)
	}
	if v := *head.Schema; v > f.Schema || v < max(f.Oldest, 1) || (f.Oldest == 0 && v != f.Schema) {
		return f.SchemaError(v)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return f.Describe(data, err)
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the %s", f.Kind)
	}
	return nil
}
