package studio

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"sangstudio/internal/durable"
	"sangstudio/internal/openfile"
	"sangstudio/projects"
)

// Settings are the window's choices that belong to the machine, not to a
// song: where songs are kept, the audio device, the language, text size.
// They are kept in a small JSON file in the user's configuration folder
// (~/.config/sangstudio/settings.json), which never holds anything recorded.
type Settings struct {
	// Library is the folder that holds the songs; empty until the user
	// chose it on the first start.
	Library string `json:"library"`
	// Language is "nb", "en" or "" (the system's).
	Language string `json:"language"`
	// Device is an audio device ID (audio/device), "" for the default.
	Device string `json:"device"`
	// Buffer is the device buffer in frames (0: 256).
	Buffer int `json:"buffer"`
	// Inputs are the 1-based input channels offered to tracks (0: all the
	// device has, up to 8).
	Inputs int `json:"inputs"`
	// Calibration is the extra latency in frames measured by the loopback
	// calibration, per device ID.
	Calibration map[string]int64 `json:"calibration,omitempty"`
	// MIDIIn chooses the MIDI keyboards: "" or "all" for every one.
	MIDIIn string `json:"midi_in"`
	// SoundFont is the .sf2 file new MIDI tracks play through ("" for the
	// system's General MIDI SoundFont, "builtin" for the built-in sound).
	SoundFont string `json:"soundfont"`
	// TextScale multiplies every text and control (1, 1.25, 1.5, 2).
	TextScale float32 `json:"text_scale"`
	// HighContrast uses black, white and yellow only.
	HighContrast bool `json:"high_contrast"`
	// Click and CountIn are the metronome settings for recording.
	Click   bool `json:"click"`
	CountIn int  `json:"count_in"` // bars before recording starts (0..2)
	// LastSong is the folder of the song open when the window closed.
	LastSong string `json:"last_song,omitempty"`
	// KeepMinutes is how many minutes of what the armed tracks hear are
	// kept in memory for Keep that: 0 (off), 1, 2 or 5; nil (not chosen)
	// is DefaultKeepMinutes.
	KeepMinutes *int `json:"keep_minutes,omitempty"`
	// TrackHeight is how tall the song view's track rows are: TrackCompact,
	// TrackNormal ("" too) or TrackLarge (for big controls).
	TrackHeight string `json:"track_height,omitempty"`
	// Resident is resident mode: the song view shows only Record, Play,
	// Stop, Undo, Keep that and the lyrics in very large text, and nothing
	// can be deleted, renamed or moved. It is remembered per computer.
	Resident bool `json:"resident,omitempty"`
	// SessionMinutes is the length of a session (a therapy hour): 10
	// minutes before its end a quiet notice offers Take it home and Burn a
	// CD. 0 is off; nil (not chosen) is DefaultSessionMinutes.
	SessionMinutes *int `json:"session_minutes,omitempty"`
	// TestTone feeds a test tone (a sine) to the virtual device's inputs,
	// to try recording without a microphone; off, they record silence.
	TestTone bool `json:"test_tone,omitempty"`
}

// Track heights (Settings.TrackHeight).
const (
	TrackCompact = "compact"
	TrackNormal  = "normal"
	TrackLarge   = "large"
)

// TrackHeights are the track heights Settings offers, smallest first.
func TrackHeights() []string { return []string{TrackCompact, TrackNormal, TrackLarge} }

// DefaultSessionMinutes is the session length unless chosen otherwise.
const DefaultSessionMinutes = 60

// SessionChoices are the session lengths Settings offers, in minutes (0:
// off).
func SessionChoices() []int { return []int{0, 45, 60, 90, 120} }

// Session is the session length (0: off).
func (s Settings) Session() time.Duration {
	m := DefaultSessionMinutes
	if s.SessionMinutes != nil {
		m = *s.SessionMinutes
	}
	return time.Duration(m) * time.Minute
}

// DefaultKeepMinutes is how much Keep that keeps unless chosen otherwise.
const DefaultKeepMinutes = 2

// KeepChoices are the lengths Settings offers for Keep that, in minutes.
func KeepChoices() []int { return []int{0, 1, 2, 5} }

// KeepDuration is how long Keep that keeps (0: off).
func (s Settings) KeepDuration() time.Duration {
	m := DefaultKeepMinutes
	if s.KeepMinutes != nil {
		m = *s.KeepMinutes
	}
	return time.Duration(m) * time.Minute
}

// Defaults are the settings of a first start.
func Defaults() Settings {
	return Settings{Buffer: 256, TextScale: 1.25, Click: true, CountIn: 1, TrackHeight: TrackNormal}
}

// SettingsPath is where settings are kept: $XDG_CONFIG_HOME/sangstudio/settings.json.
func SettingsPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "sangstudio", "settings.json"), nil
}

// LoadSettings reads the settings at path. A missing file gives Defaults and
// first=true. A damaged file gives Defaults and an error naming it (the
// caller shows it; the file is left for the next save to replace).
func LoadSettings(path string) (s Settings, first bool, err error) {
	s = Defaults()
	data, err := openfile.ReadFile(path) // a FIFO there would keep the window from starting
	if errors.Is(err, fs.ErrNotExist) {
		return s, true, nil
	}
	if err != nil {
		return s, false, fmt.Errorf("settings: %w", err)
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return Defaults(), false, fmt.Errorf("settings: %s is damaged (%v); using the default settings", path, err)
	}
	s.clamp()
	return s, s.Library == "", nil
}

func (s *Settings) clamp() {
	if s.Buffer < 64 || s.Buffer > 2048 {
		s.Buffer = 256
	}
	if s.TextScale < 0.75 || s.TextScale > 3 {
		s.TextScale = 1.25
	}
	s.CountIn = min(max(s.CountIn, 0), 2)
	if s.Inputs < 0 {
		s.Inputs = 0
	}
	if m := s.KeepMinutes; m != nil && !slices.Contains(KeepChoices(), *m) {
		s.KeepMinutes = nil
	}
	if m := s.SessionMinutes; m != nil && !slices.Contains(SessionChoices(), *m) {
		s.SessionMinutes = nil
	}
	if !slices.Contains(TrackHeights(), s.TrackHeight) {
		s.TrackHeight = TrackNormal
	}
}

// SaveSettings writes the settings atomically.
func SaveSettings(path string, s Settings) error {
	s.clamp()
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), projects.DirPerm); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	if err := durable.WriteFile(path, append(data, '\n'), projects.FilePerm); err != nil {
		return fmt.Errorf("settings: %w", err)
	}
	return nil
}
