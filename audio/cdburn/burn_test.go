package cdburn

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeSpec is what a fake cdrdao prints for each command (see
// transcripts_test.go for the line conventions), and its exit status.
type fakeSpec struct {
	scanbus      []string
	diskInfo     []string
	diskInfoExit int
	write        []string
	writeExit    int
}

type fake struct {
	*host   // the system's, running the fake
	dir     string
	log     string // one line per run: the arguments
	pid     string // the write's process id
	childID string // the write's hanging child's process id
	cwd     string // the write's working folder
}

func shq(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// script returns sh commands that print the transcript.
func (f *fake) script(tr []string) string {
	var b strings.Builder
	for _, l := range tr {
		switch {
		case strings.HasPrefix(l, "@sleep "):
			fmt.Fprintf(&b, "sleep %s\n", strings.TrimPrefix(l, "@sleep "))
		case l == "@hang":
			fmt.Fprintf(&b, "sleep 60 &\necho $! > %s\nwait\n", shq(f.childID))
		case l == "@spam":
			b.WriteString("while :; do printf '%s\\r' 'Wrote 100 of 280 MB (Buffers 100%  98%).' >&2; sleep 0.05; done\n")
		case strings.HasPrefix(l, "@out "):
			fmt.Fprintf(&b, "printf '%%s\\n' %s\n", shq(strings.TrimPrefix(l, "@out ")))
		case strings.HasSuffix(l, "\r"):
			fmt.Fprintf(&b, "printf '%%s\\r' %s >&2\n", shq(strings.TrimSuffix(l, "\r")))
		default:
			fmt.Fprintf(&b, "printf '%%s\\n' %s >&2\n", shq(l))
		}
	}
	return b.String()
}

// installFake writes a fake cdrdao into a temporary folder and returns
// the system's host with that command.
func installFake(t *testing.T, spec fakeSpec) *fake {
	t.Helper()
	dir := t.TempDir()
	f := &fake{dir: dir, log: filepath.Join(dir, "calls"), pid: filepath.Join(dir, "pid"), childID: filepath.Join(dir, "child"), cwd: filepath.Join(dir, "cwd")}
	sh := fmt.Sprintf(`#!/bin/sh
echo "$*" >> %s
case "$1" in
scanbus)
%s
exit 0
;;
disk-info)
%s
exit %d
;;
write)
echo $$ > %s
pwd > %s
%s
exit %d
;;
esac
echo "ERROR: unexpected command $1" >&2
exit 1
`, shq(f.log), f.script(spec.scanbus), f.script(spec.diskInfo), spec.diskInfoExit, shq(f.pid), shq(f.cwd), f.script(spec.write), spec.writeExit)
	path := filepath.Join(dir, "cdrdao")
	if err := os.WriteFile(path, []byte(sh), 0o755); err != nil {
		t.Fatal(err)
	}
	f.host = system()
	f.host.command = path
	return f
}

func (f *fake) calls(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(f.log)
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func (f *fake) wrote(t *testing.T) bool {
	for _, c := range f.calls(t) {
		if strings.HasPrefix(c, "write") {
			return true
		}
	}
	return false
}

// gone waits up to 3 s for the process in file to be gone (or a zombie
// nobody reaps: in a container the init may not).
func gone(t *testing.T, file string) bool {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("no pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			return true
		}
		if st, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil {
			if f := strings.Fields(string(st)); len(f) > 2 && f[2] == "Z" {
				return true
			}
		}
	}
	return false
}

// discTOC writes a small TOC with CD-TEXT (or without) and returns its path.
func discTOC(t *testing.T, cdtext bool) string {
	t.Helper()
	dir := t.TempDir()
	toc := "CD_DA\n"
	if cdtext {
		toc += "CD_TEXT {\n  LANGUAGE_MAP { 0 : EN }\n  LANGUAGE 0 { TITLE \"Morgenlys\" PERFORMER \"Gruppa\" }\n}\n"
	}
	toc += "TRACK AUDIO\n"
	if cdtext {
		toc += "CD_TEXT { LANGUAGE 0 { TITLE \"Sang 1\" } }\n"
	}
	toc += "FILE \"disc.bin\" 0 01:00:00\n"
	path := filepath.Join(dir, "disc.toc")
	if err := os.WriteFile(path, []byte(toc), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func burnErr(t *testing.T, err error) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want *Error, got %v (%T)", err, err)
	}
	if e.Error() != e.Text {
		t.Errorf("Error() %q != Text %q", e.Error(), e.Text)
	}
	return e
}

func TestBurnSucceeds(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write []string
	}{{"raw driver", writeRaw}, {"generic-mmc", writeMMC}} {
		t.Run(tc.name, func(t *testing.T) {
			f := installFake(t, fakeSpec{diskInfo: diskInfoBlank, write: tc.write})
			toc := discTOC(t, true)
			var ps []Progress
			err := f.burn(context.Background(), toc, 60*4500, Options{Device: "/dev/sr0", Speed: 8, Eject: true}, func(p Progress) { ps = append(ps, p) })
			if err != nil {
				t.Fatalf("Burn: %v", err)
			}
			if len(ps) < 20 {
				t.Fatalf("only %d progress calls", len(ps))
			}
			for i := 1; i < len(ps); i++ {
				if ps[i].Fraction < ps[i-1].Fraction {
					t.Errorf("fraction went back: %+v → %+v", ps[i-1], ps[i])
				}
			}
			if ps[0].Fraction != 0 || ps[0].Stage != StageStarting {
				t.Errorf("first: %+v", ps[0])
			}
			if last := ps[len(ps)-1]; last.Fraction != 1 || last.Stage != StageDone {
				t.Errorf("last: %+v", last)
			}
			maxTrack := 0
			for _, p := range ps {
				maxTrack = max(maxTrack, p.Track)
				if strings.Contains(p.Line, "\r") {
					t.Errorf("line with CR: %q", p.Line)
				}
			}
			if maxTrack < 2 {
				t.Errorf("tracks up to %d", maxTrack)
			}
			calls := f.calls(t)
			want := []string{"disk-info --device /dev/sr0", "write --device /dev/sr0 --speed 8 --eject -n " + toc}
			if strings.Join(calls, "|") != strings.Join(want, "|") {
				t.Errorf("calls %q, want %q", calls, want)
			}
			// cdrdao 1.2.4 opens the TOC's FILEs from its working folder.
			if cwd, _ := os.ReadFile(f.cwd); strings.TrimSpace(string(cwd)) != filepath.Dir(toc) {
				t.Errorf("ran in %q, not in the TOC's folder", cwd)
			}
		})
	}
}

func TestBurnSucceedsWithoutSuccessLine(t *testing.T) {
	// An exit status 0 is a good burn even if the last line was missed.
	f := installFake(t, fakeSpec{diskInfo: diskInfoBlank, write: writeRaw[:len(writeRaw)-1]})
	var last Progress
	if err := f.burn(context.Background(), discTOC(t, false), 0, Options{Device: "/dev/sr0"}, func(p Progress) { last = p }); err != nil {
		t.Fatal(err)
	}
	if last.Stage != StageDone || last.Fraction != 1 || last.DoneMB != 280 {
		t.Errorf("last %+v", last)
	}
}

func TestBurnRefusesBeforeWriting(t *testing.T) {
	for _, tc := range []struct {
		name     string
		diskInfo []string
		exit     int
		need     int64
		want     error
		says     string
	}{
		{"not blank", diskInfoWritten, 0, 0, ErrNotBlank, "not blank"},
		{"CD-RW not blank", diskInfoRWAppendable, 0, 0, ErrNotBlank, "CD-RW"},
		{"no disc", diskInfoNoDisc, 1, 0, ErrNoDisc, "There is no disc in the drive"},
		{"too small", diskInfoBlank70, 0, 72 * 4500, ErrTooSmall, "The disc is too small: the image needs 72 minutes, the disc holds 70"},
		{"just too small", diskInfoBlank70, 0, 315001, ErrTooSmall, "needs 71 minutes, the disc holds 70"},
		{"no drive", diskInfoNoDevice, 1, 0, ErrNoDrive, "(/dev/sr0) was not found"},
		{"no permission", diskInfoNoPermission, 1, 0, ErrPermission, "You do not have permission to use the CD writer (/dev/sr0)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := installFake(t, fakeSpec{diskInfo: tc.diskInfo, diskInfoExit: tc.exit, write: writeRaw})
			called := false
			err := f.burn(context.Background(), discTOC(t, true), tc.need, Options{Device: "/dev/sr0"}, func(Progress) { called = true })
			e := burnErr(t, err)
			if !errors.Is(err, tc.want) || !strings.Contains(e.Text, tc.says) {
				t.Errorf("got %q (%v), want %v saying %q", e.Text, e.Err, tc.want, tc.says)
			}
			if e.TryWithoutCDText {
				t.Error("TryWithoutCDText for a disc problem")
			}
			if f.wrote(t) || called {
				t.Errorf("write was run: %q", f.calls(t))
			}
		})
	}
	// A disc big enough passes the check.
	f := installFake(t, fakeSpec{diskInfo: diskInfoBlank70, write: writeMMC})
	if err := f.burn(context.Background(), discTOC(t, false), 315000, Options{Device: "/dev/sr0"}, nil); err != nil {
		t.Errorf("exactly full: %v", err)
	}
	// A missing image is refused before asking the drive.
	f = installFake(t, fakeSpec{diskInfo: diskInfoBlank, write: writeMMC})
	err := f.burn(context.Background(), filepath.Join(t.TempDir(), "disc.toc"), 0, Options{Device: "/dev/sr0"}, nil)
	if !errors.Is(err, ErrImage) || len(f.calls(t)) != 0 {
		t.Errorf("missing image: %v, calls %q", err, f.calls(t))
	}
}

