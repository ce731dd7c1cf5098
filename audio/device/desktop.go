package device

/*
#include <jack/jack.h>
*/
import "C"

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The desktop's sound server. Debian 12, Ubuntu 24.04 and Fedora run
// PipeWire: programs reach it through ALSA's "default" device (pipewire-alsa)
// or through PipeWire's own libjack (pw-jack). A JACK server (jackd) can run
// next to it, for a studio setup. Default then picks the way Audacity does
// (its default is the host's default device, ALSA "default", whatever else
// runs) and Ardour asks the user to: the desktop's device, unless the user
// chose JACK (--device jack, a device stored in the studio's settings, or
// running Sangstudio under pw-jack, which makes JACK the desktop's server
// itself). See Default.

// jackIsPipeWire reports whether the JACK library this process uses is
// PipeWire's (pw-jack, or pipewire-jack installed in place of libjack): its
// version string says "(using PipeWire …)".
func jackIsPipeWire() bool {
	return strings.Contains(C.GoString(C.jack_get_version_string()), "PipeWire")
}

// pipeWireRunning reports whether a PipeWire server answers on the socket
// PipeWire's clients would use ($PIPEWIRE_RUNTIME_DIR, else
// $XDG_RUNTIME_DIR, and $PIPEWIRE_REMOTE, else "pipewire-0").
func pipeWireRunning() bool {
	dir := os.Getenv("PIPEWIRE_RUNTIME_DIR")
	if dir == "" {
		dir = os.Getenv("XDG_RUNTIME_DIR")
	}
	name := os.Getenv("PIPEWIRE_REMOTE")
	if name == "" {
		name = "pipewire-0"
	}
	if !filepath.IsAbs(name) {
		if dir == "" {
			return false
		}
		name = filepath.Join(dir, name)
	}
	c, err := net.DialTimeout("unix", name, 200*time.Millisecond)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// desktopFirst reports whether the desktop's default device (PortAudio's
// default, ALSA "default") should be the default rather than a running
// JACK server's: PipeWire runs, ALSA's configuration has its "pipewire"
// device (so "default" is PipeWire), and the JACK library is not PipeWire's
// (under pw-jack, JACK is the desktop's server: the user chose it).
func desktopFirst(pa []Info) bool {
	alsaPipeWire := false
	for _, d := range pa {
		if d.HostAPI == "ALSA" && d.Name == "pipewire" {
			alsaPipeWire = true
		}
	}
	return alsaPipeWire && !jackIsPipeWire() && pipeWireRunning()
}
