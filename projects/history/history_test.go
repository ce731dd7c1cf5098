package history_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sangstudio/projects"
	"sangstudio/projects/history"
)

// version returns song.json bytes for version n of a small song: n
// markers, so every version differs.
func version(t testing.TB, n int) []byte {
	t.Helper()
	s := projects.New("Morgenlys", 48000)
	s.Generator = "Sangstudio"
	s.Lyrics = strings.Repeat("la ", 3000) // every version about the same size
	tr := projects.NewTrack("Vokal", 1)
	tr.ID = "vokal" // the same track in every version
	tr.Clips = append(tr.Clips, projects.Clip{Take: "0001-Vokal.wav", Length: 48000})
	s.Tracks = append(s.Tracks, tr)
	for i := range n {
		s.Markers = append(s.Markers, projects.Marker{Name: fmt.Sprintf("M%d", i), Position: int64(i) * 1000})
	}
	b, err := projects.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// songDir makes a song folder holding version 0 of the song.
func songDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "song")
	if err := os.MkdirAll(filepath.Join(dir, projects.AudioDir), projects.DirPerm); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, projects.SongFile), version(t, 0), projects.FilePerm); err != nil {
		t.Fatal(err)
	}
	return dir
}

func open(t testing.TB, dir string, opts ...history.Option) *history.History {
	t.Helper()
	h, err := history.Open(dir, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return h
}

// record records steps v(from)→v(from+1)→…→v(to) labelled "Step k".
func record(t testing.TB, h *history.History, from, to int) {
	t.Helper()
	for k := from; k < to; k++ {
		if err := h.Record(fmt.Sprintf("Step %d", k+1), version(t, k), version(t, k+1)); err != nil {
			t.Fatalf("Record step %d: %v", k+1, err)
		}
	}
}

func encode(t testing.TB, s *projects.Song) []byte {
	t.Helper()
	b, err := projects.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wantLen(t testing.TB, h *history.History, undo, redo int) {
	t.Helper()
	if u, r := h.Len(); u != undo || r != redo {
		t.Fatalf("Len = %d, %d; want %d, %d", u, r, undo, redo)
	}
	if h.CanUndo() != (undo > 0) || h.CanRedo() != (redo > 0) {
		t.Fatalf("CanUndo, CanRedo = %v, %v with %d, %d steps", h.CanUndo(), h.CanRedo(), undo, redo)
	}
}

func TestUndoRedo(t *testing.T) {
	h := open(t, songDir(t))
	wantLen(t, h, 0, 0)
	if h.UndoLabel() != "" || h.RedoLabel() != "" {
		t.Fatal("labels of an empty history")
	}
	if _, err := h.Undo(); !errors.Is(err, history.ErrNothingToUndo) {
		t.Fatalf("Undo of nothing: %v", err)
	}
	if _, err := h.Redo(); !errors.Is(err, history.ErrNothingToRedo) {
		t.Fatalf("Redo of nothing: %v", err)
	}
	record(t, h, 0, 3)
	wantLen(t, h, 3, 0)

	type op struct {
		name      string
		redo      bool
		want      int // song version returned
		undo, red int
		undoLabel string
		redoLabel string
	}
	for _, o := range []op{
		{name: "undo 3", want: 2, undo: 2, red: 1, undoLabel: "Step 2", redoLabel: "Step 3"},
		{name: "undo 2", want: 1, undo: 1, red: 2, undoLabel: "Step 1", redoLabel: "Step 2"},
		{name: "redo 2", redo: true, want: 2, undo: 2, red: 1, undoLabel: "Step 2", redoLabel: "Step 3"},
		{name: "undo 2 again", want: 1, undo: 1, red: 2, undoLabel: "Step 1", redoLabel: "Step 2"},
		{name: "undo 1", want: 0, undo: 0, red: 3, undoLabel: "", redoLabel: "Step 1"},
		{name: "redo 1", redo: true, want: 1, undo: 1, red: 2, undoLabel: "Step 1", redoLabel: "Step 2"},
	} {
		var s *projects.Song
		var err error
		if o.redo {
			s, err = h.Redo()
		} else {
			s, err = h.Undo()
		}
		if err != nil {
			t.Fatalf("%s: %v", o.name, err)
		}
		if got := encode(t, s); !bytes.Equal(got, version(t, o.want)) {
			t.Fatalf("%s: got the song with %d markers, want version %d", o.name, len(s.Markers), o.want)
		}
		wantLen(t, h, o.undo, o.red)
		if h.UndoLabel() != o.undoLabel || h.RedoLabel() != o.redoLabel {
			t.Fatalf("%s: labels %q, %q; want %q, %q", o.name, h.UndoLabel(), h.RedoLabel(), o.undoLabel, o.redoLabel)
		}
	}
	// A new step clears what could be redone.
	if err := h.Record("Branch", version(t, 1), version(t, 7)); err != nil {
		t.Fatal(err)
	}
	wantLen(t, h, 2, 0)
	if h.UndoLabel() != "Branch" {
		t.Fatalf("UndoLabel = %q", h.UndoLabel())
	}
}

func TestRecordIdenticalRecordsNothing(t *testing.T) {
	dir := songDir(t)
	h := open(t, dir)
	if err := h.Record("Nothing", version(t, 1), version(t, 1)); err != nil {
		t.Fatal(err)
	}
	wantLen(t, h, 0, 0)
	if _, err := os.Stat(filepath.Join(dir, history.Dir)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an empty history wrote files: %v", err)
	}
	// Nor does it clear the redo steps.
	record(t, h, 0, 1)
	if _, err := h.Undo(); err != nil {
		t.Fatal(err)
	}
	if err := h.Record("Nothing", version(t, 0), version(t, 0)); err != nil {
		t.Fatal(err)
	}
	wantLen(t, h, 0, 1)
}

func TestRecordRefusesWhatIsNotASong(t *testing.T) {
	tests := []struct {
		name          string
		before, after []byte
		wantErr       string
	}{
		{name: "garbage before", before: []byte("nonsense"), after: version(t, 1), wantErr: "the song before the change is not valid"},
		{name: "garbage after", before: version(t, 1), after: []byte(`{"schema":1}`), wantErr: "the song after the change is not valid"},
		{name: "empty after", before: version(t, 1), after: nil, wantErr: "after the change is not valid"},
		{name: "newer schema", before: []byte(`{"schema":9}`), after: version(t, 1), wantErr: "newer Sangstudio"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := open(t, songDir(t))
			record(t, h, 0, 1)
			err := h.Record("Bad", tc.before, tc.after)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error = %v, want one containing %q", err, tc.wantErr)
			}
			wantLen(t, h, 1, 0)
		})
	}
}

