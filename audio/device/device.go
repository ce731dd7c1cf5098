package device

import (
	"fmt"
	"slices"
	"strings"

	"sangstudio/internal/words"
)

// Callback is called on the audio thread once per buffer. in has one slice
// per opened input channel, out one per opened output channel, all frames
// long, non-interleaved float32. out must be fully written (it holds
// whatever the last buffer left there); in must not be written (on JACK it
// is the server's memory, shared with other clients). It must not
// allocate, lock, block or do I/O. st reports what the device saw before
// this buffer. On JACK, frames is the server's period, whatever
// Config.Buffer said, and may change while the stream runs (jack_bufsize).
//
// The slices are only valid during the call. Calls never overlap; after
// Stream.Stop returns, whatever the callback wrote is visible to the caller
// of Stop.
type Callback func(in, out [][]float32, st Status)

// Status is what the device reports to the callback with each buffer.
//
// PortAudio's four xrun flags map onto the two fields: paInputUnderflow
// (input replaced by zeros) counts as input lost, paOutputOverflow (output
// dropped) as output not delivered. On JACK, an xrun sets both. The
// virtual device sets InputOverflow when its file reader fell behind and
// OutputUnderflow when its clock was more than a buffer late or its output
// file writer fell behind.
type Status struct {
	InputOverflow   bool  // input data was lost before this buffer (PortAudio paInputOverflow)
	OutputUnderflow bool  // output was not delivered in time (paOutputUnderflow)
	Frame           int64 // frames processed by this stream before this buffer (starts at 0)
}

// Info describes a device.
type Info struct {
	// ID is stable for the same device across calls and runs:
	// "<host API>/<device name>#<n>", where n counts the devices of the same
	// name in that host API from 1, e.g. "JACK Audio Connection
	// Kit/system#1"; the virtual device is "virtual".
	ID                string
	Name              string  // the device's name, as PortAudio or JACK (the client's name) reports it
	HostAPI           string  // "JACK Audio Connection Kit", "ALSA", ...; "Virtual" for the virtual device
	Inputs            int     // max input channels
	Outputs           int     // max output channels
	DefaultRate       int     // the device's own sample rate (JACK: the server's)
	DefaultLowLatency float64 // seconds, as PortAudio reports (input side; output side for devices without inputs), 0 for virtual
	Virtual           bool    // the virtual device
	Default           bool    // the device Default picks
}

// VirtualID is the ID of the virtual device.
const VirtualID = "virtual"

// VirtualName is the virtual device's Info.Name: whatever shows it, shows
// that no audio hardware is involved.
const VirtualName = "Virtual device (no audio hardware)"

// virtualInfo describes the virtual device.
func virtualInfo() Info {
	return Info{
		ID:          VirtualID,
		Name:        VirtualName,
		HostAPI:     "Virtual",
		Inputs:      virtualChannels,
		Outputs:     virtualChannels,
		DefaultRate: 48000,
		Virtual:     true,
	}
}

// virtualChannels is the virtual device's number of inputs and of outputs.
const virtualChannels = 8

// List returns every device: the virtual device first, then JACK's (when a
// JACK server runs: "system", the physical ports, then each other JACK
// client with audio ports), then PortAudio's (ALSA, ...; PortAudio never
// lists JACK: see doc.go), in host-API order, then the system sound output
// (SpeakersID) if it is likely to work (see SpeakersID). Exactly one device
// has Info.Default set.
//
// JACK's devices are what the server has now: List asks it each time
// through a short-lived client named "sangstudio-list" (never
// "sangstudio"). With no PortAudio stream open, List starts PortAudio
// afresh (about 0.1 s), so it sees devices plugged in since the last call;
// while one is open it returns the devices PortAudio found when that
// stream was opened. If PortAudio cannot be used (or the JACK server does
// not answer), the list holds the other devices and err says why; the
// list is never empty.
func List() ([]Info, error) {
	jdevs, jerr := jackList()
	devs, def, err := paList()
	list := []Info{virtualInfo()}
	for _, d := range jdevs {
		list = append(list, d.info)
	}
	list = append(list, devs...)
	jdef := jackDefault(jdevs)
	if jdef >= 0 && def >= 0 && desktopFirst(devs) {
		jdef = -1 // PipeWire is the desktop's sound server: its device first (desktop.go)
	}
	switch {
	case jdef >= 0:
		list[1+jdef].Default = true
	case def >= 0:
		list[1+len(jdevs)+def].Default = true
	default:
		list[0].Default = true
	}
	if err == nil && speakersListed() {
		list = append(list, speakersInfo())
	}
	if err == nil {
		err = jerr
	}
	return list, err
}

