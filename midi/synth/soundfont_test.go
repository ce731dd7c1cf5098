package synth

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"sangstudio/internal/fuzzcheck"
	"sangstudio/internal/openfile"
	"sangstudio/midi"
)

func TestLoadSoundFontErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(t.TempDir(), "fifo.sf2")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	type tc struct {
		path string
		is   error
		says string
	}
	cases := []tc{
		{filepath.Join(dir, "missing.sf2"), fs.ErrNotExist, "does not exist"},
		{write("notes.sf2", []byte("these are my notes, not a SoundFont\n")), ErrNotSoundFont, "not a SoundFont (.sf2) file"},
		{write("empty.sf2", nil), ErrNotSoundFont, "empty"},
		{write("wave.sf2", append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 40)...)), ErrNotSoundFont, "not a SoundFont"},
		{dir, openfile.ErrNotRegular, "is a folder, not a file"},
		{"/dev/zero", openfile.ErrNotRegular, "is a device, not a file"},
		{fifo, openfile.ErrNotRegular, "is a named pipe (FIFO), not a file"}, // at once, not waiting for a writer
	}
	mini := miniSF2(-1, -1)
	for _, n := range []int{13, 30, 100, len(mini) / 2, len(mini) - 1} {
		cases = append(cases, tc{write("mini-cut.sf2", mini[:n]), ErrDamaged, "damaged"})
	}
	// A sample header pointing past the data: loads, with the zone dropped.
	if data, err := os.ReadFile(timPath); err == nil {
		cases = append(cases,
			tc{write("tim-cut.sf2", data[:len(data)/2]), ErrDamaged, "damaged"},
			tc{write("tim-head.sf2", data[:5000]), ErrDamaged, "damaged"})
	}
	for _, c := range cases {
		sf, err := LoadSoundFont(c.path)
		if err == nil {
			t.Errorf("%s loaded (%d zones dropped)", filepath.Base(c.path), sf.Dropped())
			continue
		}
		t.Logf("%v", err)
		if !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("error %q should name the file and say %q", err, c.says)
		}
		if c.is != nil && !errors.Is(err, c.is) {
			t.Errorf("error %q is not %v", err, c.is)
		}
	}
}

func TestMiniSoundFont(t *testing.T) {
	sf, err := parseSoundFont("mini.sf2", bytes.NewReader(miniSF2(-1, -1)), int64(len(miniSF2(-1, -1))))
	if err != nil {
		t.Fatal(err)
	}
	if sf.Dropped() != 0 || sf.Name() != "Mini" || sf.PresetName(Sound{}) != "Sine" || sf.PresetName(Sound{Program: 5}) != "" {
		t.Fatalf("dropped %d, name %q, preset %q", sf.Dropped(), sf.Name(), sf.PresetName(Sound{}))
	}
	l, _ := render(t, newInst(t, sf, Sound{}), []midi.Event{ev(0, on(69, 127))}, testRate/2, 1000)
	if f := zeroCrossFreq(l[testRate/4:], testRate); f < 440*0.995 || f > 440*1.005 {
		t.Fatalf("the 440 Hz sine sample plays at %.2f Hz", f)
	}
	// A zone whose sample ends past the data would crash the player.
	bad := miniSF2(0, 1<<20)
	sf, err = parseSoundFont("bad.sf2", bytes.NewReader(bad), int64(len(bad)))
	if err != nil {
		t.Fatal(err)
	}
	if sf.Dropped() != 1 {
		t.Fatalf("dropped %d zones, want 1", sf.Dropped())
	}
	in := newInst(t, sf, Sound{})
	if l, _ := render(t, in, []midi.Event{ev(0, on(69, 127))}, 4800, 1000); peak(l) != 0 || in.Faults() != 0 {
		t.Fatalf("the dropped zone sounds (peak %g, faults %d)", peak(l), in.Faults())
	}
}

