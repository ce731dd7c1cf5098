package cdburn

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sangstudio/internal/testtool"
)

// On this machine (no drive, no /sys/bus/scsi) the real cdrdao finds
// nothing, and Drives says so without an error.
func TestDrivesHere(t *testing.T) {
	testtool.Require(t, "cdrdao")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	drives, err := Drives(ctx)
	if err != nil {
		t.Fatalf("Drives: %v", err)
	}
	for _, d := range drives {
		t.Logf("drive %+v", d)
		if d.Device == "" {
			t.Errorf("drive without device: %+v", d)
		}
	}
}

// The real cdrdao on a missing drive: its own words become a plain one.
func TestInspectRealCdrdaoNoDrive(t *testing.T) {
	testtool.Require(t, "cdrdao")
	dev := "/dev/sr-none"
	if _, err := os.Stat(dev); err == nil {
		t.Skip(dev + " exists")
	}
	_, err := Inspect(context.Background(), dev)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrNoDrive) || !strings.Contains(e.Text, "(/dev/sr-none) was not found") {
		t.Fatalf("got %v", err)
	}
	if !strings.Contains(strings.Join(e.Tail, "\n"), "Unable to open SCSI device /dev/sr-none: No such file or directory.") {
		t.Errorf("tail %q", e.Tail)
	}
	// And Burn stops there.
	err = Burn(context.Background(), discTOC(t, true), 0, Options{Device: dev}, nil)
	if !errors.Is(err, ErrNoDrive) {
		t.Errorf("Burn: %v", err)
	}
}

func TestDrivesFake(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o660); err != nil {
			t.Fatal(err)
		}
		return p
	}
	sr0, sr2 := mk("sr0"), mk("sr2")
	sr1 := filepath.Join(dir, "sr1")
	if err := os.Mkdir(sr1, 0o755); err != nil { // cannot be opened read-write
		t.Fatal(err)
	}
	cdrw := filepath.Join(dir, "cdrw")
	if err := os.Symlink("sr0", cdrw); err != nil {
		t.Fatal(err)
	}
	sys := filepath.Join(dir, "sys")
	for name, id := range map[string][3]string{"sr1": {"ASUS    ", "DRW-24F1ST   a  ", "1.00"}, "sr2": {"TSSTcorp", "CDDVDW SH-224DB ", "SB01"}} {
		d := filepath.Join(sys, name, "device")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, f := range []string{"vendor", "model", "rev"} {
			if err := os.WriteFile(filepath.Join(d, f), []byte(id[i]+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	info := filepath.Join(dir, "cdrom-info")
	if err := os.WriteFile(info, []byte("drive name:\t\tsr2\tsr1\tsr0\nCan write CD-R:\t\t0\t1\t1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	here := func(f *fake) *fake {
		f.devGlob, f.sysBlock, f.cdromInfo = filepath.Join(dir, "sr*"), sys, info
		return f
	}

	f := here(installFake(t, fakeSpec{scanbus: []string{
		banner,
		cdrw + " : HL-DT-ST, DVDRAM GH24NSD1 , LG01", // the same drive as sr0
		"0,0,0 : SONY    , CD-RW  CRX320E  , 1.0k",
	}}))
	drives, err := f.drives(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []Drive{
		{Device: cdrw, Vendor: "HL-DT-ST", Model: "DVDRAM GH24NSD1", Revision: "LG01"},
		{Device: sr1, Vendor: "ASUS", Model: "DRW-24F1ST   a", Revision: "1.00", Problem: sr1 + " cannot be opened: is a directory"},
		{Device: sr2, Vendor: "TSSTcorp", Model: "CDDVDW SH-224DB", Revision: "SB01", Problem: sr2 + " can only read CDs, not write them"},
		{Device: "0,0,0", Vendor: "SONY", Model: "CD-RW  CRX320E", Revision: "1.0k"},
	}
	if len(drives) != len(want) {
		t.Fatalf("got %+v", drives)
	}
	for i := range want {
		if drives[i] != want[i] {
			t.Errorf("drive %d:\n got %+v\nwant %+v", i, drives[i], want[i])
		}
	}
	_ = sr0

	// A scanbus that hangs is given up on, and the nodes are still there.
	f = here(installFake(t, fakeSpec{scanbus: []string{"@hang"}}))
	f.scanbusTimeout, f.killGrace = 300*time.Millisecond, time.Second
	start := time.Now()
	drives, err = f.drives(context.Background())
	if err != nil || len(drives) != 3 || time.Since(start) > 5*time.Second {
		t.Errorf("hanging scanbus: %+v %v after %v", drives, err, time.Since(start))
	}

	// A cancelled context is an error.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := f.drives(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}