func TestBurnFailures(t *testing.T) {
	failEnd := []string{"ERROR: Writing failed."}
	for _, tc := range []struct {
		name   string
		write  []string
		cdtext bool
		try    bool
		says   string
	}{
		{
			"CD-TEXT lead-in fails (generic-mmc)",
			join(writeMMC[:9], []string{"Writing CD-TEXT lead-in...", "@sleep 0.01", "",
				"SCSI command failed", "ERROR: Writing of CD-TEXT data failed."}, failEnd),
			true, true, "could not write the song titles (CD-TEXT)",
		},
		{
			"CD-TEXT not supported (raw driver)",
			join(writeStartRaw[:6], []string{"ERROR: Cannot write CD-TEXT data because the 96 byte raw P-W sub-channel data mode is not supported.",
				"ERROR: Use option --force to ignore this error."}, failEnd),
			true, true, "CD-TEXT",
		},
		{
			"lead-in fails (cdrdao issue #36)",
			join(writeStartRaw, []string{"Writing lead-in and gap..."}, wrote(1, 5, 20, 1, false), []string{"ERROR: Write data failed."}, failEnd),
			true, true, "at the very start of the disc",
		},
		{
			"lead-in fails, no CD-TEXT in the image",
			join(writeStartRaw, []string{"Writing lead-in and gap..."}, wrote(1, 5, 20, 1, false), []string{"ERROR: Write data failed."}, failEnd),
			false, false, "at the very start of the disc",
		},
		{
			"cue sheet refused",
			join(writeMMC[:9], []string{"ERROR: Drive does not accept any cue sheet variant - please report."}, failEnd),
			true, true, "refused",
		},
		{
			"fails in the music",
			join(writeMMC[:11], wrote(1, 120, 280, 10, true), []string{"ERROR: Write data failed.", "ERROR: Writing failed - buffer under run?"}, failEnd),
			true, false, "Writing failed at 43 %. This disc can probably not be used any more. Try again at a lower speed.",
		},
		{
			"power calibration",
			join(writeMMC[:8], []string{"ERROR: Power calibration failed.", "ERROR: Use option --force to ignore this error."}, failEnd),
			true, false, "power calibration failed",
		},
		{
			"speed",
			[]string{banner, "ERROR: Writing speed 52 not supported by device."},
			true, false, "cannot write at speed 52",
		},
		{
			"image",
			[]string{banner, `ERROR: Could not find input file "disc.bin".`},
			true, false, "The disc image could not be read",
		},
		{
			"disc written after all",
			[]string{banner, "ERROR: Inserted disk is not empty and not appendable."},
			true, false, "not blank",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := installFake(t, fakeSpec{diskInfo: diskInfoBlank, write: tc.write, writeExit: 1})
			err := f.burn(context.Background(), discTOC(t, tc.cdtext), 0, Options{Device: "/dev/sr0"}, nil)
			e := burnErr(t, err)
			if e.TryWithoutCDText != tc.try || !strings.Contains(e.Text, tc.says) {
				t.Errorf("got %q try=%v, want %q try=%v", e.Text, e.TryWithoutCDText, tc.says, tc.try)
			}
			var exit interface{ ExitCode() int }
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Errorf("exit status not kept: %v", e.Err)
			}
			if len(e.Tail) == 0 || len(e.Tail) > tailLines || e.Tail[len(e.Tail)-1] != lines(tc.write)[len(lines(tc.write))-1] {
				t.Errorf("tail %q", e.Tail)
			}
			for _, l := range e.Tail {
				if strings.HasPrefix(l, "Wrote ") && strings.Contains(l, " MB") {
					t.Errorf("progress line in tail: %q", l)
				}
			}
		})
	}
}

