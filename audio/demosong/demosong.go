// Package demosong synthesises a short, pleasant demo song in pure Go.
//
// `sangstudio demo DIR` uses it so that the app and everything downstream of
// recording (mixing, rendering, mastering, CD burning) can be tried on a
// machine with no audio hardware and no audio files. Generate returns the
// audio of each track and the song's musical facts (tempo, time signature,
// section markers, lyrics); writing them to disk is the caller's job.
//
// The song, "Morgenlys", is 11 bars of 4/4 at 96 BPM in C major (27.5 s):
//
//	Intro   bars 1–2   C  G             piano arpeggios, pad, hi-hat
//	Vers    bars 3–6   C  G  Am F       full band, melody
//	Refreng bars 7–10  Am F  C  G       fuller drums, driving bass
//	Slutt   bar  11    C                final chord rings out
//
// Everything is computed from fixed tables and a fixed-seed noise generator,
// so the same sample rate always gives bit-identical samples.
package demosong

import (
	"math"

	"sangstudio/midi"
)

// Track is the audio of one instrument, ready to become one mixer channel.
//
// Each track is normalised to peak between -8 and -4 dBFS. With the
// suggested GainDB and Pan, the sum of all tracks peaks below 0 dBFS under
// the constant-power pan law (left = g·cos((p+1)π/4), right = g·sin((p+1)π/4))
// whether a stereo track's sides are scaled by that law or by a balance
// control that leaves the centre at unity.
type Track struct {
	Name     string      // short instrument name: "Drums", "Bass", "Piano", "Melody", "Pad"
	Channels int         // 1 (mono) or 2 (stereo)
	Audio    [][]float32 // non-interleaved: len == Channels, each Song.Frames long, values within [-1, 1]
	GainDB   float64     // suggested mix gain in dB
	Pan      float64     // suggested pan, -1 (left) .. +1 (right)
}

// Marker names the start of a section of the song; Frame is always the first
// frame of a bar.
type Marker struct {
	Name  string
	Frame int64
}

// Song is the generated demo song: its musical facts and its tracks.
type Song struct {
	Title       string   // "Demo: Morgenlys"
	Rate        int      // sample rate in Hz
	Tempo       float64  // beats per minute
	BeatsPerBar int      // 4
	BeatUnit    int      // 4
	Tracks      []Track  // Drums, Bass, Piano, Melody, Pad
	Markers     []Marker // Intro, Vers, Refreng, Slutt, in order
	Lyrics      string   // a verse and a chorus in Norwegian bokmål
	Frames      int64    // song length in frames; every track channel has this length
}

// Musical facts of the song.
const (
	title       = "Demo: Morgenlys"
	tempo       = 96.0
	beatsPerBar = 4
	beatUnit    = 4
	numBars     = 11
)

// lyrics is original text written for this demo.
const lyrics = `Vers
Morgenlyset treffer ruta,
kaffen damper, dagen er ny.
Det som var tungt i går, får hvile,
vi finner ord, og ordene flyr.

Refreng
Vi synger sammen, stemme for stemme,
litt etter litt blir det lysere her.
Du er ikke alene, du hører hjemme
i sangen vi lager, akkurat som du er.
`

// section is a named part of the song starting at a bar (0-based).
type section struct {
	name string
	bar  int
}

// First bar (0-based) of each section.
const (
	barVers    = 2
	barRefreng = 6
	barSlutt   = 10
)

var sections = []section{
	{"Intro", 0},
	{"Vers", barVers},
	{"Refreng", barRefreng},
	{"Slutt", barSlutt},
}

// chord is one bar's harmony with the voicings each instrument plays.
type chord struct {
	name  string
	root  int   // bass note (MIDI), in E2..D#3 so the bass stays in one octave
	tones []int // pitch classes of the triad (0 = C)
	piano []int // close voicing around middle C (MIDI)
	pad   []int // open voicing an octave lower (MIDI)
}

var (
	chordC  = chord{"C", 36, []int{0, 4, 7}, []int{60, 64, 67}, []int{48, 55, 64}}
	chordG  = chord{"G", 43, []int{7, 11, 2}, []int{59, 62, 67}, []int{47, 55, 62}}
	chordAm = chord{"Am", 45, []int{9, 0, 4}, []int{60, 64, 69}, []int{45, 52, 60}}
	chordF  = chord{"F", 41, []int{5, 9, 0}, []int{60, 65, 69}, []int{45, 53, 60}}
)

// progression holds the chord of each bar.
var progression = [numBars]chord{
	chordC, chordG, // Intro
	chordC, chordG, chordAm, chordF, // Vers
	chordAm, chordF, chordC, chordG, // Refreng
	chordC, // Slutt
}

// keyScale is C major: the pitch classes the melody may use.
var keyScale = []int{0, 2, 4, 5, 7, 9, 11}

// note is one melody note: onset and length in beats from the song start.
type note struct {
	beat, length float64
	pitch        int // MIDI note number
}

