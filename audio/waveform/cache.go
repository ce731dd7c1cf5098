package waveform

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"unicode/utf8"

	"sangstudio/internal/durable"
	"sangstudio/internal/openfile"
	"sangstudio/projects"
)

// CacheDir is where peaks are kept, inside the song folder: one file
// <take>.peaks per take. A song that may not be written to keeps them in
// its folder in the user's cache instead (see projects.CacheDir).
const CacheDir = projects.CacheFolder + "/" + cacheSub

// cacheSub is the peaks' folder in a song's cache folder.
const cacheSub = "peaks"

// Load returns the peaks of take file take (in SONG_DIR/audio): from the
// cache file SONG_DIR/.cache/peaks/<take>.peaks (see CacheDir) if it is valid and was made
// from the take file as it is now (same size and modification time), else
// computed from the take, in which case the cache file is written
// (atomically, folders 0700, file 0600) for next time.
//
// The cache is an optimisation only: a damaged cache file is recomputed,
// and a cache that cannot be written (read-only folder, full disk) is left
// out; neither is an error. Errors are about the take: an invalid take name,
// a take file that cannot be opened, or one that is not WAV audio
// (a *wav.FormatError).
//
// A MIDI take (.mid) has no audio of its own: use LoadFile with the WAV it
// was rendered to.
func Load(songDir, take string) (*Peaks, error) {
	return LoadFile(songDir, take, "")
}

// LoadFile is Load for a take whose audio is the WAV file wavPath, such as
// the render of a MIDI take in the MIDI cache (see package
// sangstudio/audio/source); "" means the take file itself,
// SONG_DIR/audio/<take>. The cache file is still named after take, and is
// valid only for the WAV file of the same name, size and modification time,
// so a new render (another sound, an edited take) is recomputed.
func LoadFile(songDir, take, wavPath string) (*Peaks, error) {
	return loadFile(songDir, take, wavPath, compute)
}

// computeFunc computes the peaks of the size bytes of WAV file path in r.
type computeFunc func(r io.ReaderAt, size int64, path string) (*Peaks, error)

