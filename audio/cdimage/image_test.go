package cdimage

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"sangstudio/audio/wav"
	"sangstudio/internal/testtool"
)

// makeMaster writes a 44.1 kHz 16-bit stereo WAV (with a LIST chunk before
// the data, as our masters have) of pseudo-random samples, full scale both
// ways included, and returns them interleaved.
func makeMaster(t testing.TB, path string, frames int64, seed uint32) []int16 {
	t.Helper()
	s := make([]int16, 2*frames)
	x := seed*2654435761 + 1
	for i := range s {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		s[i] = int16(x)
	}
	if frames >= 2 {
		s[0], s[1], s[2], s[3] = 32767, -32768, -32768, 32767
	}
	s[len(s)-2], s[len(s)-1] = 1234, -1 // a sharp end: padding must be zeros after it
	writeWAV(t, path, wav.Format{Rate: Rate, Channels: 2, Encoding: wav.PCM16}, s)
	return s
}

// writeWAV writes interleaved integer samples through package wav: PCM16
// without dither stores s/32768*32768 = s exactly.
func writeWAV(t testing.TB, path string, f wav.Format, s []int16) {
	t.Helper()
	w, err := wav.Create(path, f, wav.WriterOptions{NoDither: true, Info: &wav.Info{Title: "master", Artist: "test"}})
	if err != nil {
		t.Fatal(err)
	}
	n := len(s) / f.Channels
	planar := make([][]float32, f.Channels)
	for c := range planar {
		planar[c] = make([]float32, n)
		for i := range n {
			planar[c][i] = float32(s[i*f.Channels+c]) / 32768
		}
	}
	if err := w.Write(planar); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// wavSamples reads the interleaved 16-bit samples of a 44.1 kHz stereo WAV
// file byte for byte.
func wavSamples(t testing.TB, path string) []int16 {
	t.Helper()
	m, err := openMaster(1, path)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return le16(data[m.dataOff : m.dataOff+m.frames*4])
}

func le16(b []byte) []int16 {
	s := make([]int16, len(b)/2)
	for i := range s {
		s[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return s
}

// testDisc is a short disc with unaligned masters, a gap that is not a
// whole number of sectors, a track without a gap, and text that needs
// escaping and transliteration.
type testDisc struct {
	dir     string
	disc    Disc
	samples [][]int16 // each master's samples, interleaved
}

func newTestDisc(t testing.TB) *testDisc {
	t.Helper()
	dir := t.TempDir()
	td := &testDisc{dir: dir}
	td.disc = Disc{Title: `Blåbær "live" \ 2025`, Performer: "Søren & Ærlige Åse"}
	tracks := []struct {
		title, perf string
		frames, gap int64
	}{
		{"Morgenlys", "Kari Nordmann", 176401, FirstPregap}, // 4 s and a frame: 301 sectors
		{"Привет “Ola”", "Åse\tog Ola", 198467, Rate + 1},   // gap of 75 sectors and a frame: 76
		{`C:\sanger\æøå`, "Dvořák", 4 * Rate, 0},            // exactly 300 sectors, no gap
	}
	for i, tr := range tracks {
		path := filepath.Join(dir, fmt.Sprintf("%02d master.wav", i+1))
		td.samples = append(td.samples, makeMaster(t, path, tr.frames, uint32(i+7)))
		td.disc.Tracks = append(td.disc.Tracks, Track{WAV: path, Title: tr.title, Performer: tr.perf, Gap: tr.gap})
	}
	return td
}

// expected returns the samples of the whole disc from LBA 0 (track 1
// INDEX 01), interleaved: masters, padding and gaps.
func (td *testDisc) expected(l *Layout) []int16 {
	var s []int16
	for i, t := range l.Tracks {
		if i > 0 {
			s = append(s, make([]int16, 2*t.GapSectors*SectorFrames)...)
		}
		s = append(s, td.samples[i]...)
		s = append(s, make([]int16, 2*t.PadFrames)...)
	}
	return s
}

func (td *testDisc) write(t testing.TB) *Result {
	t.Helper()
	res, err := Write(context.Background(), td.dir, td.disc, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// run runs a program in dir and returns its standard output and error.
func run(t testing.TB, dir, name string, args ...string) string {
	t.Helper()
	path := testtool.Require(t, name)
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %q: %v\nstdout: %s\nstderr: %s", name, args, err, out.String(), errb.String())
	}
	return out.String() + errb.String()
}

func fromLatin1(b string) string {
	r := make([]rune, len(b))
	for i := 0; i < len(b); i++ {
		r[i] = rune(b[i])
	}
	return string(r)
}

func TestWriteFiles(t *testing.T) {
	td := newTestDisc(t)
	var calls int
	var last, total int64
	res, err := Write(context.Background(), td.dir, td.disc, func(done, tot int64) {
		if done < last || tot != total && total != 0 {
			t.Errorf("progress %d/%d after %d/%d", done, tot, last, total)
		}
		calls++
		last, total = done, tot
	})
	if err != nil {
		t.Fatal(err)
	}
	l := res.Layout
	if calls == 0 || last != total || total != l.BinBytes() {
		t.Errorf("progress: %d calls, last %d/%d, disc.bin is %d bytes", calls, last, total, l.BinBytes())
	}
	// Warnings only: the tab and the transliterations.
	if Fatal(res.Problems) || len(res.Problems) != 3 {
		t.Errorf("problems: %q", res.Problems)
	}
	bin, err := os.ReadFile(res.Bin)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(le16(bin), td.expected(l)) {
		t.Error("disc.bin differs from the masters laid out")
	}
	if int64(len(bin)) != (l.TotalSectors-150)*2352 || len(bin)%2352 != 0 {
		t.Errorf("disc.bin: %d bytes", len(bin))
	}
	for _, p := range []string{res.Bin, res.Cue, res.Toc} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != filePerm {
			t.Errorf("%s: mode %v", p, fi.Mode())
		}
	}
	cue, _ := os.ReadFile(res.Cue)
	wantCue := "PERFORMER \"S\xf8ren & \xc6rlige \xc5se\"\r\n" +
		"TITLE \"Bl\xe5b\xe6r 'live' \\ 2025\"\r\n" +
		"FILE \"disc.bin\" BINARY\r\n" +
		"  TRACK 01 AUDIO\r\n    TITLE \"Morgenlys\"\r\n    PERFORMER \"Kari Nordmann\"\r\n    INDEX 01 00:00:00\r\n" +
		"  TRACK 02 AUDIO\r\n    TITLE \"Privet 'Ola'\"\r\n    PERFORMER \"\xc5se og Ola\"\r\n    INDEX 00 00:04:01\r\n    INDEX 01 00:05:02\r\n" +
		"  TRACK 03 AUDIO\r\n    TITLE \"C:\\sanger\\\xe6\xf8\xe5\"\r\n    PERFORMER \"Dvor\xe1k\"\r\n    INDEX 01 00:09:40\r\n"
	if string(cue) != wantCue {
		t.Errorf("disc.cue:\n%q\nwant\n%q", cue, wantCue)
	}
	toc, _ := os.ReadFile(res.Toc)
	for _, s := range []string{
		"CD_DA\n",
		"  LANGUAGE 0 {\n    TITLE \"Bl\\345b\\346r \\\"live\\\" \\134 2025\"\n    PERFORMER \"S\\370ren & \\306rlige \\305se\"\n  }\n",
		"TITLE \"C:\\134sanger\\134\\346\\370\\345\"\n",
		"FILE \"disc.bin\" SWAP 0 176988\n",
	} {
		if !bytes.Contains(toc, []byte(s)) {
			t.Errorf("disc.toc lacks %q:\n%s", s, toc)
		}
	}
	for _, c := range toc {
		if c > 0x7e || (c < 0x20 && c != '\n') {
			t.Errorf("disc.toc holds byte %#x", c)
			break
		}
	}
	// Nothing else is left in the folder.
	names := dirNames(t, td.dir)
	want := []string{"01 master.wav", "02 master.wav", "03 master.wav", "disc.bin", "disc.cue", "disc.toc"}
	if !slices.Equal(names, want) {
		t.Errorf("folder holds %q", names)
	}
}

func dirNames(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// snapshot returns every file in dir with its content.
func snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, n := range dirNames(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		m[n] = string(b)
	}
	return m
}

func sameDir(t *testing.T, before, after map[string]string) {
	t.Helper()
	if len(before) != len(after) {
		t.Errorf("the folder changed: %d files before, %d after: %q", len(before), len(after), slices.Sorted(keys(after)))
	}
	for n, b := range before {
		if a, ok := after[n]; !ok || a != b {
			t.Errorf("%s changed or went away", n)
		}
	}
}

func keys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestCdrdaoTOC: cdrdao accepts disc.toc and disc.cue and sees the layout
// and the CD-TEXT (with æøå) that Layout says.
func TestCdrdaoTOC(t *testing.T) {
	testtool.Require(t, "cdrdao")
	td := newTestDisc(t)
	res := td.write(t)
	l := res.Layout
	blocks := l.TotalSectors - 150

	out := run(t, td.dir, "cdrdao", "toc-info", "disc.toc")
	t.Logf("cdrdao toc-info disc.toc:\n%s", out)
	want := fmt.Sprintf("disc.toc: 3 tracks, length %s, %d blocks", msf(blocks), blocks)
	if !strings.Contains(out, want) {
		t.Errorf("toc-info: want %q", want)
	}
	out = run(t, td.dir, "cdrdao", "toc-info", "disc.cue")
	if want := fmt.Sprintf("disc.cue: 3 tracks, length %s, %d blocks", msf(blocks), blocks); !strings.Contains(out, want) {
		t.Errorf("toc-info disc.cue:\n%s\nwant %q", out, want)
	}

	// show-toc: both files give the same starts, gaps and end.
	for _, f := range []string{"disc.toc", "disc.cue"} {
		out := run(t, td.dir, "cdrdao", "show-toc", f)
		if f == "disc.toc" {
			t.Logf("cdrdao show-toc disc.toc:\n%s", out)
		}
		starts := showTocField(out, "START")
		ends := showTocField(out, "END")
		gaps := showTocField(out, "PREGAP")
		var wantStarts, wantGaps []int64
		for _, tr := range l.Tracks {
			wantStarts = append(wantStarts, tr.Start-150)
			if tr.Number > 1 && tr.GapSectors > 0 {
				wantGaps = append(wantGaps, tr.GapSectors)
			}
		}
		if !slices.Equal(starts, wantStarts) || !slices.Equal(gaps, wantGaps) || len(ends) != 3 || ends[2] != blocks {
			t.Errorf("%s: starts %v gaps %v ends %v; want starts %v gaps %v, end %d\n%s", f, starts, gaps, ends, wantStarts, wantGaps, blocks, out)
		}
	}

	// toc2cddb (part of cdrdao) prints the CD-TEXT titles, in Latin-1.
	raw := run(t, td.dir, "toc2cddb", "disc.toc")
	out = fromLatin1(raw)
	t.Logf("toc2cddb disc.toc:\n%s", out)
	for _, s := range []string{
		"DTITLE=Søren & Ærlige Åse / Blåbær \"live\" \\ 2025\n",
		"TTITLE0=Morgenlys\n",
		"TTITLE1=Privet \"Ola\"\n",
		"TTITLE2=C:\\sanger\\æøå\n",
		fmt.Sprintf("# Disc length: %d seconds\n", l.TotalSectors/75),
		fmt.Sprintf("#\n# %d\n# %d\n# %d\n#\n", l.Tracks[0].Start, l.Tracks[1].Start, l.Tracks[2].Start),
	} {
		if !strings.Contains(out, s) {
			t.Errorf("toc2cddb lacks %q", s)
		}
	}
}

var showTocRE = regexp.MustCompile(`(?m)^\s+(START|END|PREGAP)\s+\d\d:\d\d:\d\d\(\s*(\d+)\)`)

// showTocField returns the sector numbers cdrdao show-toc prints for field.
func showTocField(out, field string) []int64 {
	var v []int64
	for _, m := range showTocRE.FindAllStringSubmatch(out, -1) {
		if m[1] == field {
			n, _ := strconv.ParseInt(m[2], 10, 64)
			v = append(v, n)
		}
	}
	return v
}

var showDataRE = regexp.MustCompile(`^\s*(\d+):\s*(-?\d+)\s+(-?\d+)\s*$`)

// TestCdrdaoShowData: the samples cdrdao would burn from disc.toc are the
// masters' (with silent gaps and padding): the TOC's SWAP is right.
func TestCdrdaoShowData(t *testing.T) {
	path := testtool.Require(t, "cdrdao")
	td := newTestDisc(t)
	res := td.write(t)
	want := td.expected(res.Layout)

	cmd := exec.Command(path, "show-data", "disc.toc")
	cmd.Dir = td.dir
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	n, bad := 0, 0
	for sc.Scan() {
		// "%7d:%6d %6d": "     12:  -310   2047", "     13:-32768  32767"
		m := showDataRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		i, e1 := strconv.Atoi(m[1])
		l, e2 := strconv.Atoi(m[2])
		r, e3 := strconv.Atoi(m[3])
		if e1 != nil || e2 != nil || e3 != nil || i != n {
			t.Fatalf("show-data line %d: %q", n, sc.Text())
		}
		if 2*i+1 >= len(want) || int16(l) != want[2*i] || int16(r) != want[2*i+1] {
			if bad++; bad <= 5 {
				t.Errorf("sample %d: cdrdao shows %d %d", i, l, r)
			}
		}
		if n < 3 {
			t.Logf("cdrdao show-data: %s", sc.Text())
		}
		n++
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("cdrdao show-data: %v\n%s", err, errb.String())
	}
	if n != len(want)/2 {
		t.Errorf("cdrdao shows %d samples, want %d", n, len(want)/2)
	}
	if bad > 0 {
		t.Errorf("%d of %d samples differ", bad, n)
	}
	t.Logf("cdrdao show-data: %d frames, all equal to the masters (with silent gaps and padding)", n)
}

// TestBchunk: bchunk -w splits disc.bin by disc.cue into WAV files whose
// audio is each master exactly, followed by the sector padding (zeros).
func TestBchunk(t *testing.T) {
	testtool.Require(t, "bchunk")
	td := newTestDisc(t)
	res := td.write(t)
	out := run(t, td.dir, "bchunk", "-w", "disc.bin", "disc.cue", "out")
	t.Logf("bchunk -w disc.bin disc.cue out:\n%s", regexp.MustCompile(`(?m)^.*%.*$\n?`).ReplaceAllString(out, ""))
	for i, tr := range res.Layout.Tracks {
		name := filepath.Join(td.dir, fmt.Sprintf("out%02d.wav", i+1))
		got := wavSamples(t, name)
		m := td.samples[i]
		if len(got) != 2*int(tr.Sectors())*SectorFrames {
			t.Errorf("%s: %d frames, want %d (the padded track)", name, len(got)/2, tr.Sectors()*SectorFrames)
			continue
		}
		if !slices.Equal(got[:len(m)], m) {
			t.Errorf("%s: the audio differs from master %d", name, i+1)
		}
		if slices.ContainsFunc(got[len(m):], func(s int16) bool { return s != 0 }) {
			t.Errorf("%s: the padding is not silent", name)
		}
	}
}

func TestWriteRefusesFatal(t *testing.T) {
	td := newTestDisc(t)
	short := filepath.Join(td.dir, "short.wav")
	makeMaster(t, short, 3*Rate, 1)
	td.disc.Tracks[1].WAV = short
	// An earlier image stays as it was.
	for _, n := range []string{"disc.bin", "disc.cue", "disc.toc"} {
		os.WriteFile(filepath.Join(td.dir, n), []byte("old "+n), 0o600)
	}
	before := snapshot(t, td.dir)
	res, err := Write(context.Background(), td.dir, td.disc, nil)
	var re *RefusedError
	if !errors.As(err, &re) || res != nil {
		t.Fatalf("Write = %v, %v; want a *RefusedError", res, err)
	}
	if !strings.Contains(err.Error(), `Track 2 "Привет “Ola”" is 3.0 seconds long; a CD track must be at least 4 seconds.`) ||
		strings.Contains(err.Error(), "will show as") {
		t.Errorf("error: %v", err)
	}
	sameDir(t, before, snapshot(t, td.dir))

	// Plan reports the same problem and still lays the disc out.
	l, ps, err := Plan(td.disc)
	if err != nil || !Fatal(ps) || l == nil || l.Tracks[1].Frames != 3*Rate {
		t.Errorf("Plan = %v, %q, %v", l, ps, err)
	}
}

func TestWriteCancel(t *testing.T) {
	td := newTestDisc(t)
	before := snapshot(t, td.dir)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := Write(ctx, td.dir, td.disc, func(done, total int64) {
		if calls++; done > total/2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Write = %v, want context.Canceled", err)
	}
	if calls < 2 {
		t.Errorf("cancelled after %d progress calls", calls)
	}
	sameDir(t, before, snapshot(t, td.dir))

	// Cancelled before it starts.
	if _, err := Write(ctx, td.dir, td.disc, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("Write with a cancelled context = %v", err)
	}
	sameDir(t, before, snapshot(t, td.dir))
}

func TestWriteBadMaster(t *testing.T) {
	td := newTestDisc(t)
	s := make([]int16, 2*5*48000)
	bad48 := filepath.Join(td.dir, "48k.wav")
	writeWAV(t, bad48, wav.Format{Rate: 48000, Channels: 2, Encoding: wav.PCM16}, s)
	mono := filepath.Join(td.dir, "mono.wav")
	writeWAV(t, mono, wav.Format{Rate: Rate, Channels: 1, Encoding: wav.PCM16}, s)
	b24 := filepath.Join(td.dir, "24bit.wav")
	writeWAV(t, b24, wav.Format{Rate: Rate, Channels: 2, Encoding: wav.PCM24}, s)
	mp3 := filepath.Join(td.dir, "song.mp3")
	os.WriteFile(mp3, []byte("ID3\x04\x00\x00\x00\x00\x00\x00 not really"), 0o600)
	missing := filepath.Join(td.dir, "missing.wav")
	before := snapshot(t, td.dir)
	for _, tc := range []struct{ path, want string }{
		{bad48, "48000 Hz 16-bit stereo audio; a CD needs a track master in 44100 Hz 16-bit stereo"},
		{mono, "44100 Hz 16-bit mono"},
		{b24, "44100 Hz 24-bit stereo"},
		{mp3, "MP3"},
		{missing, "no such file"},
	} {
		d := td.disc
		d.Tracks = slices.Clone(d.Tracks)
		d.Tracks[2].WAV = tc.path
		_, err := Write(context.Background(), td.dir, d, nil)
		if err == nil || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), "track 3") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Write with %s: %v\nwant the file, track 3 and %q", filepath.Base(tc.path), err, tc.want)
		}
		if _, _, err := Plan(d); err == nil {
			t.Errorf("Plan with %s: no error", filepath.Base(tc.path))
		}
	}
	sameDir(t, before, snapshot(t, td.dir))
	if _, err := Write(context.Background(), filepath.Join(td.dir, "no such folder"), td.disc, nil); err == nil {
		t.Error("Write into a missing folder: no error")
	}
}

// TestWriteReplaces: a second image replaces the first; nothing else stays.
func TestWriteReplaces(t *testing.T) {
	td := newTestDisc(t)
	td.write(t)
	d := td.disc
	d.Tracks = d.Tracks[:1]
	d.Title = "Ny"
	res, err := Write(context.Background(), td.dir, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	bin, _ := os.ReadFile(res.Bin)
	if int64(len(bin)) != 301*2352 {
		t.Errorf("disc.bin: %d bytes", len(bin))
	}
	if cue, _ := os.ReadFile(res.Cue); !bytes.Contains(cue, []byte(`TITLE "Ny"`)) || bytes.Contains(cue, []byte("TRACK 02")) {
		t.Errorf("disc.cue:\n%s", cue)
	}
	if n := len(dirNames(t, td.dir)); n != 6 {
		t.Errorf("folder holds %q", dirNames(t, td.dir))
	}
}

// TestMasterLayouts: the data chunk is found after other chunks, and an
// EXTENSIBLE header is accepted; samples are copied exactly.
func TestMasterLayouts(t *testing.T) {
	dir := t.TempDir()
	s := make([]int16, 2*300*588)
	for i := range s {
		s[i] = int16(i*7919 + 3)
	}
	data := make([]byte, 2*len(s))
	for i, v := range s {
		binary.LittleEndian.PutUint16(data[2*i:], uint16(v))
	}
	le := binary.LittleEndian
	chunk := func(id string, body []byte) []byte {
		b := append([]byte(id), 0, 0, 0, 0)
		le.PutUint32(b[4:], uint32(len(body)))
		b = append(b, body...)
		if len(body)%2 == 1 {
			b = append(b, 0)
		}
		return b
	}
	fmtExt := make([]byte, 40)
	le.PutUint16(fmtExt[0:], 0xFFFE)
	le.PutUint16(fmtExt[2:], 2)
	le.PutUint32(fmtExt[4:], Rate)
	le.PutUint32(fmtExt[8:], Rate*4)
	le.PutUint16(fmtExt[12:], 4)
	le.PutUint16(fmtExt[14:], 16)
	le.PutUint16(fmtExt[16:], 22)
	le.PutUint16(fmtExt[18:], 16)
	le.PutUint32(fmtExt[20:], 3)
	copy(fmtExt[24:], "\x01\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71") // KSDATAFORMAT_SUBTYPE_PCM
	body := []byte("WAVE")
	body = append(body, chunk("JUNK", make([]byte, 27))...)
	body = append(body, chunk("fmt ", fmtExt)...)
	body = append(body, chunk("LIST", []byte("INFOINAM\x03\x00\x00\x00ab\x00"))...)
	body = append(body, chunk("data", data)...)
	path := filepath.Join(dir, "ext.wav")
	os.WriteFile(path, chunk("RIFF", body), 0o600)
	if got := wavSamples(t, path); !slices.Equal(got, s) {
		t.Fatal("samples differ")
	}
	res, err := Write(context.Background(), dir, Disc{Tracks: []Track{{WAV: path}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	bin, _ := os.ReadFile(res.Bin)
	if !bytes.Equal(bin, data) {
		t.Error("disc.bin differs from the master")
	}
}

// TestCdrdaoTextVariants: cdrdao accepts a disc without any text and one
// with titles on some tracks only (the others get TITLE "").
func TestCdrdaoTextVariants(t *testing.T) {
	testtool.Require(t, "cdrdao")
	for _, tc := range []struct {
		name   string
		titles [3]string // disc, track 1, track 2
		want   string    // in toc2cddb's output
	}{
		{"no text", [3]string{}, "TTITLE0=\n"},
		{"one title", [3]string{"", "", "Bare én"}, "TTITLE1=Bare én\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			d := Disc{Title: tc.titles[0]}
			for i := range 2 {
				p := filepath.Join(dir, fmt.Sprintf("%d.wav", i))
				makeMaster(t, p, 4*Rate, uint32(i))
				d.Tracks = append(d.Tracks, Track{WAV: p, Title: tc.titles[i+1], Gap: 2 * Rate})
			}
			if _, err := Write(context.Background(), dir, d, nil); err != nil {
				t.Fatal(err)
			}
			if out := run(t, dir, "cdrdao", "toc-info", "disc.toc"); !strings.Contains(out, "disc.toc: 2 tracks, length 00:10:00, 750 blocks") {
				t.Errorf("toc-info:\n%s", out)
			}
			if out := fromLatin1(run(t, dir, "toc2cddb", "disc.toc")); !strings.Contains(out, tc.want) {
				t.Errorf("toc2cddb:\n%s", out)
			}
		})
	}
}
