package projects

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func testSong() *Song {
	s := New("Morgenlys", 48000)
	t := NewTrack("Vokal", 1)
	t.Clips = append(t.Clips, Clip{Take: "0001-Vokal.wav", Length: 48000, FadeOut: 480})
	s.Tracks = append(s.Tracks, t)
	s.Markers = append(s.Markers, Marker{Name: "Vers", Position: 0})
	s.Lyrics = "Når morgenen kommer"
	return s
}

func writeTake(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, AudioDir), DirPerm); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, AudioDir, name), []byte("RIFF"), FilePerm); err != nil {
		t.Fatal(err)
	}
}

func TestCreateLoadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := testSong()
	writeTake(t, dir, "0001-Vokal.wav")
	if err := Create(dir, s); err != nil {
		t.Fatal(err)
	}
	got, rec, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if rec != nil {
		t.Fatalf("unexpected recovery: %v", rec)
	}
	if got.Title != "Morgenlys" || len(got.Tracks) != 1 || got.Tracks[0].Clips[0].FadeOut != 480 || got.Lyrics != s.Lyrics {
		t.Fatalf("round trip lost data: %+v", got)
	}
	// Private: folders 0700, files 0600.
	for _, p := range []string{dir, filepath.Join(dir, AudioDir), filepath.Join(dir, ExportsDir)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != DirPerm {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode().Perm(), DirPerm)
		}
	}
	fi, _ := os.Stat(filepath.Join(dir, SongFile))
	if fi.Mode().Perm() != FilePerm {
		t.Errorf("song.json mode %v, want %v", fi.Mode().Perm(), FilePerm)
	}
	if err := Create(dir, s); err == nil {
		t.Fatal("Create over an existing song succeeded")
	}
}

func TestSaveKeepsGenerations(t *testing.T) {
	dir := t.TempDir()
	s := New("v0", 48000)
	if err := Create(dir, s); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 8; i++ {
		s.Title = fmt.Sprintf("v%d", i)
		if err := Save(dir, s); err != nil {
			t.Fatal(err)
		}
	}
	// song.json is v8; song.json.1 is v7 … song.json.5 is v3.
	for g := 0; g <= Generations; g++ {
		got, err := loadFile(generationPath(dir, g))
		if err != nil {
			t.Fatalf("generation %d: %v", g, err)
		}
		if want := fmt.Sprintf("v%d", 8-g); got.Title != want {
			t.Errorf("generation %d has %q, want %q", g, got.Title, want)
		}
	}
	if _, err := os.Stat(generationPath(dir, Generations+1)); err == nil {
		t.Errorf("more than %d generations kept", Generations)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestLoadDamagedOpensEarlierGeneration(t *testing.T) {
	cases := map[string]string{
		"cut off":   `{"schema": 1, "title": "v2", "ra`,
		"empty":     ``,
		"garbage":   "\x00\x01\x02PK",
		"bad value": `{"schema":1,"title":"v2","rate":12345,"tempo":100,"time_signature":{"beats":4,"unit":4},"tracks":[],"markers":[],"lyrics":"","master":{"gain_db":0}}`,
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s := New("v1", 48000)
			if err := Create(dir, s); err != nil {
				t.Fatal(err)
			}
			s.Title = "v2"
			if err := Save(dir, s); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, SongFile), []byte(damage), FilePerm); err != nil {
				t.Fatal(err)
			}
			got, rec, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != "v1" || rec == nil || rec.From != "song.json.1" {
				t.Fatalf("got %q from %+v, want v1 from song.json.1", got.Title, rec)
			}
			if !strings.Contains(rec.String(), "damaged") {
				t.Errorf("recovery message %q does not say the file was damaged", rec)
			}
			// Saving again keeps the damaged file aside and does not push it into the generations.
			got.Title = "v3"
			if err := Save(dir, got); err != nil {
				t.Fatal(err)
			}
			aside, _ := filepath.Glob(filepath.Join(dir, "song.json.damaged-*"))
			if len(aside) != 1 {
				t.Errorf("damaged file not kept aside: %v", aside)
			}
			g1, err := loadFile(generationPath(dir, 1))
			if err != nil || g1.Title != "v1" {
				t.Errorf("song.json.1 = %v, %v; want v1", g1, err)
			}
		})
	}
}

