package wav

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"sangstudio/internal/words"
)

// Format tags (wFormatTag) of the fmt chunk.
const (
	tagPCM        = 0x0001
	tagFloat      = 0x0003
	tagExtensible = 0xFFFE
)

const (
	maxFmtLen      = 64 << 10 // a fmt chunk claiming more is corrupt
	fmtExtLen      = 40       // WAVEFORMATEXTENSIBLE, the most of fmt we read
	maxRIFFSize    = 0xFFFFFFFF
	ds64MinLen     = 28
	headerChunkLen = 8
)

// isStreamingSize reports whether n is a data size that tools write when
// they cannot go back and fix the header (writing to a pipe, or killed
// while recording). A data chunk claiming one of these with fewer bytes
// present holds the audio up to the end of the file. blockAlign is 0 if
// the fmt chunk has not been seen yet.
func isStreamingSize(n uint32, blockAlign int) bool {
	const soxSize = 0x7FFFF000 // sox rounds it down to whole frames
	switch {
	case n == 0xFFFFFFFF, // ffmpeg and most others
		n == soxSize,
		blockAlign > 0 && n == soxSize-soxSize%uint32(blockAlign),
		n == 0x80000000, // arecord (its 2 GiB file limit)
		n == 0x7FFFFF00: // arecord, unknown length
		return true
	}
	return false
}

// layout is what parse learns about a file.
type layout struct {
	format     Format
	blockAlign int
	dataHdr    int64 // offset of the data chunk header
	dataOff    int64 // offset of the first audio byte
	dataSize   int64 // audio bytes, possibly not whole frames
	complete   bool  // repair mode: the header sizes describe the file
	factOff    int64 // offset of the fact chunk payload, or 0
	riffSize   uint32
	rf64       bool
	bext       *Bext
}

// parser walks the chunks of a RIFF WAVE file with ReadAt, reading only
// the few bytes it parses into a fixed buffer, never a size claimed by the
// file.
type parser struct {
	r      io.ReaderAt
	size   int64
	repair bool // data is the last chunk: everything after it is audio
	buf    [bextFixedLen]byte
	lay    layout
	gotFmt bool
	gotDat bool
}

