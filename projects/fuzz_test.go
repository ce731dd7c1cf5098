package projects

import (
	"os"
	"path/filepath"
	"testing"

	"sangstudio/internal/fuzzcheck"
)

// FuzzDecode feeds arbitrary bytes to the song loader: it must return a
// valid song or an error, never panic, and a decoded song must survive an
// encode–decode round trip unchanged.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "testdata", "songs", "*.json"))
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"schema":1}`))
	f.Add([]byte(`{"schema":1,"tracks":[null]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var s *Song
		var err error
		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 256 << 10, PerByte: 256}, func() { s, err = Decode(data) })
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("Decode returned an invalid song: %v", err)
		}
		enc, err := Encode(s)
		if err != nil {
			t.Fatalf("Encode of a decoded song: %v", err)
		}
		s2, err := Decode(enc)
		if err != nil {
			t.Fatalf("round trip: %v", err)
		}
		enc2, _ := Encode(s2)
		if string(enc) != string(enc2) {
			t.Fatalf("round trip changed the song:\n%s\n%s", enc, enc2)
		}
	})
}
