package ring_test

import (
	"sync"
	"testing"

	"sangstudio/audio/ring"
)

// TestFramesConcurrent streams a counting signal through a small ring with
// a producer and a consumer on different goroutines (run with -race): every
// frame arrives once, in order, on the right channel.
func TestFramesConcurrent(t *testing.T) {
	f := ring.NewFrames(2, 100) // 128 frames
	const total = 200000
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		src := [][]float32{make([]float32, 37), make([]float32, 37)}
		for next := 0; next < total; {
			n := min(37, total-next)
			for i := 0; i < n; i++ {
				src[0][i], src[1][i] = float32(next+i), -float32(next+i)
			}
			k := f.Write([][]float32{src[0][:n], src[1][:n]})
			next += k
		}
	}()
	dst := [][]float32{make([]float32, 50), make([]float32, 50)}
	for got := 0; got < total; {
		n := f.Read(dst)
		for i := 0; i < n; i++ {
			if dst[0][i] != float32(got+i) || dst[1][i] != -float32(got+i) {
				t.Fatalf("frame %d: got %v %v", got+i, dst[0][i], dst[1][i])
			}
		}
		got += n
	}
	wg.Wait()
	if f.Readable() != 0 {
		t.Fatalf("%d frames left", f.Readable())
	}
}

func TestFramesCapacityAndSilence(t *testing.T) {
	f := ring.NewFrames(1, 5)
	if f.Cap() != 8 {
		t.Fatalf("cap %d, want 8", f.Cap())
	}
	if n := f.Write([][]float32{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}}); n != 8 {
		t.Fatalf("wrote %d, want 8", n)
	}
	if f.Writable() != 0 || f.WriteSilence(3) != 0 {
		t.Fatal("a full ring accepted more")
	}
	if f.Discard(6) != 6 || f.WriteSilence(3) != 3 {
		t.Fatal("discard/silence")
	}
	d := [][]float32{make([]float32, 10)}
	if n := f.Read(d); n != 5 || d[0][0] != 7 || d[0][1] != 8 || d[0][2] != 0 {
		t.Fatalf("read %d: %v", n, d[0][:n])
	}
	f.Write([][]float32{{1}})
	f.Reset()
	if f.Readable() != 0 {
		t.Fatal("reset left frames")
	}
}

func TestValues(t *testing.T) {
	q := ring.NewValues[int64](3)
	for i := int64(0); i < 4; i++ {
		if !q.Push(i) {
			t.Fatalf("push %d failed", i)
		}
	}
	if q.Push(9) {
		t.Fatal("push into a full ring succeeded")
	}
	for i := int64(0); i < 4; i++ {
		if v, ok := q.Pop(); !ok || v != i {
			t.Fatalf("pop = %v %v, want %d", v, ok, i)
		}
	}
	if _, ok := q.Pop(); ok {
		t.Fatal("pop from an empty ring")
	}
}

func TestNoAllocations(t *testing.T) {
	f := ring.NewFrames(2, 1024)
	b := [][]float32{make([]float32, 256), make([]float32, 256)}
	q := ring.NewValues[struct{ a, b int64 }](16)
	if a := testing.AllocsPerRun(100, func() {
		f.Write(b)
		f.Read(b)
		f.WriteSilence(10)
		f.Discard(10)
		q.Push(struct{ a, b int64 }{1, 2})
		q.Pop()
	}); a != 0 {
		t.Fatalf("%v allocations, want 0", a)
	}
}

func BenchmarkFramesStereo256(b *testing.B) {
	f := ring.NewFrames(2, 4096)
	buf := [][]float32{make([]float32, 256), make([]float32, 256)}
	b.ReportAllocs()
	b.SetBytes(256 * 2 * 4)
	for i := 0; i < b.N; i++ {
		f.Write(buf)
		f.Read(buf)
	}
}