// Find resolves what a user typed after --device: an exact ID, or any
// unique part (case-insensitive) of a device's name, host API or ID
// ("jack", "virtual", "USB"). In order, and ignoring case:
//
//   - an exact ID;
//   - a host API's name, full or short ("JACK", "ALSA"): its only device,
//     or the one Default picks, or JACK's "system" (else the query is
//     ambiguous);
//   - a device's whole ID or name;
//   - a part of a device's name, host API or ID, if one device has it.
//
// An unknown or ambiguous query gives an error (wrapping ErrNotFound or
// ErrAmbiguous) that lists the candidates in plain words.
func Find(query string) (Info, error) {
	// The virtual device needs no system's list (PortAudio's start-up
	// probes ALSA, which can fail or abort on a machine's odd devices).
	if strings.EqualFold(strings.TrimSpace(query), VirtualID) {
		return virtualInfo(), nil
	}
	list, err := List()
	return find(list, err, query)
}

// find is Find on a given list; listErr is why the list may be short.
func find(list []Info, listErr error, query string) (Info, error) {
	q := strings.TrimSpace(query)
	if q == "" {
		return Info{}, newError(ErrNotFound, listErr, "no device was given; the devices are: %s", describeAll(list))
	}
	for _, d := range list {
		if d.ID == q {
			return d, nil
		}
	}
	lq := strings.ToLower(q)
	lower := strings.ToLower
	// A host API's name ("jack", "alsa") means its default device, or its
	// only one; it wins over a device of another host API that has that
	// name (ALSA's "jack" device is a bridge to JACK).
	var host []Info
	for _, d := range list {
		if lower(d.HostAPI) == lq || lower(shortHostAPI(d.HostAPI)) == lq {
			host = append(host, d)
		}
	}
	if len(host) == 1 {
		return host[0], nil
	}
	for _, d := range host {
		if d.Default {
			return d, nil
		}
	}
	// JACK without a default among its devices (PipeWire's JACK under
	// pw-jack, whose "system" may only play): "jack" means "system".
	for _, d := range host {
		if d.HostAPI == jackHostAPI && d.Name == jackSystem {
			return d, nil
		}
	}
	ambiguous := func(found []Info) error {
		return newError(ErrAmbiguous, nil, "%q matches %d devices: %s; type more of the name, or the whole id",
			query, len(found), describeAll(found))
	}
	if len(host) > 1 {
		return Info{}, ambiguous(host)
	}
	tiers := []func(Info) bool{
		func(d Info) bool { return lower(d.ID) == lq || lower(d.Name) == lq },
		func(d Info) bool {
			return strings.Contains(lower(d.Name), lq) || strings.Contains(lower(d.HostAPI), lq) || strings.Contains(lower(d.ID), lq)
		},
	}
	for _, match := range tiers {
		var found []Info
		for _, d := range list {
			if match(d) {
				found = append(found, d)
			}
		}
		switch {
		case len(found) == 1:
			return found[0], nil
		case len(found) > 1:
			return Info{}, ambiguous(found)
		}
	}
	msg := fmt.Sprintf("no device matches %q; the devices are: %s", query, describeAll(list))
	if listErr != nil {
		msg += " (" + listErr.Error() + ")"
	}
	return Info{}, newError(ErrNotFound, listErr, "%s", msg)
}

// Default picks a sensible device when none is chosen, as a desktop user
// expects:
//
//   - when PipeWire is the desktop's sound server (it runs, and ALSA's
//     "default" is PipeWire through pipewire-alsa) and Sangstudio does not
//     run under pw-jack: PortAudio's default duplex-capable device (ALSA
//     "default", i.e. PipeWire), even if a JACK server (jackd) runs too; the
//     user chooses JACK with --device jack or in the studio's settings;
//   - else, when a JACK server runs (jackd, or PipeWire's JACK under
//     pw-jack): JACK's "system" device (else the first JACK client that can
//     record and play);
//   - else PortAudio's default duplex-capable device (one with inputs and
//     outputs), else the virtual device. It never fails
//
// for want of hardware: without PortAudio it returns the virtual device.
func Default() (Info, error) {
	list, _ := List()
	for _, d := range list {
		if d.Default {
			return d, nil
		}
	}
	return virtualInfo(), nil
}

