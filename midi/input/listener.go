package input

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gitlab.com/gomidi/midi/v2/drivers"

	"sangstudio/midi"
)

// Event is a channel voice message with its arrival time.
type Event struct {
	// Time is the arrival time since the Listener started (monotonic
	// clock), taken on the MIDI thread as the message arrives.
	Time time.Duration
	// Port is the number of the port it came from in this Listener: ports
	// are numbered 0, 1, 2, … in the order the Listener first opens them,
	// and a port keeps its number when it is unplugged and plugged in
	// again (the same ID). Listener.Port(n) tells which port it is.
	Port int
	// Msg is a channel voice message (note off/on, poly pressure, control
	// change, program change, channel pressure, pitch bend) as in
	// midi.Event: status byte first, unused bytes 0. System messages
	// (sysex, clock, active sensing, …) are never Events.
	Msg [3]byte
}

// Config configures a Listener.
type Config struct {
	// Select chooses the ports as Find does; "" or "all" is every port
	// (see Find for the few that "all" leaves out). A number is resolved
	// once, when Listen starts; an ID, a name or a part of one is
	// matched again whenever ports appear, and a part matching several
	// ports then opens them all (Listen itself refuses one that matches
	// several ports at the start).
	Select string
	// OnEvent is called for every channel voice message of the open
	// ports, on the MIDI system's threads (RtMidi's ALSA thread, JACK's
	// process thread). It must be fast (a queue push) and must not call
	// the Listener's Close. Calls are never concurrent: the Listener
	// serializes them, so events from several ports arrive one at a time,
	// each port's in its order. Required.
	OnEvent func(e Event)
	// OnChange, if not nil, is called with the open ports (as Ports)
	// whenever that set changes, including the first ports Listen opens.
	// It is called from the Listener's own goroutine, one call at a time,
	// with no lock held; it must not call Close.
	OnChange func(open []Port)
	// OnError, if not nil, is told about ports that were found but could
	// not be opened (once per port: it is tried again every few polls),
	// from the same goroutine as OnChange.
	OnError func(err error)
	// PollInterval is how often the Listener looks for ports that appeared
	// or went away; default 1 s.
	PollInterval time.Duration
	// ClientName is the ALSA/JACK client name; default "sangstudio".
	ClientName string
}

// Listener delivers what the chosen ports play. It watches for ports that
// appear later (a keyboard plugged in after the start) every PollInterval
// and opens them if they match the selection; a port that disappears is
// closed, and opened again (with the same Event.Port number) when it comes
// back. A JACK server that stops is noticed too; the Listener keeps
// looking for MIDI systems, so a restarted server's ports come back.
type Listener struct {
	cfg   Config
	start time.Time
	sys   *systems
	sel   string
	evMu  sync.Mutex // OnEvent is never called concurrently

	mu      sync.Mutex
	open    map[string]*openPort // by rawPort.key
	numbers map[string]int       // by Port.ID
	known   []Port               // by number

	// Used by the poll goroutine only (and Listen before it starts).
	polls   int
	retryAt map[string]int // a port that failed to open: key → poll to try again
	errs    []error        // for OnError

	stop, done chan struct{}
	once       sync.Once
}

type openPort struct {
	rawPort
	num  int
	in   drivers.In
	stop func()
}

// retryPolls is how many polls a port that failed to open is left alone.
const retryPolls = 5

// Listen opens the ports cfg.Select names and starts watching for more.
// With no MIDI system at all the error wraps ErrNoMIDI; with one but no
// matching port yet, Listen succeeds and waits for one to appear. A
// selection that matches several ports, or a number that matches none, is
// an error (as Find's).
func Listen(cfg Config) (*Listener, error) { return listen(cfg, systemMakers()) }

func listen(cfg Config, makers []maker) (*Listener, error) {
	if cfg.OnEvent == nil {
		return nil, errors.New("midi input: Config.OnEvent is nil")
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.ClientName == "" {
		cfg.ClientName = DefaultClientName
	}
	sys, err := openSystems(cfg.ClientName, makers)
	if err != nil {
		return nil, err
	}
	l := &Listener{
		cfg:     cfg,
		sys:     sys,
		sel:     strings.TrimSpace(cfg.Select),
		open:    map[string]*openPort{},
		numbers: map[string]int{},
		retryAt: map[string]int{},
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
	}
	if !isAll(l.sel) {
		ports, _ := sys.list()
		got, err := find(ports, l.sel, sys.has("alsa"), true)
		_, numErr := strconv.Atoi(l.sel)
		var se *selectError
		if err != nil && (numErr == nil || errors.As(err, &se) && se.ambiguous()) {
			sys.close()
			return nil, err
		}
		if numErr == nil {
			l.sel = got[0].ID // a number means that port, whatever comes later
		}
	}
	l.start = time.Now()
	changed := l.scan()
	go l.run(changed)
	return l, nil
}

func (l *Listener) run(changed bool) {
	defer close(l.done)
	l.report(changed)
	t := time.NewTicker(l.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			l.report(l.scan())
		}
	}
}

