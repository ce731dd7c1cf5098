package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	flag "github.com/spf13/pflag"

	"sangstudio/audio/calibrate"
	"sangstudio/audio/device"
	"sangstudio/audio/engine"
	"sangstudio/audio/session"
	"sangstudio/internal/fserr"
	"sangstudio/midi/input"
	"sangstudio/midi/smf"
	"sangstudio/midi/synth"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
)

// midiNotes counts the notes in a MIDI take.
func midiNotes(path string, rate int) (int, error) {
	events, err := smf.ReadEvents(path, rate)
	n := 0
	for _, ev := range events {
		if ev.IsNoteOn() {
			n++
		}
	}
	return n, err
}

func cmdDevices(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("devices", flag.ContinueOnError)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	list, err := device.List()
	if err != nil {
		return err
	}
	for _, d := range list {
		mark := " "
		if d.Default {
			mark = "*"
		}
		e.printf("%s %-45s %2d in, %2d out, %d Hz  %s\n", mark, d.ID, d.Inputs, d.Outputs, d.DefaultRate, d.Name)
	}
	e.printf("(* = used when no --device is given; --device takes an id or any unique part of a name, e.g. --device jack)\n")
	printMIDIPorts(e)
	return nil
}

// deviceFlags are the flags shared by record and play.
type deviceFlags struct {
	device  *string
	buffer  *int
	input   *string
	output  *string
	latency *int
}

func addDeviceFlags(fs *flag.FlagSet) deviceFlags {
	return deviceFlags{
		device:  fs.String("device", "", "audio device: an id from `sangstudio devices`, or a unique part of its name (e.g. jack, virtual)"),
		buffer:  fs.Int("buffer", 256, "buffer size in frames (64–2048)"),
		input:   fs.String("virtual-input", "", "virtual device only: silence, sine, or a WAV file to use as input"),
		output:  fs.String("virtual-output", "", "virtual device only: write what is played to this WAV file"),
		latency: fs.Int("latency", -1, "latency compensation in frames (default: what the device reports)"),
	}
}

func (f deviceFlags) config() (device.Config, error) {
	if *f.buffer < 64 || *f.buffer > 2048 {
		return device.Config{}, usagef("--buffer %d: use 64 to 2048 frames", *f.buffer)
	}
	var info device.Info
	var err error
	if *f.device == "" {
		info, err = device.Default()
	} else {
		info, err = device.Find(*f.device)
	}
	if err != nil {
		return device.Config{}, err
	}
	cfg := device.Config{Device: info.ID, Buffer: *f.buffer, Outputs: min(2, info.Outputs)}
	switch in := *f.input; {
	case in == "" || in == "silence":
	case in == "sine":
		cfg.VirtualInput = device.VirtualSource{Kind: "sine"}
	default:
		cfg.VirtualInput = device.VirtualSource{Kind: "file", Path: in}
	}
	cfg.VirtualOutput = *f.output
	return cfg, nil
}

// deviceAndSong resolves the device flags and reads the song (play: only
// read, nothing is written into the song).
func deviceAndSong(e *env, dir string, df deviceFlags) (device.Config, *projects.Song, error) {
	cfg, err := df.config()
	if err != nil {
		return cfg, nil, err
	}
	s, err := readSong(e, dir)
	return cfg, s, err
}

// parseInputs reads "1,2" (1-based channel numbers) into 0-based channels.
func parseInputs(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(p))
		if err != nil || n < 1 {
			return nil, usagef("--inputs %q: list input numbers from 1, like 1,2", s)
		}
		out = append(out, n-1)
	}
	return out, nil
}

// recordOptions are record's arguments, checked.
type recordOptions struct {
	dir     string
	seconds float64 // how long to record
	from    float64 // where, in seconds
	countIn int     // bars
	click   bool
	midiIn  string // --midi-in
	latency int
	device  device.Config
	targets session.Targets
}