func TestBurnSimulateKeepsDisc(t *testing.T) {
	f := installFake(t, fakeSpec{diskInfo: diskInfoBlank, write: join(writeMMC[:11], wrote(1, 50, 280, 10, true), []string{"ERROR: Write data failed.", "ERROR: Simulation failed."}), writeExit: 1})
	err := f.burn(context.Background(), discTOC(t, true), 0, Options{Device: "/dev/sr0", Simulate: true}, nil)
	e := burnErr(t, err)
	if strings.Contains(e.Text, "not be used any more") || !strings.HasPrefix(e.Text, "Writing failed at") {
		t.Errorf("simulation: %q", e.Text)
	}
	if c := f.calls(t); len(c) != 2 || !strings.Contains(c[1], "--simulate") {
		t.Errorf("calls %q", c)
	}
}

func TestBurnStall(t *testing.T) {
	f := installFake(t, fakeSpec{diskInfo: diskInfoBlank, write: join(writeStartRaw, []string{"Writing lead-in and gap...", "@hang"})})
	f.killGrace = time.Second
	start := time.Now()
	err := f.burn(context.Background(), discTOC(t, true), 0, Options{Device: "/dev/sr0", Stall: 300 * time.Millisecond}, nil)
	e := burnErr(t, err)
	if !errors.Is(err, ErrStalled) || !strings.Contains(e.Text, "stopped responding") {
		t.Errorf("got %q (%v)", e.Text, e.Err)
	}
	if !e.TryWithoutCDText {
		t.Error("a hang in the CD-TEXT lead-in should offer burning without CD-TEXT")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if !gone(t, f.pid) || !gone(t, f.childID) {
		t.Error("the fake cdrdao (or its child) is still running")
	}
}

func TestBurnTimeout(t *testing.T) {
	f := installFake(t, fakeSpec{diskInfo: diskInfoBlank, write: join(writeMMC[:11], []string{"@spam"})})
	f.killGrace = time.Second
	start := time.Now()
	err := f.burn(context.Background(), discTOC(t, true), 0, Options{Device: "/dev/sr0", Timeout: 400 * time.Millisecond, Stall: time.Minute}, nil)
	e := burnErr(t, err)
	if !errors.Is(err, ErrTimedOut) || !strings.Contains(e.Text, "took longer than") || e.TryWithoutCDText {
		t.Errorf("got %q (%v) try=%v", e.Text, e.Err, e.TryWithoutCDText)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if !gone(t, f.pid) {
		t.Error("the fake cdrdao is still running")
	}
}

func TestBurnCancel(t *testing.T) {
	f := installFake(t, fakeSpec{diskInfo: diskInfoBlank, write: join(writeMMC[:11], wrote(1, 60, 280, 10, true), []string{"@hang"})})
	f.killGrace = time.Second
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var last Progress
	err := f.burn(ctx, discTOC(t, true), 0, Options{Device: "/dev/sr0"}, func(p Progress) {
		last = p
		if p.DoneMB >= 40 {
			cancel()
		}
	})
	e := burnErr(t, err)
	if !errors.Is(err, context.Canceled) || !strings.Contains(e.Text, "stopped") || e.TryWithoutCDText {
		t.Errorf("got %q (%v)", e.Text, e.Err)
	}
	if last.Stage != StageWriting || last.DoneMB < 40 {
		t.Errorf("last progress %+v", last)
	}
	if !gone(t, f.pid) {
		t.Error("the fake cdrdao is still running")
	}
	if _, err := os.Stat(f.childID); err == nil && !gone(t, f.childID) {
		t.Error("the fake cdrdao's child is still running")
	}

	// Cancelled before it starts: nothing is run.
	f = installFake(t, fakeSpec{diskInfo: diskInfoBlank, write: writeMMC})
	err = f.burn(ctx, discTOC(t, true), 0, Options{Device: "/dev/sr0"}, nil)
	if !errors.Is(err, context.Canceled) || len(f.calls(t)) != 0 {
		t.Errorf("cancelled: %v, calls %q", err, f.calls(t))
	}
}

func TestBurnNotInstalled(t *testing.T) {
	f := &fake{host: system()}
	f.command = filepath.Join(t.TempDir(), "no-cdrdao")
	err := f.burn(context.Background(), discTOC(t, true), 0, Options{Device: "/dev/sr0"}, nil)
	if e := burnErr(t, err); !errors.Is(err, ErrNotInstalled) || !strings.Contains(e.Text, "not installed") {
		t.Errorf("got %v", err)
	}
	if _, err := f.drives(context.Background()); !errors.Is(err, ErrNotInstalled) {
		t.Errorf("Drives: %v", err)
	}
}
