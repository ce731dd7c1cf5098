// Package terminal tells whether a file is a terminal a person types at,
// so that a command asks for confirmation only there (a script, a pipe or
// /dev/null answers nothing). The system part is in terminal_linux.go.
package terminal

import "os"

// Is reports whether f is a terminal.
func Is(f *os.File) bool { return isTerminal(f) }