// parseRecord reads and checks record's flags and its song folder.
func parseRecord(args []string) (recordOptions, error) {
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	seconds := fs.Float64("seconds", 0, "how long to record")
	inputs := fs.String("inputs", "1", "input channels to record, numbered from 1 (e.g. 1,2)")
	track := fs.String("track", "", "record a new take on this track (one input, or a stereo pair); default: one new track per input")
	countIn := fs.Int("count-in", 0, "bars of count-in before recording starts")
	click := fs.Bool("click", false, "play the metronome")
	from := fs.Float64("from", 0, "start recording at this time in seconds (the song plays along from there)")
	useMIDI := fs.Bool("midi", false, "record the MIDI keyboard onto a MIDI track (--track, or a new track)")
	midiIn := fs.String("midi-in", "", "MIDI keyboards to listen to: a number or name from `sangstudio devices` (default: all)")
	sound := fs.String("sound", "piano", "--midi on a new track: its sound (see `sangstudio sounds`)")
	df := addDeviceFlags(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return recordOptions{}, err
	}
	if err := checkRecordFlags(fs, *seconds, *from, *useMIDI, *track); err != nil {
		return recordOptions{}, err
	}
	ins, err := parseInputs(*inputs)
	if err != nil {
		return recordOptions{}, err
	}
	if !*useMIDI && *track != "" && len(ins) > 2 {
		return recordOptions{}, usagef("--track records one input, or a stereo pair")
	}
	snd, err := synth.ParseSound(*sound)
	if err != nil {
		return recordOptions{}, usagef("--sound: %v", err)
	}
	cfg, err := df.config()
	if err != nil {
		return recordOptions{}, err
	}
	return recordOptions{dir: pos[0], seconds: *seconds, from: *from, countIn: *countIn, click: *click,
		midiIn: *midiIn, latency: *df.latency, device: cfg,
		targets: session.Targets{Track: *track, Inputs: ins, MIDI: *useMIDI, Sound: snd}}, nil
}

// checkRecordFlags refuses record's flags that do not go together.
func checkRecordFlags(fs *flag.FlagSet, seconds, from float64, useMIDI bool, track string) error {
	switch {
	case seconds <= 0:
		return usagef("--seconds: say how long to record")
	case from < 0:
		return usagef("--from %v: give a time from 0 seconds", from)
	case !useMIDI && (fs.Changed("midi-in") || fs.Changed("sound")):
		return usagef("--midi-in and --sound go with --midi")
	case useMIDI && fs.Changed("inputs"):
		return usagef("--midi records the MIDI keyboard; record audio inputs in another pass")
	case useMIDI && track != "" && fs.Changed("sound"):
		return usagef("--sound chooses a new track's sound; change an existing track's with `sangstudio set`")
	}
	return nil
}

func cmdRecord(ctx context.Context, e *env, args []string) error {
	o, err := parseRecord(args)
	if err != nil {
		return err
	}
	if o.targets.MIDI && o.midiIn != "" && o.midiIn != "all" {
		// A keyboard chosen by name must be there now (plugged-in later
		// keyboards are picked up only with the default, all).
		ports, err := input.List()
		if err != nil {
			return err
		}
		if _, err := input.Find(ports, o.midiIn); err != nil {
			return err
		}
	}
	// The song is held open while it records (the window and other
	// commands leave it alone); the tracks it records onto are saved first,
	// and the takes, at the end, put on the song as it is then.
	opened, err := projects.LockOpen(o.dir, "sangstudio record")
	if err != nil {
		if fserr.CannotWrite(err) { // a read-only song folder, or a full disk
			return cannotChange(&session.UnsavedError{Err: fserr.Describe(err)})
		}
		return err
	}
	defer opened.Release()
	var arms []session.Arm
	s, err := changeWith(e, o.dir, func(fn func(*projects.Song) error) (*projects.Song, *projects.Recovery, error) {
		return opened.Change("sangstudio record", fn)
	}, func(s *projects.Song) error {
		var err error
		arms, err = session.PrepareRecording(s, o.targets)
		return err
	})
	if err != nil {
		return err
	}
	ss, err := session.Open(o.dir, s, session.Options{Device: o.device, Arm: arms, Click: o.click, MIDIPorts: o.midiIn,
		Latency: int64(o.latency), Opened: opened})
	if err != nil {
		return err
	}
	if o.targets.MIDI {
		if err := waitForKeyboards(e, ss); err != nil {
			ss.Close()
			return err
		}
	}
	return capture(ctx, e, ss, s.Rate, o)
}