// describe puts a device in plain words for error messages.
func describe(d Info) string {
	if d.Virtual {
		return fmt.Sprintf("%q (id %q)", d.Name, d.ID)
	}
	return fmt.Sprintf("%q (%s, %s, %s; id %q)", d.Name, shortHostAPI(d.HostAPI),
		words.CountNo(d.Inputs, "input", "inputs"), words.CountNo(d.Outputs, "output", "outputs"), d.ID)
}

func describeAll(list []Info) string {
	s := make([]string, len(list))
	for i, d := range list {
		s[i] = describe(d)
	}
	return strings.Join(s, ", ")
}

// shortHostAPI is the name of a host API as people say it.
func shortHostAPI(h string) string {
	if h == "JACK Audio Connection Kit" {
		return "JACK"
	}
	return h
}

// deviceName names a device in a message: `the audio device "system" (JACK)`.
func deviceName(d Info) string {
	if d.Virtual {
		return "the virtual device"
	}
	return fmt.Sprintf("the audio device %q (%s)", d.Name, shortHostAPI(d.HostAPI))
}

// makeIDs sets the ID of each device: "<host API>/<name>#<n>".
func makeIDs(devs []Info) {
	seen := map[string]int{}
	for i := range devs {
		k := devs[i].HostAPI + "/" + devs[i].Name
		seen[k]++
		devs[i].ID = fmt.Sprintf("%s#%d", k, seen[k])
	}
}

// rates are the sample rates Sangstudio runs at.
var rates = [...]int{44100, 48000, 96000}

// Buffer sizes accepted by Open, in frames per callback.
const (
	MinBuffer     = 64
	MaxBuffer     = 2048
	DefaultBuffer = 256
)

// Config says what to open. Zero values pick defaults where the field's
// comment says so.
type Config struct {
	Device string // an ID from List ("" for Default)
	Rate   int    // 44100, 48000 or 96000 (0: the device's own rate if it is one of those, else 48000)
	// Buffer is the frames per callback, 64..2048 (0: 256). JACK devices
	// ignore it: the JACK server's period is the same for every client
	// and is set where the server is set up (jack_bufsize, QjackCtl,
	// Cadence); Sangstudio follows it, as JACK clients do, and
	// Stream.Buffer reports it.
	Buffer  int
	Inputs  int // input channels to open (0..Info.Inputs)
	Outputs int // output channels to open (1..Info.Outputs; usually 2)

	// ClientName is the JACK client's name (JACK devices only; ""
	// for DefaultClientName, "sangstudio"). Its ports are in_0, in_1, …
	// and out_0, out_1, …
	ClientName string

	// Virtual device only (PortAudio devices ignore these):
	VirtualInput  VirtualSource // what the virtual inputs deliver
	VirtualOutput string        // "" discards output; else a WAV file to write the output to (32-bit float)
	Fast          bool          // run as fast as possible instead of in real time (offline runs)
	// Speed, when Fast is off, is how many times real time the virtual
	// device runs (0 or 1: real time), still paced by the clock: to go
	// through minutes of input in seconds while a reader keeps up.
	Speed float64
}

// VirtualSource says what the virtual device's inputs deliver.
type VirtualSource struct {
	// Kind is "silence" (or ""), "sine" (1 kHz, or Freq, at -12 dBFS on
	// every input) or "file" (the WAV file at Path: channel c of the file
	// feeds input c; inputs beyond the file's channels are silent). The
	// file must have the stream's sample rate.
	Kind string
	Freq float64 // sine frequency in Hz (0: 1000)
	Path string  // the WAV file, for "file"
	// Loop plays the file over and over; without it the file plays once
	// and the inputs are silent after its end.
	Loop bool
}

// SineLevel is the amplitude of the virtual device's sine input: -12 dBFS.
const SineLevel = 0.251188643150958 // 10^(-12/20)

