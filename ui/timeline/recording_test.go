package timeline

import (
	"testing"

	"sangstudio/internal/uitest"
)

// flatWave is a recording's waveform: ±a up to frame n, silence after.
type flatWave struct {
	a float32
	n int64
}

func (w flatWave) Range(from, to int64, buckets int, mins, maxs []float32) ([]float32, []float32) {
	for b := range buckets {
		f := from + int64(b)*(to-from)/int64(buckets)
		a := w.a
		if f >= w.n {
			a = 0
		}
		mins, maxs = append(mins, -a), append(maxs, a)
	}
	return mins, maxs
}

// TestRecordings: a take being recorded is a block in the recording colour
// on its track, from its start to where it has got, with its waveform;
// growing it moves only its block (nothing else is rebuilt); a MIDI take
// is a plain block; with no recording the blocks are gone.
func TestRecordings(t *testing.T) {
	f := newFixture(t, testSong())
	tl, r := f.tl, f.r
	theme := watchTheme(t, f)
	tl.SetRecordings([]Recording{{Track: 0, Start: 300000, End: 348000, Wave: flatWave{0.5, 48000}}})
	if r.recs.n != 1 {
		t.Fatalf("%d recording blocks, want 1", r.recs.n)
	}
	v := r.recs.items[0]
	body := v.body
	if !body.Visible() || !inObjects(r, body) || !inObjects(r, v.wave) || !near(body.Position().X, 625) || !near(body.Size().Width, 100) ||
		!near(body.Position().Y, rulerHeight+clipPadY) || body.FillColor != r.pal.recFill || body.FillColor == r.pal.clipFill {
		t.Fatalf("recording block at %v, %v, fill %v (visible %v): want x 625, 100 wide on track 0, in the recording colour %v",
			body.Position(), body.Size(), body.FillColor, body.Visible(), r.pal.recFill)
	}
	if drawn, s := waveArea(t, f, v), v.wave.Size(); drawn < int(s.Width*s.Height)/3 {
		t.Errorf("the recording's waveform draws %d pixels of %v", drawn, s)
	}
	objs := len(r.Objects())
	reads := theme.reads()
	tl.SetRecordings([]Recording{{Track: 0, Start: 300000, End: 396000, Wave: flatWave{0.5, 96000}}})
	if r.recs.items[0] != v || !near(body.Position().X, 625) || !near(body.Size().Width, 200) || !near(v.wave.Size().Width, 200-2*1.5) {
		t.Fatalf("grown recording block at %v, %v, want 200 wide", body.Position(), body.Size())
	}
	if theme.reads() != reads || len(r.Objects()) != objs {
		t.Error("growing a recording rebuilt the view")
	}
	if drawn, s := waveArea(t, f, v), v.wave.Size(); drawn < int(s.Width*s.Height)/3 {
		t.Errorf("the grown recording's waveform draws %d pixels of %v", drawn, s)
	}

	tl.SetRecordings([]Recording{{Track: 1, Start: 300000, End: 396000}}) // MIDI: no waveform
	v = r.recs.items[0]
	if !v.body.Visible() || !near(v.body.Position().Y, rulerHeight+tl.RowHeight()+clipPadY) {
		t.Fatalf("MIDI recording block at %v (visible %v)", v.body.Position(), v.body.Visible())
	}
	s := v.wave.Size()
	if n := uitest.Opaque(v.wave.Generator(int(s.Width), int(s.Height))); n != 0 {
		t.Errorf("a MIDI recording draws %d waveform pixels, want a plain block", n)
	}

	tl.SetRecordings(nil)
	if r.recs.n != 0 || inObjects(r, body) || inObjects(r, v.body) {
		t.Error("recording blocks left after the recording")
	}
}

// BenchmarkSetRecordings8 is a tick while 8 tracks of the 16-track song
// record: their blocks grow (what the window does 30 times a second).
func BenchmarkSetRecordings8(b *testing.B) {
	f := newFixture(b, bigSong())
	f.tl.ZoomToFit()
	recs := make([]Recording, 8)
	for i := range recs {
		recs[i] = Recording{Track: 2 * i, Start: 48000, End: 48000, Wave: flatWave{0.5, 1 << 40}}
	}
	f.tl.SetRecordings(recs)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		for k := range recs {
			recs[k].End = 48000 + int64(i%4096)*480
		}
		f.tl.SetRecordings(recs)
	}
}
