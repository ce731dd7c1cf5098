package songview

import (
	"sangstudio/projects"
	"sangstudio/projects/edit"
	"sangstudio/ui/timeline"
)

// newTimeline is the song's timeline, beside the track strips: its taps
// and drags seek, select clips, set the loop and markers, and edit the
// song (each edit one undo step).
func (v *View) newTimeline() *timeline.Timeline {
	tl := timeline.New(v.opt.Peaks)
	if _, least := rowSize(v.opt.TrackHeight); least > 0 {
		tl.SetRowHeight(least)
	}
	tl.OnSeek = func(f int64) { v.st.Locate(f) }
	tl.OnSelectClip = v.selectClip
	tl.OnMoveClip = func(t, c int, pos int64) {
		v.edit("Move clip", func(s *projects.Song) error { return edit.MoveClip(s, t, c, pos) })
	}
	tl.OnTrimStart = func(t, c int, start int64) {
		v.edit("Trim clip", func(s *projects.Song) error { return edit.TrimStart(s, t, c, start) })
	}
	tl.OnTrimEnd = func(t, c int, end int64) {
		v.edit("Trim clip", func(s *projects.Song) error {
			return edit.TrimEnd(s, t, c, end, v.takeFrames(s.Tracks[t].Clips[c].Take))
		})
	}
	tl.OnFadeIn = func(t, c int, n int64) {
		v.edit("Fade in", func(s *projects.Song) error {
			return edit.SetFades(s, t, c, n, s.Tracks[t].Clips[c].FadeOut)
		})
	}
	tl.OnFadeOut = func(t, c int, n int64) {
		v.edit("Fade out", func(s *projects.Song) error {
			return edit.SetFades(s, t, c, s.Tracks[t].Clips[c].FadeIn, n)
		})
	}
	tl.OnSetLoop = func(from, to int64) { v.st.SetLoop(from, to, true) }
	tl.OnMarker = v.editMarker
	tl.OnPickTake = func(t int, lane string) {
		v.edit("Choose take", func(s *projects.Song) error { return edit.ActivateTake(s, t, lane) })
	}
	return tl
}

func (v *View) takeFrames(take string) int64 {
	if v.opt.TakeFrames == nil {
		return 0
	}
	return v.opt.TakeFrames(take)
}