// loadFile is LoadFile, computing with compute what the cache does not
// have.
func loadFile(songDir, take, wavPath string, compute computeFunc) (*Peaks, error) {
	if err := projects.CheckTakeName(take); err != nil {
		return nil, fmt.Errorf("waveform: %w", err)
	}
	// Key the cache on the very file that is read, even if it is being
	// replaced meanwhile: a change afterwards then invalidates the cache.
	// The take itself follows the song's rule for its own files (no link,
	// FIFO or device); a FIFO is never waited on.
	var f *os.File
	var err error
	if wavPath == "" {
		wavPath = projects.AudioPath(songDir, take)
		f, err = projects.OpenSongFile(songDir, filepath.Join(projects.AudioDir, take))
	} else {
		f, err = openfile.Regular(wavPath)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	k := key{
		take:   take,
		source: filepath.Base(wavPath),
		size:   fi.Size(),
		mtime:  fi.ModTime().UnixNano(),
	}
	// The song's own cache first (also when it may not be written to),
	// then the one CacheDir chooses.
	own := filepath.Join(songDir, CacheDir, cacheName(take))
	if p := readCache(own, k); p != nil {
		return p, nil
	}
	path := ""
	if d, err := projects.CacheDir(songDir, cacheSub, 0); err == nil {
		path = filepath.Join(d, cacheName(take))
		if path != own {
			if p := readCache(path, k); p != nil {
				return p, nil
			}
		}
	}
	p, err := compute(f, fi.Size(), wavPath)
	if err != nil {
		return nil, err
	}
	if path != "" {
		_ = writeCache(path, k, p) // the cache is optional
	}
	return p, nil
}

// cacheName is the cache file's name for take: <take>.peaks, or for a
// name too long for that, a shortened one made unique by a hash.
func cacheName(take string) string {
	const ext, maxName = ".peaks", 255
	if len(take)+len(ext) <= maxName {
		return take + ext
	}
	sum := sha256.Sum256([]byte(take))
	short := take[:200]
	for !utf8.ValidString(short) {
		short = short[:len(short)-1]
	}
	return short + "-" + hex.EncodeToString(sum[:8]) + ext
}

// readCache returns the peaks in the cache file at path if it is valid and
// made for k, else nil.
func readCache(path string, k key) *Peaks {
	f, err := openfile.Regular(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil
	}
	// A WAV file of size bytes holds at most size frames, so a cache file
	// for it is never larger than this; do not read one that is.
	limit := int64(headerSize+trailerSize+len(k.take)+len(k.source)) + 8*(k.size/FramesPerPeak+2)
	if fi.Size() > limit {
		return nil
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil
	}
	p, got, err := decode(data)
	if err != nil || got != k || p.FramesPerPeak != FramesPerPeak {
		return nil
	}
	return p
}

// writeCache writes the cache file at path (in the folder
// projects.CacheDir made).
func writeCache(path string, k key, p *Peaks) error {
	if len(k.take) > math.MaxUint16 || len(k.source) > math.MaxUint16 {
		return errCache
	}
	return durable.WriteFile(path, encode(k, p), projects.FilePerm)
}

// key is what a cache file was made from.
type key struct {
	take   string // take name
	source string // base name of the WAV file read
	size   int64  // its size, bytes
	mtime  int64  // its modification time, Unix ns
}

// The cache file format, little-endian:
//
//	offset  size
//	0       8     magic "SNGPEAKS"
//	8       4     version (1)
//	12      4     sample rate
//	16      4     frames per peak (1 .. 1<<20)
//	20      8     frames
//	28      8     size of the WAV file read, bytes
//	36      8     its modification time, Unix ns
//	44      8     peak count: ceil(frames / frames per peak)
//	52      2     length T of the take name
//	54      2     length S of the WAV file's base name
//	56      T     take name
//	56+T    S     WAV file base name
//	        4*count  Min, float32
//	        4*count  Max, float32
//	end-4   4     CRC-32 (IEEE) of everything before it
//
// The file's length must be exactly what the header says.
const (
	magic       = "SNGPEAKS"
	version     = 1
	headerSize  = 56
	trailerSize = 4
	maxFPP      = 1 << 20
)

// encode returns the cache file for peaks p made from k.
func encode(k key, p *Peaks) []byte {
	n := len(p.Min)
	b := make([]byte, 0, headerSize+len(k.take)+len(k.source)+8*n+trailerSize)
	le := binary.LittleEndian
	b = append(b, magic...)
	b = le.AppendUint32(b, version)
	b = le.AppendUint32(b, uint32(p.Rate))
	b = le.AppendUint32(b, uint32(p.FramesPerPeak))
	b = le.AppendUint64(b, uint64(p.Frames))
	b = le.AppendUint64(b, uint64(k.size))
	b = le.AppendUint64(b, uint64(k.mtime))
	b = le.AppendUint64(b, uint64(n))
	b = le.AppendUint16(b, uint16(len(k.take)))
	b = le.AppendUint16(b, uint16(len(k.source)))
	b = append(b, k.take...)
	b = append(b, k.source...)
	for _, v := range p.Min {
		b = le.AppendUint32(b, math.Float32bits(v))
	}
	for _, v := range p.Max {
		b = le.AppendUint32(b, math.Float32bits(v))
	}
	return le.AppendUint32(b, crc32.ChecksumIEEE(b))
}

var errCache = errors.New("waveform: not a valid peaks cache file")

// decode parses a cache file. It checks every length against len(data)
// before allocating, so it never allocates more than len(data) bytes.
func decode(data []byte) (*Peaks, key, error) {
	le := binary.LittleEndian
	if len(data) < headerSize+trailerSize || string(data[:8]) != magic {
		return nil, key{}, errCache
	}
	if v := le.Uint32(data[8:]); v != version {
		return nil, key{}, fmt.Errorf("waveform: peaks cache version %d, not %d", v, version)
	}
	rate := le.Uint32(data[12:])
	fpp := uint64(le.Uint32(data[16:]))
	frames := le.Uint64(data[20:])
	size := le.Uint64(data[28:])
	mtime := int64(le.Uint64(data[36:]))
	count := le.Uint64(data[44:])
	tl, sl := int(le.Uint16(data[52:])), int(le.Uint16(data[54:]))
	switch {
	case rate == 0 || rate > math.MaxInt32,
		fpp == 0 || fpp > maxFPP,
		frames > math.MaxInt64,
		size > math.MaxInt64,
		count != frames/fpp+uint64(b2i(frames%fpp != 0)):
		return nil, key{}, errCache
	}
	body := len(data) - headerSize - trailerSize - tl - sl
	if body < 0 || count > uint64(body)/8 || int(count)*8 != body {
		return nil, key{}, errCache
	}
	end := len(data) - trailerSize
	if crc32.ChecksumIEEE(data[:end]) != le.Uint32(data[end:]) {
		return nil, key{}, errCache
	}
	k := key{
		take:   string(data[headerSize : headerSize+tl]),
		source: string(data[headerSize+tl : headerSize+tl+sl]),
		size:   int64(size),
		mtime:  mtime,
	}
	n := int(count)
	p := &Peaks{
		Rate:          int(rate),
		FramesPerPeak: int(fpp),
		Frames:        int64(frames),
		Min:           make([]float32, n),
		Max:           make([]float32, n),
	}
	vals := data[headerSize+tl+sl : end]
	for i := range n {
		p.Min[i] = math.Float32frombits(le.Uint32(vals[4*i:]))
		p.Max[i] = math.Float32frombits(le.Uint32(vals[4*(n+i):]))
	}
	return p, k, nil
}