// report calls OnError and OnChange (no lock held).
func (l *Listener) report(changed bool) {
	errs := l.errs
	l.errs = nil
	if l.cfg.OnError != nil {
		for _, err := range errs {
			l.cfg.OnError(err)
		}
	}
	if changed && l.cfg.OnChange != nil {
		l.cfg.OnChange(l.Ports())
	}
}

// scan looks at the ports once: it closes the open ones that went away
// and opens the wanted ones that are not open yet. It reports whether the
// set of open ports changed.
func (l *Listener) scan() (changed bool) {
	l.polls++
	l.sys.retry()
	ports, lost := l.sys.list()
	want, _ := find(ports, l.sel, l.sys.has("alsa"), false)
	wanted := map[string]bool{}
	for _, p := range want {
		wanted[p.key] = true
	}
	listed := map[string]bool{}
	for _, p := range ports {
		listed[p.key] = true
	}
	for key := range l.retryAt {
		if !listed[key] {
			delete(l.retryAt, key)
		}
	}

	l.mu.Lock()
	var gone []*openPort
	for key, op := range l.open {
		if !wanted[key] {
			gone = append(gone, op)
			delete(l.open, key)
		}
	}
	l.mu.Unlock()
	for _, op := range gone {
		op.close(lost[op.API])
		changed = true
	}

	for _, p := range want {
		l.mu.Lock()
		_, isOpen := l.open[p.key]
		l.mu.Unlock()
		if isOpen || l.polls < l.retryAt[p.key] {
			continue
		}
		in, err := l.sys.open(p)
		if err != nil {
			l.failed(p, err)
			continue
		}
		delete(l.retryAt, p.key)
		l.mu.Lock()
		num, ok := l.numbers[p.ID]
		if !ok {
			num = len(l.known)
			l.numbers[p.ID] = num
			l.known = append(l.known, p.Port)
		}
		l.mu.Unlock()
		op := &openPort{rawPort: p, num: num, in: in}
		op.stop, err = listenIn(in, l.handler(num))
		if err != nil {
			op.close(false)
			l.failed(p, err)
			continue
		}
		l.mu.Lock()
		l.open[p.key] = op
		l.mu.Unlock()
		changed = true
	}
	return changed
}

// failed notes a port that did not open: it is tried again in a few polls,
// and OnError hears of it the first time.
func (l *Listener) failed(p rawPort, err error) {
	if _, again := l.retryAt[p.key]; !again {
		l.errs = append(l.errs, fmt.Errorf("MIDI input %s: %w", p.Name, err))
	}
	l.retryAt[p.key] = l.polls + retryPolls
}

// listenIn starts delivering an open port's messages to onMsg: the path
// that RtMidi's ports and gomidi's test driver share. The config asks for
// no sysex, clock or active sensing.
func listenIn(in drivers.In, onMsg func(msg []byte, ms int32)) (stop func(), err error) {
	return in.Listen(onMsg, drivers.ListenConfig{})
}

// handler turns the raw messages of port num into Events: channel voice
// messages only, timestamped on arrival, handed to OnEvent one at a time.
// It allocates nothing.
func (l *Listener) handler(num int) func(msg []byte, ms int32) {
	return func(msg []byte, _ int32) {
		e, ok := midi.FromBytes(0, msg)
		if !ok {
			return
		}
		ev := Event{Time: time.Since(l.start), Port: num, Msg: e.Msg}
		l.evMu.Lock()
		defer l.evMu.Unlock()
		l.cfg.OnEvent(ev)
	}
}

// close closes the port, or only forgets it if its system went away.
func (op *openPort) close(abandon bool) {
	if op.stop != nil {
		op.stop()
	}
	if a, ok := op.in.(interface{ abandon() error }); ok && abandon {
		a.abandon()
		return
	}
	op.in.Close()
}

