package cdimage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"sangstudio/internal/durable"
)

// The image's file names in DIR.
const (
	BinName = "disc.bin"
	CueName = "disc.cue"
	TocName = "disc.toc"
)

// filePerm is the mode of the files written (as projects.FilePerm).
const filePerm fs.FileMode = 0o600

// Plan reads each track master's header and lays the disc out. The error
// (which names the track and the file) is for a master that cannot be read
// or is not 44.1 kHz 16-bit stereo PCM; the Red Book findings of Check are
// the problems, fatal ones included: the layout is returned all the same.
func Plan(d Disc) (*Layout, []Problem, error) {
	l, ps, _, err := planMasters(d)
	return l, ps, err
}

func planMasters(d Disc) (*Layout, []Problem, []master, error) {
	ms := make([]master, len(d.Tracks))
	lengths := make([]int64, len(d.Tracks))
	for i, t := range d.Tracks {
		m, err := openMaster(i+1, t.WAV)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("cdimage: %w", err)
		}
		ms[i] = m
		lengths[i] = m.frames
	}
	return plan(d, lengths), Check(d, lengths, nil), ms, nil
}

// RefusedError is returned by Write for a disc with fatal problems; nothing
// was written.
type RefusedError struct{ Problems []Problem }

func (e *RefusedError) Error() string {
	var b strings.Builder
	b.WriteString("the CD image cannot be made:")
	for _, p := range e.Problems {
		if p.Fatal {
			b.WriteString("\n  " + p.Text)
		}
	}
	return b.String()
}

// Result says what Write wrote.
type Result struct {
	Bin, Cue, Toc string // paths of disc.bin, disc.cue, disc.toc
	Layout        *Layout
	Problems      []Problem // the warnings of Check
}

// Write writes DIR/disc.bin, DIR/disc.cue and DIR/disc.toc. DIR must
// exist. It refuses (a *RefusedError listing the fatal problems) before
// writing anything if Check finds a fatal problem. The files are written
// under temporary names, fsynced and renamed into place at the end; on any
// error, or when ctx is cancelled, nothing new is left in dir and files of
// an earlier image stay as they were. progress (which may be nil) is
// called with the bytes of disc.bin written so far and its size.
func Write(ctx context.Context, dir string, d Disc, progress func(done, total int64)) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l, ps, ms, err := planMasters(d)
	if err != nil {
		return nil, err
	}
	if Fatal(ps) {
		return nil, &RefusedError{Problems: ps}
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("cdimage: cannot write the CD image: %w", err)
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("cdimage: cannot write the CD image: %s is not a folder", dir)
	}
	w := &writer{dir: dir}
	defer w.cleanup()
	if err := w.writeBin(ctx, l, ms, progress); err != nil {
		return nil, err
	}
	if err := w.writeText(CueName, cueSheet(l)); err != nil {
		return nil, err
	}
	if err := w.writeText(TocName, tocFile(l)); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := w.commit(); err != nil {
		return nil, err
	}
	return &Result{
		Bin:      filepath.Join(dir, BinName),
		Cue:      filepath.Join(dir, CueName),
		Toc:      filepath.Join(dir, TocName),
		Layout:   l,
		Problems: ps,
	}, nil
}

// writer holds the temporary files of one Write.
type writer struct {
	dir   string
	temps []tempFile // written and closed, to be renamed
}

type tempFile struct {
	tmp, final string
	release    func() // gives up the temporary file's lock (durable.CreateTemp)
}

// create makes a temporary file for name in w.dir.
func (w *writer) create(name string) (*os.File, error) {
	final := filepath.Join(w.dir, name)
	f, release, err := durable.CreateTemp(final, filePerm)
	if err != nil {
		return nil, fmt.Errorf("cdimage: cannot write in %s: %w", w.dir, err)
	}
	w.temps = append(w.temps, tempFile{tmp: f.Name(), final: final, release: release})
	return f, nil
}

// finish fsyncs and closes a temporary file.
func finish(f *os.File, err error) error {
	if err := durable.Finish(f, err); err != nil {
		return fmt.Errorf("cdimage: cannot write %s: %w", f.Name(), err)
	}
	return nil
}

