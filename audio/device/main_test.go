package device_test

import (
	"os"
	"testing"

	"sangstudio/internal/testtool"
)

// jackServer is this test binary's private JACK server (dummy backend, 128
// frames, 8 in / 8 out): the tests change its period and wiring, and
// TestJACKServerKilled kills it and starts it again.
var jackServer *testtool.Jack

func TestMain(m *testing.M) {
	if os.Getenv("SANGSTUDIO_SPEAKERS_CHILD") != "" {
		os.Exit(m.Run()) // a child uses its parent's server
	}
	jackServer = testtool.StartJack(128, 8)
	code := m.Run()
	jackServer.Stop()
	os.Exit(code)
}
