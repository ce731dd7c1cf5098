package main

import (
	"errors"

	"sangstudio/projects"
)

// printLengthNote tells, in info, about a song too long to render or a
// clip far beyond the rest of it (a clip moved there by mistake, usually):
// the song loads and can be changed, and this says what to move.
func printLengthNote(e *env, s *projects.Song) {
	var tl *projects.TooLongError
	if errors.As(s.CheckRenderLength(), &tl) {
		e.printf("Note: %v. It cannot be rendered until then.\n", tl)
		return
	}
	if o, ok := s.Outlier(); ok {
		e.printf("Note: %s: move or delete that clip if it lies there by mistake.\n", o.Text())
	}
}
