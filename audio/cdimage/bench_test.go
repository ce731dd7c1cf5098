package cdimage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkWrite writes the image of 3 tracks of 3 minutes (a 95 MB
// disc.bin, fsynced) and reports it in multiples of real time.
func BenchmarkWrite(b *testing.B) {
	dir := b.TempDir()
	d := Disc{Title: "Benk", Performer: "Sangstudio"}
	var audio int64
	for i := range 3 {
		path := filepath.Join(dir, fmt.Sprintf("%02d.wav", i+1))
		frames := int64(3*60*Rate + 17*i)
		makeMaster(b, path, frames, uint32(i))
		audio += frames
		d.Tracks = append(d.Tracks, Track{WAV: path, Title: fmt.Sprintf("Sang %d", i+1), Performer: "Kor", Gap: 2 * Rate})
	}
	out := b.TempDir()
	var bin int64
	for b.Loop() {
		res, err := Write(context.Background(), out, d, nil)
		if err != nil {
			b.Fatal(err)
		}
		bin = res.Layout.BinBytes()
	}
	b.SetBytes(bin)
	b.ReportMetric(float64(audio)/Rate*float64(b.N)/b.Elapsed().Seconds(), "x-realtime")
}
