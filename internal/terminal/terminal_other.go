//go:build !linux

package terminal

import "os"

// isTerminal is false where the system part is missing: commands then ask
// for --yes instead of a typed answer.
func isTerminal(*os.File) bool { return false }
