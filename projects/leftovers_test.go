package projects

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sangstudio/internal/filelock"
)

// leftoverSong makes a song whose generations use different takes.
func leftoverSong(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "Sang")
	s := New("Sang", 48000)
	if err := Create(dir, s); err != nil {
		t.Fatal(err)
	}
	for i, n := range []string{"0001-a.wav", "0002-b.wav", "0003-c.wav", "0004-d.mid", "0005-lane.wav",
		"0006-x.wav", "0007-y.wav", "0008-z.mid", "0009-journal.wav", "0010-history.wav", "0011-aside.wav", "0012-damaged.wav"} {
		if err := os.WriteFile(AudioPath(dir, n), make([]byte, 100*(i+1)), FilePerm); err != nil {
			t.Fatal(err)
		}
	}
	// Generation 3 (the oldest kept) uses a; 2 uses b; 1 uses c and the
	// MIDI take d; song.json uses c with a lane holding lane.
	tr := NewTrack("Vokal", 1)
	mt := NewMIDITrack("Piano", 0, false)
	s.Tracks = []*Track{tr}
	for _, take := range []string{"0001-a.wav", "0002-b.wav"} {
		tr.Clips = []Clip{{Take: take, Length: 10}}
		if err := Save(dir, s); err != nil {
			t.Fatal(err)
		}
	}
	tr.Clips = []Clip{{Take: "0003-c.wav", Length: 10}}
	mt.Clips = []Clip{{Take: "0004-d.mid", Length: 10}}
	s.Tracks = []*Track{tr, mt}
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	s.Tracks = []*Track{tr}
	tr.Lanes = []Lane{{Name: "Take 1", Clips: []Clip{{Take: "0005-lane.wav", Length: 10}}}}
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	return dir
}

func leftoverNames(t *testing.T, dir string) []string {
	t.Helper()
	list, err := Leftovers(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range list {
		names = append(names, l.Name)
		fi, err := os.Stat(AudioPath(dir, l.Name))
		if err != nil || fi.Size() != l.Size {
			t.Errorf("%s: listed size %d, file %v %v", l.Name, l.Size, fi, err)
		}
	}
	return names
}

func TestLeftoversGenerationsJournalHistory(t *testing.T) {
	dir := leftoverSong(t)
	// The recording journal names a take a crash left (recovered at the
	// next opening); a history snapshot, a copy the window saved aside and
	// a damaged (cut off) song.json name others.
	journal := `{"takes":[{"file":"0009-journal.wav","track":"Vokal","channels":1}]}`
	if err := os.WriteFile(filepath.Join(dir, RecordingJournal), []byte(journal), FilePerm); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, ".history"), DirPerm)
	snap := New("Sang", 48000)
	snap.Tracks = []*Track{NewTrack("Old", 2)}
	snap.Tracks[0].Clips = []Clip{{Take: "0010-history.wav", Length: 5}}
	data, err := Encode(snap)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, ".history", strings.Repeat("ab", 32)+".json"), data, FilePerm)
	snap.Tracks[0].Clips[0].Take = "0011-aside.wav"
	data, _ = Encode(snap)
	os.WriteFile(filepath.Join(dir, SongFile+".window-20250101-120000"), data, FilePerm)
	snap.Tracks[0].Clips[0].Take = "0012-damaged.wav"
	data, _ = Encode(snap)
	cut := data[:strings.Index(string(data), "0012-damaged.wav")+len("0012-damaged.wav")+3]
	os.WriteFile(filepath.Join(dir, SongFile+".damaged-20250101-120000"), cut, FilePerm)

	// Not takes: hidden files, folders, links; an import running now.
	os.WriteFile(AudioPath(dir, ".0004-d.mid.tmp-123"), []byte("x"), FilePerm)
	os.Mkdir(AudioPath(dir, "sub"), DirPerm)
	os.Symlink("0006-x.wav", AudioPath(dir, "link.wav"))
	running := AudioPath(dir, ".import-111.tmp")
	os.WriteFile(running, make([]byte, 7), FilePerm)
	l, err := filelock.Acquire(running, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	killed := AudioPath(dir, ".import-222.tmp")
	os.WriteFile(killed, make([]byte, 9), FilePerm)

	got := leftoverNames(t, dir)
	want := []string{".import-222.tmp", "0006-x.wav", "0007-y.wav", "0008-z.mid"}
	if !slices.Equal(got, want) {
		t.Fatalf("leftovers %v, want %v", got, want)
	}
	list, _ := Leftovers(dir)
	if list[0].Kind != LeftoverImport || list[1].Kind != LeftoverTake || !list[3].MIDI() || list[1].MIDI() {
		t.Errorf("kinds: %+v", list)
	}
	if n := LeftoversSize(list); n != 9+600+700+800 {
		t.Errorf("total size %d", n)
	}
	// The oldest generation goes once five newer saves are made: its take
	// becomes a leftover.
	s, _, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < Generations; i++ {
		s.Lyrics = strings.Repeat("la ", i+1)
		if err := Save(dir, s); err != nil {
			t.Fatal(err)
		}
	}
	got = leftoverNames(t, dir)
	want = []string{".import-222.tmp", "0001-a.wav", "0002-b.wav", "0004-d.mid", "0006-x.wav", "0007-y.wav", "0008-z.mid"}
	if !slices.Equal(got, want) {
		t.Fatalf("after %d saves, leftovers %v, want %v", Generations, got, want)
	}
}

