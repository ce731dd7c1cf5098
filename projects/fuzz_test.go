package projects

import (
	"os"
	"path/filepath"
	"reflect"
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
	f.Add([]byte(`{"schema":2,"rate":48000,"tempo":100,"time_signature":{"beats":4,"unit":4},"markers":[],"lyrics":"","master":{"gain_db":0},` +
		`"tracks":[{"name":"v","kind":"audio","channels":1,"clips":[],"effects":{"high_pass":80,"mid1":{"freq":400,"gain_db":-3,"q":1},` +
		`"comp":{"on":true,"threshold_db":-18,"ratio":3,"knee_db":6,"attack_ms":10,"release_ms":120,"makeup_db":4},"reverb":{"on":true,"db":-12}}}],` +
		`"buses":{"reverb":{"room":0.5,"damp":0.5,"width":1,"wet_db":-6},"delay":{"beats":0.75,"feedback":0.3,"low_pass_hz":5000,"wet_db":-6}}}`))
	f.Add([]byte(`{"schema":3,"rate":48000,"tempo":100,"time_signature":{"beats":4,"unit":4},"markers":[],"lyrics":"","master":{"gain_db":0},` +
		`"tracks":[{"name":"Beat","kind":"midi","channels":2,"drums":true,"clips":[{"take":"beat-1.mid","position":0,"offset":0,"length":100,` +
		`"gain_db":0,"fade_in":0,"fade_out":0,"beat":{"meter":{"beats":4,"unit":4},"bars":1,"swing":0.3,"humanize":0.2,"seed":9,` +
		`"velocity":{"soft":60,"normal":100,"accent":127},"lanes":[{"name":"kick","note":36,"volume":1,"steps":"x...x...x...x3..."},` +
		`{"name":"hat","note":42,"volume":0.5,"solo":true,"steps":"x.x.x.x.x.x.x.X4."}]}}]}]}`))
	f.Add([]byte(`{"schema":1}`))
	f.Add([]byte(`{"schema":1,"tracks":[null]}`))
	// Empty lists that Encode leaves out (omitempty) must read back alike.
	f.Add([]byte(`{"schema":1,"rate":48000,"tempo":100,"time_signature":{"beats":4,"unit":4},` +
		`"tracks":[{"name":"a","kind":"audio","channels":1,"clips":[],"lanes":[],"input":[]}],"takes":[],` +
		`"markers":[{"name":"\u001b[31mx","position":0}],"lyrics":"a\r\n\tb"}`))
	f.Add([]byte(`{"schema":1,"rate":48000,"tempo":100,"time_signature":{"beats":4,"unit":4},"tracks":[],` +
		`"takes":[{"file":"0001-a.wav","recorded":"","frames":1,"dropouts":[]}]}`))
	f.Add([]byte("{\"schema\":1,\"title\":\"\xff\xfe\",\"rate\":48000,\"tempo\":100,\"time_signature\":{\"beats\":4,\"unit\":4}}"))
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
			t.Fatalf("round trip: %v\n%s", err, enc)
		}
		// The song read back is the song that was saved, field for field
		// (nil and empty lists included), not just one that encodes alike.
		if !reflect.DeepEqual(s, s2) {
			t.Fatalf("round trip changed the song:\n%#v\n%#v\n%s", s, s2, enc)
		}
		enc2, _ := Encode(s2)
		if string(enc) != string(enc2) {
			t.Fatalf("round trip changed the song's file:\n%s\n%s", enc, enc2)
		}
	})
}
