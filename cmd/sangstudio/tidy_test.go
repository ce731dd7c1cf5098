package main

import (
	"bytes"
	"crypto/sha256"
	le "encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"sangstudio/internal/wavtest"
	"sangstudio/midi"
	"sangstudio/midi/smf"
	"sangstudio/projects"
	"sangstudio/projects/takehome"
)

// writeNoise16 writes seconds of 16-bit mono noise at rate as a WAV file,
// block by block (big files without the memory).
func writeNoise16(t *testing.T, path string, rate, seconds int) {
	t.Helper()
	data := int64(rate) * int64(seconds) * 2
	h := make([]byte, 44)
	copy(h[0:], "RIFF")
	le.LittleEndian.PutUint32(h[4:], uint32(36+data))
	copy(h[8:], "WAVEfmt ")
	le.LittleEndian.PutUint32(h[16:], 16)
	le.LittleEndian.PutUint16(h[20:], 1)
	le.LittleEndian.PutUint16(h[22:], 1)
	le.LittleEndian.PutUint32(h[24:], uint32(rate))
	le.LittleEndian.PutUint32(h[28:], uint32(rate*2))
	le.LittleEndian.PutUint16(h[32:], 2)
	le.LittleEndian.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	le.LittleEndian.PutUint32(h[40:], uint32(data))
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Write(h)
	rng := rand.New(rand.NewSource(1))
	buf := make([]byte, 1<<20)
	for left := data; left > 0; left -= int64(len(buf)) {
		rng.Read(buf)
		for i := 1; i < len(buf); i += 2 {
			buf[i] >>= 2 // quieter than full scale
		}
		if _, err := f.Write(buf[:min(int64(len(buf)), left)]); err != nil {
			t.Fatal(err)
		}
	}
}

// referencedTakes is every take a generation of the song names (song.json
// and its kept earlier versions), read here apart from projects.Leftovers.
func referencedTakes(t *testing.T, dir string) map[string]bool {
	t.Helper()
	used := map[string]bool{}
	for i := 0; i <= projects.Generations; i++ {
		name := projects.SongFile
		if i > 0 {
			name = fmt.Sprintf("%s.%d", projects.SongFile, i)
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			continue
		}
		s, err := projects.Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, c := range s.AllClips() {
			used[c.Take] = true
		}
		for _, tk := range s.Takes {
			used[tk.File] = true
		}
	}
	return used
}

// audioFiles is name → SHA-256 and size of every regular file in audio/.
type fileSum struct {
	sum  [32]byte
	size int64
}

func audioFiles(t *testing.T, dir string) map[string]fileSum {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]fileSum{}
	for _, e := range ents {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = fileSum{sha256.Sum256(b), int64(len(b))}
	}
	return out
}

