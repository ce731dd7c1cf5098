package synth

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Sound is what a MIDI track plays: a General MIDI program (0..127) or, with
// Drums, the GM drum kit (Program then selects the kit in the SoundFont's
// bank 128, 0 = Standard).
type Sound struct {
	Program int
	Drums   bool
}

// Name is the sound's English name: the GM program name ("Acoustic Grand
// Piano"), or "Drum kit" for the standard kit and "Drum kit (Jazz)" and the
// like for the other GS kits.
func (s Sound) Name() string {
	if s.Drums {
		if s.Program == 0 {
			return "Drum kit"
		}
		if n, ok := kitNames[s.Program]; ok {
			return "Drum kit (" + n + ")"
		}
		return "Drum kit " + strconv.Itoa(s.Program)
	}
	return ProgramName(s.Program)
}

// String is Name.
func (s Sound) String() string { return s.Name() }

// kitNames are the GS drum kits that GM SoundFonts usually carry in bank 128.
var kitNames = map[int]string{0: "Standard", 8: "Room", 16: "Power", 24: "Electronic",
	25: "TR-808", 32: "Jazz", 40: "Brush", 48: "Orchestra", 56: "SFX"}

var programNames = [128]string{
	"Acoustic Grand Piano", "Bright Acoustic Piano", "Electric Grand Piano", "Honky-tonk Piano",
	"Electric Piano 1", "Electric Piano 2", "Harpsichord", "Clavi",
	"Celesta", "Glockenspiel", "Music Box", "Vibraphone",
	"Marimba", "Xylophone", "Tubular Bells", "Dulcimer",
	"Drawbar Organ", "Percussive Organ", "Rock Organ", "Church Organ",
	"Reed Organ", "Accordion", "Harmonica", "Tango Accordion",
	"Acoustic Guitar (nylon)", "Acoustic Guitar (steel)", "Electric Guitar (jazz)", "Electric Guitar (clean)",
	"Electric Guitar (muted)", "Overdriven Guitar", "Distortion Guitar", "Guitar harmonics",
	"Acoustic Bass", "Electric Bass (finger)", "Electric Bass (pick)", "Fretless Bass",
	"Slap Bass 1", "Slap Bass 2", "Synth Bass 1", "Synth Bass 2",
	"Violin", "Viola", "Cello", "Contrabass",
	"Tremolo Strings", "Pizzicato Strings", "Orchestral Harp", "Timpani",
	"String Ensemble 1", "String Ensemble 2", "SynthStrings 1", "SynthStrings 2",
	"Choir Aahs", "Voice Oohs", "Synth Voice", "Orchestra Hit",
	"Trumpet", "Trombone", "Tuba", "Muted Trumpet",
	"French Horn", "Brass Section", "SynthBrass 1", "SynthBrass 2",
	"Soprano Sax", "Alto Sax", "Tenor Sax", "Baritone Sax",
	"Oboe", "English Horn", "Bassoon", "Clarinet",
	"Piccolo", "Flute", "Recorder", "Pan Flute",
	"Blown Bottle", "Shakuhachi", "Whistle", "Ocarina",
	"Lead 1 (square)", "Lead 2 (sawtooth)", "Lead 3 (calliope)", "Lead 4 (chiff)",
	"Lead 5 (charang)", "Lead 6 (voice)", "Lead 7 (fifths)", "Lead 8 (bass + lead)",
	"Pad 1 (new age)", "Pad 2 (warm)", "Pad 3 (polysynth)", "Pad 4 (choir)",
	"Pad 5 (bowed)", "Pad 6 (metallic)", "Pad 7 (halo)", "Pad 8 (sweep)",
	"FX 1 (rain)", "FX 2 (soundtrack)", "FX 3 (crystal)", "FX 4 (atmosphere)",
	"FX 5 (brightness)", "FX 6 (goblins)", "FX 7 (echoes)", "FX 8 (sci-fi)",
	"Sitar", "Banjo", "Shamisen", "Koto",
	"Kalimba", "Bag pipe", "Fiddle", "Shanai",
	"Tinkle Bell", "Agogo", "Steel Drums", "Woodblock",
	"Taiko Drum", "Melodic Tom", "Synth Drum", "Reverse Cymbal",
	"Guitar Fret Noise", "Breath Noise", "Seashore", "Bird Tweet",
	"Telephone Ring", "Helicopter", "Applause", "Gunshot",
}

// The General MIDI instrument families, in program order (8 programs each).
const (
	FamilyPiano = iota
	FamilyChromaticPercussion
	FamilyOrgan
	FamilyGuitar
	FamilyBass
	FamilyStrings
	FamilyEnsemble
	FamilyBrass
	FamilyReed
	FamilyPipe
	FamilySynthLead
	FamilySynthPad
	FamilySynthEffects
	FamilyEthnic
	FamilyPercussive
	FamilySoundEffects
)