// cleanup removes the temporary files that were not renamed, and gives up
// their locks.
func (w *writer) cleanup() {
	for _, t := range w.temps {
		os.Remove(t.tmp)
		t.release()
	}
}

func (w *writer) writeText(name string, data []byte) error {
	f, err := w.create(name)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return finish(f, err)
}

// copyChunk is the size of the pieces disc.bin is written in.
const copyChunk = 256 << 10

// writeBin writes disc.bin: per track its gap, its audio and its padding.
func (w *writer) writeBin(ctx context.Context, l *Layout, ms []master, progress func(done, total int64)) error {
	f, err := w.create(BinName)
	if err != nil {
		return err
	}
	total := l.BinBytes()
	var done int64
	buf := make([]byte, copyChunk)
	report := func(n int) error {
		done += int64(n)
		if progress != nil {
			progress(done, total)
		}
		return ctx.Err()
	}
	zeros := func(n int64) error {
		clear(buf)
		for n > 0 {
			k := int(min(n, int64(len(buf))))
			if _, err := f.Write(buf[:k]); err != nil {
				return err
			}
			n -= int64(k)
			if err := report(k); err != nil {
				return err
			}
		}
		return nil
	}
	err = func() error {
		for i, t := range l.Tracks {
			if i > 0 {
				if err := zeros(t.GapSectors * SectorBytes); err != nil {
					return err
				}
			}
			if err := copyAudio(ms[i], f, buf, report); err != nil {
				return err
			}
			if err := zeros(t.PadFrames * 4); err != nil {
				return err
			}
		}
		return nil
	}()
	if err != nil {
		f.Close()
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			return err
		}
		return fmt.Errorf("cdimage: cannot write %s: %w", filepath.Join(w.dir, BinName), err)
	}
	if done != total {
		f.Close()
		return fmt.Errorf("cdimage: internal error: wrote %d bytes of %d", done, total)
	}
	return finish(f, nil)
}

// copyAudio copies a master's samples into dst as they are: WAV and
// disc.bin both hold 16-bit little-endian stereo frames.
func copyAudio(m master, dst io.Writer, buf []byte, report func(int) error) error {
	src, err := os.Open(m.path)
	if err != nil {
		return err
	}
	defer src.Close()
	off, left := m.dataOff, m.frames*4
	for left > 0 {
		k := int(min(left, int64(len(buf))))
		n, err := src.ReadAt(buf[:k], off)
		if n < k {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return fmt.Errorf("reading %s: %w", m.path, err)
		}
		if _, err := dst.Write(buf[:k]); err != nil {
			return err
		}
		off += int64(k)
		left -= int64(k)
		if err := report(k); err != nil {
			return err
		}
	}
	return nil
}

// commit renames the temporary files into place. Files of an earlier image
// are kept under a temporary name until all renames succeeded, and put
// back if one fails.
func (w *writer) commit() error {
	type backup struct{ final, saved string }
	var saved []backup
	var renamed []string
	undo := func() {
		for _, p := range renamed {
			os.Remove(p)
		}
		for _, b := range saved {
			os.Rename(b.saved, b.final)
		}
	}
	for _, t := range w.temps {
		if _, err := os.Lstat(t.final); err == nil {
			s := t.tmp + ".old"
			// A hard link keeps the old file in place until the rename;
			// FAT and exFAT have none, so it is moved aside there.
			if err := os.Link(t.final, s); err != nil {
				if err := os.Rename(t.final, s); err != nil {
					undo()
					return fmt.Errorf("cdimage: cannot replace %s: %w", t.final, err)
				}
			}
			saved = append(saved, backup{t.final, s})
		}
	}
	for _, t := range w.temps {
		if err := os.Rename(t.tmp, t.final); err != nil {
			undo()
			for _, b := range saved {
				os.Remove(b.saved)
			}
			return fmt.Errorf("cdimage: cannot write %s: %w", t.final, err)
		}
		renamed = append(renamed, t.final)
	}
	for _, b := range saved {
		os.Remove(b.saved)
	}
	for _, t := range w.temps {
		t.release()
	}
	w.temps = nil
	if err := durable.SyncDir(w.dir); err != nil {
		return fmt.Errorf("cdimage: %w", err)
	}
	return nil
}

