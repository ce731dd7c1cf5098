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
	defer cancel()
	nblocks := int((r.total + int64(r.block) - 1) / int64(r.block))
	workers = max(1, min(workers, nblocks))

	type job struct {
		bus
		err error
	}
	const depth = 2 // blocks in flight per worker
	free := make([]chan *job, workers)
	done := make([]chan *job, workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	for w := 0; w < workers; w++ {
		free[w] = make(chan *job, depth)
		done[w] = make(chan *job, depth)
		for i := 0; i < depth; i++ {
			free[w] <- &job{bus: bus{l: make([]float32, r.block), r: make([]float32, r.block)}}
		}
		// Each worker reads with its own take readers and buffers.
		var tracks []*source.Track
		var in [][][]float32
		if w == 0 {
			tracks, in = r.tracks, r.in
		} else {
			for i, t := range r.song.Tracks {
				st, err := source.OpenSong(dir, r.song, i, r.sf)
				if err != nil {
					for _, o := range tracks {
						o.Close()
					}
					return fmt.Errorf("render: track %d (%q): %w", i+1, t.Name, err)
				}
				tracks = append(tracks, st)
				ch := make([][]float32, t.Channels)
				for c := range ch {
					ch[c] = make([]float32, r.block)
				}
				in = append(in, ch)
			}
		}
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			if w > 0 {
				defer func() {
					for _, t := range tracks {
						t.Close()
					}
				}()
			}
			for k := w; k < nblocks; k += workers {
				var j *job
				select {
				case j = <-free[w]:
				case <-ctx.Done():
					return
				}
				pos := int64(k) * int64(r.block)
				j.n = int(min(int64(r.block), r.total-pos))
				j.err = r.mixBlock(tracks, in, pos, &j.bus)
				done[w] <- j // never blocks: at most depth jobs exist per worker
				if j.err != nil {
					return
				}
			}
		}(w)
	}
	for k := 0; k < nblocks; k++ {
		var j *job
		select {
		case j = <-done[k%workers]:
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
		free[k%workers] <- j // the worker owns j again: do not touch it below
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