// Stream is an open duplex stream: capture and playback in ONE stream (two
// separate streams drift apart). Its methods may be called from any
// goroutine, but not from the callback.
type Stream interface {
	// Start starts calling the callback. A stopped stream can be started
	// again; Status.Frame goes on counting.
	Start() error
	// Stop stops the stream and waits until the callback will not be
	// called again.
	Stop() error
	// Close stops the stream if needed and releases the device (for the
	// virtual device: finishes the output file). Calling it again does
	// nothing.
	Close() error
	Info() Info
	Rate() int
	Buffer() int        // frames per callback (JACK: the server's period now)
	InputLatency() int  // frames, as the device reports (PortAudio stream info; JACK: see jackLatencies), 0 for virtual
	OutputLatency() int // frames, as the device reports, 0 for virtual
	// Xruns counts the buffers so far with InputOverflow or
	// OutputUnderflow set.
	Xruns() int64
	// Done is closed if the stream stops on its own (device gone, JACK
	// server stopped, output file unwritable); not by Stop or Close.
	Done() <-chan struct{}
	// Err says why, after Done is closed (nil before): for a device gone,
	// a plain-language error naming it that wraps ErrDeviceLost.
	Err() error
}

// Open opens a duplex stream on the device cfg.Device (Default if empty)
// that calls cb once per buffer after Start. Errors are in plain words,
// name the device, and wrap one of ErrNotFound, ErrDeviceBusy,
// ErrUnsupportedRate, ErrChannels, ErrBufferSize, ErrDeviceLost or
// ErrConfig.
func Open(cfg Config, cb Callback) (Stream, error) {
	if cb == nil {
		return nil, newError(ErrConfig, nil, "no callback was given")
	}
	if cfg.Buffer == 0 {
		cfg.Buffer = DefaultBuffer
	}
	if cfg.Buffer < MinBuffer || cfg.Buffer > MaxBuffer {
		return nil, newError(ErrBufferSize, nil, "the buffer size must be between %d and %d frames; %d is not", MinBuffer, MaxBuffer, cfg.Buffer)
	}
	if cfg.Rate != 0 && !slices.Contains(rates[:], cfg.Rate) {
		return nil, newError(ErrUnsupportedRate, nil, "Sangstudio runs at 44100, 48000 or 96000 Hz; %d Hz is not one of them", cfg.Rate)
	}
	if cfg.Device == "" {
		d, err := Default()
		if err != nil {
			return nil, err
		}
		cfg.Device = d.ID
	}
	if cfg.Device == VirtualID {
		info := virtualInfo()
		if err := checkChannels(info, cfg); err != nil {
			return nil, err
		}
		if cfg.Rate == 0 {
			cfg.Rate = info.DefaultRate
		}
		return openVirtual(info, cfg, cb)
	}
	if cfg.Device == SpeakersID {
		return otoOpen(cfg, cb)
	}
	if isJackID(cfg.Device) {
		return jackOpen(cfg, cb)
	}
	return paOpen(cfg, cb)
}

// checkChannels checks cfg's channel counts against the device.
func checkChannels(d Info, cfg Config) error {
	switch {
	case cfg.Inputs < 0 || cfg.Outputs < 0:
		return newError(ErrChannels, nil, "channel counts cannot be negative (inputs %d, outputs %d)", cfg.Inputs, cfg.Outputs)
	case cfg.Inputs > 0 && d.Inputs == 0:
		return newError(ErrChannels, nil, "%s has no inputs: it can only play, not record", deviceName(d))
	case cfg.Inputs > d.Inputs:
		return newError(ErrChannels, nil, "%s has %s; %d were asked for", deviceName(d), words.CountNo(d.Inputs, "input", "inputs"), cfg.Inputs)
	case cfg.Outputs == 0:
		return newError(ErrChannels, nil, "at least one output channel is needed (the stream is paced by its output)")
	case d.Outputs == 0:
		return newError(ErrChannels, nil, "%s has no outputs: it can only record, not play", deviceName(d))
	case cfg.Outputs > d.Outputs:
		return newError(ErrChannels, nil, "%s has %s; %d were asked for", deviceName(d), words.CountNo(d.Outputs, "output", "outputs"), cfg.Outputs)
	}
	return nil
}

// pickRate resolves Config.Rate 0 for a device.
func pickRate(d Info, rate int) int {
	if rate != 0 {
		return rate
	}
	if slices.Contains(rates[:], d.DefaultRate) {
		return d.DefaultRate
	}
	return 48000
}