func TestLabels(t *testing.T) {
	tests := []struct {
		name, label, want string
	}{
		{name: "plain", label: "Move clip", want: "Move clip"},
		{name: "trimmed", label: "  Record take\t", want: "Record take"},
		{name: "empty", label: "", want: "Change"},
		{name: "only spaces", label: " \n ", want: "Change"},
		{name: "line break", label: "Move\nclip", want: "Move clip"},
		{name: "non-ASCII", label: "Flytt klipp «Vers»", want: "Flytt klipp «Vers»"},
		{name: "invalid UTF-8", label: "Bad\xffbyte", want: "Bad?byte"},
		{name: "long ASCII", label: strings.Repeat("a", 150), want: strings.Repeat("a", history.MaxLabel)},
		{name: "long cut at a character", label: "x" + strings.Repeat("æ", 80), want: "x" + strings.Repeat("æ", 49)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := songDir(t)
			h := open(t, dir)
			if err := h.Record(tc.label, version(t, 0), version(t, 1)); err != nil {
				t.Fatal(err)
			}
			if got := h.UndoLabel(); got != tc.want {
				t.Fatalf("UndoLabel = %q, want %q", got, tc.want)
			}
			if got := open(t, dir).UndoLabel(); got != tc.want {
				t.Fatalf("after reopening, UndoLabel = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestPersistence: the history survives dropping the History and opening
// it again, after a Record, an Undo and a Redo.
func TestPersistence(t *testing.T) {
	dir := songDir(t)
	h := open(t, dir)
	record(t, h, 0, 3)
	h = nil

	h = open(t, dir)
	wantLen(t, h, 3, 0)
	if h.UndoLabel() != "Step 3" {
		t.Fatalf("UndoLabel after reopening = %q", h.UndoLabel())
	}
	s, err := h.Undo()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(t, s), version(t, 2)) {
		t.Fatal("Undo after reopening returned the wrong song")
	}

	h = open(t, dir)
	wantLen(t, h, 2, 1)
	if h.RedoLabel() != "Step 3" {
		t.Fatalf("RedoLabel after reopening = %q", h.RedoLabel())
	}
	s, err = h.Redo()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(t, s), version(t, 3)) {
		t.Fatal("Redo after reopening returned the wrong song")
	}

	h = open(t, dir)
	wantLen(t, h, 3, 0)
	for want := 2; want >= 0; want-- {
		s, err := h.Undo()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(encode(t, s), version(t, want)) {
			t.Fatalf("undo to version %d returned the wrong song", want)
		}
		h = open(t, dir)
	}
	wantLen(t, h, 0, 3)
}

func TestMatches(t *testing.T) {
	h := open(t, songDir(t))
	if !h.Matches(version(t, 5)) || !h.Matches(nil) {
		t.Fatal("an empty history should match any song")
	}
	record(t, h, 0, 2)
	tests := []struct {
		name string
		do   func() error
		song int
		want bool
	}{
		{name: "after the newest step", song: 2, want: true},
		{name: "before the newest step", song: 1, want: false},
		{name: "another song", song: 9, want: false},
		{name: "after an undo", do: func() error { _, err := h.Undo(); return err }, song: 1, want: true},
		{name: "after an undo, the undone song", song: 2, want: false},
		{name: "everything undone", do: func() error { _, err := h.Undo(); return err }, song: 0, want: true},
		{name: "everything undone, another song", song: 1, want: false},
		{name: "after a redo", do: func() error { _, err := h.Redo(); return err }, song: 1, want: true},
	}
	for _, tc := range tests {
		if tc.do != nil {
			if err := tc.do(); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
		}
		if got := h.Matches(version(t, tc.song)); got != tc.want {
			t.Errorf("%s: Matches(version %d) = %v, want %v", tc.name, tc.song, got, tc.want)
		}
	}
	if h.Matches(bytes.Replace(version(t, 1), []byte("Morgenlys"), []byte("Morgenlyz"), 1)) {
		t.Error("Matches ignores a changed byte")
	}
	// A snapshot written before tracks had IDs matches the same song read
	// now (its tracks get "t1", "t2", … by position).
	old := bytes.Replace(version(t, 1), []byte(`"id": "vokal",`), nil, 1)
	if bytes.Equal(old, version(t, 1)) {
		t.Fatal("the test song has no track id to take out")
	}
	s, err := projects.Decode(old)
	if err != nil {
		t.Fatal(err)
	}
	if s.Tracks[0].ID != "t1" {
		t.Fatalf("a track without an id got %q, want t1", s.Tracks[0].ID)
	}
	h2 := open(t, songDir(t))
	if err := h2.Record("Step", version(t, 0), old); err != nil {
		t.Fatal(err)
	}
	if !h2.Matches(encode(t, s)) {
		t.Error("a snapshot without track ids does not match the same song read with them")
	}
}

// TestMatchesAfterSave: the caller's usual cycle (Encode, edit, Encode,
// Save, Record) keeps the history matching the song on disk.
func TestMatchesAfterSave(t *testing.T) {
	dir := t.TempDir()
	s := projects.New("Sang", 48000)
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	h := open(t, dir)
	for i := range 3 {
		before := encode(t, s)
		s.Markers = append(s.Markers, projects.Marker{Name: fmt.Sprint(i), Position: int64(i)})
		if err := projects.Save(dir, s); err != nil {
			t.Fatal(err)
		}
		if err := h.Record("Add marker", before, encode(t, s)); err != nil {
			t.Fatal(err)
		}
		disk, _ := os.ReadFile(filepath.Join(dir, projects.SongFile))
		if !h.Matches(disk) {
			t.Fatalf("step %d: the history does not match song.json", i)
		}
	}
	u, err := h.Undo()
	if err != nil {
		t.Fatal(err)
	}
	if err := projects.Save(dir, u); err != nil {
		t.Fatal(err)
	}
	disk, _ := os.ReadFile(filepath.Join(dir, projects.SongFile))
	if !h.Matches(disk) {
		t.Fatal("after Undo and Save the history does not match song.json")
	}
	// The command line changes the song behind the window's back.
	u.Title = "Endret"
	if err := projects.Save(dir, u); err != nil {
		t.Fatal(err)
	}
	disk, _ = os.ReadFile(filepath.Join(dir, projects.SongFile))
	if h.Matches(disk) {
		t.Fatal("the history matches a song changed elsewhere")
	}
}

func TestReset(t *testing.T) {
	dir := songDir(t)
	h := open(t, dir)
	if err := h.Reset(); err != nil {
		t.Fatalf("Reset of a history never written: %v", err)
	}
	record(t, h, 0, 3)
	if _, err := h.Undo(); err != nil {
		t.Fatal(err)
	}
	if err := h.Reset(); err != nil {
		t.Fatal(err)
	}
	wantLen(t, h, 0, 0)
	if files := historyFiles(t, dir); len(files) != 0 {
		t.Fatalf("files left after Reset: %v", files)
	}
	wantLen(t, open(t, dir), 0, 0)
	// The history works again afterwards.
	record(t, h, 5, 6)
	wantLen(t, open(t, dir), 1, 0)
}

// historyFiles lists the files in SONG_DIR/.history.
func historyFiles(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, history.Dir))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// snapshotBytes sums the sizes of the snapshot files on disk.
func snapshotBytes(t testing.TB, dir string) (files int, n int64) {
	t.Helper()
	for _, name := range historyFiles(t, dir) {
		if name == history.IndexFile {
			continue
		}
		fi, err := os.Stat(filepath.Join(dir, history.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		files++
		n += fi.Size()
	}
	return files, n
}

// TestSnapshotsShared: consecutive steps share snapshot files, and files
// of dropped steps are removed.
func TestSnapshotsShared(t *testing.T) {
	dir := songDir(t)
	h := open(t, dir)
	record(t, h, 0, 4)
	if files, _ := snapshotBytes(t, dir); files != 5 {
		t.Fatalf("%d snapshot files for 4 chained steps, want 5", files)
	}
	if _, err := h.Undo(); err != nil {
		t.Fatal(err)
	}
	if err := h.Record("Branch", version(t, 3), version(t, 9)); err != nil {
		t.Fatal(err)
	}
	// version 4 (only the undone step had it) is gone; 9 is new.
	if files, _ := snapshotBytes(t, dir); files != 5 {
		t.Fatalf("%d snapshot files, want 5", files)
	}
}

// TestStepCap: the real limit of MaxSteps steps, the oldest dropped.
func TestStepCap(t *testing.T) {
	if history.MaxSteps != 200 {
		t.Fatalf("MaxSteps = %d, documented as 200", history.MaxSteps)
	}
	dir := songDir(t)
	h := open(t, dir)
	record(t, h, 0, history.MaxSteps+5)
	wantLen(t, h, history.MaxSteps, 0)
	h = open(t, dir)
	wantLen(t, h, history.MaxSteps, 0)
	if h.UndoLabel() != "Step 205" {
		t.Fatalf("UndoLabel = %q", h.UndoLabel())
	}
	if files, _ := snapshotBytes(t, dir); files != history.MaxSteps+1 {
		t.Fatalf("%d snapshot files, want %d", files, history.MaxSteps+1)
	}
	var ix struct {
		Undo []struct{ Label string }
	}
	b, _ := os.ReadFile(filepath.Join(dir, history.Dir, history.IndexFile))
	if err := json.Unmarshal(b, &ix); err != nil || len(ix.Undo) != history.MaxSteps || ix.Undo[0].Label != "Step 6" {
		t.Fatalf("the oldest step kept is not step 6 (%v)", err)
	}
}

// TestStepCapUndoAll: with a lower limit, undoing every step kept leads
// back to the song before the oldest step kept, and undo and redo
// together stay within the limit.
func TestStepCapUndoAll(t *testing.T) {
	dir := songDir(t)
	h := open(t, dir, history.Limits(10, history.MaxBytes))
	record(t, h, 0, 13)
	wantLen(t, h, 10, 0)
	var s *projects.Song
	for h.CanUndo() {
		var err error
		if s, err = h.Undo(); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(encode(t, s), version(t, 3)) {
		t.Fatalf("the oldest step kept leads back to the song with %d markers, want 3", len(s.Markers))
	}
	wantLen(t, h, 0, 10)
	wantLen(t, open(t, dir, history.Limits(10, history.MaxBytes)), 0, 10)
	record(t, h, 3, 4)
	wantLen(t, h, 1, 0)
}

func TestSizeCap(t *testing.T) {
	one := len(version(t, 10)) // every version used below is about this size
	tests := []struct {
		name      string
		steps     int
		limit     int
		wantUndo  int
		wantEmpty bool
	}{
		{name: "room for all", steps: 4, limit: 100 * one, wantUndo: 4},
		{name: "room for three snapshots", steps: 6, limit: 3*one + one/2, wantUndo: 2},
		{name: "room for one step", steps: 3, limit: 2*one + one/2, wantUndo: 1},
		{name: "a step too large on its own", steps: 3, limit: one + one/2, wantEmpty: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := songDir(t)
			h := open(t, dir, history.Limits(history.MaxSteps, tc.limit))
			for k := 10; k < 10+tc.steps; k++ {
				if err := h.Record("Step", version(t, k), version(t, k+1)); err != nil {
					t.Fatal(err)
				}
			}
			u, _ := h.Len()
			if tc.wantEmpty {
				u = -u
			}
			if want := tc.wantUndo; u != want {
				t.Fatalf("%d undo steps kept, want %d", u, want)
			}
			if _, n := snapshotBytes(t, dir); n > int64(tc.limit) {
				t.Fatalf("%d bytes of snapshots on disk, above the limit of %d", n, tc.limit)
			}
			wantLen(t, open(t, dir, history.Limits(history.MaxSteps, tc.limit)), tc.wantUndo, 0)
			if tc.wantUndo > 0 {
				s, err := h.Undo()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(encode(t, s), version(t, 10+tc.steps-1)) {
					t.Fatal("Undo returned the wrong song")
				}
			}
		})
	}
}

// TestOpenDoesNotTrimOldLimits: a history over the limits (written when
// they were higher) is damaged, not silently cut.
func TestOpenOverLimits(t *testing.T) {
	dir := songDir(t)
	record(t, open(t, dir), 0, 5)
	h, err := history.Open(dir, history.Limits(3, history.MaxBytes))
	var de *history.DamagedError
	if !errors.As(err, &de) || !strings.Contains(de.Reason, "5 steps, more than the 3 kept") {
		t.Fatalf("Open = %v", err)
	}
	wantLen(t, h, 0, 0)
}

func TestPermissions(t *testing.T) {
	dir := songDir(t)
	h := open(t, dir)
	record(t, h, 0, 2)
	fi, err := os.Stat(filepath.Join(dir, history.Dir))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != projects.DirPerm {
		t.Errorf("history folder mode %v, want %v", fi.Mode().Perm(), projects.DirPerm)
	}
	for _, name := range historyFiles(t, dir) {
		fi, err := os.Stat(filepath.Join(dir, history.Dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != projects.FilePerm {
			t.Errorf("%s: mode %v, want %v", name, fi.Mode().Perm(), projects.FilePerm)
		}
	}
	// A folder made too open elsewhere is closed again at the next write.
	if err := os.Chmod(filepath.Join(dir, history.Dir), 0o755); err != nil {
		t.Fatal(err)
	}
	record(t, h, 2, 3)
	if fi, _ := os.Stat(filepath.Join(dir, history.Dir)); fi.Mode().Perm() != projects.DirPerm {
		t.Errorf("history folder mode %v after a write, want %v", fi.Mode().Perm(), projects.DirPerm)
	}
}

// TestTakesSurviveUndo: undoing "Record take" removes the clip from the
// song; the take file stays, and redo brings the clip back.
func TestTakesSurviveUndo(t *testing.T) {
	dir := t.TempDir()
	s := projects.New("Sang", 48000)
	s.Tracks = append(s.Tracks, projects.NewTrack("Vokal", 1))
	if err := projects.Create(dir, s); err != nil {
		t.Fatal(err)
	}
	h := open(t, dir)
	before := encode(t, s)
	f, take, err := projects.NewTakeFile(dir, s, "Vokal", ".wav")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("RIFF take data"))
	f.Close()
	s.Tracks[0].NewPass("Take 1", []projects.Clip{{Take: take, Length: 48000}})
	s.Takes = append(s.Takes, projects.TakeInfo{File: take, Frames: 48000})
	if err := projects.Save(dir, s); err != nil {
		t.Fatal(err)
	}
	if err := h.Record("Record take", before, encode(t, s)); err != nil {
		t.Fatal(err)
	}
	takePath := projects.AudioPath(dir, take)
	wantTake := func(when string) {
		t.Helper()
		if b, err := os.ReadFile(takePath); err != nil || string(b) != "RIFF take data" {
			t.Fatalf("%s: the take file is gone or changed: %v", when, err)
		}
	}

	u, err := h.Undo()
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Tracks[0].Clips) != 0 {
		t.Fatal("undo kept the clip")
	}
	if err := projects.Save(dir, u); err != nil {
		t.Fatal(err)
	}
	wantTake("after Undo")
	if err := h.Reset(); err != nil {
		t.Fatal(err)
	}
	wantTake("after Reset")

	// Again, then redo; and a damaged history set aside leaves it too.
	if err := h.Record("Record take", encode(t, u), encode(t, s)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Undo(); err != nil {
		t.Fatal(err)
	}
	r, err := h.Redo()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Tracks[0].Clips) != 1 || r.Tracks[0].Clips[0].Take != take {
		t.Fatal("redo did not bring the clip back")
	}
	if err := os.WriteFile(filepath.Join(dir, history.Dir, history.IndexFile), []byte("{"), projects.FilePerm); err != nil {
		t.Fatal(err)
	}
	if _, err := history.Open(dir); err == nil {
		t.Fatal("a damaged history opened without error")
	}
	wantTake("after a damaged history was set aside")
	if _, _, err := projects.Load(dir); err != nil {
		t.Fatalf("the song no longer loads: %v", err)
	}
}

// TestConcurrentUse: a History may be used from several goroutines.
func TestConcurrentUse(t *testing.T) {
	h := open(t, songDir(t))
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 5 {
				v := 100*g + 10*k
				if err := h.Record("Step", version(t, v), version(t, v+1)); err != nil {
					t.Error(err)
				}
				h.Len()
				h.UndoLabel()
				h.Matches(nil)
				if k%2 == 0 {
					if _, err := h.Undo(); err != nil && !errors.Is(err, history.ErrNothingToUndo) {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if u, r := h.Len(); u+r == 0 || u+r > 20 {
		t.Fatalf("Len = %d, %d", u, r)
	}
}

// TestWriteFailureChangesNothing: when the history cannot be written, the
// in-memory history stays as it was.
func TestWriteFailureChangesNothing(t *testing.T) {
	dir := songDir(t)
	h := open(t, dir)
	record(t, h, 0, 2)
	// A folder where history.json should be: the index cannot be replaced.
	index := filepath.Join(dir, history.Dir, history.IndexFile)
	if err := os.Remove(index); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(index, "x"), projects.DirPerm); err != nil {
		t.Fatal(err)
	}
	if err := h.Record("Step 3", version(t, 2), version(t, 3)); err == nil {
		t.Fatal("Record succeeded without writing the history")
	}
	wantLen(t, h, 2, 0)
	if _, err := h.Undo(); err == nil {
		t.Fatal("Undo succeeded without writing the history")
	}
	wantLen(t, h, 2, 0)
	if h.UndoLabel() != "Step 2" {
		t.Fatalf("UndoLabel = %q", h.UndoLabel())
	}
	if err := h.Reset(); err == nil {
		t.Fatal("Reset succeeded without removing the history")
	}
}

// TestLabelLists: Labels lists the labels of every step for the Edit menu.
func TestLabelLists(t *testing.T) {
	h := open(t, songDir(t))
	if u, r := h.Labels(); len(u) != 0 || len(r) != 0 {
		t.Fatalf("Labels of an empty history = %q, %q", u, r)
	}
	record(t, h, 0, 3)
	if _, err := h.Undo(); err != nil {
		t.Fatal(err)
	}
	u, r := h.Labels()
	if strings.Join(u, "|") != "Step 1|Step 2" || strings.Join(r, "|") != "Step 3" {
		t.Fatalf("Labels = %q, %q", u, r)
	}
}
