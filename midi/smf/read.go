package smf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	gomidi "gitlab.com/gomidi/midi/v2/smf"

	"sangstudio/internal/fserr"
	"sangstudio/internal/openfile"
	"sangstudio/midi"
)

// Read reads a Standard MIDI File (format 0 or 1) and converts every event
// time to frames at rate using the file's tempo map: tempo changes anywhere,
// in any track, apply to all tracks. name is used in error messages
// ("song.mid: not a MIDI file"). A valid file without notes gives an error
// wrapping ErrNoNotes.
func Read(r io.Reader, name string, rate int) (*File, error) {
	s, err := readSong(r, name, rate)
	if err != nil {
		return nil, err
	}
	f := s.file()
	if len(f.Channels) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoNotes)
	}
	return f, nil
}

// ReadFile reads the Standard MIDI File at path (see Read); error messages
// name path. A file that is not an ordinary file (a FIFO, a device, a
// socket, a folder) is refused before it is read (an *openfile.Error).
func ReadFile(path string, rate int) (*File, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f, path, rate)
}

// openFile opens path for reading if it is an ordinary file; errors name
// path.
func openFile(path string) (*os.File, error) {
	f, err := openfile.Regular(path)
	var oe *openfile.Error
	switch {
	case errors.As(err, &oe):
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("%s: cannot open: %w", path, fserr.Describe(err))
	}
	return f, nil
}

// ReadEvents is what playback needs from a take: the channel voice events
// of all channels merged, sorted by frame (file order for events at the
// same tick), at rate. A file without notes is not an error here. Errors
// are worded as Read's.
func ReadEvents(path string, rate int) ([]midi.Event, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := readSong(f, path, rate)
	if err != nil {
		return nil, err
	}
	events := make([]midi.Event, len(s.events))
	for i, e := range s.events {
		events[i] = e.Event
	}
	return events, nil
}

// song is a decoded file: all channel voice events of all tracks, merged.
type song struct {
	format  int
	tempo   float64
	timeSig [2]int
	names   []string // track names ("" if unnamed), by track
	events  []event  // sorted by tick (stable), frames set
}

// event is a channel voice event with where it came from.
type event struct {
	midi.Event
	tick  int64
	track int
}

// tempoChange is a tempo meta event: from tick on, a quarter note lasts usec µs.
type tempoChange struct {
	tick int64
	usec int64
}