// TestGarbledSampleHeaders overwrites TimGM6mb's sample headers: the file
// loads with the zones that point outside the sample data dropped, and
// every program and drum plays without a fault.
func TestGarbledSampleHeaders(t *testing.T) {
	tim(t)
	data, err := os.ReadFile(timPath)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(data) - 46*40; i < len(data)-46; i += 46 {
		copy(data[i+20:i+40], bytes.Repeat([]byte{0x7F}, 20)) // start, end, loop far away
	}
	sf, err := parseSoundFont("garbled.sf2", bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if sf.Dropped() == 0 {
		t.Fatal("no zone dropped")
	}
	l, r := make([]float32, 128), make([]float32, 128)
	for _, s := range []Sound{{Program: 0}, {Program: 60}, {Program: 127}, {Drums: true}} {
		in := newInst(t, sf, s)
		for key := byte(0); key < 128; key++ {
			in.Event(on(key, 100))
			in.Render(l, r)
			in.Event(cc(midi.CCAllSoundOff, 0))
		}
		if in.Faults() != 0 {
			t.Fatalf("%s: %d faults", s.Name(), in.Faults())
		}
	}
	t.Logf("%d zones dropped", sf.Dropped())
}

func TestTimGM6mb(t *testing.T) {
	sf := tim(t)
	if sf.Path() != timPath || sf.Dropped() != 0 {
		t.Fatalf("path %q, %d zones dropped", sf.Path(), sf.Dropped())
	}
	if !strings.HasPrefix(sf.ID(), "TimGM6mb.sf2-") || len(sf.ID()) < 30 {
		t.Fatalf("ID %q", sf.ID())
	}
	if got := sf.PresetName(Sound{Drums: true}); got == "" {
		t.Fatal("no standard drum kit preset")
	}
}

func TestLoadCachedAndID(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.sf2")
	data := miniSF2(-1, -1)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := LoadCached(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := LoadCached(p)
	if err != nil || a != b {
		t.Fatalf("second LoadCached: %p vs %p, %v", a, b, err)
	}
	c, err := LoadSoundFont(p)
	if err != nil || c == a || c.ID() != a.ID() {
		t.Fatalf("LoadSoundFont: same pointer or other ID %q vs %q (%v)", c.ID(), a.ID(), err)
	}
	// Changed content (same size), new mtime: loaded again, other ID.
	data[bytes.Index(data, []byte("Mini"))+3] = 'o' // the bank name
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(time.Hour)
	os.Chtimes(p, future, future)
	d, err := LoadCached(p)
	if err != nil || d == a || d.ID() == a.ID() {
		t.Fatalf("after a change: same pointer %v or same ID %q (%v)", d == a, d.ID(), err)
	}
	os.Remove(p)
	if _, err := LoadCached(p); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("removed file: %v", err)
	}
}

func TestFindSoundFont(t *testing.T) {
	t.Setenv("SANGSTUDIO_SOUNDFONT", "/somewhere/my.sf2")
	if got := FindSoundFont(); got != "/somewhere/my.sf2" {
		t.Fatalf("with $SANGSTUDIO_SOUNDFONT: %q", got)
	}
	t.Setenv("SANGSTUDIO_SOUNDFONT", "")
	got := FindSoundFont()
	if _, err := os.Stat(timPath); err == nil && got == "" {
		t.Fatal("TimGM6mb is installed but FindSoundFont found nothing")
	}
	if got != "" {
		if _, err := os.Stat(got); err != nil {
			t.Fatalf("FindSoundFont returned %q: %v", got, err)
		}
	}
}

func FuzzLoadSoundFont(f *testing.F) {
	f.Add(miniSF2(-1, -1))
	f.Add(miniSF2(0, 1<<20))
	f.Add([]byte("RIFF\x00\x00\x00\x00sfbk"))
	if data, err := os.ReadFile(timPath); err == nil {
		f.Add(data[:4096])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var sf *SoundFont
		var err error
		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 8 << 20, PerByte: 64}, func() { sf, err = parseSoundFont("fuzz.sf2", bytes.NewReader(data), int64(len(data))) })
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.sf2") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// Playing the font is part of the work: a hang or a blow-up there
		// counts too.
		fuzzcheck.Call(t, len(data), fuzzcheck.Limit{Base: 8 << 20, PerByte: 64}, func() {
			in, err := New(sf, Sound{}, 48000, 256)
			if err != nil {
				t.Fatal(err)
			}
			l, r := make([]float32, 256), make([]float32, 256)
			for _, key := range []byte{0, 60, 69, 127} {
				in.Event(on(key, 127))
			}
			for i := 0; i < 8; i++ {
				in.Render(l, r)
			}
		})
	})
}
