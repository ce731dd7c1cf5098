// Package synth turns a MIDI track's events into sound: a General MIDI
// SoundFont (.sf2) instrument played by go-meltysynth, or, when there is no
// SoundFont, a small built-in synthesizer so that a keyboard always makes
// sound.
//
// An Instrument's Event, Render and Reset run on the audio thread: they do
// not allocate, lock, block or do I/O. An Instrument is not safe for
// concurrent use; a SoundFont is, and is shared by all instruments.
//
// Timing: the built-in instrument applies an event at the very next frame.
// meltysynth renders in internal blocks of BlockSize frames and applies a
// message at the start of its next block, so a SoundFont instrument starts
// a note up to BlockSize-1 frames late (0.3 ms at 48 kHz). RenderEvents is
// deterministic all the same: it applies each event after exactly
// Event.Frame frames, so the quantization is the same whatever the chunk
// size.
package synth

import (
	"errors"
	"fmt"

	"github.com/sinshu/go-meltysynth/meltysynth"

	"sangstudio/midi"
)

// BlockSize is the internal block of the SoundFont synthesizer in frames:
// an event applied between blocks takes effect at the next block, up to
// BlockSize-1 frames (0.3 ms at 48 kHz) late. 16 is the smallest that is
// still efficient. Measured with 32 piano notes sounding, 256-frame Render
// at 48 kHz: 8 takes 14% of the real-time budget, 16 takes 9%, 32 5.7%, 64
// 4.4%. meltysynth evaluates a voice's envelope at the end of each block,
// so a note's first sound comes after the SoundFont's default 1 ms volume
// envelope delay rounded to blocks (33 frames at 16), while at 64 a whole
// first block plays at once without the delay and attack.
const BlockSize = 16

// maxPolyphony is the SoundFont synthesizer's voice limit (a note may take
// two voices, e.g. stereo samples).
const maxPolyphony = 64

// Instrument is one MIDI track's instrument. Event, Render and Reset are
// called from the audio thread: they do not allocate, lock, block or do
// I/O.
type Instrument struct {
	sound    Sound
	rate     int
	maxBlock int
	ch       int32
	sf       *SoundFont
	syn      *meltysynth.Synthesizer // nil for the built-in instrument
	fb       *fallback
	faults   int
	// cc and bend shadow the controllers that all sound off keeps (CC1,
	// 7, 10, 11, 64): meltysynth can only silence its reverb by a full
	// reset, after which they are sent again.
	cc   [128]int8
	bend [2]int32
}

// New makes an instrument for sound at rate (frames per second) with a
// largest block of maxBlock frames. sf nil means the built-in fallback
// instrument. All incoming channel messages are remapped to the
// instrument's own channel (0, or 9 for drums), and program change and bank
// select messages are ignored (the track's Sound decides the program), so a
// keyboard on any channel plays the track's sound.
func New(sf *SoundFont, sound Sound, rate, maxBlock int) (*Instrument, error) {
	if sound.Program < 0 || sound.Program > 127 {
		return nil, fmt.Errorf("synth: program %d is outside 0..127", sound.Program)
	}
	if maxBlock <= 0 {
		return nil, errors.New("synth: the largest block must be at least 1 frame")
	}
	in := &Instrument{sound: sound, rate: rate, maxBlock: maxBlock, sf: sf}
	if sound.Drums {
		in.ch = midi.DrumChannel
	}
	if sf == nil {
		if rate < 8000 || rate > 384000 {
			return nil, fmt.Errorf("synth: sample rate %d Hz is outside 8000..384000", rate)
		}
		in.fb = newFallback(sound, rate, maxBlock)
	} else {
		if rate < 16000 || rate > 192000 {
			return nil, fmt.Errorf("synth: sample rate %d Hz is outside 16000..192000, which the SoundFont player supports", rate)
		}
		st := meltysynth.NewSynthesizerSettings(int32(rate))
		st.BlockSize = BlockSize
		st.MaximumPolyphony = maxPolyphony
		st.EnableReverbAndChorus = true
		syn, err := meltysynth.NewSynthesizer(sf.sf, st)
		if err != nil {
			return nil, fmt.Errorf("synth: %v", err)
		}
		in.syn = syn
	}
	in.Reset()
	return in, nil
}

// Sound is the sound the instrument plays.
func (in *Instrument) Sound() Sound { return in.sound }

// Fallback is true when the instrument is the built-in synthesizer, not a
// SoundFont.
func (in *Instrument) Fallback() bool { return in.syn == nil }

// Faults counts the Render calls that hit a fault in the SoundFont player
// (a damaged SoundFont that passed the checks at load); each one reset the
// instrument and rendered silence instead of crashing.
func (in *Instrument) Faults() int { return in.faults }

