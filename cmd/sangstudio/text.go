package main

import (
	"path/filepath"
	"sangstudio/projects"
)

// Text that a person gives on the command line and that is stored in a
// song or an album, or written into a file's tags, is checked by
// projects.CheckName: no control characters, valid UTF-8. Text read from a
// song or album file is printed through shown (projects.Shown), so a title
// holding ESC prints as \x1b and cannot drive the terminal.

// textFlag is one text flag or argument to check: how the command line
// names it, the field it fills, and its value.
type textFlag struct {
	name, field, value string
}

// checkTexts refuses (usage error, exit 2) the first text that holds a
// control character or is not UTF-8; empty texts pass.
func checkTexts(flags ...textFlag) error {
	for _, f := range flags {
		if err := projects.CheckName(f.field, f.value); err != nil {
			return usagef("%s: %v", f.name, err)
		}
	}
	return nil
}

// shown is text read from a song or album file, safe to print.
func shown(s string) string { return projects.Shown(s) }

// titleFromFolder is the title a song or album gets from its folder's name
// when none is given: the folder's name with control characters as spaces.
func titleFromFolder(dir string) string {
	return projects.PlainName(filepath.Base(filepath.Clean(dir)))
}
