package projects_test

import (
	"strings"
	"testing"

	"sangstudio/projects"
)

func TestTrackIDs(t *testing.T) {
	a, b := projects.NewTrack("A", 1), projects.NewMIDITrack("B", 0, false)
	if a.ID == "" || b.ID == "" || a.ID == b.ID {
		t.Fatalf("new tracks got ids %q and %q", a.ID, b.ID)
	}
	s := projects.New("ids", 48000)
	s.Tracks = []*projects.Track{a, b}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.TrackByID(b.ID) != 1 || s.TrackByID("nope") != -1 {
		t.Error("TrackByID does not find the tracks by id")
	}
	tests := []struct {
		name, id, want string
	}{
		{"duplicate", a.ID, "same id"},
		{"bad characters", "a b", "not 1–40"},
		{"too long", strings.Repeat("x", 41), "not 1–40"},
	}
	for _, tc := range tests {
		b.ID = tc.id
		err := s.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Validate() = %v, want it to say %q", tc.name, err, tc.want)
		}
	}
}

// TestTrackIDsOfOldSongs: a song saved before tracks had ids gets "t1",
// "t2", … by position when read, the same every time, never one that
// another track has.
func TestTrackIDsOfOldSongs(t *testing.T) {
	doc := `{"schema":1,"title":"old","rate":48000,"tempo":100,"time_signature":{"beats":4,"unit":4},
"tracks":[{"name":"A","kind":"audio","channels":1,"gain_db":0,"pan":0,"mute":false,"solo":false,"clips":[]},
{"id":"t1","name":"B","kind":"audio","channels":1,"gain_db":0,"pan":0,"mute":false,"solo":false,"clips":[]},
{"name":"C","kind":"audio","channels":1,"gain_db":0,"pan":0,"mute":false,"solo":false,"clips":[]}],
"markers":[],"lyrics":"","master":{"gain_db":0}}`
	for range 2 {
		s, err := projects.Decode([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		got := []string{s.Tracks[0].ID, s.Tracks[1].ID, s.Tracks[2].ID}
		if got[0] != "t1-2" || got[1] != "t1" || got[2] != "t3" {
			t.Fatalf("ids %q, want [t1-2 t1 t3]", got)
		}
	}
}