// Event applies a channel voice message now: note on/off with velocity,
// sustain pedal (CC64), mod wheel (CC1), volume (CC7), expression (CC11),
// pan (CC10), pitch bend, all notes off (CC123: it also lifts the sustain
// pedal, so that it silences held notes too), all sound off (CC120: at
// once, reverb included, for a SoundFont; within 3 ms for the built-in
// instrument) and reset all controllers (CC121). The channel is ignored, as
// are program change, bank select and anything that is not a channel voice
// message.
func (in *Instrument) Event(msg [3]byte) {
	kind := int32(msg[0] & 0xF0)
	d1, d2 := int32(msg[1]&0x7F), int32(msg[2]&0x7F)
	switch kind {
	case midi.NoteOff, midi.NoteOn, midi.ControlChange, midi.PitchBend:
	default:
		return
	}
	if kind == midi.ControlChange {
		switch d1 {
		case 0, 32: // bank select: the Sound decides
			return
		case midi.CCAllNotesOff:
			in.Event([3]byte{midi.ControlChange, midi.CCSustain, 0})
		}
	}
	if in.syn == nil {
		in.fb.event(kind, d1, d2)
		return
	}
	switch {
	case kind == midi.PitchBend:
		in.bend = [2]int32{d1, d2}
	case kind != midi.ControlChange:
	case d1 == midi.CCResetAll:
		in.cc[midi.CCModWheel], in.cc[midi.CCExpression], in.cc[midi.CCSustain] = 0, 127, 0
		in.bend = [2]int32{0, 64}
	case d1 == midi.CCAllSoundOff:
		in.allSoundOff()
		return
	default:
		in.cc[d1] = int8(d2)
	}
	in.syn.ProcessMidiMessage(in.ch, kind, d1, d2)
}

// allSoundOff silences a SoundFont instrument at once, reverb and chorus
// included, keeping the controllers.
func (in *Instrument) allSoundOff() {
	in.syn.Reset()
	in.syn.ProcessMidiMessage(in.ch, midi.ProgramChange, int32(in.sound.Program), 0)
	for _, c := range [...]int32{midi.CCModWheel, midi.CCVolume, midi.CCPan, midi.CCExpression, midi.CCSustain} {
		in.syn.ProcessMidiMessage(in.ch, midi.ControlChange, c, int32(in.cc[c]))
	}
	in.syn.ProcessMidiMessage(in.ch, midi.PitchBend, in.bend[0], in.bend[1])
}

// Render OVERWRITES l and r (the same length; if not, the shorter one's)
// with the next frames. Blocks longer than maxBlock work too.
func (in *Instrument) Render(l, r []float32) {
	n := min(len(l), len(r))
	l, r = l[:n], r[:n]
	if in.syn == nil {
		for len(l) > 0 {
			k := min(len(l), in.maxBlock)
			in.fb.render(l[:k], r[:k])
			l, r = l[k:], r[k:]
		}
		return
	}
	in.renderSF(l, r)
}

func (in *Instrument) renderSF(l, r []float32) {
	defer func() {
		if recover() != nil {
			in.faults++
			in.Reset()
			clear(l)
			clear(r)
		}
	}()
	in.syn.Render(l, r)
}

// Reset stops all sound at once, resets the controllers and sets the
// sound's program again. (For a SoundFont the chorus's sweep and the
// reverb's delay positions go on where they were, so what follows a Reset
// can differ slightly from a new instrument's output: RenderEvents uses a
// new instrument.)
func (in *Instrument) Reset() {
	in.cc = [128]int8{midi.CCVolume: 100, midi.CCPan: 64, midi.CCExpression: 127}
	in.bend = [2]int32{0, 64}
	if in.syn == nil {
		in.fb.reset()
		return
	}
	in.syn.Reset()
	in.syn.ProcessMidiMessage(in.ch, midi.ProgramChange, int32(in.sound.Program), 0)
}

// Tail is how many frames to render after the last event so that releases
// (and the SoundFont player's reverb) ring out: 2 s at rate.
func Tail(rate int) int64 { return 2 * int64(rate) }

// RenderEvents renders a whole sequence offline, deterministically: on a
// new instrument like in (same SoundFont, sound, rate and largest block; in
// itself is not touched, so it may go on playing live meanwhile), it
// applies each event after exactly Frame frames (events
// are relative to the start and sorted; an event before the current frame
// is applied at once, one at or after frames is dropped), and calls out
// with consecutive stereo chunks of chunk frames (the last may be shorter)
// until frames frames were produced. The output depends only on the
// events, the sound, the SoundFont and the rate, not on chunk. The slices
// passed to out are reused after it returns. A SoundFont instrument still
// starts notes at its internal block boundaries (see BlockSize).
func RenderEvents(in *Instrument, events []midi.Event, frames int64, chunk int, out func(l, r []float32) error) error {
	if chunk <= 0 {
		return errors.New("synth: RenderEvents needs a chunk of at least 1 frame")
	}
	if frames < 0 {
		return errors.New("synth: RenderEvents needs a frame count of at least 0")
	}
	in, err := New(in.sf, in.sound, in.rate, in.maxBlock)
	if err != nil {
		return err
	}
	l, r := make([]float32, chunk), make([]float32, chunk)
	var pos int64
	ei, fill := 0, 0
	for pos < frames {
		for ei < len(events) && events[ei].Frame <= pos {
			in.Event(events[ei].Msg)
			ei++
		}
		n := min(int64(chunk-fill), frames-pos, int64(in.maxBlock))
		if ei < len(events) {
			n = min(n, events[ei].Frame-pos)
		}
		in.Render(l[fill:fill+int(n)], r[fill:fill+int(n)])
		fill += int(n)
		pos += n
		if fill == chunk || pos == frames {
			if err := out(l[:fill], r[:fill]); err != nil {
				return err
			}
			fill = 0
		}
	}
	return nil
}
