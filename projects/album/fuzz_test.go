package album

import (
	"bytes"
	"reflect"
	"testing"

	"sangstudio/internal/fuzzcheck"
)

func FuzzDecode(f *testing.F) {
	good, _ := Encode(sample())
	f.Add(good)
	f.Add([]byte(`{"schema": 1, "title": "", "tracks": []}`))
	f.Add([]byte(`{"schema": 1, "title": "Live", "tracks": [{"song": "A", "gap": 0}, {"song": "/x/B", "title": "b", "performer": "æøå", "gap": 10}], "generator": "Sangstudio"}`))
	f.Add([]byte(`{"schema": 1, "title": "x", "tracks": null}`))
	f.Add([]byte(`{"schema": 2, "title": "x", "tracks": []}`))
	f.Add([]byte(`{"schema": 1, "title": "x\u0007", "tracks": []}`))
	f.Add([]byte(`{"schema": 1, "title": "x", "tracks": [{"song": "../a", "gap": -0}]}`))
	f.Add([]byte(`{"schema": 1, "title": "x", "tracks": [{"song": "a", "gap": 1e400}]}`))
	f.Add([]byte(`{"schema": 1, "Title": "x", "TRACKS": [], "title": "y"}`))
	f.Add(good[:len(good)/2])
	f.Add([]byte("null"))
	f.Add([]byte(""))
	f.Add([]byte("\xff\xfe{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var a *Album
		var err error
		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 256 << 10, PerByte: 256}, func() { a, err = Decode(data) })
		if err != nil {
			if a != nil {
				t.Fatal("Decode returned an album with an error")
			}
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("Decode accepted an album Validate rejects: %v", err)
		}
		enc, err := Encode(a)
		if err != nil {
			t.Fatalf("Encode of a decoded album: %v", err)
		}
		b, err := Decode(enc)
		if err != nil {
			t.Fatalf("Decode of Encode: %v\n%s", err, enc)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("round trip changed the album:\n%+v\n%+v", a, b)
		}
		if enc2, _ := Encode(b); !bytes.Equal(enc, enc2) {
			t.Fatal("Encode is not stable")
		}
	})
}
