package app

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"sangstudio/audio/device"
	"sangstudio/ui/i18n"
	"sangstudio/ui/studio"
)

func TestXAddress(t *testing.T) {
	for _, c := range []struct{ display, network, addr string }{
		{":0", "unix", "/tmp/.X11-unix/X0"},
		{":12.1", "unix", "/tmp/.X11-unix/X12"},
		{"unix:3", "unix", "/tmp/.X11-unix/X3"},
		{"localhost:10.0", "tcp", "localhost:6010"},
	} {
		n, a, err := xAddress(c.display)
		if err != nil || n != c.network || a != c.addr {
			t.Errorf("%q: %s %s %v", c.display, n, a, err)
		}
	}
	for _, bad := range []string{"nonsense", ":x", ":-1"} {
		if _, _, err := xAddress(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestCheckDisplay(t *testing.T) {
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("DISPLAY", "")
	if err := CheckDisplay(); !errors.Is(err, ErrNoDisplay) {
		t.Fatalf("no DISPLAY: %v", err)
	}
	t.Setenv("DISPLAY", ":93")
	if err := CheckDisplay(); !errors.Is(err, ErrNoDisplay) {
		t.Fatalf("DISPLAY with no server: %v", err)
	}
}

// TestKeysAreTranslatedAndUnique: every key's action has a Norwegian name
// (they are shown in menus, tooltips and the Keys help), and no key is
// bound twice.
func TestKeysAreTranslatedAndUnique(t *testing.T) {
	i18n.Use("nb")
	defer i18n.Use("en")
	seen := map[string]string{}
	for _, k := range Keys() {
		if got := lang.L(k.Label); got == k.Label {
			t.Errorf("%q has no Norwegian translation", k.Label)
		}
		txt := KeyText(k)
		if other, dup := seen[txt]; dup {
			t.Errorf("%s is bound to %q and %q", txt, other, k.Label)
		}
		seen[txt] = k.Label
	}
	if KeyText(Key{Name: fyne.KeyZ, Modifier: fyne.KeyModifierControl | fyne.KeyModifierShift}) != "Ctrl+Shift+Z" {
		t.Error("KeyText")
	}
}

// TestTestToneReachesTheDevice: the test tone chosen in the settings is
// the virtual device's input; off, it records silence.
func TestTestToneReachesTheDevice(t *testing.T) {
	ui := &UI{settings: studio.Settings{Device: device.VirtualID, TestTone: true}}
	if got := ui.audioConfig().VirtualInput; got != (device.VirtualSource{Kind: "sine"}) {
		t.Errorf("test tone on: the virtual input is %+v, want a sine", got)
	}
	ui.settings.TestTone = false
	if got := ui.audioConfig().VirtualInput; got != (device.VirtualSource{}) {
		t.Errorf("test tone off: the virtual input is %+v, want none (silence)", got)
	}
}
