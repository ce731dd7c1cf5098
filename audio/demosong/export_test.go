package demosong

// Test hooks: the note lists the generator plays, so tests can check the
// music itself rather than the audio.

// Note is a melody note as the tests see it.
type Note struct {
	Beat, Length float64
	Pitch        int
}

// Bars is the length of the song in bars.
const Bars = numBars

// MelodyNotes returns the melody the generator renders.
func MelodyNotes() []Note {
	n := make([]Note, len(melody))
	for i, m := range melody {
		n[i] = Note{m.beat, m.length, m.pitch}
	}
	return n
}

// ChordTones returns, for each bar, the pitch classes of its chord.
func ChordTones() [][]int {
	c := make([][]int, len(progression))
	for i, ch := range progression {
		c[i] = append([]int(nil), ch.tones...)
	}
	return c
}

// KeyScale returns the pitch classes of the song's key.
func KeyScale() []int { return append([]int(nil), keyScale...) }