// readSong reads and decodes a whole file; errors name the file.
func readSong(r io.Reader, name string, rate int) (*song, error) {
	if rate <= 0 || rate > 10_000_000 {
		return nil, fmt.Errorf("%s: invalid sample rate %d", name, rate)
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read: %w", name, fserr.Describe(err))
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: the file is too large for a MIDI file (more than %d MB)", name, maxFileSize>>20)
	}
	s, err := decode(data, rate)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// damaged returns "the file is damaged: <reason>".
func damaged(format string, args ...any) error {
	return fmt.Errorf("the file is damaged: "+format, args...)
}

// decode decodes a Standard MIDI File held in data.
func decode(data []byte, rate int) (*song, error) {
	format, division, tracks, err := splitChunks(data)
	if err != nil {
		return nil, err
	}
	s := &song{format: format, tempo: 120, timeSig: [2]int{4, 4}}
	var (
		tempos  []tempoChange
		sigTick int64 = -1
		nEvents int
		nTempos int
	)
	for ti, body := range tracks {
		n, nt, err := scanTrack(body)
		if err != nil {
			return nil, damaged("track %d: %v", ti+1, err)
		}
		if nEvents += n; nEvents > maxEvents {
			return nil, fmt.Errorf("too many events (more than %d)", maxEvents)
		}
		if nTempos += nt; nTempos > maxTempoChanges {
			return nil, damaged("too many tempo changes (more than %d)", maxTempoChanges)
		}
		tr, err := parseTrack(body, division)
		if err != nil {
			return nil, damaged("track %d: %v", ti+1, err)
		}
		s.names = append(s.names, "")
		var tick int64
		for _, te := range tr[:len(tr)-1] { // the last one is the end of track
			tick += int64(te.Delta)
			m := te.Message
			var name string
			var num, den uint8
			switch {
			case len(m) == 0:
				return nil, damaged("track %d: an empty event", ti+1)
			case m[0] < 0xF0: // channel voice message
				e, ok := midi.FromBytes(0, m)
				if !ok || e.Len() != len(m) {
					return nil, damaged("track %d: an invalid MIDI message (% X)", ti+1, []byte(m))
				}
				s.events = append(s.events, event{Event: e, tick: tick, track: ti})
			case m.Is(gomidi.MetaTempoMsg):
				// gomidi re-encodes metas as FF 51 <len> <data>.
				if len(m) != 6 || m[2] != 3 {
					return nil, damaged("track %d: a bad tempo event", ti+1)
				}
				usec := int64(m[3])<<16 | int64(m[4])<<8 | int64(m[5])
				if usec == 0 {
					return nil, damaged("tempo 0")
				}
				tempos = append(tempos, tempoChange{tick, usec})
			case m.GetMetaMeter(&num, &den):
				if num > 0 && den > 0 && (sigTick < 0 || tick < sigTick) {
					s.timeSig, sigTick = [2]int{int(num), int(den)}, tick
				}
			case m.GetMetaTrackName(&name):
				if s.names[ti] == "" {
					s.names[ti] = name
				}
			}
			// Other meta events (text, marker, key, lyrics, …) and sysex
			// are of no use to Sangstudio.
		}
	}

	sort.SliceStable(tempos, func(i, j int) bool { return tempos[i].tick < tempos[j].tick })
	if len(tempos) > 0 {
		s.tempo = 60e6 / float64(tempos[0].usec)
	}
	sort.SliceStable(s.events, func(i, j int) bool { return s.events[i].tick < s.events[j].tick })
	if err := setFrames(s.events, tempos, division, rate); err != nil {
		return nil, err
	}
	return s, nil
}

// setFrames sets the frames of events (sorted by tick): frame =
// round(seconds × rate), with seconds summed over the tempo segments.
// The sum is kept in µs×division units (an integer, exact in float64 for
// any real song), so the only rounding is the final division.
func setFrames(events []event, tempos []tempoChange, division, rate int) error {
	var (
		usec    int64 = 500_000 // 120 BPM until the first tempo event
		segTick int64
		segSum  float64 // µs × division from tick 0 to segTick
		k       int
		den     = 1e6 * float64(division)
	)
	for i := range events {
		t := events[i].tick
		for k < len(tempos) && tempos[k].tick <= t {
			segSum += float64(tempos[k].tick-segTick) * float64(usec)
			segTick, usec = tempos[k].tick, tempos[k].usec
			k++
		}
		f := math.Round((segSum + float64(t-segTick)*float64(usec)) * float64(rate) / den)
		if !(f < maxFrame) {
			return damaged("the song would last thousands of years")
		}
		events[i].Frame = int64(f)
	}
	return nil
}

// splitChunks checks the header and returns the bodies of the track chunks.
// gomidi itself ignores chunk lengths and panics on SMPTE timing, so this
// is done here.
func splitChunks(data []byte) (format, division int, tracks [][]byte, err error) {
	be16 := func(b []byte) int { return int(binary.BigEndian.Uint16(b)) }
	switch {
	case len(data) == 0:
		return 0, 0, nil, errors.New("the file is empty")
	case len(data) < 4 || string(data[:4]) != "MThd":
		return 0, 0, nil, errors.New("not a MIDI file")
	case len(data) < 14:
		return 0, 0, nil, damaged("the header is incomplete")
	}
	hlen := int64(binary.BigEndian.Uint32(data[4:]))
	if hlen < 6 || hlen > int64(len(data)-8) {
		return 0, 0, nil, damaged("bad header length %d", hlen)
	}
	format, ntracks, division := be16(data[8:]), be16(data[10:]), be16(data[12:])
	switch {
	case format == 2:
		return 0, 0, nil, errors.New("format 2 MIDI files (independent sequences) are not supported")
	case format > 2:
		return 0, 0, nil, fmt.Errorf("unknown MIDI file format %d", format)
	case division&0x8000 != 0:
		return 0, 0, nil, errors.New("SMPTE time code files are not supported")
	case division == 0:
		return 0, 0, nil, damaged("the time division is 0")
	case ntracks == 0:
		return 0, 0, nil, damaged("it has no tracks")
	}
	rest := data[8+hlen:]
	for len(tracks) < ntracks {
		if len(rest) < 8 {
			return 0, 0, nil, damaged("it is truncated (%d of %d tracks are missing)", ntracks-len(tracks), ntracks)
		}
		n := int64(binary.BigEndian.Uint32(rest[4:]))
		typ, body := string(rest[:4]), rest[8:]
		if n > int64(len(body)) {
			return 0, 0, nil, damaged("it is truncated (in track %d)", len(tracks)+1)
		}
		if typ == "MTrk" { // other chunk types are skipped, as the standard says
			tracks = append(tracks, body[:n:n])
		}
		rest = body[n:]
	}
	return format, division, tracks, nil
}

// scanTrack walks a track chunk's events as gomidi will read them, to
// reject length claims beyond the chunk (gomidi would allocate whatever is
// claimed) and to count events and tempo changes before gomidi stores
// them. Anything else odd is left for gomidi to report.
func scanTrack(b []byte) (events, tempos int, err error) {
	var status byte
	varlen := func() (int, bool) {
		v := 0
		for i := 0; i < 4 && len(b) > 0; i++ {
			c := b[0]
			b = b[1:]
			v = v<<7 | int(c&0x7F)
			if c < 0x80 {
				return v, true
			}
		}
		return 0, false
	}
	for len(b) > 0 {
		if _, ok := varlen(); !ok || len(b) == 0 {
			return 0, 0, errors.New("a bad delta time or a truncated event")
		}
		c := b[0]
		b = b[1:]
		events++
		switch {
		case c == 0xFF || c == 0xF0 || c == 0xF7: // meta or sysex
			var typ byte
			if c == 0xFF {
				if len(b) == 0 {
					return 0, 0, errors.New("a truncated event")
				}
				typ, b = b[0], b[1:]
			}
			n, ok := varlen()
			if !ok {
				return 0, 0, errors.New("a bad length")
			}
			if n > len(b) {
				return 0, 0, errors.New("an event is longer than its track")
			}
			b = b[n:]
			status = 0
			if c == 0xFF && typ == 0x2F { // end of track: gomidi stops here
				return events, tempos, nil
			}
			if c == 0xFF && typ == 0x51 {
				tempos++
			}
		case c >= 0x80 && c < 0xF0:
			status = c
			b = b[min(len(b), midi.MessageLen(c)-1):]
		case status != 0: // running status (gomidi takes any byte for data here)
			b = b[min(len(b), midi.MessageLen(status)-2):]
		default:
			return events, tempos, nil // a data byte without status: gomidi panics, parseTrack recovers
		}
	}
	return 0, 0, errNoEOT
}

var errNoEOT = errors.New("no end-of-track event (the file is truncated)")

// parseTrack parses one track chunk body with gomidi, as a one-track file
// of its own (gomidi reads past chunk ends). It returns the track's events;
// the last one is the end of track.
func parseTrack(body []byte, division int) (tr gomidi.Track, err error) {
	defer func() {
		// gomidi v2.3.20 panics on a data byte without a status (at the
		// start of a track or after a meta or sysex event) and on other
		// bytes it does not expect.
		if p := recover(); p != nil {
			if s, ok := p.(string); ok && strings.Contains(s, "invalid canary") {
				err = errors.New("an event cannot be parsed: a data byte where a status byte should be")
			} else {
				err = fmt.Errorf("an event cannot be parsed (gomidi: %v)", p)
			}
			tr = nil
		}
	}()
	var buf bytes.Buffer
	buf.WriteString("MThd\x00\x00\x00\x06\x00\x00\x00\x01")
	binary.Write(&buf, binary.BigEndian, uint16(division))
	buf.WriteString("MTrk")
	binary.Write(&buf, binary.BigEndian, uint32(len(body)))
	buf.Write(body)
	s, err := gomidi.ReadFrom(&buf)
	if err != nil {
		return nil, fmt.Errorf("it is cut short or corrupt (%v)", err)
	}
	if len(s.Tracks) != 1 || !s.Tracks[0].IsClosed() {
		return nil, errNoEOT
	}
	return s.Tracks[0], nil
}

// file groups a song's events by channel.
func (s *song) file() *File {
	f := &File{Format: s.format, Tempo: s.tempo, TimeSig: s.timeSig}
	if len(s.names) > 0 {
		f.Name = s.names[0]
	}
	if n := len(s.events); n > 0 {
		f.Frames = s.events[n-1].Frame
	}
	var noteTrack [16]int // 1 + first track with a note on the channel
	var byChannel [16][]midi.Event
	for _, e := range s.events {
		ch := e.Channel()
		byChannel[ch] = append(byChannel[ch], e.Event)
		if e.IsNoteOn() && noteTrack[ch] == 0 {
			noteTrack[ch] = e.track + 1
		}
	}
	for ch, events := range byChannel {
		if noteTrack[ch] == 0 {
			continue
		}
		c := Channel{Channel: ch, Name: s.names[noteTrack[ch]-1], Program: -1, Events: events}
		for _, e := range events {
			if e.Kind() == midi.ProgramChange {
				c.Program = int(e.Msg[1])
				break
			}
		}
		f.Channels = append(f.Channels, c)
	}
	return f
}
