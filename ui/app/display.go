package app

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ErrNoDisplay: there is no screen to open the window on.
var ErrNoDisplay = errors.New("there is no display to open the window on")

// CheckDisplay finds out, before Fyne is started, whether a window can be
// opened: GLFW panics without $DISPLAY and fails (after a long wait) on an X
// server that is not there. It returns nil when $WAYLAND_DISPLAY is set, or
// when the X server in $DISPLAY accepts a connection.
func CheckDisplay() error {
	if w := os.Getenv("WAYLAND_DISPLAY"); w != "" {
		return nil
	}
	d := os.Getenv("DISPLAY")
	if d == "" {
		return fmt.Errorf("%w: $DISPLAY is not set (Sangstudio needs a desktop; the commands in `sangstudio help` work without one)", ErrNoDisplay)
	}
	network, addr, err := xAddress(d)
	if err != nil {
		return fmt.Errorf("%w: $DISPLAY=%q: %v", ErrNoDisplay, d, err)
	}
	c, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil {
		return fmt.Errorf("%w: the X server %q does not answer (%v)", ErrNoDisplay, d, err)
	}
	c.Close()
	return nil
}

// xAddress turns $DISPLAY ("[host]:N[.S]") into where its X server listens.
func xAddress(d string) (network, addr string, err error) {
	host, rest, ok := strings.Cut(d, ":")
	if !ok {
		return "", "", errors.New("not of the form host:N")
	}
	num, _, _ := strings.Cut(rest, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return "", "", fmt.Errorf("bad display number %q", num)
	}
	if strings.HasPrefix(host, "/") { // macOS launchd sockets and the like
		return "unix", d, nil
	}
	if host == "" || host == "unix" {
		return "unix", filepath.Join("/tmp/.X11-unix", "X"+num), nil
	}
	return "tcp", net.JoinHostPort(host, strconv.Itoa(6000+n)), nil
}