// melody is the lead line: a pickup at the end of the intro, the verse and
// the chorus, ending on the tonic. Notes starting on a beat are chord tones;
// the others are passing notes of the key.
var melody = []note{
	// Intro pickup (G)
	{7, 1, 67},
	// Vers: C
	{8, 1, 64}, {9, 1, 67}, {10, 0.5, 67}, {10.5, 0.5, 69}, {11, 1, 67},
	// G
	{12, 1.5, 67}, {13.5, 0.5, 65}, {14, 1.5, 62},
	// Am
	{16, 1, 64}, {17, 1, 69}, {18, 1.5, 72}, {19.5, 0.5, 71},
	// F
	{20, 1.5, 69}, {21.5, 0.5, 67}, {22, 1.5, 65}, {23.5, 0.5, 67},
	// Refreng: Am
	{24, 1.5, 72}, {25.5, 0.5, 71}, {26, 1, 69}, {27, 0.5, 72}, {27.5, 0.5, 74},
	// F
	{28, 1.5, 72}, {29.5, 0.5, 69}, {30, 1, 65}, {31, 0.5, 69}, {31.5, 0.5, 72},
	// C
	{32, 1.5, 76}, {33.5, 0.5, 74}, {34, 1, 72}, {35, 1, 67},
	// G
	{36, 1, 74}, {37, 1, 71}, {38, 1, 67}, {39, 0.5, 71}, {39.5, 0.5, 74},
	// Slutt: C
	{40, 3, 72},
}

// Track levels: each track is normalised to peakDB, then the mix uses gainDB
// and pan. The sum of all tracks at these settings stays below 0 dBFS.
type trackSpec struct {
	name     string
	channels int
	peakDB   float64
	gainDB   float64
	pan      float64
}

var trackSpecs = [...]trackSpec{
	{"Drums", 2, -4, -4, 0},
	{"Bass", 1, -5, -5, 0},
	{"Piano", 2, -6, -6, -0.15},
	{"Melody", 1, -5, -4, 0.05},
	{"Pad", 2, -8, -9, 0.15},
}

const (
	trDrums = iota
	trBass
	trPiano
	trMelody
	trPad
)

// Generate returns the demo song at the given sample rate (44100, 48000 or
// 96000; any rate of at least 32000 works). It is deterministic: the same
// rate always gives identical samples.
func Generate(rate int) Song {
	s := newSynth(rate)
	tracks := make([]Track, len(trackSpecs))
	for i, sp := range trackSpecs {
		audio := make([][]float32, sp.channels)
		for c := range audio {
			audio[c] = make([]float32, s.frames)
		}
		tracks[i] = Track{Name: sp.name, Channels: sp.channels, Audio: audio, GainDB: sp.gainDB, Pan: sp.pan}
	}

	s.drums(tracks[trDrums].Audio)
	s.bass(tracks[trBass].Audio[0])
	s.piano(tracks[trPiano].Audio)
	s.lead(tracks[trMelody].Audio[0])
	s.pad(tracks[trPad].Audio)

	for i := range tracks {
		finish(tracks[i].Audio, trackSpecs[i].peakDB, s.at(numBars*beatsPerBar-0.5))
	}

	markers := make([]Marker, len(sections))
	for i, sec := range sections {
		markers[i] = Marker{Name: sec.name, Frame: int64(s.at(float64(sec.bar * beatsPerBar)))}
	}
	return Song{
		Title:       title,
		Rate:        rate,
		Tempo:       tempo,
		BeatsPerBar: beatsPerBar,
		BeatUnit:    beatUnit,
		Tracks:      tracks,
		Markers:     markers,
		Lyrics:      lyrics,
		Frames:      int64(s.frames),
	}
}

// finish fades the track out from frame fadeFrom to the end (so every track
// ends in silence) and scales it so its peak is at peakDB.
func finish(audio [][]float32, peakDB float64, fadeFrom int) {
	var peak float64
	for _, ch := range audio {
		n := len(ch)
		fade := float64(n - fadeFrom)
		for i := fadeFrom; i < n; i++ {
			ch[i] *= float32(smoothstep(float64(n-1-i) / fade))
		}
		for _, v := range ch {
			if a := math.Abs(float64(v)); a > peak {
				peak = a
			}
		}
	}
	if peak == 0 {
		return
	}
	g := float32(math.Pow(10, peakDB/20) / peak)
	for _, ch := range audio {
		for i := range ch {
			ch[i] *= g
		}
	}
}

// panGains returns constant-power left/right gains for pan p in -1..+1.
func panGains(p float64) [2]float64 {
	a := (p + 1) * math.Pi / 4
	return [2]float64{math.Cos(a), math.Sin(a)}
}

// smoothstep maps 0..1 to 0..1 with zero slope at both ends (values outside
// are clamped): used for click-free attacks, releases and fades.
func smoothstep(x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	return x * x * (3 - 2*x)
}

// midiHz converts a MIDI note number to Hz (A4 = 69 = 440 Hz).
func midiHz(m float64) float64 { return 440 * math.Pow(2, (m-69)/12) }

// StringsProgram is the General MIDI sound of the demo's MIDI track
// (String Ensemble 1).
const StringsProgram = 48

// StringsEvents is the demo's MIDI track: strings doubling the melody an
// octave lower, as note-on/off events at frames of the given rate.
func StringsEvents(rate int) []midi.Event {
	s := newSynth(rate)
	var ev []midi.Event
	for _, n := range melody {
		k := byte(n.pitch - 12)
		ev = append(ev,
			midi.Event{Frame: int64(s.at(n.beat)), Msg: [3]byte{midi.NoteOn, k, 96}},
			midi.Event{Frame: int64(s.at(n.beat+n.length)) - 1, Msg: [3]byte{midi.NoteOff, k, 0}})
	}
	return ev
}
