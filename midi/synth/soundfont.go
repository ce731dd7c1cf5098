package synth

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/sinshu/go-meltysynth/meltysynth"

	"sangstudio/internal/openfile"
)

// The kinds of SoundFont load errors; test them with errors.Is. A missing
// file gives an error that matches fs.ErrNotExist.
var (
	ErrNotSoundFont = errors.New("not a SoundFont (.sf2) file")
	ErrDamaged      = errors.New("the file is damaged")
)

// SoundFont is a loaded .sf2 file, shared read-only between instruments.
type SoundFont struct {
	path    string
	id      string
	sf      *meltysynth.SoundFont
	dropped int
}

// Path is the file the SoundFont was loaded from.
func (f *SoundFont) Path() string { return f.path }

// ID is a stable identity for caches: the file's base name, its size and
// the start of its SHA-256, e.g. "TimGM6mb.sf2-6033690-1f0c…". Two files
// with the same ID have the same content.
func (f *SoundFont) ID() string { return f.id }

// Name is the bank name stored in the file (may be empty).
func (f *SoundFont) Name() string { return f.sf.Info.BankName }

// Dropped is how many of the file's instrument zones were left out at load
// because they point outside the sample data (they would crash a player).
func (f *SoundFont) Dropped() int { return f.dropped }

// PresetName is the SoundFont's own name for sound (the preset that plays
// it), or "" if the file has no preset for it (then a fallback plays).
func (f *SoundFont) PresetName(s Sound) string {
	bank := int32(0)
	if s.Drums {
		bank = 128
	}
	for _, p := range f.sf.Presets {
		if p.BankNumber == bank && p.PatchNumber == int32(s.Program) {
			return p.Name
		}
	}
	return ""
}

// LoadSoundFont reads and checks a .sf2 file. Its errors name the file and
// say plainly what is wrong: the file is not found, is not an ordinary
// file (a folder, a FIFO, a device: an *openfile.Error, refused before it
// is read), is not a SoundFont (ErrNotSoundFont) or is damaged or
// incomplete (ErrDamaged).
func LoadSoundFont(path string) (*SoundFont, error) {
	file, err := openfile.Regular(path)
	if errors.Is(err, openfile.ErrNotRegular) {
		return nil, err
	}
	if err != nil {
		return nil, fileError(path, err)
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return nil, fileError(path, err)
	}
	return parseSoundFont(path, file, st.Size())
}

// fileError words an error opening or reading path for the user; it keeps
// fs.ErrNotExist and fs.ErrPermission testable with errors.Is.
func fileError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("SoundFont %q: the file does not exist: %w", path, fs.ErrNotExist)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("SoundFont %q: no permission to read the file: %w", path, fs.ErrPermission)
	}
	return fmt.Errorf("SoundFont %q: the file cannot be read: %w", path, err)
}

// parseSoundFont checks the file's chunk structure (so that meltysynth
// never allocates from a bogus size or reads past the end), parses it,
// hashes it and drops instrument zones that would index outside the sample
// data.
func parseSoundFont(path string, ra io.ReaderAt, size int64) (sf *SoundFont, err error) {
	if err := checkChunks(ra, size); err != nil {
		if errors.Is(err, ErrNotSoundFont) {
			return nil, fmt.Errorf("SoundFont %q: %w", path, err)
		}
		return nil, fmt.Errorf("SoundFont %q: %w (%v)", path, ErrDamaged, err)
	}
	h := sha256.New()
	sec := io.NewSectionReader(ra, 0, size)
	r := fullReader{bufio.NewReaderSize(io.TeeReader(sec, h), 1<<16)}
	var msf *meltysynth.SoundFont
	func() {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("%v", p)
			}
		}()
		msf, err = meltysynth.NewSoundFont(r)
	}()
	if err == nil && len(msf.Presets) == 0 {
		err = errors.New("it has no presets")
	}
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			err = errors.New("it ends too early")
		}
		if ioErr := (*fs.PathError)(nil); errors.As(err, &ioErr) {
			return nil, fileError(path, err)
		}
		return nil, fmt.Errorf("SoundFont %q: %w (%v)", path, ErrDamaged, err)
	}
	if _, err := io.Copy(h, sec); err != nil {
		return nil, fileError(path, err)
	}
	sf = &SoundFont{path: path, sf: msf}
	sf.id = filepath.Base(path) + "-" + strconv.FormatInt(size, 10) + "-" + hex.EncodeToString(h.Sum(nil)[:12])
	sf.dropped = dropBadRegions(msf)
	return sf, nil
}

// fullReader makes every Read fill its buffer unless the input ends:
// meltysynth treats a short Read as a damaged file.
type fullReader struct{ r io.Reader }

func (f fullReader) Read(p []byte) (int, error) { return io.ReadFull(f.r, p) }