// Ports returns the ports open now, by their Event.Port numbers.
func (l *Listener) Ports() []Port {
	l.mu.Lock()
	defer l.mu.Unlock()
	ops := make([]*openPort, 0, len(l.open))
	for _, op := range l.open {
		ops = append(ops, op)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].num < ops[j].num })
	ports := make([]Port, len(ops))
	for i, op := range ops {
		ports[i] = l.known[op.num]
	}
	return ports
}

// Port returns the port that Event.Port n stands for (it may be closed by
// now).
func (l *Listener) Port(n int) (Port, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if n < 0 || n >= len(l.known) {
		return Port{}, false
	}
	return l.known[n], true
}

// Close closes the ports and stops watching. When it returns, OnEvent and
// OnChange are not called any more. It must not be called from OnEvent or
// OnChange.
func (l *Listener) Close() error {
	l.once.Do(func() {
		close(l.stop)
		<-l.done
		l.mu.Lock()
		ops := l.open
		l.open = map[string]*openPort{}
		l.mu.Unlock()
		dead := l.sys.dead()
		for _, op := range ops {
			op.close(dead[op.API])
		}
		l.sys.close()
	})
	return nil
}

// ---- the MIDI systems ----

// A backend is one MIDI system (ALSA sequencer, JACK).
type backend interface {
	api() string
	// list lists the input ports; an error means the system went away.
	list() ([]rawPort, error)
	open(p rawPort) (drivers.In, error)
	// dead reports a system that went away: its ports are abandoned,
	// not closed (see jackclient).
	dead() bool
	close()
}

// A maker opens a backend for the client name, or tells why it cannot.
type maker func(client string) (backend, error)

// systemMakers are this machine's MIDI systems: the ALSA sequencer, then JACK.
func systemMakers() []maker { return []maker{alsaAt(seqDevice), newJACK} }

// systems are the backends available now.
type systems struct {
	client string
	makers []maker
	mu     sync.Mutex
	b      []backend // by maker; nil: not available
	why    []error
}

// openSystems opens every MIDI system there is; none → ErrNoMIDI.
func openSystems(client string, makers []maker) (*systems, error) {
	s := &systems{client: client, makers: makers, b: make([]backend, len(makers)), why: make([]error, len(makers))}
	s.retry()
	for _, b := range s.b {
		if b != nil {
			return s, nil
		}
	}
	var why []string
	for _, err := range s.why {
		why = append(why, err.Error())
	}
	return nil, fmt.Errorf("%w: %s", ErrNoMIDI, strings.Join(why, "; "))
}

// retry tries to open the systems that are not open.
func (s *systems) retry() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, mk := range s.makers {
		if s.b[i] == nil {
			s.b[i], s.why[i] = mk(s.client)
		}
	}
}

func (s *systems) has(api string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, b := range s.b {
		if b != nil && b.api() == api {
			return true
		}
	}
	return false
}

// list lists the ports of every system (in the makers' order) with
// unique IDs. A system whose list fails has gone away: it is closed (its
// API is in lost), and retry tries to open it again.
func (s *systems) list() (ports []rawPort, lost map[string]bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, b := range s.b {
		if b == nil {
			continue
		}
		ps, err := b.list()
		if err != nil {
			if lost == nil {
				lost = map[string]bool{}
			}
			lost[b.api()] = true
			b.close()
			s.b[i], s.why[i] = nil, err
			continue
		}
		for j := range ps {
			ps[j].bridge = isBridge(ps[j].Port)
		}
		ports = append(ports, ps...)
	}
	dedupe(ports)
	return ports, lost
}

// dead returns the APIs of the systems that went away.
func (s *systems) dead() map[string]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	dead := map[string]bool{}
	for _, b := range s.b {
		if b != nil && b.dead() {
			dead[b.api()] = true
		}
	}
	return dead
}

func (s *systems) open(p rawPort) (drivers.In, error) {
	s.mu.Lock()
	var b backend
	for _, x := range s.b {
		if x != nil && x.api() == p.API {
			b = x
		}
	}
	s.mu.Unlock()
	if b == nil {
		return nil, fmt.Errorf("%s is not available", p.API)
	}
	return b.open(p)
}

func (s *systems) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, b := range s.b {
		if b != nil {
			b.close()
			s.b[i] = nil
		}
	}
}
