// Package edit holds the clip, take and marker edits of the song editor.
//
// Every edit is a plain function that changes a *projects.Song in place.
// When an edit is impossible it returns an error in plain words, naming the
// track and clip, and leaves the song exactly as it was (its encoding is
// byte for byte the same). Every successful edit leaves a song that passes
// (*projects.Song).Validate; an edit whose result would not validate is
// refused, so an edit of a song that is already invalid is refused too.
//
// Tracks and clips are addressed by their 0-based index in Song.Tracks and
// in Track.Clips (the active take lane). Error messages number them from 1,
// as the window and the command line show them. Positions and lengths are
// frames at the song's sample rate.
//
// The edits never touch files: deleting a clip or switching takes leaves
// the take files in SONG_DIR/audio/ where they are.
//
// # Clip order and overlaps
//
// The song format allows clips of a track to overlap: where they do, the
// clip later in Track.Clips is heard (it covers the earlier one). The edits
// keep Track.Clips in Position order, so where clips overlap the one that
// starts later is heard; clips that start at the same frame keep their
// order. A moved clip goes above the clips that start where it now starts.
// Edits that are not moves (trims, splits, fades, gain, deletes) never
// change which of two overlapping clips is heard: a trim or split that would
// do so is refused, with the clip in the way named. A track whose clips are
// out of order (only a hand-written song.json has that) is put in order by
// the first edit that changes a clip's position.
//
// # Markers
//
// Marker edits keep Song.Markers in Position order; markers at the same
// position keep their order, and a new or moved marker goes after the ones
// already at its position. Marker indices are 0-based, numbered from 1 in
// messages. Names are trimmed of surrounding spaces and may not be empty.
package edit

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"sangstudio/internal/words"
	"sangstudio/projects"
)

// MinClipLength is the shortest clip, in frames, that a trim or a split
// makes. A clip that is already shorter (an imported one, say) may stay so,
// but no edit makes it shorter still.
const MinClipLength int64 = 64

// maxFrames is the latest timeline or take frame an edit accepts: the
// song format's limit (about 260 days at 48 kHz). Keeping every value below
// it also keeps the arithmetic here far from overflowing.
const maxFrames = int64(1) << 40

// trackRef returns s.Tracks[track], or an error naming what is wrong.
func trackRef(s *projects.Song, track int) (*projects.Track, error) {
	if s == nil {
		return nil, errors.New("there is no song to edit")
	}
	if track < 0 || track >= len(s.Tracks) {
		return nil, fmt.Errorf("there is no track %d (the song has %d %s)", track+1, len(s.Tracks), words.Plural(len(s.Tracks), "track", "tracks"))
	}
	t := s.Tracks[track]
	if t == nil {
		return nil, fmt.Errorf("track %d is empty (null) in the song file", track+1)
	}
	return t, nil
}

// clipRef returns s.Tracks[track] and its clip Clips[clip], or an error
// naming what is wrong.
func clipRef(s *projects.Song, track, clip int) (*projects.Track, projects.Clip, error) {
	t, err := trackRef(s, track)
	if err != nil {
		return nil, projects.Clip{}, err
	}
	if clip < 0 || clip >= len(t.Clips) {
		return nil, projects.Clip{}, fmt.Errorf("%s has no clip %d (it has %d %s)", trackText(s, track), clip+1, len(t.Clips), words.Plural(len(t.Clips), "clip", "clips"))
	}
	return t, t.Clips[clip], nil
}

// trackText names s.Tracks[track] for messages: track 2 ("Bass").
func trackText(s *projects.Song, track int) string {
	return fmt.Sprintf("track %d (%q)", track+1, s.Tracks[track].Name)
}

// clipText names a clip for messages: clip 3 on track 2 ("Bass").
func clipText(s *projects.Song, track, clip int) string {
	return fmt.Sprintf("clip %d on %s", clip+1, trackText(s, track))
}

// commit puts the new track contents in place (keeping the *Track
// pointers, which the window may hold) if the song then validates;
// otherwise it restores the tracks and says why the edit is refused.
func commit(s *projects.Song, what string, tracks map[int]projects.Track) error {
	old := make(map[int]projects.Track, len(tracks))
	for i, t := range tracks {
		old[i] = *s.Tracks[i]
		*s.Tracks[i] = t
	}
	err := s.Validate()
	if err == nil {
		return nil
	}
	for i, t := range old {
		*s.Tracks[i] = t
	}
	return refusal(s, what, err)
}

