package ring_test

import (
	"sync"
	"testing"

	"sangstudio/audio/ring"
)

// produce writes a counting signal of total stereo frames into f, in runs
// of 37, from a goroutine of its own (frame i is i on the left, -i on the
// right); wait returns once it wrote them all.
func produce(f *ring.Frames, total int) (wait func()) {
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
			next += f.Write([][]float32{src[0][:n], src[1][:n]})
		}
	}()
	return wg.Wait
}

// TestFramesConcurrent streams a counting signal through a small ring with
// a producer and a consumer on different goroutines (run with -race): every
// frame arrives once, in order, on the right channel.
func TestFramesConcurrent(t *testing.T) {
	f := ring.NewFrames(2, 100) // 128 frames
	const total = 200000
	wait := produce(f, total)
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
	wait()
	if f.Readable() != 0 {
		t.Fatalf("%d frames left", f.Readable())
	}
}

// TestFramesPeekConcurrent streams a counting signal through a small ring
// that the consumer reads in place (Peek, then Discard), as the virtual
// device's file writer does, with the producer on another goroutine (run
// with -race): every frame arrives once, in order, on the right channel,
// and no view reaches past the end of the buffer.
func TestFramesPeekConcurrent(t *testing.T) {
	f := ring.NewFrames(2, 100) // 128 frames
	const total = 200000
	wait := produce(f, total)
	views := make([][]float32, 2)
	for got := 0; got < total; {
		k := f.Peek(views, 50)
		if len(views[0]) != k || len(views[1]) != k || k > 50 {
			t.Fatalf("peek %d frames, views of %d and %d", k, len(views[0]), len(views[1]))
		}
		for i := 0; i < k; i++ {
			if views[0][i] != float32(got+i) || views[1][i] != -float32(got+i) {
				t.Fatalf("frame %d: got %v %v", got+i, views[0][i], views[1][i])
			}
		}
		if f.Discard(k) != k {
			t.Fatalf("discard %d", k)
		}
		got += k
	}
	wait()
	if f.Written() != total || f.Consumed() != total {
		t.Fatalf("written %d, consumed %d, want %d", f.Written(), f.Consumed(), total)
	}
}

// TestFramesPeekWrap: a Peek stops where the buffer ends, the next one
// starts at its beginning.
func TestFramesPeekWrap(t *testing.T) {
	f := ring.NewFrames(1, 8)
	f.WriteSilence(6)
	f.Discard(6)
	f.Write([][]float32{{1, 2, 3, 4, 5}})
	v := make([][]float32, 1)
	if k := f.Peek(v, 8); k != 2 || v[0][0] != 1 || v[0][1] != 2 {
		t.Fatalf("first peek: %d %v", k, v[0])
	}
	f.Discard(2)
	if k := f.Peek(v, 8); k != 3 || v[0][0] != 3 || v[0][2] != 5 {
		t.Fatalf("second peek: %d %v", k, v[0])
	}
	if k := f.Peek(v, 1); k != 1 || v[0][0] != 3 {
		t.Fatalf("peek of one: %d %v", k, v[0])
	}
}

// TestFramesChannelCounts: a ring with more channels than what is written
// to it fills them with silence; a read into more channels than the ring
// has fills those with silence, and one into fewer drops the rest.
func TestFramesChannelCounts(t *testing.T) {
	f := ring.NewFrames(3, 4)
	dst := [][]float32{{9, 9}, {9, 9}, {9, 9}, {9, 9}}
	f.Write([][]float32{{1, 2}, {3, 4}})
	f.Write([][]float32{{5, 6}, {7, 8}, {1, 1}, {2, 2}}) // the fourth channel is ignored
	if n := f.Read(dst); n != 2 || dst[0][1] != 2 || dst[1][1] != 4 || dst[2][0] != 0 || dst[2][1] != 0 || dst[3][1] != 0 {
		t.Fatalf("read %d: %v", n, dst)
	}
	if n := f.Read(dst[:1]); n != 2 || dst[0][0] != 5 || dst[0][1] != 6 {
		t.Fatalf("read %d: %v", n, dst[0])
	}
	if f.Readable() != 0 || f.Consumed() != 4 {
		t.Fatalf("readable %d, consumed %d", f.Readable(), f.Consumed())
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
	v := make([][]float32, 2)
	q := ring.NewValues[struct{ a, b int64 }](16)
	if a := testing.AllocsPerRun(100, func() {
		f.Write(b)
		f.Read(b)
		f.WriteSilence(10)
		f.Discard(10)
		f.Write(b)
		f.Discard(f.Peek(v, 256))
		f.Discard(f.Peek(v, 256))
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

// BenchmarkFramesPeekStereo256: 256 stereo frames written and read in
// place (the virtual device's file writer), crossing the wrap too.
func BenchmarkFramesPeekStereo256(b *testing.B) {
	f := ring.NewFrames(2, 4000) // 4096: the wrap comes every 16 runs, at a run's end
	f.WriteSilence(100)          // shifted, so that it comes within a run
	f.Discard(100)
	buf := [][]float32{make([]float32, 256), make([]float32, 256)}
	v := make([][]float32, 2)
	b.ReportAllocs()
	b.SetBytes(256 * 2 * 4)
	for i := 0; i < b.N; i++ {
		f.Write(buf)
		for left := 256; left > 0; {
			k := f.Peek(v, left)
			f.Discard(k)
			left -= k
		}
	}
}