func TestLoadErrorsNameTheProblem(t *testing.T) {
	tests := []struct {
		name, file, want string
	}{
		{"newer schema", "newer-schema.json", "newer Sangstudio"},
		{"negative length", "negative-length.json", "length -5"},
		{"path escape", "escape.json", "not a plain file name"},
		{"cut off", "truncated.json", "cut off"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			data, err := os.ReadFile(filepath.Join("..", "testdata", "songs", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, SongFile), data, FilePerm)
			_, _, err = Load(dir)
			if err == nil {
				t.Fatal("damaged song loaded without error")
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), SongFile) {
				t.Errorf("error %q should name song.json and contain %q", err, tc.want)
			}
		})
	}
}

func TestLoadNewerSchemaNeverFallsBack(t *testing.T) {
	dir := t.TempDir()
	if err := Create(dir, New("old", 48000)); err != nil {
		t.Fatal(err)
	}
	Save(dir, New("old2", 48000))
	os.WriteFile(filepath.Join(dir, SongFile), []byte(`{"schema": 9, "title": "new"}`), FilePerm)
	_, _, err := Load(dir)
	var se *SchemaError
	if !errors.As(err, &se) || se.Version != 9 {
		t.Fatalf("got %v, want a SchemaError for version 9", err)
	}
}

func TestLoadMissingTake(t *testing.T) {
	dir := t.TempDir()
	if err := Create(dir, testSong()); err != nil {
		t.Fatal(err)
	}
	_, _, err := Load(dir)
	var me *MissingTakesError
	if !errors.As(err, &me) || len(me.Files) != 1 || !strings.Contains(err.Error(), "0001-Vokal.wav") {
		t.Fatalf("got %v, want a missing-file error naming 0001-Vokal.wav", err)
	}
}

func TestLoadNotASong(t *testing.T) {
	_, _, err := Load(t.TempDir())
	if !errors.Is(err, ErrNotASong) {
		t.Fatalf("got %v, want ErrNotASong", err)
	}
}

// TestSaveInterruptedAtEveryStep stops a save at each of its steps, as a
// crash would, and checks that the song still opens, old or new.
func TestSaveInterruptedAtEveryStep(t *testing.T) {
	for stop := 1; stop <= SaveSteps; stop++ {
		t.Run(fmt.Sprintf("step%d", stop), func(t *testing.T) {
			dir := t.TempDir()
			s := New("old", 48000)
			if err := Create(dir, s); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < Generations+1; i++ { // fill every generation
				if err := Save(dir, s); err != nil {
					t.Fatal(err)
				}
			}
			s.Title = "new"
			if err := Save(dir, s, StopBefore(stop)); err != nil {
				t.Fatal(err)
			}
			got, rec, err := Load(dir)
			if err != nil {
				t.Fatalf("song does not open after a save stopped at step %d: %v", stop, err)
			}
			if rec != nil {
				t.Errorf("opened from an earlier generation after a save stopped at step %d: %v", stop, rec)
			}
			if got.Title != "old" && got.Title != "new" {
				t.Errorf("title %q", got.Title)
			}
			// The next save completes and cleans up.
			s.Title = "after"
			if err := Save(dir, s); err != nil {
				t.Fatal(err)
			}
			if got, _, err := Load(dir); err != nil || got.Title != "after" {
				t.Fatalf("after a full save: %v %v", got, err)
			}
		})
	}
}

