package studio_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"sangstudio/ui/studio"
)

// TestSettingsFileThatIsAFIFO: a named pipe where the settings file
// belongs is refused at once (the window starts with the defaults and the
// message), never waited on.
func TestSettingsFileThatIsAFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "settings.json")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		s, _, err := studio.LoadSettings(path)
		if !reflect.DeepEqual(s, studio.Defaults()) {
			t.Errorf("settings %+v, want the defaults", s)
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), path+" is a named pipe (FIFO), not a file") {
			t.Fatalf("LoadSettings of a FIFO: %v", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("LoadSettings waited on a FIFO")
	}
}
