// Command sangstudio is Sangstudio: a recording and mixing companion for
// song-writing sessions. With no arguments it opens the app; subcommands do
// the same work without a window.
//
// This file only wires: flags and messages. The work is done by the
// packages that the window uses too.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"

	flag "github.com/spf13/pflag"

	// First, before Fyne reads the locale: see the package's comment.
	_ "sangstudio/internal/locale"
	"sangstudio/projects"
	"sangstudio/ui/app"
)

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return &usageError{fmt.Sprintf(format, a...)} }

type command struct {
	name, args, help string
	run              func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch: its output streams.
type env struct {
	stdout, stderr io.Writer
}

func (e *env) printf(format string, a ...any) { fmt.Fprintf(e.stdout, format, a...) }

var commands []command

func init() {
	commands = []command{
		{"open", "SONG_DIR", "open the window on a song (with no command, the window opens on the song library)", cmdOpen},
		{"new", "SONG_DIR [--title T] [--rate HZ] [--tempo BPM] [--meter 4/4]", "create an empty song", cmdNew},
		{"import", "SONG_DIR FILE...", "add one track per audio file, one MIDI track per channel of a .mid file (the song is created if needed)", cmdImport},
		{"add-track", "SONG_DIR NAME [--midi [--sound S]] [--stereo]", "add an empty audio track, or a MIDI track with a sound", cmdAddTrack},
		{"set", "SONG_DIR TRACK [--gain DB] [--pan P] [--mute|--unmute] [--solo|--unsolo] [--sound S]", "change a track's mix, or a MIDI track's sound (TRACK: number, name, or master)", cmdSet},
		{"fx", "SONG_DIR TRACK [--preset NAME] [--hpf HZ|off] [--eq BANDS|off] [--comp SETTINGS|off] [--reverb DB|off] [--delay DB|off] [--off] | SONG_DIR reverb [--preset NAME] [--room R] [--damp D] [--width W] [--wet DB] | SONG_DIR delay [--ms MS|--beats B] [--feedback F] [--lowpass HZ] [--wet DB] | --list",
			"set a track's effects (high-pass, EQ, compressor, sends to the reverb and the delay), or the song's reverb or delay; --list shows the presets", cmdFx},
		{"beat", "SONG_DIR (--preset NAME | --pattern TEXT [--triplets]) [--bars N] [--fill NAME] [--from WHERE] [--to WHERE | --times N] [--swing F] [--humanize F [--seed N]] [--soft V] [--normal V] [--accent V] [--track NAME] | SONG_DIR --export FILE.mid [--track NAME] | --list",
			"make a beat: a drum pattern (a preset, or steps as text) on a beat track, repeated from --from to --to (a marker, \"bar N\", start or end); --export writes the beat track as a MIDI file; --list shows the presets, fills, drums and the text form", cmdBeat},
		{"info", "SONG_DIR", "show the song's tracks, clips, mix and effects", cmdInfo},
		{"tidy", "SONG_DIR [--bin | --restore] [--yes]", "list the files in audio/ that no version of the song uses; move them into the song's bin, or bring them back as tracks", cmdTidy},
		{"render", "SONG_DIR [--mix OUT.wav] [--stems DIR] [--bits 16|24|32f]", "mix the song to a stereo WAV and/or one stem per track", cmdRender},
		{"loudness", "FILE|SONG_DIR", "measure loudness (EBU R128: integrated, range, true peak, sample peak) of a WAV file or of a song's mix", cmdLoudness},
		{"master", "SONG_DIR --out FILE [--preset streaming|cd|off] [--target LUFS] [--ceiling DBTP] [--format mp3|wav|wav24|flac|flac24] [--artist NAME] [--album A] [--track N]", "make a finished, loudness-normalized master of the song: MP3, WAV or FLAC", cmdMaster},
		{"takehome", "SONG_DIR --to DIR [--mp3] [--wav] [--flac] [--lyrics] [--preset P] | --list", "put the finished song (MP3 by default) on a USB stick, in a folder named after the song; --list shows the sticks", cmdTakeHome},
		{"album", "ALBUM_DIR [--title T] [--performer P] [--gap S] [SONG_DIR...]", "create or change a CD album: its title, performer and songs in order", cmdAlbum},
		{"cd", "ALBUM_DIR --out DIR | --title T [--performer P] [--gap S] SONG_DIR... --out DIR  [--burn [--device DEV] [--simulate] [--no-cd-text]] | --list-drives", "make an audio CD image (BIN/CUE, cdrdao TOC with CD-TEXT, track masters, a track list for the case) and burn it", cmdCD},
		{"demo", "DIR [--rate HZ]", "write a short demo song made by Sangstudio itself", cmdDemo},
		{"archive", "SONG_DIR OUT.zip", "write the song and its takes to one zip file, to move it to another machine", cmdArchive},
		{"unarchive", "FILE.zip LIBRARY_DIR", "bring a song archive into a song library (refuses anything unsafe in it)", cmdUnarchive},
		{"sounds", "", "list the General MIDI sounds MIDI tracks can play", cmdSounds},
		{"soundfont", "SONG_DIR [FILE.sf2|default|builtin]", "show or choose the SoundFont the song's MIDI tracks play through", cmdSoundFont},
		{"devices", "", "list the audio devices (and the virtual device) and the MIDI keyboards", cmdDevices},
		{"record", "SONG_DIR --seconds N [--inputs 1,2] [--track NAME] [--midi [--midi-in PORT] [--sound S]] [--device ID] [--buffer FRAMES] [--count-in BARS] [--click]", "record while the song plays: new tracks, or new takes on --track; --midi records the MIDI keyboard", cmdRecord},
		{"calibrate", "[--device ID] [--output N] [--input N] [--rate HZ]", "measure the round-trip latency with a cable from an output to an input", cmdCalibrate},
		{"play", "SONG_DIR [--from SECONDS] [--seconds N] [--device ID] [--click]", "play the song on an audio device", cmdPlay},
		{"version", "", "print the version", cmdVersion},
		{"help", "[COMMAND]", "show this help", cmdHelp},
	}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	// The audio callback enters Go from the device's real-time thread and
	// must get a Go processor (P) first: with one P per CPU, all of them
	// held by busy goroutines (the window, the disk goroutine, the garbage
	// collector), it waits for one to be handed over, up to tens of
	// milliseconds on a busy machine (device.BenchmarkJACKEntry). Two spare
	// Ps let it in at once. GOMAXPROCS set by the user wins.
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(runtime.NumCPU() + 2)
	}
	// A command stops on the first SIGINT or SIGTERM (see signals.go). The
	// window keeps to its own close, as before: signals do not end it.
	var ctx context.Context
	var stop func()
	if args := os.Args[1:]; len(args) == 0 || args[0] == "open" || !isCommand(args[0]) {
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	} else {
		ctx, stop = watchSignals(os.Stderr, os.Exit)
	}
	// SANGSTUDIO_CPUPROFILE=FILE writes a CPU profile of a command (for
	// developers; the window ends through app.Config.Exit, without one).
	if p := os.Getenv("SANGSTUDIO_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
		}
	}
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	pprof.StopCPUProfile()
	stop()
	os.Exit(code)
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		return openApp(e, "")
	}
	name := args[0]
	if name == "-h" || name == "--help" {
		name = "help"
	}
	for _, c := range commands {
		if c.name == name {
			err := c.run(ctx, e, args[1:])
			if code, ok := stopped(ctx, e, c.name, err); ok {
				return code
			}
			if err == nil {
				return 0
			}
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			var ue *usageError
			if errors.As(err, &ue) {
				fmt.Fprintf(stderr, "sangstudio %s: %v\nusage: sangstudio %s %s\n", c.name, err, c.name, c.args)
				return 2
			}
			fmt.Fprintf(stderr, "sangstudio %s: %v\n", c.name, err)
			return 1
		}
	}
	if l, ok, err := parseFileArgs(args); ok {
		if err != nil {
			fmt.Fprintf(stderr, "sangstudio: %v\n", err)
			return 2
		}
		return openFileArgs(ctx, e, l)
	}
	fmt.Fprintf(stderr, "sangstudio: unknown command %q\n\n", name)
	printUsage(stderr)
	return 2
}

