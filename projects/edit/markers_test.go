package edit_test

import (
	"slices"
	"strings"
	"testing"

	"sangstudio/projects"
	"sangstudio/projects/edit"
)

func markerList(s *projects.Song) []projects.Marker { return slices.Clone(s.Markers) }

// mk is a marker for comparing.
func mk(name string, pos int64) projects.Marker { return projects.Marker{Name: name, Position: pos} }

// ms lists markers for comparing.
func ms(m ...projects.Marker) []projects.Marker { return m }

func TestMarkers(t *testing.T) {
	tests := []struct {
		name    string
		do      func(*projects.Song) error
		want    []projects.Marker
		wantErr string
	}{
		{name: "add in the middle", do: func(s *projects.Song) error { return edit.AddMarker(s, "Bro", 24000) },
			want: ms(mk("Vers", 0), mk("Bro", 24000), mk("Refreng", 48000))},
		{name: "add at the end, trimmed", do: func(s *projects.Song) error { return edit.AddMarker(s, "  Slutt\t", 96000) },
			want: ms(mk("Vers", 0), mk("Refreng", 48000), mk("Slutt", 96000))},
		{name: "add at a taken position goes after", do: func(s *projects.Song) error { return edit.AddMarker(s, "Vers 2", 48000) },
			want: ms(mk("Vers", 0), mk("Refreng", 48000), mk("Vers 2", 48000))},
		{name: "add before the start", do: func(s *projects.Song) error { return edit.AddMarker(s, "Intro", -10) },
			want: ms(mk("Vers", 0), mk("Intro", 0), mk("Refreng", 48000))},
		{name: "add without a name", do: func(s *projects.Song) error { return edit.AddMarker(s, "   ", 10) },
			wantErr: `cannot add the marker "   ": a marker needs a name`},
		{name: "add a name with a line break", do: func(s *projects.Song) error { return edit.AddMarker(s, "a\nb", 10) },
			wantErr: "the marker name holds a control character (LF (a line break), at position 2)"},
		{name: "add a name with ESC", do: func(s *projects.Song) error { return edit.AddMarker(s, "Vers\x1b[31m", 10) },
			wantErr: `cannot add the marker "Vers\x1b[31m": the marker name holds a control character (ESC, at position 5); a marker name is plain text on one line`},
		{name: "add a name with BEL", do: func(s *projects.Song) error { return edit.AddMarker(s, "\aVers", 10) },
			wantErr: "(BEL, at position 1)"},
		{name: "rename to a name with DEL", do: func(s *projects.Song) error { return edit.RenameMarker(s, 0, "Ve\x7frs") },
			wantErr: "(DEL, at position 3)"},
		{name: "rename to a name with C1", do: func(s *projects.Song) error { return edit.RenameMarker(s, 0, "Vers\u009b") },
			wantErr: "(U+009B, at position 5)"},
		{name: "rename to a name that is not UTF-8", do: func(s *projects.Song) error { return edit.RenameMarker(s, 0, "V\xff\xfe") },
			wantErr: "the marker name is not valid UTF-8 text (byte 0xFF at byte 2)"},
		{name: "add a name too long", do: func(s *projects.Song) error { return edit.AddMarker(s, strings.Repeat("x", 201), 10) },
			wantErr: "longer than 200 bytes"},
		{name: "add beyond any song", do: func(s *projects.Song) error { return edit.AddMarker(s, "Far", 1<<50) },
			wantErr: "beyond any plausible song length"},
		{name: "rename", do: func(s *projects.Song) error { return edit.RenameMarker(s, 1, " Refreng 1 ") },
			want: ms(mk("Vers", 0), mk("Refreng 1", 48000))},
		{name: "rename to the same", do: func(s *projects.Song) error { return edit.RenameMarker(s, 0, "Vers") },
			want: ms(mk("Vers", 0), mk("Refreng", 48000))},
		{name: "rename to nothing", do: func(s *projects.Song) error { return edit.RenameMarker(s, 0, "") },
			wantErr: `cannot rename marker 1 ("Vers") to "": a marker needs a name`},
		{name: "rename a missing marker", do: func(s *projects.Song) error { return edit.RenameMarker(s, 2, "x") },
			wantErr: "there is no marker 3 (the song has 2 markers)"},
		{name: "move past another", do: func(s *projects.Song) error { return edit.MoveMarker(s, 0, 50000) },
			want: ms(mk("Refreng", 48000), mk("Vers", 50000))},
		{name: "move onto another goes after", do: func(s *projects.Song) error { return edit.MoveMarker(s, 1, 0) },
			want: ms(mk("Vers", 0), mk("Refreng", 0))},
		{name: "move before the start", do: func(s *projects.Song) error { return edit.MoveMarker(s, 1, -1) },
			want: ms(mk("Vers", 0), mk("Refreng", 0))},
		{name: "move to where it is", do: func(s *projects.Song) error { return edit.MoveMarker(s, 0, 0) },
			want: ms(mk("Vers", 0), mk("Refreng", 48000))},
		{name: "move a missing marker", do: func(s *projects.Song) error { return edit.MoveMarker(s, -1, 0) },
			wantErr: "there is no marker 0"},
		{name: "move beyond any song", do: func(s *projects.Song) error { return edit.MoveMarker(s, 0, 1<<41) },
			wantErr: `cannot move marker 1 ("Vers") to frame 2199023255552: frame 2199023255552 is beyond any plausible song length`},
		{name: "delete", do: func(s *projects.Song) error { return edit.DeleteMarker(s, 0) },
			want: ms(mk("Refreng", 48000))},
		{name: "delete a missing marker", do: func(s *projects.Song) error { return edit.DeleteMarker(s, 5) },
			wantErr: "there is no marker 6"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := testSong()
			check(t, s, tc.wantErr, tc.do)
			if tc.wantErr == "" && !slices.Equal(markerList(s), tc.want) {
				t.Fatalf("markers = %v, want %v", s.Markers, tc.want)
			}
		})
	}
}

func TestMarkersEmptySong(t *testing.T) {
	s := projects.New("Tom", 0)
	s.Markers = nil
	check(t, s, "", func(s *projects.Song) error { return edit.AddMarker(s, "Start", 0) })
	check(t, s, "", func(s *projects.Song) error { return edit.DeleteMarker(s, 0) })
	if s.Markers == nil || len(s.Markers) != 0 {
		t.Fatalf("markers = %#v, want an empty list", s.Markers)
	}
	check(t, s, "the song has 0 markers", func(s *projects.Song) error { return edit.DeleteMarker(s, 0) })
}

// TestMarkersPutInOrder: markers out of order (as a hand-edited file may
// have them) come out sorted from any marker edit.
func TestMarkersPutInOrder(t *testing.T) {
	s := testSong()
	s.Markers = ms(mk("C", 300), mk("A", 100), mk("B", 200))
	check(t, s, "", func(s *projects.Song) error { return edit.RenameMarker(s, 0, "Coda") })
	want := ms(mk("A", 100), mk("B", 200), mk("Coda", 300))
	if !slices.Equal(s.Markers, want) {
		t.Fatalf("markers = %v, want %v", s.Markers, want)
	}
}
