// Package input lists MIDI keyboards and delivers what they play.
//
// It reads the ALSA sequencer (a desktop's USB keyboards) and JACK MIDI
// through RtMidi (gomidi's imported copy; build with
// CGO_CXXFLAGS="-O2 -D__UNIX_JACK__" CGO_LDFLAGS="-ljack" for JACK, as the
// Makefile does; without them only ALSA is there). List and Find name the
// ports; a Listener opens the chosen ones, follows keyboards that are
// plugged in or out while it runs, and hands every channel voice message
// to a callback with its arrival time. (The virtual JACK keyboard that
// the tests play is internal/testtool/jackkeys.)
//
// RtMidi is called through its C interface (see rtmidi.go for why not
// through gomidi's Go binding). Without an ALSA sequencer (no
// /dev/snd/seq) RtMidi is not asked at all, so nothing is printed and the
// error says why in words; JACK is probed with libjack's messages muted.
//
// Limits:
//   - The ALSA sequencer path is not tested where there is no sound card
//     (CI): only the port naming and the selection are, with tables.
//   - A keyboard unplugged and plugged in again between two polls keeps
//     its ALSA name (client:port numbers included), so the Listener does
//     not notice and stays subscribed to the gone port: it stays silent
//     until it is unplugged for longer than PollInterval. JACK ports do
//     not have this problem (the Listener compares JACK client UUIDs).
//   - When a JACK server stops, the RtMidi objects of its ports are
//     abandoned, not freed (libjack crashes when a dead server's ports are
//     unregistered); libjack prints a few lines about the lost server.
package input

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Port is a MIDI input port.
type Port struct {
	// ID is stable between runs and re-plugs: the API and the port's name
	// without the client numbers ALSA (and a2j) add, e.g.
	// "alsa:Keystation 49 MK3 MIDI 1" or "jack:system:midi_capture_1". An
	// ALSA port whose name does not start with its client's name keeps the
	// client name: "alsa:VMPK Output:out". When several ports would have
	// the same ID (two keyboards of one model), the later ones (in ALSA
	// client order) get " #2", " #3", ….
	ID string
	// Name is for people: "Keystation 49 MK3" (ALSA's client numbers and
	// the " MIDI 1" of a device's first port are left out; a JACK port is
	// its full name, but a2j's and PipeWire's mirrors of ALSA ports are
	// named like those). Ports that would share a Name within one API get
	// " #2", … as IDs do.
	Name string
	// API is "alsa" or "jack".
	API string
}

func (p Port) String() string { return fmt.Sprintf("%s (%s)", p.Name, p.ID) }

// ErrNoMIDI means that there is no MIDI system at all: no ALSA sequencer
// (no sound card, or snd-seq not loaded) and no JACK server. Errors wrap it
// with the reasons.
var ErrNoMIDI = errors.New("no MIDI devices: no MIDI system was found (is a keyboard plugged in?)")

// DefaultClientName is the ALSA/JACK client name when Config.ClientName is
// empty. Ports of clients of that name (Sangstudio's own) are never listed.
const DefaultClientName = "sangstudio"

// List returns the MIDI input ports of every available API (ALSA
// sequencer, JACK), ALSA first, excluding Sangstudio's own ports. No MIDI
// system at all → an error wrapping ErrNoMIDI with the reasons; a MIDI
// system without ports → an empty list and nil.
func List() ([]Port, error) { return list(systemMakers()) }

// list is List of the systems makers open.
func list(makers []maker) ([]Port, error) {
	s, err := openSystems(DefaultClientName, makers)
	if err != nil {
		return nil, err
	}
	defer s.close()
	raw, _ := s.list()
	ports := make([]Port, len(raw))
	for i, p := range raw {
		ports[i] = p.Port
	}
	return ports, nil
}

// rawPort is a listed port with what the backend needs to open it: raw is
// RtMidi's name for it, key tells it from any other port now or earlier
// (the same port plugged in again gets a new key if the system lets us
// tell).
type rawPort struct {
	Port
	raw, key string
	bridge   bool // a JACK port that mirrors an ALSA device
}

// ---- names ----

