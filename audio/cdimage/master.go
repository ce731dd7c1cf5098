package cdimage

import (
	"encoding/binary"
	"fmt"
	"io"

	"sangstudio/audio/wav"
	"sangstudio/internal/openfile"
)

// master is a track master whose audio is copied into disc.bin.
type master struct {
	path    string
	dataOff int64 // offset of the first audio byte
	frames  int64
}

// openMaster reads the header of track n's master. The audio must be
// 44.1 kHz 16-bit stereo PCM; errors name the track and the file.
//
// package wav parses the file (and explains what is wrong with a file that
// is not WAV audio at all) and says how many frames it has; the walk over
// the chunks here finds where its data chunk starts, so that the samples
// can be copied as bytes, and checks the fmt chunk once more (a block
// alignment of 4: nothing between the frames).
func openMaster(n int, path string) (master, error) {
	m := master{path: path}
	if path == "" {
		return m, fmt.Errorf("track %d: no track master file was given", n)
	}
	r, err := wav.Open(path)
	if err != nil {
		return m, fmt.Errorf("track %d: %w", n, err)
	}
	f := r.Format()
	m.frames = r.Frames()
	r.Close()
	if f.Rate != Rate || f.Channels != 2 || f.Encoding != wav.PCM16 {
		return m, fmt.Errorf("track %d: %s is %d Hz %s %s audio; a CD needs a track master in 44100 Hz 16-bit stereo",
			n, path, f.Rate, f.Encoding, channels(f.Channels))
	}
	file, err := openfile.Regular(path)
	if err != nil {
		return m, fmt.Errorf("track %d: %w", n, err)
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return m, fmt.Errorf("track %d: %w", n, err)
	}
	off, err := dataOffset(file, fi.Size())
	if err != nil {
		return m, fmt.Errorf("track %d: %s: %v", n, path, err)
	}
	if off+m.frames*4 > fi.Size() {
		return m, fmt.Errorf("track %d: %s: the audio data is shorter than its header says", n, path)
	}
	m.dataOff = off
	return m, nil
}

func channels(n int) string {
	switch n {
	case 1:
		return "mono"
	case 2:
		return "stereo"
	}
	return fmt.Sprintf("%d-channel", n)
}

// dataOffset walks the RIFF chunks of a 16-bit stereo PCM WAV file and
// returns where the audio of its data chunk starts.
func dataOffset(r io.ReaderAt, size int64) (int64, error) {
	var h [12]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return 0, fmt.Errorf("reading the WAV header: %w", err)
	}
	if id := string(h[:4]); (id != "RIFF" && id != "RF64" && id != "BW64") || string(h[8:12]) != "WAVE" {
		return 0, fmt.Errorf("not a RIFF WAVE file")
	}
	le := binary.LittleEndian
	gotFmt := false
	for off, i := int64(12), 0; off+8 <= size && i < 10000; i++ {
		var c [8]byte
		if _, err := r.ReadAt(c[:], off); err != nil {
			return 0, fmt.Errorf("reading the WAV header: %w", err)
		}
		n := int64(le.Uint32(c[4:]))
		switch string(c[:4]) {
		case "fmt ":
			if n < 16 {
				return 0, fmt.Errorf("the fmt chunk is too short")
			}
			var fm [16]byte
			if _, err := r.ReadAt(fm[:], off+8); err != nil {
				return 0, fmt.Errorf("reading the fmt chunk: %w", err)
			}
			tag, ch, rate := le.Uint16(fm[0:]), le.Uint16(fm[2:]), le.Uint32(fm[4:])
			align, bits := le.Uint16(fm[12:]), le.Uint16(fm[14:])
			if (tag != 1 && tag != 0xFFFE) || ch != 2 || rate != Rate || align != 4 || bits != 16 {
				return 0, fmt.Errorf("not plain 44100 Hz 16-bit stereo PCM (format %#x, %d channels, %d Hz, %d bits, %d bytes a frame)",
					tag, ch, rate, bits, align)
			}
			gotFmt = true
		case "data":
			if !gotFmt {
				return 0, fmt.Errorf("the data chunk comes before the fmt chunk")
			}
			return off + 8, nil
		}
		off += 8 + n + n&1
	}
	return 0, fmt.Errorf("no data chunk found")
}