// readAt reads exactly len(p) bytes at off.
func (p *parser) readAt(b []byte, off int64) error {
	n, err := p.r.ReadAt(b, off)
	if n == len(b) {
		return nil
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

func validID(id []byte) bool {
	for _, c := range id[:4] {
		if c < ' ' || c > '~' {
			return false
		}
	}
	return true
}

// chunkAt reports whether a plausible chunk header (printable ID, size
// within the file) starts at off.
func (p *parser) chunkAt(off int64) bool {
	var h [8]byte
	if off+8 > p.size || p.readAt(h[:], off) != nil || !validID(h[:]) {
		return false
	}
	return off+8+int64(binary.LittleEndian.Uint32(h[4:])) <= p.size
}

// chainTo reports whether well-formed chunks run from off to the end of the
// file (the last one may lack its pad byte).
func (p *parser) chainTo(off int64) bool {
	for i := 0; off < p.size; i++ {
		if i > 10000 || !p.chunkAt(off) {
			return false
		}
		var h [8]byte
		if p.readAt(h[:], off) != nil {
			return false
		}
		n := int64(binary.LittleEndian.Uint32(h[4:]))
		off += 8 + n + n&1
		if off == p.size+1 && n&1 == 1 {
			return true
		}
	}
	return true
}

// knownMagic names common non-WAV files by their first bytes, to give the
// user a hint about what they picked.
var knownMagic = []struct{ prefix, name string }{
	{"ID3", "an MP3 file"},
	{"\xFF\xFB", "an MP3 file"},
	{"\xFF\xF3", "an MP3 file"},
	{"\xFF\xF2", "an MP3 file"},
	{"fLaC", "a FLAC file"},
	{"OggS", "an Ogg (Vorbis/Opus) file"},
	{"FORM", "an AIFF file"},
	{"caff", "a Core Audio (CAF) file"},
	{".snd", "a Sun/NeXT AU file"},
	{"MThd", "a MIDI file"},
	{"PK\x03\x04", "a ZIP archive"},
	{"%PDF", "a PDF document"},
	{"wvpk", "a WavPack file"},
	{"MAC ", "a Monkey's Audio file"},
	{"\x30\x26\xB2\x75", "a Windows Media file"},
}

func notWAV(head []byte) *FormatError {
	for _, m := range knownMagic {
		if strings.HasPrefix(string(head), m.prefix) {
			return formatErr("not a WAV file (starts with %q; it looks like %s)", head, m.name)
		}
	}
	if len(head) >= 8 && string(head[4:8]) == "ftyp" {
		return formatErr("not a WAV file (starts with %q; it looks like an MP4/M4A file)", head[:8])
	}
	return formatErr("not a WAV file (starts with %q)", head)
}

// parse checks the RIFF header and walks the chunks.
func (p *parser) parse() (*layout, error) {
	if err := p.parseHeader(); err != nil {
		return nil, err
	}
	off, err := p.walk()
	if err != nil {
		return nil, err
	}
	if err := p.checkFound(off); err != nil {
		return nil, err
	}
	return &p.lay, nil
}

// parseHeader checks the 12-byte RIFF header.
func (p *parser) parseHeader() error {
	if p.size <= 0 {
		return formatErr("empty file (0 bytes)")
	}
	head := p.buf[:min(12, p.size)]
	if err := p.readAt(head, 0); err != nil {
		return err
	}
	if len(head) < 4 {
		return notWAV(head)
	}
	switch string(head[:4]) {
	case "RIFF":
	case "RF64", "BW64":
		p.lay.rf64 = true
	case "RIFX":
		return formatErr("big-endian WAV (RIFX) is not supported; convert it to a standard WAV file")
	default:
		if len(head) >= 8 && string(head[4:8]) == "ftyp" {
			head = p.buf[:8]
		} else {
			head = head[:4]
		}
		return notWAV(head)
	}
	if len(head) < 12 {
		return formatErr("truncated: the file ends after %s, inside the RIFF header", words.Count(len(head), "byte", "bytes"))
	}
	if string(head[8:12]) != "WAVE" {
		return formatErr("not a WAV file (a RIFF file of type %q)", head[8:12])
	}
	p.lay.riffSize = binary.LittleEndian.Uint32(head[4:])
	return nil
}

// walk walks the chunks after the RIFF header until the audio runs to the
// end of the file, the file ends, or junk follows the audio. It returns
// the offset where it stopped.
func (p *parser) walk() (int64, error) {
	var ds64Data int64 = -1
	off := int64(12)
	padded := false // the previous chunk was odd-sized and off skipped a pad byte
	for chunks := 0; off+headerChunkLen <= p.size; chunks++ {
		h, hoff, err := p.chunkHeader(off, padded)
		if err != nil {
			return 0, err
		}
		off = hoff
		id := string(h[:4])
		size := binary.LittleEndian.Uint32(h[4:])
		body := off + 8
		left := p.size - body
		if !validID(h) {
			if p.gotFmt && p.gotDat {
				return off, nil // junk after the audio: ignore it
			}
			return 0, formatErr("corrupt file: unreadable chunk header %q at byte %d", h, off)
		}
		n := int64(size)
		switch id {
		case "ds64":
			if p.lay.rf64 && chunks == 0 {
				if ds64Data, err = p.readDS64(size, body, left); err != nil {
					return 0, err
				}
			}
		case "fmt ":
			err = p.readFmt(size, body, left)
		case "fact":
			if n >= 4 && n <= left && p.lay.factOff == 0 {
				p.lay.factOff = body
			}
		case "bext":
			err = p.readBext(n, body, left)
		case "data":
			var end bool
			n, end, err = p.readData(off, size, left, ds64Data)
			if err == nil && end {
				return off, nil // the audio runs to the end of the file
			}
		}
		if err != nil {
			return 0, err
		}
		if n > left {
			// The chunk claims more than the file holds. (Its pad byte may
			// be missing at the end of the file; that is harmless.)
			if p.gotFmt && p.gotDat {
				return off, nil // a damaged chunk after the audio: ignore it
			}
			return 0, formatErr("truncated: the %q chunk claims %d bytes but only %d follow", strings.TrimRight(id, " "), n, left)
		}
		padded = n&1 == 1
		off = body + n + n&1
	}
	return off, nil
}

// chunkHeader reads the chunk header at off into p.buf[:8]. If there is
// no valid one there but padded says off skipped a pad byte, and a chunk
// starts a byte earlier, it reads that one: the writer forgot the pad
// byte after an odd-sized chunk. It returns the header and its offset.
func (p *parser) chunkHeader(off int64, padded bool) ([]byte, int64, error) {
	h := p.buf[:8]
	if err := p.readAt(h, off); err != nil {
		return nil, 0, err
	}
	if !validID(h) && padded && p.chunkAt(off-1) {
		off--
		if err := p.readAt(h, off); err != nil {
			return nil, 0, err
		}
	}
	return h, off, nil
}

// readDS64 reads the data size from the ds64 chunk of an RF64 file.
func (p *parser) readDS64(size uint32, body, left int64) (int64, error) {
	if size < ds64MinLen || int64(size) > left {
		return 0, formatErr("corrupt RF64 file: the ds64 chunk is %d bytes", size)
	}
	b := p.buf[:ds64MinLen]
	if err := p.readAt(b, body); err != nil {
		return 0, err
	}
	return int64(binary.LittleEndian.Uint64(b[8:]) & (1<<62 - 1)), nil
}

// readFmt reads the first fmt chunk (later ones are ignored).
func (p *parser) readFmt(size uint32, body, left int64) error {
	if p.gotFmt {
		return nil // keep the first
	}
	n := int64(size)
	if n > maxFmtLen {
		return formatErr("corrupt file: the fmt chunk claims %d bytes", size)
	}
	if n > left {
		return formatErr("truncated: the fmt chunk claims %d bytes but only %d follow", size, left)
	}
	b := p.buf[:min(n, fmtExtLen)]
	if err := p.readAt(b, body); err != nil {
		return err
	}
	if err := p.parseFmt(b); err != nil {
		return err
	}
	p.gotFmt = true
	return nil
}

// readBext reads the first bext chunk that is long enough and within the
// file (others are ignored).
func (p *parser) readBext(n, body, left int64) error {
	if p.lay.bext == nil && n >= bextMinParseLen && n <= left {
		b := p.buf[:min(n, bextFixedLen)]
		if err := p.readAt(b, body); err != nil {
			return err
		}
		p.lay.bext = parseBext(b)
	}
	return nil
}

// readData notes the first data chunk, whose header is at off (later ones
// are ignored). It returns the chunk's size (the ds64 chunk's for an RF64
// file), and end if the audio runs to the end of the file, so that the
// walk stops.
func (p *parser) readData(off int64, size uint32, left, ds64Data int64) (n int64, end bool, err error) {
	n = int64(size)
	if p.gotDat {
		return n, false, nil // keep the first
	}
	body := off + 8
	p.gotDat = true
	p.lay.dataHdr = off
	p.lay.dataOff = body
	streaming := isStreamingSize(size, p.lay.blockAlign)
	if p.lay.rf64 && size == 0xFFFFFFFF && ds64Data >= 0 {
		n = ds64Data
		streaming = false
	}
	switch {
	case p.repair:
		// Data is meant to be the last chunk; it is complete if
		// the claimed size leads to the end of the file or to
		// well-formed chunks that do.
		if n <= left && p.chainTo(body+n+n&1) {
			p.lay.complete = true
			p.lay.dataSize = n
		} else {
			p.lay.dataSize = left
		}
	case n > left:
		if !streaming {
			return 0, false, formatErr("truncated: the data chunk claims %d bytes but only %d follow", n, left)
		}
		p.lay.dataSize = left
	case n == 0 && left > 0 && !p.chunkAt(body):
		// Streaming writers put 0 and never come back.
		p.lay.dataSize = left
	default:
		p.lay.dataSize = n
	}
	// The audio runs to the end of the file?
	return n, p.lay.dataSize != n || (p.repair && !p.lay.complete), nil
}

// checkFound checks, after the walk stopped at off, that the file had the
// chunks it needs and some audio.
func (p *parser) checkFound(off int64) error {
	if !p.gotFmt {
		if !p.gotDat && off < p.size {
			return formatErr("truncated: the file ends inside a chunk header at byte %d", off)
		}
		return formatErr("no fmt chunk")
	}
	if !p.gotDat {
		return formatErr("no data chunk (the file holds no audio)")
	}
	if !p.repair {
		ba := int64(p.lay.blockAlign)
		if p.lay.dataSize == 0 {
			return formatErr("no audio data (data chunk is empty)")
		}
		if p.lay.dataSize < ba {
			return formatErr("no audio data (the data chunk holds %s, less than one %d-byte frame)",
				words.Count(int(p.lay.dataSize), "byte", "bytes"), ba)
		}
	}
	return nil
}

var (
	// KSDATAFORMAT_SUBTYPE_* GUIDs are the format tag followed by this.
	guidSuffix = "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71"
	// Ambisonic B-format sub-types (PCM and float) end with this.
	guidAmbisonicSuffix = "\x00\x00\x21\x07\xD3\x11\x86\x44\xC8\xC1\xCA\x00\x00\x00"
)

var tagNames = map[uint16]string{
	0x0000: "unknown",
	0x0002: "Microsoft ADPCM",
	0x0006: "A-law",
	0x0007: "µ-law",
	0x0010: "OKI ADPCM",
	0x0011: "IMA ADPCM",
	0x0022: "DSP Group TrueSpeech",
	0x0031: "GSM 6.10",
	0x0040: "G.721 ADPCM",
	0x0050: "MPEG audio",
	0x0055: "MP3",
	0x00FF: "AAC",
	0x0160: "Windows Media Audio",
	0x0161: "Windows Media Audio",
	0x0162: "Windows Media Audio Pro",
	0x0163: "Windows Media Audio Lossless",
	0x1610: "AAC",
	0x2000: "Dolby AC-3",
	0x2001: "DTS",
	0xF1AC: "FLAC",
}

func unsupportedTag(tag uint16) *FormatError {
	if name, ok := tagNames[tag]; ok {
		return formatErr("unsupported sample format: %s (format tag %d)", name, tag)
	}
	return formatErr("unsupported sample format (format tag %d)", tag)
}

func guidString(g []byte) string {
	le := binary.LittleEndian
	return fmt.Sprintf("{%08X-%04X-%04X-%X-%X}", le.Uint32(g), le.Uint16(g[4:]), le.Uint16(g[6:]), g[8:10], g[10:16])
}

// parseFmt decodes the fmt chunk payload b (at most 40 bytes).
func (p *parser) parseFmt(b []byte) error {
	if len(b) < 16 {
		return formatErr("corrupt file: the fmt chunk is only %s long", words.Count(len(b), "byte", "bytes"))
	}
	le := binary.LittleEndian
	tag := le.Uint16(b)
	channels := int(le.Uint16(b[2:]))
	rate := le.Uint32(b[4:])
	blockAlign := int(le.Uint16(b[12:]))
	bits := int(le.Uint16(b[14:]))
	if tag == tagExtensible {
		if len(b) < fmtExtLen {
			return formatErr("corrupt file: the extensible fmt chunk is only %d bytes long (need %d)", len(b), fmtExtLen)
		}
		guid := b[24:40]
		sub := le.Uint16(guid)
		switch string(guid[2:]) {
		case guidSuffix:
		case guidAmbisonicSuffix:
			if sub != tagPCM && sub != tagFloat {
				return formatErr("unsupported sample format: ambisonic sub-format %s", guidString(guid))
			}
		default:
			return formatErr("unsupported sample format: extensible sub-format %s", guidString(guid))
		}
		tag = sub
		// validBitsPerSample (b[18:20]) may be less than the container
		// size; the samples are left-justified in the container, so
		// decoding the container scales them correctly.
	}
	if tag != tagPCM && tag != tagFloat {
		return unsupportedTag(tag)
	}
	if channels == 0 {
		return formatErr("0 channels")
	}
	if rate == 0 {
		return formatErr("sample rate is 0 Hz")
	}
	var enc Encoding
	if tag == tagPCM {
		switch bits {
		case 8:
			enc = PCM8
		case 16:
			enc = PCM16
		case 24:
			enc = PCM24
		case 32:
			enc = PCM32
		default:
			return formatErr("unsupported sample format: %d-bit integer", bits)
		}
	} else {
		switch bits {
		case 32:
			enc = Float32
		case 64:
			enc = Float64
		default:
			return formatErr("unsupported sample format: %d-bit float", bits)
		}
	}
	f := Format{Rate: int(rate), Channels: channels, Encoding: enc}
	if blockAlign != f.blockAlign() {
		return formatErr("block align %d does not match %s of %s", blockAlign, words.Count(channels, "channel", "channels"), enc)
	}
	p.lay.format = f
	p.lay.blockAlign = blockAlign
	return nil
}

// parseBext decodes the fixed part of a bext chunk (at least 346 bytes).
func parseBext(b []byte) *Bext {
	str := func(off, n int) string {
		s := b[off : off+n]
		for i, c := range s {
			if c == 0 {
				s = s[:i]
				break
			}
		}
		s = []byte(strings.TrimRight(string(s), " "))
		if utf8.Valid(s) {
			return string(s)
		}
		// Not UTF-8: most likely Latin-1 from an older tool.
		r := make([]rune, len(s))
		for i, c := range s {
			r[i] = rune(c)
		}
		return string(r)
	}
	o := 0
	var x Bext
	x.Description = str(o, bextDescLen)
	o += bextDescLen
	x.Originator = str(o, bextOrigLen)
	o += bextOrigLen
	x.OriginatorReference = str(o, bextOrigRefLen)
	o += bextOrigRefLen
	x.OriginationDate = str(o, bextDateLen)
	o += bextDateLen
	x.OriginationTime = str(o, bextTimeLen)
	x.TimeReference = binary.LittleEndian.Uint64(b[bextTimeRefOff:])
	return &x
}
