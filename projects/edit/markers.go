package edit

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"sangstudio/internal/words"
	"sangstudio/projects"
)

func byMarkerPosition(a, b projects.Marker) int { return cmp.Compare(a.Position, b.Position) }

// insertMarker returns markers (put in order) with m after every marker
// at or before its position.
func insertMarker(markers []projects.Marker, m projects.Marker) []projects.Marker {
	out := slices.Clone(markers)
	if out == nil {
		out = []projects.Marker{}
	}
	slices.SortStableFunc(out, byMarkerPosition)
	i := len(out)
	for i > 0 && out[i-1].Position > m.Position {
		i--
	}
	return slices.Insert(out, i, m)
}

// commitMarkers puts markers (a fresh slice, sorted here) in place if the
// song then validates.
func commitMarkers(s *projects.Song, what string, markers []projects.Marker) error {
	slices.SortStableFunc(markers, byMarkerPosition)
	old := s.Markers
	s.Markers = markers
	err := s.Validate()
	if err == nil {
		return nil
	}
	s.Markers = old
	return refusal(s, what, err)
}

// markerName trims a marker name (surrounding spaces, tabs and line breaks
// go) and refuses an empty one, or one that holds a control character
// (projects.CheckName; the error wraps the *projects.TextError).
func markerName(what, name string) (string, error) {
	n := strings.TrimSpace(name)
	if n == "" {
		return "", fmt.Errorf("cannot %s: a marker needs a name", what)
	}
	if err := projects.CheckName(projects.FieldMarker, n); err != nil {
		return "", fmt.Errorf("cannot %s: %w", what, err)
	}
	return n, nil
}

// markerRef checks a marker index.
func markerRef(s *projects.Song, i int) error {
	if s == nil {
		return errors.New("there is no song to edit")
	}
	if i < 0 || i >= len(s.Markers) {
		return fmt.Errorf("there is no marker %d (the song has %d %s)", i+1, len(s.Markers), words.Plural(len(s.Markers), "marker", "markers"))
	}
	return nil
}

// markerText names marker i for messages: marker 2 ("Chorus").
func markerText(s *projects.Song, i int) string {
	return fmt.Sprintf("marker %d (%q)", i+1, s.Markers[i].Name)
}

// AddMarker adds a marker called name (trimmed, not empty) at timeline
// frame pos (a negative pos is taken as 0).
func AddMarker(s *projects.Song, name string, pos int64) error {
	if s == nil {
		return errors.New("there is no song to edit")
	}
	what := fmt.Sprintf("add the marker %q", name)
	n, err := markerName(what, name)
	if err != nil {
		return err
	}
	pos = max(pos, 0)
	if err := checkFrame(what, pos); err != nil {
		return err
	}
	return commitMarkers(s, what, insertMarker(s.Markers, projects.Marker{Name: n, Position: pos}))
}

// RenameMarker renames marker i to name (trimmed, not empty).
func RenameMarker(s *projects.Song, i int, name string) error {
	if err := markerRef(s, i); err != nil {
		return err
	}
	what := fmt.Sprintf("rename %s to %q", markerText(s, i), name)
	n, err := markerName(what, name)
	if err != nil {
		return err
	}
	if n == s.Markers[i].Name {
		return nil
	}
	markers := slices.Clone(s.Markers)
	markers[i].Name = n
	return commitMarkers(s, what, markers)
}

// MoveMarker moves marker i to timeline frame pos (a negative pos is taken
// as 0). Markers stay in position order, so its index may change.
func MoveMarker(s *projects.Song, i int, pos int64) error {
	if err := markerRef(s, i); err != nil {
		return err
	}
	what := fmt.Sprintf("move %s to frame %d", markerText(s, i), pos)
	pos = max(pos, 0)
	if err := checkFrame(what, pos); err != nil {
		return err
	}
	m := s.Markers[i]
	if m.Position == pos && slices.IsSortedFunc(s.Markers, byMarkerPosition) {
		return nil
	}
	m.Position = pos
	return commitMarkers(s, what, insertMarker(slices.Delete(slices.Clone(s.Markers), i, i+1), m))
}

// DeleteMarker removes marker i.
func DeleteMarker(s *projects.Song, i int) error {
	if err := markerRef(s, i); err != nil {
		return err
	}
	return commitMarkers(s, "delete "+markerText(s, i), slices.Delete(slices.Clone(s.Markers), i, i+1))
}
