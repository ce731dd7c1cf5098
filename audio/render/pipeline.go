package render

import (
	"context"
	"fmt"
	"sync"

	"sangstudio/audio/mix"
	"sangstudio/audio/source"
)

// runMix renders the mix alone (no stems) with whole blocks per worker:
// worker w computes blocks w, w+W, w+2W, … completely (read, pan, sum in
// track order) with its own take readers, and the writer takes the blocks
// in order. There is no barrier between workers, so both cores stay busy;
// each frame is still the sum of the tracks in track order, so the bytes
// are the same as with any other number of workers.
func (r *renderer) runMix(ctx context.Context, dir string, workers int, progress func(done, total int64)) error {
	ctx, cancel := context.WithCancel(ctx)
	nblocks := int((r.total + int64(r.block) - 1) / int64(r.block))
	workers = max(1, min(workers, nblocks))

	const depth = 2 // blocks in flight per worker
	lanes := &mixLanes{free: make([]chan *mixJob, workers), done: make([]chan *mixJob, workers), nblocks: nblocks}
	var wg sync.WaitGroup
	// Cancel first, then wait: a worker waiting for a free block when the
	// writing failed is stopped by the cancel, not waited for forever.
	defer func() {
		cancel()
		wg.Wait()
	}()
	for w := 0; w < workers; w++ {
		lanes.free[w] = make(chan *mixJob, depth)
		lanes.done[w] = make(chan *mixJob, depth)
		for i := 0; i < depth; i++ {
			lanes.free[w] <- &mixJob{bus: bus{l: make([]float32, r.block), r: make([]float32, r.block)}}
		}
		tracks, in, err := r.workerReaders(dir, w)
		if err != nil {
			return err
		}
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			r.mixWorker(ctx, lanes, w, tracks, in)
		}(w)
	}
	return r.writeBlocks(ctx, lanes, progress)
}

// mixJob is one block of the mix, or the error that stopped its worker.
type mixJob struct {
	bus
	err error
}

// mixLanes are runMix's channels: for each worker, the jobs it may fill
// (free) and those it has filled (done), in block order.
type mixLanes struct {
	free, done []chan *mixJob
	nblocks    int
}

// workerReaders returns worker w's take readers and buffers: the
// renderer's own for worker 0, new ones for the others.
func (r *renderer) workerReaders(dir string, w int) ([]*source.Track, [][][]float32, error) {
	if w == 0 {
		return r.tracks, r.in, nil
	}
	var tracks []*source.Track
	var in [][][]float32
	for i, t := range r.song.Tracks {
		st, err := source.OpenSong(dir, r.song, i, r.sf)
		if err != nil {
			for _, o := range tracks {
				o.Close()
			}
			return nil, nil, fmt.Errorf("render: track %d (%q): %w", i+1, t.Name, err)
		}
		tracks = append(tracks, st)
		ch := make([][]float32, t.Channels)
		for c := range ch {
			ch[c] = make([]float32, r.block)
		}
		in = append(in, ch)
	}
	return tracks, in, nil
}

// mixWorker is worker w of runMix: it computes blocks w, w+W, w+2W, …
// with tracks and in (closing the tracks at the end unless they are the
// renderer's own) until all are done, one fails, or ctx is done.
func (r *renderer) mixWorker(ctx context.Context, lanes *mixLanes, w int, tracks []*source.Track, in [][][]float32) {
	if w > 0 {
		defer func() {
			for _, t := range tracks {
				t.Close()
			}
		}()
	}
	workers := len(lanes.free)
	for k := w; k < lanes.nblocks; k += workers {
		var j *mixJob
		select {
		case j = <-lanes.free[w]:
		case <-ctx.Done():
			return
		}
		pos := int64(k) * int64(r.block)
		j.n = int(min(int64(r.block), r.total-pos))
		j.err = r.mixBlock(tracks, in, pos, &j.bus)
		lanes.done[w] <- j // never blocks: at most depth jobs exist per worker
		if j.err != nil {
			return
		}
	}
}

// writeBlocks takes runMix's blocks from the workers in order and writes
// them to the mix.
func (r *renderer) writeBlocks(ctx context.Context, lanes *mixLanes, progress func(done, total int64)) error {
	workers := len(lanes.done)
	for k := 0; k < lanes.nblocks; k++ {
		var j *mixJob
		select {
		case j = <-lanes.done[k%workers]:
		case <-ctx.Done():
			return fmt.Errorf("render: %w", ctx.Err())
		}
		if j.err != nil {
			return j.err
		}
		if err := r.writeMix(j.l[:j.n], j.r[:j.n]); err != nil {
			return err
		}
		n := j.n
		lanes.free[k%workers] <- j // the worker owns j again: do not touch it below
		if progress != nil {
			progress(int64(k)*int64(r.block)+int64(n), r.total)
		}
	}
	return nil
}

// mixBlock computes one block of the mix from the given take readers.
func (r *renderer) mixBlock(tracks []*source.Track, in [][][]float32, pos int64, b *bus) error {
	ch := make([][][]float32, len(tracks))
	for i, t := range tracks {
		ch[i] = chans(in[i], b.n)
		if !r.strips[i].Audible {
			continue
		}
		if err := t.ReadAt(pos, ch[i]); err != nil {
			return fmt.Errorf("render: track %d (%q): %w", i+1, r.song.Tracks[i].Name, err)
		}
	}
	l, rr := b.l[:b.n], b.r[:b.n]
	clear(l)
	clear(rr)
	mix.Sum(r.strips, ch, l, rr)
	return nil
}
