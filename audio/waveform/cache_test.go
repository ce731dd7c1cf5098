package waveform

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sangstudio/internal/wavtest"
	"sangstudio/projects"
)

const take = "0001-Vocals.wav"

// newSong makes a song folder with one take and returns the folder and
// the take's audio.
func newSong(t *testing.T) (string, [][]float32) {
	t.Helper()
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, projects.AudioDir), 0o700); err != nil {
		t.Fatal(err)
	}
	audio := [][]float32{ramp(3000, -1, 0.5), ramp(3000, 0.25, -0.25)}
	wavtest.Write(t, projects.AudioPath(dir, take), 48000, audio)
	return dir, audio
}

func cachePath(dir, take string) string { return filepath.Join(dir, CacheDir, take+".peaks") }

// counter computes peaks and counts how many times it read audio, how many
// reads are under way, and the most there were at once.
type counter struct{ computed, active, maxActive atomic.Int64 }

func (c *counter) compute(r io.ReaderAt, size int64, path string) (*Peaks, error) {
	c.computed.Add(1)
	n := c.active.Add(1)
	defer c.active.Add(-1)
	for m := c.maxActive.Load(); n > m && !c.maxActive.CompareAndSwap(m, n); m = c.maxActive.Load() {
	}
	return compute(r, size, path)
}

// load is Load, reporting whether it read the audio.
func load(t *testing.T, dir, take string) (*Peaks, bool) {
	t.Helper()
	var c counter
	p, err := loadFile(dir, take, "", c.compute)
	if err != nil {
		t.Fatal(err)
	}
	return p, c.computed.Load() != 0
}

func TestLoadCaches(t *testing.T) {
	dir, audio := newSong(t)
	want := brutePeaks(48000, audio)
	p, read := load(t, dir, take)
	if !read {
		t.Fatal("first Load did not compute")
	}
	equalPeaks(t, p, want)
	fi, err := os.Stat(cachePath(dir, take))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("cache file mode %v, want 0600", fi.Mode().Perm())
	}
	for _, d := range []string{".cache", CacheDir} {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: %v %v, want 0700", d, fi.Mode().Perm(), err)
		}
	}
	mtime := fi.ModTime()

	p, read = load(t, dir, take)
	if read {
		t.Error("second Load computed again")
	}
	equalPeaks(t, p, want)
	if fi, _ := os.Stat(cachePath(dir, take)); !fi.ModTime().Equal(mtime) {
		t.Error("second Load rewrote the cache")
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(filepath.Join(dir, CacheDir))
	if len(ents) != 1 {
		t.Errorf("cache folder holds %d files", len(ents))
	}
}

func TestLoadInvalidated(t *testing.T) {
	dir, _ := newSong(t)
	load(t, dir, take)
	path := projects.AudioPath(dir, take)
	old, _ := os.Stat(path)

	// Same size, new content and time.
	audio := [][]float32{ramp(3000, 0.5, -1), ramp(3000, 0, 0)}
	wavtest.Write(t, path, 48000, audio)
	os.Chtimes(path, old.ModTime().Add(time.Second), old.ModTime().Add(time.Second))
	if fi, _ := os.Stat(path); fi.Size() != old.Size() {
		t.Fatal("test file changed size")
	}
	p, read := load(t, dir, take)
	if !read {
		t.Fatal("Load used the cache of the old take")
	}
	equalPeaks(t, p, brutePeaks(48000, audio))
	if _, read := load(t, dir, take); read {
		t.Error("cache not rewritten")
	}

	// New size, same time.
	mt := old.ModTime().Add(time.Second)
	audio = [][]float32{ramp(4000, -0.1, 0.1), ramp(4000, 0, 0)}
	wavtest.Write(t, path, 48000, audio)
	os.Chtimes(path, mt, mt)
	p, read = load(t, dir, take)
	if !read {
		t.Fatal("Load used the cache of the old take")
	}
	equalPeaks(t, p, brutePeaks(48000, audio))
}

// fixCRC recomputes the checksum of a cache file, so that the other checks
// are what a damage has to get past.
func fixCRC(b []byte) []byte {
	binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
	return b
}

