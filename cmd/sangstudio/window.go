package main

import (
	"fmt"
	"os"
	"time"
)

// readyHook supports measuring the start time (scripts/bench-window.sh):
// with SANGSTUDIO_READY_FILE set, the time at which the first screen was
// shown is written to that file (Unix nanoseconds), and with
// SANGSTUDIO_QUIT_AFTER_READY=1 the process then exits.
func readyHook() func() {
	path := os.Getenv("SANGSTUDIO_READY_FILE")
	if path == "" {
		return nil
	}
	return func() {
		os.WriteFile(path, []byte(fmt.Sprintf("%d\n", time.Now().UnixNano())), 0o600)
		if os.Getenv("SANGSTUDIO_QUIT_AFTER_READY") == "1" {
			os.Exit(0)
		}
	}
}