// binSector is a track's INDEX 01 position in disc.bin, in sectors.
func (t TrackLayout) binSector() int64 { return t.Start - firstPregapSectors }

// cueSheet is disc.cue for l: Latin-1 bytes, CRLF line ends.
func cueSheet(l *Layout) []byte {
	var b bytes.Buffer
	line := func(indent, s string) {
		b.WriteString(indent)
		b.WriteString(s)
		b.WriteString("\r\n")
	}
	text := func(indent, key, s string) {
		if s != "" {
			line(indent, key+` "`+string(cueString(s))+`"`)
		}
	}
	text("", "PERFORMER", l.Performer)
	text("", "TITLE", l.Title)
	line("", `FILE "`+BinName+`" BINARY`)
	for i, t := range l.Tracks {
		line("  ", fmt.Sprintf("TRACK %02d AUDIO", t.Number))
		text("    ", "TITLE", t.Title)
		text("    ", "PERFORMER", t.Performer)
		if i > 0 && t.GapSectors > 0 {
			line("    ", "INDEX 00 "+msf(t.binSector()-t.GapSectors))
		}
		line("    ", "INDEX 01 "+msf(t.binSector()))
	}
	return b.Bytes()
}

// cueString is s (runes ≤ 0xFF) as Latin-1 bytes for a quoted CUE string,
// which cannot hold a double quote: it becomes '.
func cueString(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r == '"':
			out = append(out, '\'')
		case r < 0x20 || (r >= 0x7F && r <= 0x9F) || r > 0xFF:
			out = append(out, '?') // not reached: s comes from cdText
		default:
			out = append(out, byte(r))
		}
	}
	return out
}

// tocString is s (runes ≤ 0xFF) as a quoted cdrdao TOC string: ASCII, \"
// for a quote, \ooo octal for a backslash and every byte above 127.
func tocString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\' || r > 0x7E || r < 0x20:
			if r > 0xFF {
				r = '?' // not reached: s comes from cdText
			}
			fmt.Fprintf(&b, `\%03o`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// tocFile is disc.toc for l (ASCII, LF line ends).
func tocFile(l *Layout) []byte {
	var b bytes.Buffer
	useT, useP := l.Title != "", l.Performer != ""
	for _, t := range l.Tracks {
		useT = useT || t.Title != ""
		useP = useP || t.Performer != ""
	}
	cdtext := func(indent, title, perf string) {
		fmt.Fprintf(&b, "%sLANGUAGE 0 {\n", indent)
		if useT {
			fmt.Fprintf(&b, "%s  TITLE %s\n", indent, tocString(title))
		}
		if useP {
			fmt.Fprintf(&b, "%s  PERFORMER %s\n", indent, tocString(perf))
		}
		fmt.Fprintf(&b, "%s}\n", indent)
	}
	b.WriteString("// cdrdao TOC written by Sangstudio. disc.bin holds 16-bit little-endian\n")
	b.WriteString("// stereo samples, hence SWAP. Burn with: cdrdao write disc.toc\n")
	b.WriteString("CD_DA\n")
	if useT || useP {
		b.WriteString("\nCD_TEXT {\n  LANGUAGE_MAP {\n    0 : EN\n  }\n")
		cdtext("  ", l.Title, l.Performer)
		b.WriteString("}\n")
	}
	for i, t := range l.Tracks {
		fmt.Fprintf(&b, "\n// Track %d\nTRACK AUDIO\n", t.Number)
		if useT || useP {
			b.WriteString("CD_TEXT {\n")
			cdtext("  ", t.Title, t.Performer)
			b.WriteString("}\n")
		}
		start, gap := t.binSector(), int64(0)
		if i > 0 {
			gap = t.GapSectors
		}
		fmt.Fprintf(&b, "FILE %s SWAP %d %d\n", tocString(BinName), (start-gap)*SectorFrames, (gap+t.Sectors())*SectorFrames)
		if gap > 0 {
			fmt.Fprintf(&b, "START %s\n", msf(gap))
		}
	}
	return b.Bytes()
}