// capture records for o.seconds from o.from, closes the session and tells
// what was recorded.
func capture(ctx context.Context, e *env, ss *session.Session, rate int, o recordOptions) error {
	began := time.Now()
	eng := ss.Engine()
	start := int64(o.from * float64(rate))
	eng.Locate(start)
	eng.RecordFor(o.countIn, int64(o.seconds*float64(rate)))
	if o.countIn > 0 {
		fmt.Fprintf(e.stderr, "Count-in: %d bar(s)…\n", o.countIn)
	}
	// Say "Recording" only once the takes are really running (after the
	// disk side has caught up and any count-in): what is played from then
	// on is in the take.
	end := start + int64(o.seconds*float64(rate))
	err := waitUntil(ctx, ss, func() bool { return eng.Position() > start || eng.State() == engine.Stopped })
	if err == nil {
		st := ss.Live().Status()
		fmt.Fprintf(e.stderr, "Recording on %s (%d Hz, %d frames per buffer, latency %d frames)…\n", st.Device, st.Rate, st.Buffer, ss.Latency())
		err = waitUntil(ctx, ss, func() bool { return eng.Position() >= end && eng.State() != engine.Recording })
	}
	xruns := eng.Xruns()
	takes, cerr := ss.Close()
	if cerr == nil { // the takes are saved in the song: note them in its log
		logged := append([]songlog.Entry{{Time: began, Event: songlog.Opened, By: songlog.ByCommand}},
			session.TakeEntries(rate, takes, songlog.ByCommand, time.Now())...)
		logged = append(logged, songlog.Entry{Event: songlog.Closed, By: songlog.ByCommand})
		if lerr := songlog.AppendAll(o.dir, logged); lerr != nil {
			e.printf("The song's log (%s) could not be updated: %v\n", songlog.File, lerr)
		}
	}
	for _, tk := range takes {
		e.printf("Recorded %s on track %q: %s (audio/%s)\n", timeText(tk.Frames, rate), tk.Track, dropoutText(tk.Info.Dropouts), tk.File)
		if tk.MIDI {
			if n, err := midiNotes(projects.AudioPath(o.dir, tk.File), rate); err == nil {
				e.printf("  %d notes played.\n", n)
			}
		}
	}
	if xruns > 0 {
		e.printf("The device reported %d dropout(s) during the session.\n", xruns)
	}
	if err == nil {
		err = cerr
	}
	return err
}

// waitForKeyboards says which MIDI keyboards a recording listens to, once
// the ones plugged in are open.
func waitForKeyboards(e *env, ss *session.Session) error {
	if err := ss.MIDIErr(); err != nil {
		return err
	}
	// The listener opens the keyboards on its own goroutine: give the
	// ones that are plugged in a moment to open before recording.
	if ports, err := input.List(); err == nil && len(ports) > 0 {
		deadline := time.Now().Add(2 * time.Second)
		for len(ss.MIDIPorts()) == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		// A new JACK connection carries notes only once the server has
		// rebuilt its graph, a few cycles later.
		time.Sleep(300 * time.Millisecond)
	}
	var names []string
	for _, p := range ss.MIDIPorts() {
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		names = []string{"none yet: plug one in, it is found without a restart"}
	}
	fmt.Fprintf(e.stderr, "MIDI keyboard: %s\n", strings.Join(names, ", "))
	return nil
}

