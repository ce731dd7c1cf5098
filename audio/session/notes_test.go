package session_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sangstudio/audio/session"
	"sangstudio/audio/wav"
	"sangstudio/projects"
)

// TestRecoveryNotes: each take of the journal gives a typed note with its
// facts (file, track, when, length), and the command line's English: a
// recovered take, a take that held no audio, a take that cannot be read.
func TestRecoveryNotes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := projects.New("x", 48000)
	s.Tracks = []*projects.Track{projects.NewTrack("Vokal", 1)}
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	good, _ := unfinishedTake(t, dir, s, 0, 24000, 0, 1) // 0.5 s
	empty, _ := unfinishedTake(t, dir, s, 0, 0, 0, 2)
	damaged := "0099-Vokal.wav"
	if err := os.WriteFile(projects.AudioPath(dir, damaged), []byte("not a WAV file at all, not even close to one"), 0o600); err != nil {
		t.Fatal(err)
	}
	addJournal(t, dir, fmt.Sprintf(`{"file":%q,"track":"Vokal","channels":1,"start":0,"latency":0,"started":"2026-11-25T14:35:00+01:00"}`, damaged))

	rec, err := session.RecoverAndSave(dir, load(t, dir))
	if err != nil || len(rec.Notes) != 3 {
		t.Fatalf("%q, %v", rec.Notes, err)
	}
	var rt *session.RecoveredTake
	var et *session.EmptyTake
	var lt *session.LostTakeError
	var fe *wav.FormatError
	for _, n := range rec.Notes {
		switch {
		case errors.As(n, &rt):
			if rt.File != good || rt.Track != "Vokal" || rt.Seconds != 0.5 || rt.Started.IsZero() {
				t.Errorf("recovered %+v", rt)
			}
		case errors.As(n, &et):
			if et.File != empty || et.Track != "Vokal" || et.Started.IsZero() {
				t.Errorf("empty %+v", et)
			}
		case errors.As(n, &lt):
			if lt.File != damaged || lt.Track != "Vokal" || !lt.Started.Equal(time.Date(2026, 11, 25, 13, 35, 0, 0, time.UTC)) || !errors.As(lt, &fe) {
				t.Errorf("lost %+v", lt)
			}
		}
	}
	if rt == nil || et == nil || lt == nil {
		t.Fatalf("notes %q: want one of each kind", rec.Notes)
	}
	clock := rt.Started.Local().Format("15:04")
	for n, want := range map[error]string{
		rt: `recovered take from ` + clock + ` on track "Vokal" (0.5 s)`,
		et: `take ` + empty + ` from ` + et.Started.Local().Format("15:04") + ` held no audio`,
		lt: `could not recover ` + damaged + `: ` + lt.Err.Error(),
	} {
		if n.Error() != want {
			t.Errorf("the command line says %q, want %q", n.Error(), want)
		}
	}
	if m := rec.Messages(); len(m) != 3 || rec.Unsaved != nil {
		t.Errorf("messages %q, unsaved %v", m, rec.Unsaved)
	}
}

// TestPlaceTakesMoved: a take whose track was deleted while it recorded
// goes on a new track with the old name, and PlaceTakes says so with a
// *MovedTake; one whose track became another kind goes on a new track of
// its own kind with a note that the track changed; a take on its track
// gives no note.
func TestPlaceTakesMoved(t *testing.T) {
	s := projects.New("x", 48000)
	kept := projects.NewTrack("Vokal", 1)
	changed := projects.NewTrack("Gitar", 2) // the take was recorded in mono
	s.Tracks = []*projects.Track{kept, changed}
	clip := func(file string) []projects.Clip {
		return []projects.Clip{{Take: file, Length: 4800}}
	}
	takes := []session.Take{
		{File: "0001-Vokal.wav", TrackKey: kept.ID, Track: "Vokal", Channels: 1, Clips: clip("0001-Vokal.wav")},
		{File: "0002-Kor.wav", TrackKey: "deleted", Track: "Kor", Channels: 1, Clips: clip("0002-Kor.wav")},
		{File: "0003-Gitar.wav", TrackKey: changed.ID, Track: "Gitar", Channels: 1, Clips: clip("0003-Gitar.wav")},
	}
	notes := session.PlaceTakes(s, takes)
	want := []session.MovedTake{
		{File: "0002-Kor.wav", Track: "Kor", NewTrack: "Kor", Deleted: true},
		{File: "0003-Gitar.wav", Track: "Gitar", NewTrack: "Gitar 2"},
	}
	if len(notes) != len(want) {
		t.Fatalf("notes %q, want %d", notes, len(want))
	}
	for i, n := range notes {
		if *n != want[i] {
			t.Errorf("note %d: %+v, want %+v", i, *n, want[i])
		}
	}
	if len(s.Tracks) != 4 || s.Tracks[2].Name != "Kor" || s.Tracks[3].Name != "Gitar 2" || s.Tracks[3].Channels != 1 {
		t.Fatalf("tracks after placing: %d", len(s.Tracks))
	}
	if got := notes[0].Error(); got != `the track "Kor" was deleted while it recorded: its take is on the new track "Kor"` {
		t.Errorf("the command line says %q", got)
	}
	if got := notes[1].Error(); got != `the track "Gitar" changed while it recorded: its take is on the new track "Gitar 2"` {
		t.Errorf("the command line says %q", got)
	}
}