// leftoverSong makes a song with two tracks in use (audio and MIDI), one
// audio and one MIDI take whose tracks were removed more than
// projects.Generations saves ago (no version of the song uses them now),
// and then kills `sangstudio import` of a large file kills times at
// staggered moments of its copy. It returns the song folder.
func leftoverSong(t *testing.T, kills int) string {
	t.Helper()
	src := t.TempDir()
	dir := filepath.Join(t.TempDir(), "Sang")
	mustSang(t, "new", dir, "--title", "Sang")
	small := filepath.Join(src, "Vokal.wav")
	gone := filepath.Join(src, "Gammel.wav")
	noise := [][]float32{make([]float32, 48000)}
	for i := range noise[0] {
		noise[0][i] = float32(i%97)/97 - 0.5
	}
	wavtest.Write(t, small, 48000, noise)
	wavtest.Write(t, gone, 48000, [][]float32{noise[0][:24000], noise[0][24000:]})
	mid := filepath.Join(src, "Orgel.mid")
	f, _ := os.Create(mid)
	ev := []midi.Event{{Frame: 0, Msg: [3]byte{0x90, 60, 90}}, {Frame: 12000, Msg: [3]byte{0x80, 60, 0}}}
	if err := smf.Write(f, ev, 48000, 100, [2]int{4, 4}, "Orgel"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	mustSang(t, "import", dir, small, gone, mid, writeMID(t, src))
	// Remove the Gammel and Orgel tracks, then change the song often
	// enough that no kept generation has them.
	if _, _, err := projects.Change(dir, "test", func(s *projects.Song) error {
		var keep []*projects.Track
		for _, tr := range s.Tracks {
			if tr.Name != "Gammel" && tr.Name != "Orgel" {
				keep = append(keep, tr)
			}
		}
		s.Tracks = keep
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < projects.Generations; i++ {
		mustSang(t, "set", dir, "1", "--gain", fmt.Sprint(-i))
	}
	// Killed imports of a large file (6 minutes at 44.1 kHz, converted to
	// the song's rate: 69 MB of float samples), each at a later point of
	// its copy (1/(kills+1) … kills/(kills+1) of it).
	big := filepath.Join(src, "Lang.wav")
	writeNoise16(t, big, 44100, 360)
	full := int64(360*48000) * 4
	bin := binary(t)
	audio := filepath.Join(dir, projects.AudioDir)
	seen := map[string]bool{}
	for k := 0; k < kills; k++ {
		cmd := exec.Command(bin, "import", dir, big)
		var said bytes.Buffer
		cmd.Stdout, cmd.Stderr = &said, &said
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if killWhenWritten(t, cmd, audio, seen, projects.IsIncomingName, full*int64(k+1)/int64(kills+1)) == "" {
			t.Fatalf("import %d ended before it was killed: %s", k, said.String())
		}
	}
	return dir
}

// expectedLeftovers is what audio/ holds that no generation names, with
// the files' sizes, worked out from the files.
func expectedLeftovers(t *testing.T, dir string) (names []string, size int64) {
	t.Helper()
	used := referencedTakes(t, dir)
	for name, f := range audioFiles(t, filepath.Join(dir, projects.AudioDir)) {
		if !used[name] {
			names = append(names, name)
			size += f.size
		}
	}
	sort.Strings(names)
	return names, size
}

func TestKilledImportsInfoAndTidyBin(t *testing.T) {
	dir := leftoverSong(t, 20)
	audio := filepath.Join(dir, projects.AudioDir)
	names, size := expectedLeftovers(t, dir)
	imports := 0
	for _, n := range names {
		if projects.IsIncomingName(n) {
			imports++
		}
	}
	t.Logf("20 killed imports left %d unfinished imports; %d leftovers in all, %s", imports, len(names), takehome.Size(size))
	if imports != 20 {
		t.Fatalf("20 imports killed while copying left %d unfinished imports, want one each: %v", imports, names)
	}
	for _, n := range []string{"0002-Gammel.wav", "0003-Orgel.mid"} {
		if !slices.Contains(names, n) {
			t.Fatalf("%s should be a leftover: %v", n, names)
		}
	}

	checkInfoListsLeftovers(t, dir, names, size)

	// What the song uses, and what it sounds like, before tidying.
	used := referencedTakes(t, dir)
	before := audioFiles(t, audio)
	exports := t.TempDir()
	mustSang(t, "render", dir, "--mix", filepath.Join(exports, "before.wav"))

	checkTidyAsksFirst(t, dir, before)

	out := mustSang(t, "tidy", dir, "--bin", "--yes")
	t.Logf("tidy --bin --yes:\n%s", lastLines(out, 4))
	after, binned := checkBinned(t, dir, used, before)
	if len(after) != len(used) {
		t.Errorf("audio/ holds %d files, the song uses %d", len(after), len(used))
	}
	if want := len(names) - imports; len(binned) != want || !strings.Contains(out, fmt.Sprintf("Moved %d takes into", want)) ||
		!strings.Contains(out, fmt.Sprintf("Removed %d unfinished imports", imports)) {
		t.Errorf("the bin holds %d files, want %d; tidy said:\n%s", len(binned), want, out)
	}
	if _, _, err := projects.Load(dir); err != nil {
		t.Fatal(err)
	}
	mustSang(t, "render", dir, "--mix", filepath.Join(exports, "after.wav"))
	_, a := wavtest.Read(t, filepath.Join(exports, "before.wav"))
	_, b := wavtest.Read(t, filepath.Join(exports, "after.wav"))
	if !slices.Equal(a[0], b[0]) || !slices.Equal(a[1], b[1]) || len(a[0]) == 0 {
		t.Error("the render changed after tidying")
	}
	if out := mustSang(t, "info", dir); strings.Contains(out, "Not in the song") {
		t.Errorf("info still lists leftovers:\n%s", out)
	}
	if out := mustSang(t, "tidy", dir); !strings.Contains(out, "Nothing to tidy") {
		t.Errorf("tidy on a tidy song said:\n%s", out)
	}
}

// checkInfoListsLeftovers: info lists the leftovers (names, size in all):
// how many, their size, 20 named, then "and N more", and points at tidy.
func checkInfoListsLeftovers(t *testing.T, dir string, names []string, size int64) {
	t.Helper()
	out := mustSang(t, "info", dir)
	head := fmt.Sprintf("Not in the song: %d files in audio/ (%s) that no version of the song uses:", len(names), takehome.Size(size))
	if !strings.Contains(out, head) {
		t.Fatalf("info does not say %q:\n%s", head, out)
	}
	listed := strings.Split(out[strings.Index(out, head)+len(head)+1:], "\n")
	for i, n := range names {
		if i == infoLeftovers {
			if want := fmt.Sprintf("  and %d more", len(names)-i); listed[i] != want {
				t.Errorf("info line %q, want %q", listed[i], want)
			}
			break
		}
		if !strings.HasPrefix(listed[i], "  "+n+" (") {
			t.Errorf("info line %d %q, want %s", i, listed[i], n)
		}
	}
	if !strings.Contains(out, "sangstudio tidy "+dir) {
		t.Errorf("info does not point at tidy:\n%s", out)
	}
}

// checkTidyAsksFirst: without --bin or --restore tidy only lists; with no
// terminal and no --yes it asks nothing and changes nothing (audio/ still
// holds the files before).
func checkTidyAsksFirst(t *testing.T, dir string, before map[string]fileSum) {
	t.Helper()
	out := mustSang(t, "tidy", dir)
	if !strings.Contains(out, "Nothing was changed") || !strings.Contains(out, "--bin") || !strings.Contains(out, "--restore") {
		t.Errorf("tidy without a choice said:\n%s", out)
	}
	cmd := exec.Command(binary(t), "tidy", dir, "--bin")
	cmd.Stdin = strings.NewReader("y\n") // a pipe, not a person
	msg, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(msg), "--yes") {
		t.Errorf("tidy --bin with no terminal: %v\n%s", err, msg)
	}
	if now := audioFiles(t, filepath.Join(dir, projects.AudioDir)); len(now) != len(before) {
		t.Fatalf("tidy changed audio/ without being told to: %d files, were %d", len(now), len(before))
	}
}

// checkBinned checks, after tidy --bin, that what the song uses (used) is
// untouched, the unfinished imports are gone (not binned) and the other
// leftovers are in the bin as they were (before); it returns audio/ and
// the bin.
func checkBinned(t *testing.T, dir string, used map[string]bool, before map[string]fileSum) (after, binned map[string]fileSum) {
	t.Helper()
	after = audioFiles(t, filepath.Join(dir, projects.AudioDir))
	binned = audioFiles(t, filepath.Join(dir, projects.BinDir))
	for name, f := range before {
		switch {
		case used[name]:
			if after[name] != f {
				t.Errorf("%s, used by the song, was changed or moved", name)
			}
		case projects.IsIncomingName(name):
			if _, ok := after[name]; ok {
				t.Errorf("the unfinished import %s is still in audio/", name)
			}
			if _, ok := binned[name]; ok {
				t.Errorf("the unfinished import %s went into the bin", name)
			}
		default:
			if _, ok := after[name]; ok {
				t.Errorf("the leftover %s is still in audio/", name)
			}
			if binned[name] != f {
				t.Errorf("the leftover %s is not in the bin as it was", name)
			}
		}
	}
	return after, binned
}

func TestKilledImportsTidyRestore(t *testing.T) {
	dir := leftoverSong(t, 5)
	names, _ := expectedLeftovers(t, dir)
	s0, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := mustSang(t, "tidy", dir, "--restore", "--yes")
	s, _, err := projects.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if rest, _ := expectedLeftovers(t, dir); len(rest) != 0 {
		t.Errorf("after --restore, leftovers %v (tidy said:\n%s)", rest, out)
	}
	var takes []string
	for _, n := range names {
		if !projects.IsIncomingName(n) {
			takes = append(takes, n)
		}
	}
	if len(s.Tracks) != len(s0.Tracks)+len(takes) {
		t.Fatalf("%d tracks, want %d + %d:\n%s", len(s.Tracks), len(s0.Tracks), len(takes), out)
	}
	e0, _ := projects.Encode(&projects.Song{Tracks: s0.Tracks})
	e1, _ := projects.Encode(&projects.Song{Tracks: s.Tracks[:len(s0.Tracks)]})
	if !bytes.Equal(e0, e1) {
		t.Error("the tracks the song had were changed")
	}
	for i, take := range takes {
		tr := s.Tracks[len(s0.Tracks)+i]
		if len(tr.Clips) != 1 || tr.Clips[0].Take != take || tr.Clips[0].Position != 0 || tr.Clips[0].Offset != 0 {
			t.Errorf("track %q: clips %+v, want one over %s", tr.Name, tr.Clips, take)
			continue
		}
		if projects.IsMIDITake(take) {
			if tr.Kind != projects.KindMIDI {
				t.Errorf("the MIDI take %s became a %s track", take, tr.Kind)
			}
			continue
		}
		f, _ := wavtest.Read(t, projects.AudioPath(dir, take))
		r, _ := os.Stat(projects.AudioPath(dir, take))
		frames := (r.Size() - 44) / int64(f.Channels*f.Encoding.Bytes())
		if tr.Kind != projects.KindAudio || tr.Channels != f.Channels || tr.Clips[0].Length > frames || tr.Clips[0].Length < frames-100 {
			t.Errorf("track %q: %s, %d channels, length %d; the take has %d channels, about %d frames",
				tr.Name, tr.Kind, tr.Channels, tr.Clips[0].Length, f.Channels, frames)
		}
		if !strings.Contains(out, fmt.Sprintf("Added track %s", tr.Name)) {
			t.Errorf("tidy did not say it added %q:\n%s", tr.Name, out)
		}
	}
	if !slices.ContainsFunc(s.Tracks, func(tr *projects.Track) bool { return tr.Name == "Gammel" }) ||
		!slices.ContainsFunc(s.Tracks, func(tr *projects.Track) bool { return tr.Name == "Orgel" && tr.Kind == projects.KindMIDI }) {
		t.Errorf("Gammel and Orgel are not back:\n%s", out)
	}
	mustSang(t, "render", dir, "--mix", filepath.Join(t.TempDir(), "mix.wav"))
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(l[max(0, len(l)-n):], "\n")
}
