package beat

import (
	"strconv"
	"strings"
	"unicode"
)

// Drum is a General MIDI drum sound a lane can play (channel 10).
type Drum struct {
	Key  string // stable, kept in song.json as the lane's name: "kick", "snare", …
	Note int    // General MIDI drum note
	Name string // in English: "Kick"
	Nb   string // in Norwegian (bokmål): "Basstromme"
	// Also are other names the text form accepts ("bd", "hh", …).
	Also []string
}

// DefaultDrums are the lanes a new pattern has, in order: kick 36, snare
// 38, clap 39, closed hat 42, pedal hat 44, open hat 46, the toms 41, 45
// and 48, crash 49 and ride 51.
func DefaultDrums() []Drum {
	return []Drum{
		{"kick", 36, "Kick", "Basstromme", []string{"bd", "bass drum", "kick drum", "bass", "stortromme"}},
		{"snare", 38, "Snare", "Skarptromme", []string{"sd", "snare drum", "skarp", "skasstromme"}},
		{"clap", 39, "Clap", "Klapp", []string{"cp", "handclap", "hand clap", "klapp"}},
		{"hat", 42, "Closed hat", "Lukket hihat", []string{"hh", "hihat", "hi-hat", "closed", "closedhat", "chh", "ch"}},
		{"pedalhat", 44, "Pedal hat", "Pedal-hihat", []string{"ph", "pedal", "phh"}},
		{"openhat", 46, "Open hat", "Åpen hihat", []string{"oh", "open", "ohh"}},
		{"floortom", 41, "Floor tom", "Gulvtam", []string{"ft", "floor", "tom3"}},
		{"lowtom", 45, "Low tom", "Lav tam", []string{"lt", "tom", "tom2"}},
		{"hightom", 48, "High tom", "Høy tam", []string{"ht", "tom1"}},
		{"crash", 49, "Crash", "Crash", []string{"cr", "cymbal"}},
		{"ride", 51, "Ride", "Ride", []string{"rd"}},
	}
}

// MoreDrums are drums a lane may play beyond the default ones.
func MoreDrums() []Drum {
	return []Drum{
		{"sidestick", 37, "Side stick", "Kantslag", []string{"rim", "rimshot", "stick", "ss", "rimclick"}},
		{"tambourine", 54, "Tambourine", "Tamburin", []string{"tamb"}},
		{"cowbell", 56, "Cowbell", "Kubjelle", []string{"cb"}},
		{"shaker", 70, "Shaker", "Shaker", []string{"maracas", "sh"}},
		{"claves", 75, "Claves", "Claves", []string{"clave"}},
	}
}

// Drums are the default drums and the others, in that order.
func Drums() []Drum { return append(DefaultDrums(), MoreDrums()...) }

// norm is a drum name as names are compared: lower case, without spaces,
// '-' and '_'.
func norm(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r != ' ' && r != '-' && r != '_' && r != '\t' {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// FindDrum finds a drum by its key, its name in English or Norwegian, one
// of its other names (case, spaces and dashes do not matter) or its
// General MIDI note number.
func FindDrum(name string) (Drum, bool) {
	n := norm(name)
	drums := Drums()
	for _, d := range drums {
		if n == norm(d.Key) || n == norm(d.Name) || n == norm(d.Nb) {
			return d, true
		}
	}
	for _, d := range drums {
		for _, a := range d.Also {
			if n == norm(a) {
				return d, true
			}
		}
	}
	if k, err := strconv.Atoi(n); err == nil {
		for _, d := range drums {
			if d.Note == k {
				return d, true
			}
		}
	}
	return Drum{}, false
}

// LaneName is a lane's name for people in language lang ("nb" for
// Norwegian, anything else English): the drum's name for a drum's key,
// otherwise the lane's name as it is.
func LaneName(l Lane, lang string) string {
	for _, d := range Drums() {
		if l.Name == d.Key {
			if lang == "nb" {
				return d.Nb
			}
			return d.Name
		}
	}
	return l.Name
}