var (
	alsaNumbers = regexp.MustCompile(` \d+:\d+$`)
	a2jNumber   = regexp.MustCompile(`\s*\[\d+\]`)
	captureTag  = regexp.MustCompile(`\s*\((capture|playback)(_\d+)?\)\s*`)
)

// splitALSA splits RtMidi's ALSA port name "client:port C:P".
func splitALSA(raw string) (client, port string) {
	s := alsaNumbers.ReplaceAllString(raw, "")
	client, port, ok := strings.Cut(s, ":")
	if !ok {
		return "", strings.TrimSpace(s)
	}
	return strings.TrimSpace(client), strings.TrimSpace(port)
}

func alsaClient(raw string) string { c, _ := splitALSA(raw); return c }

// alsaPort makes a Port of RtMidi's ALSA port name.
func alsaPort(raw string) Port {
	client, port := splitALSA(raw)
	id := port
	if client != "" && !strings.HasPrefix(port, client) {
		id = client + ":" + port
	}
	return Port{ID: "alsa:" + id, Name: personName(client, port), API: "alsa"}
}

// personName names an ALSA port (client, port) for people.
func personName(client, port string) string {
	switch {
	case client == "":
		return port
	case port == "" || port == client || port == client+" MIDI 1":
		return client
	case strings.HasPrefix(port, client):
		return port
	}
	return client + ": " + port
}

func jackClient(raw string) string { c, _, _ := strings.Cut(raw, ":"); return c }

// Clients whose JACK MIDI ports mirror ALSA devices: jackd's own bridge
// (-X seq, -X alsarawmidi), a2jmidid, PipeWire.
var bridgeClients = map[string]bool{"system": true, "a2j": true, "Midi-Bridge": true}

// jackPort makes a Port of a JACK port's full name.
func jackPort(raw string) Port {
	client, rest, _ := strings.Cut(raw, ":")
	id, name := raw, raw
	switch client {
	case "a2j", "Midi-Bridge":
		// a2j: "a2j:Keystation 49 MK3 [20] (capture): Keystation 49 MK3 MIDI 1"
		// PipeWire: "Midi-Bridge:Keystation 49 MK3:(capture_0) Keystation 49 MK3 MIDI 1"
		rest = a2jNumber.ReplaceAllString(rest, "")
		id = client + ":" + rest
		s := captureTag.ReplaceAllString(rest, " ")
		if c, p, ok := strings.Cut(s, ":"); ok {
			name = personName(strings.TrimSpace(c), strings.TrimSpace(p))
		} else {
			name = strings.TrimSpace(s)
		}
	}
	return Port{ID: "jack:" + id, Name: name, API: "jack"}
}

// isOwnClient tells Sangstudio's clients: name itself, and the names JACK
// gives more clients of that name ("sangstudio-01") or our lister
// ("sangstudio-list").
func isOwnClient(client, name string) bool {
	if client == name {
		return true
	}
	rest, ok := strings.CutPrefix(client, name+"-")
	if !ok {
		return false
	}
	rest = strings.TrimPrefix(rest, "list")
	rest = strings.TrimPrefix(rest, "-")
	_, err := strconv.Atoi(rest)
	return rest == "" || err == nil
}

// dedupe gives ports that would share an ID (or, within one API, a Name)
// the suffixes " #2", " #3", … in list order.
func dedupe(ports []rawPort) {
	ids := map[string]int{}
	names := map[string]int{}
	for i := range ports {
		p := &ports[i].Port
		ids[p.ID]++
		if n := ids[p.ID]; n > 1 {
			p.ID += " #" + strconv.Itoa(n)
		}
		names[p.API+"\x00"+p.Name]++
		if n := names[p.API+"\x00"+p.Name]; n > 1 {
			p.Name += " #" + strconv.Itoa(n)
		}
	}
}

// ---- selection ----