func TestLoadDamaged(t *testing.T) {
	dir, audio := newSong(t)
	want := brutePeaks(48000, audio)
	load(t, dir, take)
	good, err := os.ReadFile(cachePath(dir, take))
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	le := binary.LittleEndian
	damages := map[string][]byte{
		"empty":         {},
		"truncated":     good[:len(good)-9],
		"header only":   good[:headerSize],
		"longer":        append(bytes.Clone(good), 0, 0, 0, 0, 0, 0, 0, 0),
		"garbage":       bytes.Repeat([]byte("garbage!"), 100),
		"flipped bit":   edit(func(b []byte) []byte { b[len(b)/2] ^= 4; return b }),
		"bad magic":     edit(func(b []byte) []byte { b[0] = 'X'; return fixCRC(b) }),
		"new version":   edit(func(b []byte) []byte { le.PutUint32(b[8:], 2); return fixCRC(b) }),
		"huge count":    edit(func(b []byte) []byte { le.PutUint64(b[44:], 1<<60); return fixCRC(b) }),
		"huge frames":   edit(func(b []byte) []byte { le.PutUint64(b[20:], 1<<62); return fixCRC(b) }),
		"zero per peak": edit(func(b []byte) []byte { le.PutUint32(b[16:], 0); return fixCRC(b) }),
		"other take":    edit(func(b []byte) []byte { b[headerSize] = '9'; return fixCRC(b) }),
		"name too long": edit(func(b []byte) []byte { le.PutUint16(b[52:], 0xffff); return fixCRC(b) }),
		"other size":    edit(func(b []byte) []byte { b[28]++; return fixCRC(b) }),
		"other time":    edit(func(b []byte) []byte { b[36]++; return fixCRC(b) }),
		"other per peak": edit(func(b []byte) []byte {
			le.PutUint32(b[16:], 512) // valid, but not what Load makes
			le.PutUint64(b[20:], 512*uint64(len(want.Min)))
			return fixCRC(b)
		}),
	}
	for name, data := range damages {
		t.Run(name, func(t *testing.T) {
			if err := os.WriteFile(cachePath(dir, take), data, 0o600); err != nil {
				t.Fatal(err)
			}
			p, read := load(t, dir, take)
			if !read {
				t.Fatal("damaged cache was used")
			}
			equalPeaks(t, p, want)
			if got, _ := os.ReadFile(cachePath(dir, take)); !bytes.Equal(got, good) {
				t.Error("cache not repaired")
			}
		})
	}

	t.Run("folder in the way", func(t *testing.T) {
		os.Remove(cachePath(dir, take))
		if err := os.Mkdir(cachePath(dir, take), 0o700); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(cachePath(dir, take))
		p, _ := load(t, dir, take)
		equalPeaks(t, p, want)
	})
}

func TestLoadReadOnly(t *testing.T) {
	t.Run("file in the way", func(t *testing.T) {
		// The song's cache cannot be made: the peaks are kept in the
		// user's cache folder instead, and the file is left alone.
		t.Setenv("XDG_CACHE_HOME", t.TempDir())
		dir, audio := newSong(t)
		if err := os.WriteFile(filepath.Join(dir, ".cache"), nil, 0o600); err != nil {
			t.Fatal(err)
		}
		for i := range 2 {
			p, read := load(t, dir, take)
			if read != (i == 0) {
				t.Errorf("load %d: computed %v", i+1, read)
			}
			equalPeaks(t, p, brutePeaks(48000, audio))
		}
		if st, err := os.Stat(filepath.Join(dir, ".cache")); err != nil || st.Size() != 0 || st.IsDir() {
			t.Errorf("the file in the way: %v %v", st, err)
		}
	})
	t.Run("read-only folder", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root can write in read-only folders")
		}
		dir, audio := newSong(t)
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(dir, 0o700)
		p, _ := load(t, dir, take)
		equalPeaks(t, p, brutePeaks(48000, audio))
		if _, err := os.Stat(filepath.Join(dir, ".cache")); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf(".cache: %v", err)
		}
	})
	t.Run("read-only cache folder", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root can write in read-only folders")
		}
		dir, audio := newSong(t)
		if err := os.MkdirAll(filepath.Join(dir, CacheDir), 0o700); err != nil {
			t.Fatal(err)
		}
		os.Chmod(filepath.Join(dir, CacheDir), 0o500)
		defer os.Chmod(filepath.Join(dir, CacheDir), 0o700)
		p, _ := load(t, dir, take)
		equalPeaks(t, p, brutePeaks(48000, audio))
	})
}