func chText(n int) string {
	if n == 2 {
		return "stereo"
	}
	return "mono"
}

func dropoutText(d []int64) string {
	if len(d) == 0 {
		return "no dropouts"
	}
	return fmt.Sprintf("%d dropout(s), noted in the song", len(d))
}

// waitUntil waits until done() holds, the user interrupts, the device
// is lost or the butler fails.
func waitUntil(ctx context.Context, ss *session.Session, done func() bool) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	lost := ss.Live().Lost()
	for !done() {
		select {
		case <-ctx.Done():
			return errors.New("interrupted; what was recorded so far is kept")
		case <-lost:
			return ss.DeviceErr()
		case <-tick.C:
			if err := ss.ButlerErr(); err != nil {
				return err
			}
		}
	}
	return nil
}

func cmdPlay(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("play", flag.ContinueOnError)
	from := fs.Float64("from", 0, "start at this time, in seconds")
	seconds := fs.Float64("seconds", 0, "play this long (default: to the end of the song)")
	click := fs.Bool("click", false, "play the metronome")
	df := addDeviceFlags(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	dir := pos[0]
	cfg, s, err := deviceAndSong(e, dir, df)
	if err != nil {
		return err
	}
	ss, err := session.Open(dir, s, session.Options{Device: cfg, Click: *click, Latency: int64(*df.latency)})
	if err != nil {
		return err
	}
	eng := ss.Engine()
	start := int64(*from * float64(s.Rate))
	end := s.Length()
	if *seconds > 0 {
		end = start + int64(*seconds*float64(s.Rate))
	}
	eng.Locate(start)
	eng.Play()
	fmt.Fprintf(e.stderr, "Playing on %s from %s to %s…\n", ss.Live().Status().Device, timeText(start, s.Rate), timeText(end, s.Rate))
	err = waitUntil(ctx, ss, func() bool { return eng.Position() >= end })
	xruns, underruns := eng.Xruns(), eng.Underruns()
	timer, _ := ss.Stream().(device.Timer)
	_, cerr := ss.Close()
	fmt.Fprintf(e.stderr, "Xruns: %d (buffers the device reported late or lost); underruns: %d (the disk could not keep up)\n", xruns, underruns)
	if timer != nil {
		fmt.Fprintf(e.stderr, "Callback times (µs): %v\n", timer.CallbackTimes())
	}
	if err == nil {
		err = cerr
	}
	return err
}

func cmdCalibrate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	seconds := fs.Float64("seconds", 4, "how long to play clicks")
	out := fs.Int("output", 1, "output channel the cable is plugged into (from 1)")
	in := fs.Int("input", 1, "input channel the cable is plugged into (from 1)")
	rate := fs.Int("rate", projects.DefaultRate, "sample rate: 44100, 48000 or 96000")
	df := addDeviceFlags(fs)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	cfg, err := df.config()
	if err != nil {
		return err
	}
	cfg.Rate = *rate
	fmt.Fprintf(e.stderr, "Connect output %d to input %d with a cable. Playing clicks for %.0f seconds…\n", *out, *in, *seconds)
	res, err := calibrate.MeasureContext(ctx, cfg, *seconds, *out-1, *in-1)
	if err != nil {
		return err
	}
	store := calibrate.DefaultStore()
	if err := store.Save(cfg.Device, cfg.Rate, res.Offset()); err != nil {
		return fmt.Errorf("measured %d frames, but could not store it: %w", res.Delay, err)
	}
	e.printf("Round trip: %d frames (%.2f ms); the device reports %d; heard %d of %d clicks.\n",
		res.Delay, float64(res.Delay)*1000/float64(cfg.Rate), res.Reported, res.Heard, res.Clicks)
	e.printf("Stored an offset of %+d frames for %s at %d Hz in %s.\n", res.Offset(), cfg.Device, cfg.Rate, store.Path)
	return nil
}
