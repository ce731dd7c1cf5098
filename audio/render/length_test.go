package render_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sangstudio/audio/render"
	"sangstudio/audio/wav"
	"sangstudio/projects"
)

// TestRenderChecksLengthFirst: the length is checked before the takes are
// opened and before the disk space: a song beyond projects.MaxRenderHours
// is refused naming its clip; a 5-hour song as a 32-bit float WAV (more
// than a WAV file holds) is refused saying so, with the format's limit,
// while as 16-bit it would fit; nothing is written.
func TestRenderChecksLengthFirst(t *testing.T) {
	const rate = 48000
	hour := int64(3600 * rate)
	song := func(clips ...projects.Clip) *projects.Song {
		return &projects.Song{Rate: rate, Tracks: []*projects.Track{{Name: "Vokal", Channels: 1, Clips: clips}}}
	}
	out := t.TempDir()
	mix := filepath.Join(out, "mix.wav")

	// The takes do not exist: only the length check can answer.
	_, err := render.Render(context.Background(), t.TempDir(), song(projects.Clip{Take: "a.wav", Length: rate},
		projects.Clip{Take: "b.wav", Position: 40 * hour, Length: rate}), render.Options{Mix: mix})
	if err == nil || !strings.Contains(err.Error(), `40.0 hours long because clip 2 on track 1 ("Vokal") starts at 40:00:00`) {
		t.Errorf("a clip 40 hours in: %v", err)
	}

	long := song(projects.Clip{Take: "a.wav", Length: 5 * hour})
	_, err = render.Render(context.Background(), t.TempDir(), long, render.Options{Mix: mix, Encoding: wav.Float32})
	if err == nil || !strings.Contains(err.Error(), "the song is 5.0 hours long; as a 32-bit float stereo WAV file at 48000 Hz that is 6912.0 MB, more than the 4295.0 MB a WAV file can hold (3.1 hours in this format)") {
		t.Errorf("5 hours as 32-bit float: %v", err)
	}
	_, err = render.Render(context.Background(), t.TempDir(), long, render.Options{Mix: mix, Encoding: wav.PCM16})
	if err == nil || strings.Contains(err.Error(), "WAV file can hold") || strings.Contains(err.Error(), "hours long") {
		t.Errorf("5 hours as 16-bit fits a WAV file; want the missing take's error: %v", err)
	}
	if ents, _ := os.ReadDir(out); len(ents) != 0 {
		t.Errorf("refused renders left %v", ents)
	}
}
