package projects

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// schema1Song is a song as Sangstudio saved it before effects (schema 1).
const schema1Song = `{"schema":1,"title":"Gammel","rate":48000,"tempo":92,"time_signature":{"beats":4,"unit":4},
"tracks":[{"id":"a1","name":"Vokal","kind":"audio","channels":1,"gain_db":-2,"pan":0.2,"mute":false,"solo":false,"clips":[]}],
"markers":[],"lyrics":"","master":{"gain_db":0}}
`

// TestSchema1SongsOpenUnchanged: a song saved before effects opens with
// its tracks' effects off and the default buses, is the current version
// once saved, and reads back the same.
func TestSchema1SongsOpenUnchanged(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "old")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, SongFile), []byte(schema1Song), 0o644); err != nil {
		t.Fatal(err)
	}
	s, rec, err := Load(dir)
	if err != nil || rec != nil {
		t.Fatalf("Load: %v, %v", err, rec)
	}
	tr := s.Tracks[0]
	if s.Schema != Schema || tr.Effects != (Effects{}) || s.Buses != nil || s.BusesOrDefault() != DefaultBuses() {
		t.Fatalf("read as schema %d, effects %+v, buses %v", s.Schema, tr.Effects, s.Buses)
	}
	if tr.Name != "Vokal" || tr.GainDB != -2 || tr.Pan != 0.2 || s.Tempo != 92 {
		t.Fatalf("the song changed: %+v %+v", s, tr)
	}
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, SongFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, fmt.Appendf(nil, `"schema": %d`, Schema)) || bytes.Contains(data, []byte("effects")) || bytes.Contains(data, []byte("buses")) {
		t.Errorf("saved as:\n%s", data)
	}
	again, _, err := Load(dir)
	if err != nil || !reflect.DeepEqual(again, s) {
		t.Fatalf("read back: %v\n%+v\nwant %+v", err, again, s)
	}
}

// TestEffectsRoundTrip: every effect setting and the buses survive a save.
func TestEffectsRoundTrip(t *testing.T) {
	s := testSong()
	s.Tracks[0].Effects = Effects{Preset: "Vokal – varm", Changed: true, HighPass: 90,
		Low: Shelf{120, -2}, Mid1: Bell{400, -3, 1.2}, Mid2: Bell{3500, 2.5, 0.8}, High: Shelf{10000, 1.5},
		Comp:   Comp{On: true, ThresholdDB: -18, Ratio: 3, KneeDB: 6, AttackMs: 10, ReleaseMs: 120, MakeupDB: 4},
		Reverb: Send{On: true, DB: -12}, Delay: Send{On: true, DB: -20}}
	b := DefaultBuses()
	b.Reverb.Room, b.Delay.Beats, b.Delay.Ms = 0.8, 0, 420
	s.Buses = &b
	data, err := Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Tracks[0].Effects, s.Tracks[0].Effects) || !reflect.DeepEqual(got.Buses, s.Buses) {
		t.Fatalf("read back %+v %+v\nwant %+v %+v", got.Tracks[0].Effects, got.Buses, s.Tracks[0].Effects, s.Buses)
	}
}

// TestEffectsValidated: settings out of their ranges are refused, saying
// which and why; a band at 0 dB may hold anything (it is off).
func TestEffectsValidated(t *testing.T) {
	fx := func(f func(e *Effects)) *Song { s := testSong(); f(&s.Tracks[0].Effects); return s }
	bus := func(f func(b *Buses)) *Song { s := testSong(); b := DefaultBuses(); f(&b); s.Buses = &b; return s }
	for _, c := range []struct {
		song *Song
		want string
	}{
		{fx(func(e *Effects) { e.HighPass = 10 }), "high-pass at 10 Hz"},
		{fx(func(e *Effects) { e.Low = Shelf{100, 19} }), "low EQ band has a gain of 19 dB"},
		{fx(func(e *Effects) { e.Mid1 = Bell{5, 3, 1} }), "first middle EQ band is at 5 Hz"},
		{fx(func(e *Effects) { e.Mid2 = Bell{1000, 3, 0} }), "second middle EQ band has a Q of 0"},
		{fx(func(e *Effects) { e.Comp = Comp{On: true, ThresholdDB: -20, Ratio: 0.5, AttackMs: 1, ReleaseMs: 50} }), "compressor has ratio 0.5"},
		{fx(func(e *Effects) { e.Reverb = Send{On: true, DB: 12} }), "sends 12 dB to the reverb"},
		{bus(func(b *Buses) { b.Reverb.Room = 1.5 }), "reverb's room size is 1.5"},
		{bus(func(b *Buses) { b.Delay.Beats, b.Delay.Ms = 0, 0 }), "the delay is 0 ms"},
		{bus(func(b *Buses) { b.Delay.Feedback = 1 }), "feedback is 1"},
	} {
		if err := c.song.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate() = %v, want %q", err, c.want)
		}
	}
	if err := fx(func(e *Effects) { e.Mid1 = Bell{0, 0, 0}; e.Comp = Comp{Ratio: 0} }).Validate(); err != nil {
		t.Errorf("bands at 0 dB and a compressor that is off: %v", err)
	}
}