var familyNames = [16][2]string{
	{"Piano", "Piano"}, {"Chromatic Percussion", "Kromatisk perkusjon"},
	{"Organ", "Orgel"}, {"Guitar", "Gitar"}, {"Bass", "Bass"},
	{"Strings", "Strenger"}, {"Ensemble", "Ensemble"}, {"Brass", "Messing"},
	{"Reed", "Rørblad"}, {"Pipe", "Fløyter"}, {"Synth Lead", "Synth-lead"},
	{"Synth Pad", "Synth-pad"}, {"Synth Effects", "Synth-effekter"},
	{"Ethnic", "Etnisk"}, {"Percussive", "Perkussivt"}, {"Sound Effects", "Lydeffekter"},
}

// familyPick is the program ParseSound chooses when the user types a family
// name: the family's most typical sound.
var familyPick = [16]int{0, 11, 16, 24, 32, 48, 48, 61, 65, 73, 80, 88, 99, 104, 114, 122}

// ProgramName returns the General MIDI name of program p (0..127) in
// English, or "Program N" outside that range.
func ProgramName(p int) string {
	if p < 0 || p > 127 {
		return "Program " + strconv.Itoa(p)
	}
	return programNames[p]
}

// Family returns the General MIDI family (0..15, FamilyPiano…) of program p
// (0..127); p is clamped into that range.
func Family(p int) int { return min(max(p, 0), 127) / 8 }

// FamilyName returns the name of family f (0..15) in lang: "en" for
// English, "nb" for Norwegian bokmål (anything else is English). It is ""
// for an f outside 0..15.
func FamilyName(f int, lang string) string {
	if f < 0 || f > 15 {
		return ""
	}
	if lang == "nb" {
		return familyNames[f][1]
	}
	return familyNames[f][0]
}

// drumWords are the names ParseSound takes for the drum kit.
var drumWords = map[string]bool{"drums": true, "drum": true, "drum kit": true, "drumkit": true,
	"drum set": true, "percussion": true, "kit": true, "trommer": true, "trommesett": true, "trommer og perkusjon": true}

// aliases are common words that name one program.
var aliases = map[string]int{"epiano": 4, "e piano": 4, "rhodes": 4, "strings": 48,
	"strykere": 48, "choir": 52, "kor": 52, "fløyte": 73, "trompet": 56, "fiolin": 40}

// ParseSound parses what a user types on the command line: a program
// number 1..128 (1-based, as printed GM lists count), a GM name or a unique
// case-insensitive prefix or set of word prefixes ("nylon", "church org"),
// a family name in English or bokmål ("piano", "organ", "bass", "orgel":
// the family's typical sound), "strings", or "drums". When several sounds
// match and they differ only by a trailing number ("electric piano"), the
// first is taken; otherwise the error lists a few suggestions.
func ParseSound(s string) (Sound, error) {
	q := normalize(s)
	if q == "" {
		return Sound{}, fmt.Errorf("no sound given: type a General MIDI program number (1..128), a name such as \"piano\", or \"drums\"")
	}
	if n, err := strconv.Atoi(q); err == nil {
		if n < 1 || n > 128 {
			return Sound{}, fmt.Errorf("program %d does not exist: General MIDI programs are numbered 1 to 128", n)
		}
		return Sound{Program: n - 1}, nil
	}
	if drumWords[q] {
		return Sound{Drums: true}, nil
	}
	for p, name := range programNames {
		if normalize(name) == q {
			return Sound{Program: p}, nil
		}
	}
	if p, ok := aliases[q]; ok {
		return Sound{Program: p}, nil
	}
	for f, names := range familyNames {
		if normalize(names[0]) == q || normalize(names[1]) == q {
			return Sound{Program: familyPick[f]}, nil
		}
	}
	var prefix, words []int
	qw := strings.Fields(q)
	for p, name := range programNames {
		n := normalize(name)
		if strings.HasPrefix(n, q) {
			prefix = append(prefix, p)
		}
		if wordsMatch(qw, strings.Fields(n)) {
			words = append(words, p)
		}
	}
	for _, m := range [][]int{prefix, words} {
		if len(m) == 1 || len(m) > 1 && sameBase(m) {
			return Sound{Program: m[0]}, nil
		}
	}
	if len(words) == 0 {
		return Sound{}, fmt.Errorf("no General MIDI sound is called %q: try a program number (1..128), \"piano\", \"organ\", \"guitar\", \"strings\", \"flute\" or \"drums\"", s)
	}
	var sugg []string
	for i, p := range words {
		if i == 5 {
			sugg = append(sugg, "…")
			break
		}
		sugg = append(sugg, fmt.Sprintf("%q (%d)", programNames[p], p+1))
	}
	return Sound{}, fmt.Errorf("%q could mean several sounds: %s", s, strings.Join(sugg, ", "))
}

// normalize lower-cases s and turns every run of other characters than
// letters and digits into one space.
func normalize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// wordsMatch reports whether every query word is a prefix of a distinct
// word of the name, in order.
func wordsMatch(q, name []string) bool {
	i := 0
	for _, w := range name {
		if i < len(q) && strings.HasPrefix(w, q[i]) {
			i++
		}
	}
	return i == len(q)
}

// sameBase reports whether the programs' names differ only by a trailing
// number ("Slap Bass 1", "Slap Bass 2").
func sameBase(ps []int) bool {
	base := func(p int) string { return strings.TrimRight(programNames[p], " 0123456789") }
	for _, p := range ps[1:] {
		if base(p) != base(ps[0]) {
			return false
		}
	}
	return true
}
