package render

import (
	"fmt"
	"math"

	"sangstudio/audio/wav"
	"sangstudio/projects"
)

// checkLength is what every render (mix, stems, master, take home, CD,
// loudness) checks first, before the disk space and before any MIDI take
// is rendered: a song too long to render is refused naming the clip that
// makes it so (projects.CheckRenderLength), and so is an output that no WAV
// file could hold, rather than failing gigabytes into the render.
func checkLength(s *projects.Song, opt Options, enc wav.Encoding) error {
	if err := CheckLength(s); err != nil {
		return err
	}
	if opt.Mix == "" && opt.StemsDir == "" {
		return nil // a measurement only: no file
	}
	const header = 1024 // the RIFF, fmt, bext and data headers, and more
	perFrame := int64(2 * enc.Bytes())
	if size := s.Length()*perFrame + header; size > math.MaxUint32 {
		most := float64(math.MaxUint32-header) / float64(perFrame) / float64(s.Rate) / 3600
		msg := fmt.Sprintf("render: the song is %.1f hours long; as a %v stereo WAV file at %d Hz that is %s, more than the %s a WAV file can hold (%.1f hours in this format)",
			float64(s.Length())/float64(s.Rate)/3600, enc, s.Rate, mb(size), mb(math.MaxUint32), most)
		return fmt.Errorf("%s%s", msg, outlierNote(s))
	}
	return nil
}

// CheckLength refuses a song too long to render, naming the clip that
// makes it so (see projects.MaxRenderHours). Render checks it first; the
// renderers that make working files before they render (master, take
// home, CD) check it before those.
func CheckLength(s *projects.Song) error {
	if err := s.CheckRenderLength(); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}

// outlierNote is "", or for a song with a clip far beyond the rest (see
// projects.Song.Outlier) a note naming it, for messages about the
// render's size.
func outlierNote(s *projects.Song) string {
	o, ok := s.Outlier()
	if !ok {
		return ""
	}
	return fmt.Sprintf(". The song is that long because %s: move or delete that clip if it lies there by mistake", o.Text())
}