func TestLoadFileMIDI(t *testing.T) {
	dir, _ := newSong(t)
	const mid = "0002-Piano.mid"
	os.WriteFile(projects.AudioPath(dir, mid), []byte("MThd"), 0o600)
	midiCache := filepath.Join(dir, ".cache", "midi")
	os.MkdirAll(midiCache, 0o700)
	render1 := filepath.Join(midiCache, "0002-Piano-0123456789abcdef.wav")
	render2 := filepath.Join(midiCache, "0002-Piano-fedcba9876543210.wav")
	a1 := [][]float32{ramp(2000, -0.3, 0.3), ramp(2000, 0.3, -0.3)}
	a2 := [][]float32{ramp(2000, -0.6, 0.6), ramp(2000, 0.6, -0.6)}
	wavtest.Write(t, render1, 48000, a1)
	wavtest.Write(t, render2, 48000, a2)
	// The same size and time: only the name tells the renders apart.
	mt := time.Now().Add(-time.Hour)
	os.Chtimes(render1, mt, mt)
	os.Chtimes(render2, mt, mt)

	loadFile := func(path string) (*Peaks, bool) {
		var c counter
		p, err := loadFile(dir, mid, path, c.compute)
		if err != nil {
			t.Fatal(err)
		}
		return p, c.computed.Load() != 0
	}
	p, _ := loadFile(render1)
	equalPeaks(t, p, brutePeaks(48000, a1))
	if _, err := os.Stat(cachePath(dir, mid)); err != nil {
		t.Fatal("cache not named after the take:", err)
	}
	if _, read := loadFile(render1); read {
		t.Error("second LoadFile computed again")
	}
	p, read := loadFile(render2)
	if !read {
		t.Error("LoadFile used the peaks of another render")
	}
	equalPeaks(t, p, brutePeaks(48000, a2))

	// Load on the .mid itself: not WAV audio.
	if _, err := Load(dir, mid); err == nil {
		t.Error("Load of a MIDI take without its render: no error")
	}
}

func TestLoadErrors(t *testing.T) {
	dir, _ := newSong(t)
	for _, name := range []string{"", "..", "../song.json", "a/b.wav", "x\x01.wav"} {
		if _, err := Load(dir, name); err == nil {
			t.Errorf("Load(%q): no error", name)
		}
	}
	if _, err := Load(dir, "0009-Missing.wav"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing take: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, CacheDir, "0009-Missing.wav.peaks")); err == nil {
		t.Error("a cache file for a missing take")
	}
	// A song folder that is gone is not made again.
	gone := filepath.Join(t.TempDir(), "gone")
	if _, err := LoadFile(gone, take, projects.AudioPath(dir, take)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(gone); err == nil {
		t.Error("LoadFile created the song folder")
	}
}

func TestLongTakeName(t *testing.T) {
	dir, audio := newSong(t)
	long := strings.Repeat("é", 125) + ".wav" // 254 bytes
	if err := projects.CheckTakeName(long); err != nil {
		t.Fatal(err)
	}
	os.Link(projects.AudioPath(dir, take), projects.AudioPath(dir, long))
	p, _ := load(t, dir, long)
	equalPeaks(t, p, brutePeaks(48000, audio))
	if _, read := load(t, dir, long); read {
		t.Error("a long take name is not cached")
	}
	if n := cacheName(long); len(n) > 255 || !strings.HasSuffix(n, ".peaks") {
		t.Errorf("cache name %q", n)
	}
	if cacheName(long) == cacheName(long[:252]+"x.wav") {
		t.Error("long names collide")
	}
}

// TestDecodeAllocation checks that a header claiming much does not make
// decode allocate much.
func TestDecodeAllocation(t *testing.T) {
	p := &Peaks{Rate: 48000, FramesPerPeak: 256, Frames: 1000, Min: make([]float32, 4), Max: make([]float32, 4)}
	good := encode(key{take: "t.wav", source: "t.wav"}, p)
	le := binary.LittleEndian
	for _, claim := range []uint64{1 << 20, 1 << 32, 1 << 40, 1<<63 - 1} {
		b := bytes.Clone(good)
		le.PutUint64(b[20:], claim*256)
		le.PutUint64(b[44:], claim)
		fixCRC(b)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 100 {
			if _, _, err := decode(b); err == nil {
				t.Fatal("decoded")
			}
		}
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > 100*uint64(len(b)) {
			t.Errorf("claiming %d peaks: allocated %d bytes in 100 decodes", claim, n)
		}
	}
}