// TestCrashSaveKill saves in a child process over and over and kills it
// with SIGKILL at random moments: the song must always open, in its old or
// its new state, byte for byte. The child tells the parent (on fd 3) which
// save it begins ("B n") and which it finished ("E n"), so after each kill
// song.json must equal the last finished state or the one being saved.
// 20 kills in `make test`, 500 with SANGSTUDIO_SOAK=1 (`make soak`).
func TestCrashSaveKill(t *testing.T) {
	if os.Getenv("SANGSTUDIO_SAVE_CHILD") != "" {
		var from int
		fmt.Sscan(os.Getenv("SANGSTUDIO_SAVE_FROM"), &from)
		saveForever(os.Getenv("SANGSTUDIO_SAVE_CHILD"), from)
		return
	}
	kills := 20
	if os.Getenv("SANGSTUDIO_SOAK") == "1" {
		kills = 500
	}
	dir := t.TempDir()
	if err := Create(dir, New("start", 48000)); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	next := 0
	var sawOld, sawNew, sawInFlight, savesDone int
	for i := 0; i < kills; i++ {
		old, err := os.ReadFile(filepath.Join(dir, SongFile))
		if err != nil {
			t.Fatal(err)
		}
		base, _, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		began, ended := killSaving(t, i, dir, next, time.Duration(rng.Intn(40000))*time.Microsecond)

		got, err := os.ReadFile(filepath.Join(dir, SongFile))
		if err != nil {
			t.Fatalf("kill %d: %v", i, err)
		}
		finished := old
		if ended >= 0 {
			finished = savedState(t, base, ended)
			savesDone += ended - next + 1
		}
		switch {
		case bytes.Equal(got, finished) && ended < 0:
			sawOld++
		case bytes.Equal(got, finished):
			sawNew++
		case began > ended && bytes.Equal(got, savedState(t, base, began)):
			sawInFlight++ // renamed into place, the folder not yet fsync'd
		default:
			t.Fatalf("kill %d (saves %d..%d begun, up to %d finished): song.json is neither the old nor the new state:\n%.300s", i, next, began, ended, got)
		}
		checkOpensAfterKill(t, i, dir)
		if began >= next {
			next = began + 1
		}
	}
	tmps, _ := filepath.Glob(filepath.Join(dir, SongFile+".tmp-*"))
	t.Logf("save crash test: %d kills survived (%d saves completed in between); song.json afterwards: old state %d, last finished save %d, the save in flight %d; %d temporary files left behind",
		kills, savesDone, sawOld, sawNew, sawInFlight, len(tmps))
}

// killSaving starts a child that saves the song in dir over and over from
// save next, waits until it saves, kills it wait later (a save takes a few
// milliseconds: its fsyncs) and returns the last save it began and the
// last it finished (-1: none).
func killSaving(t *testing.T, i int, dir string, next int, wait time.Duration) (began, ended int) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSaveKill$")
	cmd.Env = append(os.Environ(), "SANGSTUDIO_SAVE_CHILD="+dir, fmt.Sprintf("SANGSTUDIO_SAVE_FROM=%d", next))
	cmd.ExtraFiles = []*os.File{pw}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	lines := make(chan string, 1<<16)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	began, ended = -1, -1
	note := func(l string) {
		var n int
		if _, err := fmt.Sscanf(l, "B %d", &n); err == nil {
			began = n
		} else if _, err := fmt.Sscanf(l, "E %d", &n); err == nil {
			ended = n
		}
	}
	select {
	case l, ok := <-lines:
		if !ok {
			cmd.Wait()
			t.Fatalf("kill %d: the child ended before saving", i)
		}
		note(l)
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("kill %d: the child did not start saving", i)
	}
	time.Sleep(wait)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	for l := range lines {
		note(l)
	}
	pr.Close()
	return began, ended
}

// savedState is song.json as saveForever writes it for save n of base.
func savedState(t *testing.T, base *Song, n int) []byte {
	c := *base
	c.Title = fmt.Sprintf("save %d", n)
	c.Lyrics = strings.Repeat("la ", n%5000)
	c.Schema, c.Generator = Schema, "Sangstudio"
	data, err := Encode(&c)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkOpensAfterKill checks that the song in dir opens after kill i, from
// song.json itself, as the start or one of the saves.
func checkOpensAfterKill(t *testing.T, i int, dir string) {
	s, rec, err := Load(dir)
	if err != nil {
		t.Fatalf("kill %d: song does not open: %v", i, err)
	}
	if rec != nil {
		t.Fatalf("kill %d: opened from a generation: %v", i, rec)
	}
	if !strings.HasPrefix(s.Title, "start") && !strings.HasPrefix(s.Title, "save ") {
		t.Fatalf("kill %d: unexpected title %q", i, s.Title)
	}
}

// saveForever saves the song in dir over and over, titled "save n" from
// n = from, and notes on fd 3 each save it begins and finishes.
func saveForever(dir string, from int) {
	marks := os.NewFile(3, "marks")
	s, _, err := Load(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := from; ; i++ {
		s.Title = fmt.Sprintf("save %d", i)
		s.Lyrics = strings.Repeat("la ", i%5000)
		fmt.Fprintf(marks, "B %d\n", i)
		if err := Save(dir, s); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Fprintf(marks, "E %d\n", i)
	}
}

func TestNewTakeFileNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	s := New("x", 48000)
	if err := Create(dir, s); err != nil {
		t.Fatal(err)
	}
	// A file already using the next name is skipped, not overwritten.
	os.WriteFile(filepath.Join(dir, AudioDir, "0001-Bass.wav"), []byte("keep"), FilePerm)
	f, name, err := NewTakeFile(dir, s, "Bass", ".wav")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if name != "0002-Bass.wav" {
		t.Errorf("name %q, want 0002-Bass.wav", name)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, AudioDir, "0001-Bass.wav")); string(b) != "keep" {
		t.Error("existing take was overwritten")
	}
}