// checkChunks walks the RIFF chunks exactly as meltysynth reads them (the
// INFO, sdta and pdta lists, in this order, no pad bytes) and checks that
// every size is within the file.
func checkChunks(ra io.ReaderAt, size int64) error {
	var hdr [12]byte
	if size < 12 {
		if size == 0 {
			return fmt.Errorf("%w: the file is empty", ErrNotSoundFont)
		}
		return ErrNotSoundFont
	}
	if _, err := ra.ReadAt(hdr[:], 0); err != nil {
		return err
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "sfbk" {
		return ErrNotSoundFont
	}
	off := int64(12)
	for _, want := range []string{"INFO", "sdta", "pdta"} {
		if off+12 > size {
			return errors.New("it ends too early")
		}
		if _, err := ra.ReadAt(hdr[:], off); err != nil {
			return err
		}
		end := int64(int32(binary.LittleEndian.Uint32(hdr[4:8])))
		if string(hdr[0:4]) != "LIST" || string(hdr[8:12]) != want {
			return fmt.Errorf("the %s list is missing", want)
		}
		off += 12
		for pos := int64(4); pos < end; {
			if off+8 > size {
				return errors.New("it ends too early")
			}
			if _, err := ra.ReadAt(hdr[:8], off); err != nil {
				return err
			}
			id := string(hdr[0:4])
			n := int64(int32(binary.LittleEndian.Uint32(hdr[4:8])))
			switch {
			case n < 0:
				return fmt.Errorf("the %q chunk has a negative size", id)
			case off+8+n > size:
				return errors.New("it ends too early")
			case (id == "ifil" || id == "iver") && n != 4,
				id == "smpl" && n%2 != 0:
				return fmt.Errorf("the %q chunk has a wrong size", id)
			}
			off += 8 + n
			pos += 8 + n
		}
	}
	return nil
}

// dropBadRegions removes instrument zones whose sample addresses, loop or
// sample rate would make the oscillator index outside the sample data.
func dropBadRegions(sf *meltysynth.SoundFont) int {
	n := int32(len(sf.WaveData))
	dropped := 0
	for _, inst := range sf.Instruments {
		kept := inst.Regions[:0]
		for _, r := range inst.Regions {
			start, end := r.GetSampleStart(), r.GetSampleEnd()
			sl, el := r.GetSampleStartLoop(), r.GetSampleEndLoop()
			mode := r.GetSampleModes()
			ok := r.Sample != nil && r.Sample.SampleRate > 0 && r.Sample.SampleRate <= 1000000 &&
				0 <= start && start < end && end < n
			if ok && mode != 0 {
				ok = 0 <= sl && sl < el && el < n && start < n
			}
			if ok {
				kept = append(kept, r)
			} else {
				dropped++
			}
		}
		for i := len(kept); i < len(inst.Regions); i++ {
			inst.Regions[i] = nil
		}
		inst.Regions = kept
	}
	return dropped
}

// FindSoundFont returns the SoundFont to use when the user chose none:
// $SANGSTUDIO_SOUNDFONT if set (even if it does not exist, so that loading
// it tells the user), else the first existing of the usual Debian/Ubuntu
// places (FluidR3_GM, TimGM6mb, default-GM, …), or "" if there is none.
func FindSoundFont() string {
	if p := os.Getenv("SANGSTUDIO_SOUNDFONT"); p != "" {
		return p
	}
	for _, p := range []string{
		"/usr/share/sounds/sf2/FluidR3_GM.sf2",
		"/usr/share/sounds/sf2/TimGM6mb.sf2",
		"/usr/share/sounds/sf2/default-GM.sf2",
		"/usr/share/soundfonts/default.sf2",
		"/usr/share/soundfonts/FluidR3_GM.sf2",
	} {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// cacheEntry is LoadCached's SoundFont for one path, with the size and
// modification time the file had when it was loaded; mu serializes loads.
type cacheEntry struct {
	mu      sync.Mutex
	size    int64
	modTime time.Time
	sf      *SoundFont
}

// cache maps absolute paths to their entries.
var (
	cacheMu sync.Mutex
	cache   = map[string]*cacheEntry{}
)

// LoadCached is LoadSoundFont with a per-process cache: it returns the same
// *SoundFont for the same path while the file's size and modification time
// are unchanged, and loads it again when they change.
func LoadCached(path string) (*SoundFont, error) {
	key, err := filepath.Abs(path)
	if err != nil {
		key = filepath.Clean(path)
	}
	cacheMu.Lock()
	e := cache[key]
	if e == nil {
		e = &cacheEntry{}
		cache[key] = e
	}
	cacheMu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	st, err := os.Stat(path)
	if err != nil {
		return nil, fileError(path, err)
	}
	if e.sf != nil && st.Size() == e.size && st.ModTime().Equal(e.modTime) {
		return e.sf, nil
	}
	sf, err := LoadSoundFont(path)
	if err != nil {
		return nil, err
	}
	e.sf, e.size, e.modTime = sf, st.Size(), st.ModTime()
	return sf, nil
}