// Find resolves what a user typed (--midi-in) against ports (List's
// order): an ID, a name (case-insensitive), a unique case-insensitive part
// of an ID or name, a 1-based number into ports, or "all"/"" for all
// ports.
//
// "all" leaves out ports that would mostly double a keyboard's notes:
// ALSA's "Midi Through" (it echoes whatever programs send there) and, when
// there are ALSA ports, JACK's mirrors of ALSA devices (system:midi_capture_N
// of jackd -X, a2j, PipeWire's Midi-Bridge). Name them to use them. Where
// a name or part of one matches an ALSA port and its JACK mirror, the ALSA
// port wins.
//
// A name or part matching several ports is an error that lists them; so
// is one matching none (it lists what exists).
func Find(ports []Port, sel string) ([]Port, error) {
	raw := make([]rawPort, len(ports))
	for i, p := range ports {
		raw[i] = rawPort{Port: p, bridge: isBridge(p)}
	}
	got, err := find(raw, sel, hasALSA(raw), true)
	out := make([]Port, len(got))
	for i, p := range got {
		out[i] = p.Port
	}
	return out, err
}

func isBridge(p Port) bool {
	rest, ok := strings.CutPrefix(p.ID, "jack:")
	return ok && bridgeClients[jackClient(rest)]
}

func hasALSA(ports []rawPort) bool {
	for _, p := range ports {
		if p.API == "alsa" {
			return true
		}
	}
	return false
}

func isAll(sel string) bool {
	sel = strings.TrimSpace(sel)
	return sel == "" || strings.EqualFold(sel, "all")
}

// find is Find over rawPorts. With strict false (a running Listener), a
// name matching several ports selects them all.
func find(ports []rawPort, sel string, alsa, strict bool) ([]rawPort, error) {
	sel = strings.TrimSpace(sel)
	if isAll(sel) {
		var out []rawPort
		for _, p := range ports {
			if strings.HasPrefix(p.Name, "Midi Through") || (alsa && p.bridge) {
				continue
			}
			out = append(out, p)
		}
		return out, nil
	}
	if n, err := strconv.Atoi(sel); err == nil {
		if n < 1 || n > len(ports) {
			return nil, &selectError{fmt.Sprintf("there is no MIDI input number %d", n), ports, nil}
		}
		return ports[n-1 : n], nil
	}
	for _, p := range ports {
		if p.ID == sel {
			return []rawPort{p}, nil
		}
	}
	var cands []rawPort
	for _, p := range ports {
		if strings.EqualFold(p.ID, sel) || strings.EqualFold(p.Name, sel) {
			cands = append(cands, p)
		}
	}
	if len(cands) == 0 {
		low := strings.ToLower(sel)
		for _, p := range ports {
			if strings.Contains(strings.ToLower(p.ID), low) || strings.Contains(strings.ToLower(p.Name), low) {
				cands = append(cands, p)
			}
		}
	}
	cands = preferDirect(cands)
	switch {
	case len(cands) == 0:
		return nil, &selectError{fmt.Sprintf("no MIDI input matches %q", sel), ports, nil}
	case len(cands) > 1 && strict:
		return nil, &selectError{fmt.Sprintf("%q matches several MIDI inputs", sel), ports, cands}
	}
	return cands, nil
}

// preferDirect drops JACK mirrors of ALSA devices when ALSA ports match too.
func preferDirect(ports []rawPort) []rawPort {
	if !hasALSA(ports) {
		return ports
	}
	out := ports[:0:0]
	for _, p := range ports {
		if !p.bridge {
			out = append(out, p)
		}
	}
	return out
}

// selectError is a selection that does not resolve to what the user meant.
type selectError struct {
	what  string
	ports []rawPort // all of them, numbered as in List
	cands []rawPort // several matches, or nil
}

func (e *selectError) ambiguous() bool { return e.cands != nil }

func (e *selectError) Error() string {
	var b strings.Builder
	b.WriteString(e.what)
	show := e.cands
	switch {
	case e.cands != nil:
		b.WriteString(": ")
	case len(e.ports) == 0:
		b.WriteString("; there are no MIDI inputs (is a keyboard plugged in?)")
		return b.String()
	default:
		b.WriteString("; the MIDI inputs are: ")
		show = e.ports
	}
	for i, p := range show {
		if i > 0 {
			b.WriteString(", ")
		}
		n := 0
		for j, q := range e.ports {
			if q.ID == p.ID {
				n = j + 1
			}
		}
		fmt.Fprintf(&b, "%d %q (%s)", n, p.Name, p.ID)
	}
	if e.cands != nil {
		b.WriteString("; give the whole name, the ID or the number")
	}
	return b.String()
}