func TestSafeFileBase(t *testing.T) {
	tests := map[string]string{
		"Bass":               "Bass",
		"Sang for Ærlighet":  "Sang-for-Ærlighet",
		"../../etc/passwd":   "etc-passwd",
		"a/b\\c:d*e?f":       "a-b-c-d-e-f",
		"":                   "take",
		"!!!":                "take",
		"vokal (take 3).wav": "vokal-take-3-wav",
	}
	for in, want := range tests {
		if got := SafeFileBase(in, 60); got != want {
			t.Errorf("SafeFileBase(%q) = %q, want %q", in, got, want)
		}
	}
	if got := SafeFileBase(strings.Repeat("ø", 100), 60); len(got) > 60 {
		t.Errorf("too long: %d bytes", len(got))
	}
}

func TestFindTrack(t *testing.T) {
	s := New("x", 48000)
	s.Tracks = []*Track{NewTrack("Bass", 1), NewTrack("Vokal", 1), NewTrack("12", 1)}
	tests := []struct {
		ref  string
		want int
		err  string
	}{
		{"1", 0, ""}, {"2", 1, ""}, {"Vokal", 1, ""}, {"vokal", 1, ""}, {"3", 2, ""},
		{"4", -1, "no track 4"}, {"Gitar", -1, "no track called"}, {"0", -1, "no track 0"},
	}
	for _, tc := range tests {
		got, err := s.FindTrack(tc.ref)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("FindTrack(%q) error = %v, want %q", tc.ref, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("FindTrack(%q) = %d, %v; want %d", tc.ref, got, err, tc.want)
		}
	}
}

func TestAudibleSoloRule(t *testing.T) {
	s := New("x", 48000)
	s.Tracks = []*Track{NewTrack("a", 1), NewTrack("b", 1), NewTrack("c", 1)}
	if !s.Audible(0) || !s.Audible(1) || !s.Audible(2) {
		t.Fatal("all tracks should sound with no mute or solo")
	}
	s.Tracks[1].Mute = true
	if s.Audible(1) {
		t.Error("muted track sounds")
	}
	s.Tracks[2].Solo = true
	if s.Audible(0) || !s.Audible(2) {
		t.Error("solo rule: only soloed tracks sound")
	}
	s.Tracks[1].Solo = true
	if s.Audible(1) {
		t.Error("a muted track stays silent even when soloed")
	}
}

func TestValidateRejects(t *testing.T) {
	mk := func(f func(s *Song)) *Song { s := testSong(); f(s); return s }
	tests := []struct {
		name string
		song *Song
		want string
	}{
		{"rate", mk(func(s *Song) { s.Rate = 22050 }), "22050"},
		{"pan", mk(func(s *Song) { s.Tracks[0].Pan = 1.5 }), "pan 1.5"},
		{"gain", mk(func(s *Song) { s.Tracks[0].GainDB = 40 }), "gain 40"},
		{"channels", mk(func(s *Song) { s.Tracks[0].Channels = 6 }), "6 channels"},
		{"kind", mk(func(s *Song) { s.Tracks[0].Kind = "video" }), "unknown kind"},
		{"negative position", mk(func(s *Song) { s.Tracks[0].Clips[0].Position = -1 }), "negative position"},
		{"fades too long", mk(func(s *Song) { s.Tracks[0].Clips[0].FadeIn = 48000 }), "fades"},
		{"empty track name", mk(func(s *Song) { s.Tracks[0].Name = " " }), "name is empty"},
		{"tempo", mk(func(s *Song) { s.Tempo = 0 }), "tempo"},
		{"time signature", mk(func(s *Song) { s.TimeSig.Unit = 3 }), "beat unit"},
		{"marker", mk(func(s *Song) { s.Markers[0].Position = -3 }), "marker"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.song.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tc.want)
			}
		})
	}
	if err := testSong().Validate(); err != nil {
		t.Fatalf("valid song rejected: %v", err)
	}
}

// A save killed half-way leaves a temporary copy; the next save removes it.
func TestSaveRemovesStaleTemporaryFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "song")
	s := New("Stale", 48000)
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, SongFile+".tmp-12345")
	if err := os.WriteFile(stale, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Save(dir, s); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary file is still there: %v", err)
	}
}