func TestLeftoversNoAudioFolder(t *testing.T) {
	list, err := Leftovers(t.TempDir())
	if err != nil || len(list) != 0 {
		t.Errorf("an empty folder: %v %v", list, err)
	}
}

func TestBinLeftovers(t *testing.T) {
	dir := leftoverSong(t)
	os.WriteFile(AudioPath(dir, ".import-222.tmp"), make([]byte, 9), FilePerm)
	list, err := Leftovers(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Listed: the killed import and takes x, y, z (a..d are used by the
	// generations, lane by song.json's lane, journal…damaged not yet).
	if len(list) != 8 {
		t.Fatalf("leftovers: %+v", list)
	}
	// A file of the same name is in the bin already; one leftover grows
	// after it was listed (it is no longer what the user was shown).
	os.MkdirAll(filepath.Join(dir, BinDir), DirPerm)
	os.WriteFile(filepath.Join(dir, BinDir, "0006-x.wav"), []byte("older"), FilePerm)
	os.WriteFile(AudioPath(dir, "0007-y.wav"), make([]byte, 5), FilePerm)
	before, _ := os.ReadFile(AudioPath(dir, "0008-z.mid"))

	// While the window holds the song open, a command does not tidy it.
	o, err := LockOpen(dir, "the Sangstudio window")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := BinLeftovers(dir, "sangstudio tidy", list); !errors.Is(err, ErrOpenInWindow) {
		t.Errorf("tidying a song open in the window: %v", err)
	}
	res, err := o.BinLeftovers("the Sangstudio window", list)
	o.Release()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Removed, []string{".import-222.tmp"}) || !slices.Equal(res.Skipped, []string{"0007-y.wav"}) {
		t.Errorf("removed %v, skipped %v", res.Removed, res.Skipped)
	}
	bins := map[string]string{}
	for _, b := range res.Binned {
		bins[b.Name] = b.Bin
	}
	if bins["0006-x.wav"] != "0006-x (2).wav" || bins["0008-z.mid"] != "0008-z.mid" || len(bins) != 6 {
		t.Errorf("binned %v", res.Binned)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, BinDir, "0006-x.wav")); string(b) != "older" {
		t.Errorf("the file already in the bin was written over: %q", b)
	}
	if b, err := os.ReadFile(filepath.Join(dir, BinDir, "0008-z.mid")); err != nil || string(b) != string(before) {
		t.Errorf("the binned take changed: %v", err)
	}
	if got := leftoverNames(t, dir); !slices.Equal(got, []string{"0007-y.wav"}) {
		t.Errorf("left after tidying: %v", got)
	}
	// Everything the song uses is still there: it loads, and every
	// generation's takes are in audio/.
	if _, _, err := Load(dir); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"0001-a.wav", "0002-b.wav", "0003-c.wav", "0004-d.mid", "0005-lane.wav"} {
		if _, err := os.Stat(AudioPath(dir, n)); err != nil {
			t.Errorf("a used take went: %v", err)
		}
	}
}