// refusal explains why an edit whose result would not validate is refused.
func refusal(s *projects.Song, what string, err error) error {
	if before := s.Validate(); before != nil {
		return fmt.Errorf("cannot %s: the song is not valid (%v)", what, before)
	}
	return fmt.Errorf("cannot %s: the result would not be a valid song (%v)", what, err)
}

// withClips returns a copy of t whose active clips are clips.
func withClips(t *projects.Track, clips []projects.Clip) projects.Track {
	cp := *t
	cp.Clips = clips
	return cp
}

func byPosition(a, b projects.Clip) int { return cmp.Compare(a.Position, b.Position) }

// overlap reports whether two clips share timeline frames.
func overlap(a, b projects.Clip) bool {
	return a.Position < b.End() && b.Position < a.End()
}

// insertSorted returns clips (put in Position order if they are not) with
// c inserted above every clip that starts at or before c.
func insertSorted(clips []projects.Clip, c projects.Clip) ([]projects.Clip, int) {
	out := slices.Clone(clips)
	slices.SortStableFunc(out, byPosition)
	i := len(out)
	for i > 0 && out[i-1].Position > c.Position {
		i--
	}
	return slices.Insert(out, i, c), i
}

// replaceClip returns a copy of clips with clip k replaced by pieces, in
// Position order. Each piece takes clip k's place in the stacking order;
// if the ordering would put a piece above a clip it overlaps that covered
// clip k (or below one that k covered), ok is false and other is the
// index of that clip in clips.
func replaceClip(clips []projects.Clip, k int, pieces ...projects.Clip) (out []projects.Clip, other int, ok bool) {
	type item struct {
		c     projects.Clip
		orig  int
		piece bool
	}
	items := make([]item, 0, len(clips)+len(pieces)-1)
	for i, c := range clips {
		if i != k {
			items = append(items, item{c: c, orig: i})
			continue
		}
		for _, p := range pieces {
			items = append(items, item{c: p, orig: k, piece: true})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int { return byPosition(a.c, b.c) })
	for pi, p := range items {
		if !p.piece {
			continue
		}
		for j, o := range items {
			if o.piece || !overlap(p.c, o.c) {
				continue
			}
			if (j < pi) != (o.orig < k) {
				return nil, o.orig, false
			}
		}
	}
	out = make([]projects.Clip, len(items))
	for i, it := range items {
		out[i] = it.c
	}
	return out, -1, true
}

// isSorted reports whether clips are in Position order.
func isSorted(clips []projects.Clip) bool { return slices.IsSortedFunc(clips, byPosition) }

// checkFrame refuses frames beyond the song format's limit.
func checkFrame(what string, f int64) error {
	if f > maxFrames {
		return fmt.Errorf("cannot %s: frame %d is beyond any plausible song length", what, f)
	}
	return nil
}

// MoveClip moves s.Tracks[track].Clips[clip] so that it starts at timeline
// frame newPos (a negative newPos is taken as 0). The track's clips stay in
// Position order: the moved clip goes above the clips that start at or
// before newPos and below the ones that start later, which decides what is
// heard where it overlaps them. Moving a clip to where it already is
// changes nothing.
func MoveClip(s *projects.Song, track, clip int, newPos int64) error {
	t, c, err := clipRef(s, track, clip)
	if err != nil {
		return err
	}
	what := "move " + clipText(s, track, clip)
	newPos = max(newPos, 0)
	if err := checkFrame(what, newPos); err != nil {
		return err
	}
	if newPos == c.Position && isSorted(t.Clips) {
		return nil
	}
	c.Position = newPos
	clips, _ := insertSorted(slices.Delete(slices.Clone(t.Clips), clip, clip+1), c)
	return commit(s, what, map[int]projects.Track{track: withClips(t, clips)})
}

// MoveClipToTrack moves s.Tracks[from].Clips[clip] to s.Tracks[to], starting
// at timeline frame newPos (a negative newPos is taken as 0), placed among the
// clips there as MoveClip places it. Both tracks must be of the same kind
// (audio or MIDI) and have the same number of channels. Moving to the same
// track is MoveClip.
func MoveClipToTrack(s *projects.Song, from, clip, to int, newPos int64) error {
	src, c, err := clipRef(s, from, clip)
	if err != nil {
		return err
	}
	if from == to {
		return MoveClip(s, from, clip, newPos)
	}
	dst, err := trackRef(s, to)
	if err != nil {
		return fmt.Errorf("cannot move %s: %v", clipText(s, from, clip), err)
	}
	what := fmt.Sprintf("move %s to %s", clipText(s, from, clip), trackText(s, to))
	if src.Kind != dst.Kind || src.Channels != dst.Channels {
		return fmt.Errorf("cannot %s: %s is %s and %s is %s; a clip can only move between tracks of the same kind with the same number of channels",
			what, trackText(s, from), trackKind(src), trackText(s, to), trackKind(dst))
	}
	newPos = max(newPos, 0)
	if err := checkFrame(what, newPos); err != nil {
		return err
	}
	c.Position = newPos
	srcClips := slices.Delete(slices.Clone(src.Clips), clip, clip+1)
	dstClips, _ := insertSorted(dst.Clips, c)
	return commit(s, what, map[int]projects.Track{from: withClips(src, srcClips), to: withClips(dst, dstClips)})
}

// trackKind describes a track's kind and channels: "a mono audio track".
func trackKind(t *projects.Track) string {
	ch := fmt.Sprintf("%d-channel", t.Channels)
	switch t.Channels {
	case 1:
		ch = "mono"
	case 2:
		ch = "stereo"
	}
	kind := t.Kind
	if t.Kind == projects.KindMIDI {
		kind = "MIDI"
	}
	return fmt.Sprintf("a %s %s track", ch, kind)
}

// minLength is the shortest a trim may make clip c.
func minLength(c projects.Clip) int64 { return min(MinClipLength, c.Length) }

// StartLimits returns the range of timeline frames TrimStart accepts for
// s.Tracks[track].Clips[clip]: from the take's first frame (or the song's
// start, whichever is later) to MinClipLength before the clip's end. A
// window can clamp a drag to it.
func StartLimits(s *projects.Song, track, clip int) (lo, hi int64, err error) {
	_, c, err := clipRef(s, track, clip)
	if err != nil {
		return 0, 0, err
	}
	return max(c.Position-c.Offset, 0), max(c.End()-minLength(c), c.Position), nil
}

// EndLimits returns the range of timeline frames TrimEnd accepts for
// s.Tracks[track].Clips[clip] given the take's length in frames
// (takeFrames <= 0: not known, and then the clip cannot grow).
func EndLimits(s *projects.Song, track, clip int, takeFrames int64) (lo, hi int64, err error) {
	_, c, err := clipRef(s, track, clip)
	if err != nil {
		return 0, 0, err
	}
	lo = min(c.Position+minLength(c), c.End())
	hi = c.End()
	if takeFrames > 0 && takeFrames <= maxFrames {
		hi = max(hi, c.Position+takeFrames-c.Offset)
	}
	return lo, hi, nil
}

// TrimStart moves the left edge of s.Tracks[track].Clips[clip] to timeline
// frame newStart. The audio stays where it is in time: Offset and Length change
// with Position. The edge cannot go before the take's first frame, nor
// before the song's start, nor closer than MinClipLength to the clip's end
// (see StartLimits). The fade-in is shortened if the fades no longer fit.
func TrimStart(s *projects.Song, track, clip int, newStart int64) error {
	t, c, err := clipRef(s, track, clip)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("move the start of %s to frame %d", clipText(s, track, clip), newStart)
	lo, hi, _ := StartLimits(s, track, clip)
	switch {
	case newStart < 0:
		return fmt.Errorf("cannot %s: the song starts at frame 0", what)
	case newStart < lo:
		return fmt.Errorf("cannot %s: the take begins at frame %d of the timeline", what, lo)
	case newStart > hi:
		return fmt.Errorf("cannot %s: the clip would be shorter than %d frames (it ends at frame %d)", what, minLength(c), c.End())
	case newStart == c.Position:
		return nil
	}
	d := newStart - c.Position
	c.Position, c.Offset, c.Length = newStart, c.Offset+d, c.Length-d
	c.FadeOut = min(c.FadeOut, c.Length)
	c.FadeIn = min(c.FadeIn, c.Length-c.FadeOut)
	clips, other, ok := replaceClip(t.Clips, clip, c)
	if !ok {
		return stackingError(what, other)
	}
	return commit(s, what, map[int]projects.Track{track: withClips(t, clips)})
}

// stackingError refuses an edit that would change which of two
// overlapping clips is heard.
func stackingError(what string, other int) error {
	return fmt.Errorf("cannot %s: clip %d on the same track overlaps it there, and the edit would change which of the two is heard; move one of them first", what, other+1)
}

// TrimEnd moves the right edge of s.Tracks[track].Clips[clip] to timeline
// frame newEnd. takeFrames is the length of the clip's take file in frames: the
// clip cannot reach past the take's end; when it is not known (<= 0) the
// clip cannot grow at all. Nor can the clip become shorter than
// MinClipLength (see EndLimits). The fade-out is shortened if the fades no
// longer fit.
func TrimEnd(s *projects.Song, track, clip int, newEnd, takeFrames int64) error {
	t, c, err := clipRef(s, track, clip)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("move the end of %s to frame %d", clipText(s, track, clip), newEnd)
	lo, hi, _ := EndLimits(s, track, clip, takeFrames)
	switch {
	case newEnd < lo:
		return fmt.Errorf("cannot %s: the clip would be shorter than %d frames (it starts at frame %d)", what, minLength(c), c.Position)
	case newEnd > hi && takeFrames <= 0:
		return fmt.Errorf("cannot %s: the length of its take %q is not known, so the clip cannot grow past frame %d", what, c.Take, hi)
	case newEnd > hi:
		return fmt.Errorf("cannot %s: its take %q ends at frame %d of the timeline", what, c.Take, hi)
	case newEnd == c.End():
		return nil
	}
	c.Length = newEnd - c.Position
	c.FadeIn = min(c.FadeIn, c.Length)
	c.FadeOut = min(c.FadeOut, c.Length-c.FadeIn)
	clips := slices.Clone(t.Clips)
	clips[clip] = c
	return commit(s, what, map[int]projects.Track{track: withClips(t, clips)})
}

// Split cuts s.Tracks[track].Clips[clip] in two at timeline frame at, which
// must lie at least MinClipLength inside both of the clip's edges. The left
// part keeps the fade-in, the right part the fade-out (each shortened if it
// no longer fits), both keep the gain, and there is no fade at the cut, so
// the track sounds as before. The left part stays at index clip; the right
// part follows it, after any clips that start inside the left part. A split
// under a clip that covers this one (one that starts inside it and reaches
// past the cut) is refused, since the right part would then cover that
// clip.
func Split(s *projects.Song, track, clip int, at int64) error {
	t, c, err := clipRef(s, track, clip)
	if err != nil {
		return err
	}
	what := fmt.Sprintf("split %s at frame %d", clipText(s, track, clip), at)
	if at < c.Position+MinClipLength || at > c.End()-MinClipLength {
		if c.Length < 2*MinClipLength {
			return fmt.Errorf("cannot %s: the clip is %d frames long, too short to split (each part needs at least %d)", what, c.Length, MinClipLength)
		}
		return fmt.Errorf("cannot %s: the cut must lie between frames %d and %d, at least %d frames inside the clip", what, c.Position+MinClipLength, c.End()-MinClipLength, MinClipLength)
	}
	left, right := c, c
	left.Length = at - c.Position
	left.FadeIn, left.FadeOut = min(c.FadeIn, left.Length), 0
	right.Position, right.Offset, right.Length = at, c.Offset+left.Length, c.Length-left.Length
	right.FadeIn, right.FadeOut = 0, min(c.FadeOut, right.Length)
	clips, other, ok := replaceClip(t.Clips, clip, left, right)
	if !ok {
		return stackingError(what, other)
	}
	return commit(s, what, map[int]projects.Track{track: withClips(t, clips)})
}

// SetFades sets the fade-in and fade-out of s.Tracks[track].Clips[clip], in
// frames. Negative values are taken as 0, and the fades are shortened to fit the
// clip (FadeIn+FadeOut <= Length): when only one of them changes, that one
// is kept (up to the clip's length) and the other gives way; when both
// change, both are shortened in proportion.
func SetFades(s *projects.Song, track, clip int, fadeIn, fadeOut int64) error {
	t, c, err := clipRef(s, track, clip)
	if err != nil {
		return err
	}
	in, out := min(max(fadeIn, 0), c.Length), min(max(fadeOut, 0), c.Length)
	if in+out > c.Length {
		switch {
		case out == c.FadeOut: // the fade-in is being changed
			out = c.Length - in
		case in == c.FadeIn: // the fade-out is being changed
			in = c.Length - out
		default:
			in = int64(float64(in) * float64(c.Length) / float64(in+out))
			in = min(max(in, 0), c.Length)
			out = c.Length - in
		}
	}
	if in == c.FadeIn && out == c.FadeOut {
		return nil
	}
	c.FadeIn, c.FadeOut = in, out
	clips := slices.Clone(t.Clips)
	clips[clip] = c
	return commit(s, "set the fades of "+clipText(s, track, clip), map[int]projects.Track{track: withClips(t, clips)})
}

// SetClipGain sets the gain of s.Tracks[track].Clips[clip] in dB, limited
// to projects.MinGainDB (silence) … projects.MaxGainDB. NaN is refused.
func SetClipGain(s *projects.Song, track, clip int, db float64) error {
	t, c, err := clipRef(s, track, clip)
	if err != nil {
		return err
	}
	what := "set the gain of " + clipText(s, track, clip)
	if math.IsNaN(db) {
		return fmt.Errorf("cannot %s: the gain is not a number", what)
	}
	db = min(max(db, projects.MinGainDB), projects.MaxGainDB)
	if db == c.GainDB {
		return nil
	}
	c.GainDB = db
	clips := slices.Clone(t.Clips)
	clips[clip] = c
	return commit(s, what, map[int]projects.Track{track: withClips(t, clips)})
}

// DeleteClip removes s.Tracks[track].Clips[clip]. The take file stays in
// the song's audio folder (and in any take lane that uses it).
func DeleteClip(s *projects.Song, track, clip int) error {
	t, _, err := clipRef(s, track, clip)
	if err != nil {
		return err
	}
	clips := slices.Delete(slices.Clone(t.Clips), clip, clip+1)
	return commit(s, "delete "+clipText(s, track, clip), map[int]projects.Track{track: withClips(t, clips)})
}

// ActivateTake makes the take lane called lane (a Track.Lanes name such as
// "Take 2"; exact match first, then ignoring case) the active one of
// s.Tracks[track], with Track.ActivateLane: the clips that were active become a lane in
// its place, so nothing is lost. Naming the lane that is already active
// changes nothing.
func ActivateTake(s *projects.Song, track int, lane string) error {
	t, err := trackRef(s, track)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(lane)
	if name != "" && name == t.ActiveLane {
		return nil // already active
	}
	i := laneIndex(t.Lanes, name)
	if i < 0 && name != "" && strings.EqualFold(name, t.ActiveLane) {
		return nil // already active
	}
	if i < 0 {
		names := make([]string, 0, len(t.Lanes))
		for _, l := range t.Lanes {
			names = append(names, fmt.Sprintf("%q", l.Name))
		}
		if len(names) == 0 {
			return fmt.Errorf("%s has no take called %q (it has no other takes)", trackText(s, track), name)
		}
		return fmt.Errorf("%s has no take called %q (its other takes: %s)", trackText(s, track), name, strings.Join(names, ", "))
	}
	cp := *t
	cp.Lanes = slices.Clone(t.Lanes)
	cp.ActivateLane(i)
	if cp.Clips == nil {
		cp.Clips = []projects.Clip{}
	}
	return commit(s, fmt.Sprintf("switch %s to %q", trackText(s, track), name), map[int]projects.Track{track: cp})
}

// laneIndex finds a lane by name: exact match first, then ignoring case.
func laneIndex(lanes []projects.Lane, name string) int {
	if name == "" {
		return -1
	}
	for i, l := range lanes {
		if l.Name == name {
			return i
		}
	}
	for i, l := range lanes {
		if strings.EqualFold(l.Name, name) {
			return i
		}
	}
	return -1
}

// ClipAt returns the index in s.Tracks[track].Clips of the clip heard at
// timeline frame frame (the topmost one where clips overlap), and false if
// no clip plays there or there is no such track.
func ClipAt(s *projects.Song, track int, frame int64) (int, bool) {
	if s == nil || track < 0 || track >= len(s.Tracks) || s.Tracks[track] == nil {
		return -1, false
	}
	clips := s.Tracks[track].Clips
	for i := len(clips) - 1; i >= 0; i-- {
		if c := clips[i]; frame >= c.Position && frame < c.End() {
			return i, true
		}
	}
	return -1, false
}

// SnapToBeat returns the beat nearest to timeline frame frame, at the
// song's tempo and sample rate; beat k lies at frame round(k·Rate·60/Tempo),
// where the click sounds. A negative frame gives 0; a song without a usable
// tempo or rate returns frame unchanged.
func SnapToBeat(s *projects.Song, frame int64) int64 {
	frame = max(frame, 0)
	if frame > maxFrames || s == nil || s.Rate <= 0 || !(s.Tempo > 0) || math.IsInf(s.Tempo, 0) {
		return frame
	}
	beat := float64(s.Rate) * 60 / s.Tempo
	k := math.Round(float64(frame) / beat)
	return int64(math.Round(k * beat))
}