// openApp opens the window (on song dir, if given).
func openApp(e *env, dir string) int {
	return app.Run(app.Config{Song: dir, Version: version, Stderr: e.stderr, Ready: readyHook()})
}

func cmdOpen(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("open", flag.ContinueOnError)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if !projects.Exists(pos[0]) {
		return fmt.Errorf("%s: %w", pos[0], projects.ErrNotASong)
	}
	if code := openApp(e, pos[0]); code != 0 {
		return errWindow
	}
	return nil
}

// errWindow: the window could not be opened (the reason is printed).
var errWindow = errors.New("the window could not be opened")

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: sangstudio COMMAND [ARGUMENTS]")
	fmt.Fprintln(w, "       sangstudio FILE.wav|FILE.mid...   (opens the window on a new song made from the files)")
	fmt.Fprintln(w, "       sangstudio SONG_DIR               (opens the window on that song)")
	fmt.Fprintln(w)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n            %s\n", c.name, c.args, c.help)
	}
}

func cmdHelp(_ context.Context, e *env, args []string) error {
	if len(args) == 1 {
		for _, c := range commands {
			if c.name == args[0] {
				fmt.Fprintf(e.stdout, "usage: sangstudio %s %s\n  %s\n", c.name, c.args, c.help)
				return nil
			}
		}
		return usagef("unknown command %q", args[0])
	}
	printUsage(e.stdout)
	return nil
}

func cmdVersion(_ context.Context, e *env, _ []string) error {
	e.printf("sangstudio %s\n", version)
	return nil
}

// parse parses flags anywhere among the arguments and returns the
// positional ones, checking their number.
func parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usagef("%v", err)
	}
	pos := fs.Args()
	if len(pos) < minPos {
		return nil, usagef("missing arguments")
	}
	if maxPos >= 0 && len(pos) > maxPos {
		return nil, usagef("unexpected arguments: %s", strings.Join(pos[maxPos:], " "))
	}
	return pos, nil
}
