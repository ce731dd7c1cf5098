// Package render mixes a song offline to a stereo WAV and to one stereo
// stem per track (and one per effect bus a track sends to).
//
// It streams: the song is processed in blocks, so memory does not grow with
// the song's length, and it uses every core: for each block, the workers
// read their tracks (worker w takes tracks w, w+W, …), run each through its
// effects (mix.Chain) and write its stem; then the master bus is summed
// over disjoint frame ranges and the reverb and the delay add their
// returns (mix.Buses). These are the functions the real-time engine runs,
// in the same order, so the mix does not depend on the number of workers
// or the block size, and equals what playback outputs.
//
// Output files appear only when complete: each is written under a
// temporary name, fsync'd and renamed at the end. A failed or cancelled
// render (a full disk, a broken take) leaves no partial file behind.
package render

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"sangstudio/audio/mix"
	"sangstudio/audio/source"
	"sangstudio/audio/wav"
	"sangstudio/internal/durable"
	"sangstudio/internal/fserr"
	"sangstudio/internal/volume"
	"sangstudio/midi/synth"
	"sangstudio/projects"
	"sangstudio/projects/songlog"
)

// DefaultBlock is the number of frames processed per block.
const DefaultBlock = 32768

// Options says what to render.
type Options struct {
	Mix      string       // path of the stereo mix, or "" for none
	StemsDir string       // folder for stems, or "" for none
	Encoding wav.Encoding // PCM16 (dithered), PCM24 or Float32; 0 means PCM24
	// Progress, if set, is called after each block with frames done and the total.
	Progress func(done, total int64)
	// Workers is how many tracks are made at once; 0 means one per core
	// (runtime.NumCPU, not GOMAXPROCS: the program keeps spare Ps for the
	// audio callback, and more workers than cores wait on one another at
	// every block).
	Workers int
	Block   int // frames per block; 0 means DefaultBlock
	// Sink, if set, is given the mix block by block, in order (the two
	// channels, post master): a measurement needs no file. It may be the
	// only output. The slices are valid during the call only.
	Sink func(l, r []float32) error
	// NoteInLog notes the mix and the stems in the song's log as copies
	// that left the song (songlog): for files made for people to take, not
	// the intermediate mixes of mastering and CDs.
	NoteInLog bool
}

// Result tells what was written.
type Result struct {
	Frames int64
	Mix    string
	Stems  []string
	// Silent lists stems that are silence because the track is muted,
	// not soloed while others are, or at minimum gain.
	Silent []string
}

// StemName is the file name of track i's stem: "NN-<track name>.wav".
func StemName(i int, trackName string) string {
	return fmt.Sprintf("%02d-%s.wav", i+1, projects.SafeFileBase(trackName, 200))
}

// Render renders song s, stored in dir, as opt says.
func Render(ctx context.Context, dir string, s *projects.Song, opt Options) (*Result, error) {
	if opt.Mix == "" && opt.StemsDir == "" && opt.Sink == nil {
		return nil, errors.New("render: nothing to render (no mix file and no stems folder given)")
	}
	enc := opt.Encoding
	if enc == 0 {
		enc = wav.PCM24
	}
	if enc != wav.PCM16 && enc != wav.PCM24 && enc != wav.Float32 {
		return nil, fmt.Errorf("render: unsupported output format %v (16, 24 or 32f)", enc)
	}
	block := opt.Block
	if block <= 0 {
		block = DefaultBlock
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = min(runtime.NumCPU(), runtime.GOMAXPROCS(0))
	}
	total := s.Length()
	if total == 0 {
		return nil, errors.New("render: the song has no audio yet (no clips on any track)")
	}
	// The reverb and the echoes ring on after the last clip.
	total += mix.BusesOf(s).Tail(s.Rate, mix.Strips(s))
	if err := checkLength(s, opt, enc); err != nil {
		return nil, err
	}
	if workers > len(s.Tracks) {
		workers = max(1, len(s.Tracks))
	}

	r := &renderer{song: s, block: block, total: total, sink: opt.Sink}
	if slices.ContainsFunc(s.Tracks, (*projects.Track).IsMIDI) {
		// The SoundFont only for a song that plays one (it takes a
		// tenth of a short render to load).
		sf, err := source.SoundFont(s)
		if err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		if err := source.PrepareMIDI(dir, s, sf); err != nil {
			return nil, fmt.Errorf("render: %w", err)
		}
		r.sf = sf
	}
	defer r.cleanup()
	if err := r.open(dir, opt, enc); err != nil {
		return nil, err
	}
	if err := r.run(ctx, workers, opt.Progress); err != nil {
		return nil, err
	}
	if err := r.finish(); err != nil {
		return nil, err
	}
	res := &Result{Frames: total, Mix: opt.Mix}
	for i, st := range r.stems {
		res.Stems = append(res.Stems, st.final)
		if !r.strips[i].Audible {
			res.Silent = append(res.Silent, st.final)
		}
	}
	for _, o := range r.busOuts {
		if o != nil {
			res.Stems = append(res.Stems, o.final)
		}
	}
	if opt.NoteInLog {
		noteInLog(dir, opt)
	}
	return res, nil
}

// noteInLog notes the files made in the song's log; the files are made,
// so a log that cannot note them costs them nothing.
func noteInLog(dir string, opt Options) {
	if opt.Mix != "" {
		songlog.NoteCopies(dir, songlog.CopyMix, opt.Mix)
	}
	if opt.StemsDir != "" {
		songlog.NoteCopies(dir, songlog.CopyStems, opt.StemsDir)
	}
}

// output is one file being written under a temporary name.
type output struct {
	final, tmp string
	w          *wav.Writer
	release    func() // gives up the temporary file's lock (projects.CreateTemp)
}

type renderer struct {
	song   *projects.Song
	sf     *synth.SoundFont // MIDI tracks' SoundFont (nil: built-in instrument)
	block  int
	total  int64
	strips []mix.Strip
	tracks []*source.Track
	mix    *output
	sink   func(l, r []float32) error
	stems  []*output

	chains []*mix.Chain // each track's effects
	mixer  *mix.Buses   // the master sum and the reverb and delay
	// busOuts are the reverb's and the delay's stems (nil: none, or no
	// track sends to it), busStems their blocks.
	busOuts  [2]*output
	busStems *mix.BusStems

	// per-track buffers, reused every block
	// ins are two sets of each track's block, pre-fader (after its
	// effects), by track and channel: the tracks of block k+1 are made in
	// one while block k is summed from the other.
	ins   [2][][][]float32
	stemL [][]float32
	stemR [][]float32
	buses [3]bus // one is summed while another is returned and written

	madeStems string // the stems folder, if this render made it
}

func (r *renderer) create(path string, enc wav.Encoding, bext *wav.Bext, seed uint64) (*output, error) {
	dir := filepath.Dir(path)
	f, release, err := durable.CreateTemp(path, projects.FilePerm)
	if err != nil {
		return nil, fmt.Errorf("render: cannot write in %s: %w", dir, err)
	}
	o := &output{final: path, tmp: f.Name(), release: release}
	o.w, err = wav.NewWriter(f, wav.Format{Rate: r.song.Rate, Channels: 2, Encoding: enc},
		wav.WriterOptions{Bext: bext, DitherSeed: seed})
	if err != nil {
		f.Close()
		os.Remove(o.tmp)
		release()
		return nil, fmt.Errorf("render: %s: %w", path, err)
	}
	return o, nil
}

func (r *renderer) open(dir string, opt Options, enc wav.Encoding) error {
	s := r.song
	r.strips = mix.Strips(s)
	r.mixer = mix.NewBuses(s.Rate, r.block, mix.BusesOf(s))
	for _, st := range r.strips {
		r.chains = append(r.chains, mix.NewChain(s.Rate, st.FX))
	}
	n := len(s.Tracks)
	r.tracks = make([]*source.Track, n)
	r.ins[0], r.ins[1] = make([][][]float32, n), make([][][]float32, n)
	for i, t := range s.Tracks {
		st, err := source.OpenSong(dir, s, i, r.sf)
		if err != nil {
			return fmt.Errorf("render: track %d (%q): %w", i+1, t.Name, err)
		}
		r.tracks[i] = st
		for _, in := range r.ins {
			in[i] = make([][]float32, t.Channels)
			for c := range in[i] {
				in[i][c] = make([]float32, r.block)
			}
		}
	}
	for i := range r.buses {
		r.buses[i] = bus{l: make([]float32, r.block), r: make([]float32, r.block), sends: mix.NewSends(r.block)}
	}
	if err := r.checkSpace(opt, enc); err != nil {
		return err
	}
	bext := func(desc string) *wav.Bext {
		return &wav.Bext{Description: desc, Originator: "Sangstudio", TimeReference: 0}
	}
	if opt.Mix != "" {
		o, err := r.create(opt.Mix, enc, bext("Mix: "+s.Title), 1)
		if err != nil {
			return err
		}
		r.mix = o
	}
	if opt.StemsDir != "" {
		if _, err := os.Stat(opt.StemsDir); errors.Is(err, fs.ErrNotExist) {
			r.madeStems = opt.StemsDir // removed again if the render fails
		}
		if err := os.MkdirAll(opt.StemsDir, projects.DirPerm); err != nil {
			return fmt.Errorf("render: cannot create the stems folder: %w", err)
		}
		r.stemL, r.stemR = make([][]float32, n), make([][]float32, n)
		for i, t := range s.Tracks {
			o, err := r.create(filepath.Join(opt.StemsDir, StemName(i, t.Name)), enc, bext("Stem: "+t.Name), uint64(i)+2)
			if err != nil {
				return err
			}
			r.stems = append(r.stems, o)
			r.stemL[i], r.stemR[i] = make([]float32, r.block), make([]float32, r.block)
		}
		return r.openBusStems(opt.StemsDir, enc, bext)
	}
	return nil
}

// openBusStems makes the stems of the buses tracks send to: "NN-Reverb.wav"
// and "NN-Delay.wav", numbered after the tracks, so that the stems, added
// up in their order, are the mix.
func (r *renderer) openBusStems(dir string, enc wav.Encoding, bext func(string) *wav.Bext) error {
	var used [2]bool
	for _, st := range r.strips {
		used[0] = used[0] || (st.Audible && st.Reverb != 0)
		used[1] = used[1] || (st.Audible && st.Delay != 0)
	}
	stereo := func() [2][]float32 { return [2][]float32{make([]float32, r.block), make([]float32, r.block)} }
	r.busStems = &mix.BusStems{Reverb: stereo(), Delay: stereo()}
	n := len(r.song.Tracks)
	for k, name := range []string{"Reverb", "Delay"} {
		if !used[k] {
			continue
		}
		n++
		o, err := r.create(filepath.Join(dir, fmt.Sprintf("%02d-%s.wav", n, name)), enc, bext("Stem: "+name), uint64(n)+1)
		if err != nil {
			return err
		}
		r.busOuts[k] = o
	}
	return nil
}

// bus is one block of the master bus.
type bus struct {
	l, r  []float32
	sends *mix.Sends // what the block's tracks sent to the reverb and the delay
	n     int
}

// checkSpace fails early, before anything is written, when the disk that
// will hold the outputs has too little free space for them.
func (r *renderer) checkSpace(opt Options, enc wav.Encoding) error {
	perFile := r.total*2*int64(enc.Bytes()) + 1024
	need := map[string]int64{}
	if opt.Mix != "" {
		need[filepath.Dir(opt.Mix)] += perFile
	}
	if opt.StemsDir != "" {
		need[opt.StemsDir] += perFile * int64(len(r.song.Tracks))
	}
	for dir, n := range need {
		free, ok := volume.Free(dir) // dir may not exist yet: its nearest parent is asked
		if ok && free < n {
			return fmt.Errorf("render: the disk is full: the render needs %s in %s but only %s is free%s", mb(n), dir, mb(free), outlierNote(r.song))
		}
	}
	return nil
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// run renders the mix and stems, block by block: workers read their
// tracks, run their effects and write their stems; then the master bus
// and the sends are summed in track order over disjoint frame ranges,
// while the workers go on to the next block (in the other set of track
// buffers). A writer goroutine runs the reverb and the delay over each
// summed block, in order, and writes it.
func (r *renderer) run(ctx context.Context, workers int, progress func(done, total int64)) (err error) {
	errs := make([]error, workers)
	mw := r.startMixWriter()
	var summing chan struct{} // closed when the block being summed went to the writer
	defer func() {
		if summing != nil {
			<-summing
		}
		if werr := mw.stop(); err == nil {
			err = werr
		}
	}()

	for k, pos := 0, int64(0); pos < r.total; k, pos = k+1, pos+int64(r.block) {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("render: %w", ctx.Err())
		}
		frames := int(min(int64(r.block), r.total-pos))
		ins := r.ins[k%2] // block k-2, which used them, is summed
		if err := r.processTracks(ctx, workers, errs, ins, pos, frames); err != nil {
			return err
		}
		b := <-mw.free
		if summing != nil {
			<-summing // block k-1 goes to the writer first
		}
		if err := mw.failed(); err != nil {
			mw.free <- b
			summing = nil
			return err
		}
		summing = make(chan struct{})
		go func(done chan struct{}) {
			r.sumBus(b, ins, frames, workers)
			mw.full <- b
			close(done)
		}(summing)
		if progress != nil {
			progress(pos+int64(frames), r.total)
		}
	}
	return nil
}

// processTracks has workers read, pan and write the stems of frames
// frames at pos of every track, worker w taking tracks w, w+W, w+2W, …
// and noting its error in errs[w].
func (r *renderer) processTracks(ctx context.Context, workers int, errs []error, ins [][][]float32, pos int64, frames int) error {
	n := len(r.tracks)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if ctx.Err() != nil { // stopped: the block is given up at once
					return
				}
				if err := r.processTrack(ins[i], i, pos, frames); err != nil {
					errs[w] = err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// sumBus makes b the master bus of the block of frames frames, and its
// sends: workers sum the tracks over disjoint frame ranges, each frame in
// track order, so the result does not depend on how many there are.
func (r *renderer) sumBus(b *bus, ins [][][]float32, frames, workers int) {
	b.n = frames
	clear(b.l[:frames])
	clear(b.r[:frames])
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			mix.SumTo(b.sends, r.strips, ins, b.l[:frames], b.r[:frames], lo, hi)
		}(frames*w/workers, frames*(w+1)/workers)
	}
	wg.Wait()
}

// returnBus adds the reverb's and the delay's returns of what b's tracks
// sent them to b, and writes them to their stems. Blocks are returned in
// order, on the writer goroutine.
func (r *renderer) returnBus(b *bus) error {
	l, rr := b.l[:b.n], b.r[:b.n]
	r.mixer.ReturnFrom(b.sends, r.strips, l, rr, r.busStems)
	for k, o := range r.busOuts {
		if o == nil {
			continue
		}
		st := r.busStems.Reverb
		if k == 1 {
			st = r.busStems.Delay
		}
		if err := o.w.Write([][]float32{st[0][:b.n], st[1][:b.n]}); err != nil {
			return r.writeErr(o, err)
		}
	}
	return nil
}

// mixWriter returns the buses and writes the master bus to the mix on a
// goroutine of its own, block by block, while the next block is computed.
type mixWriter struct {
	free chan *bus // buses that may be filled
	full chan *bus // buses to write
	done chan struct{}

	mu  sync.Mutex
	err error // the writing's error, set by the writer (read with failed)
}

// failed is the error that stopped the writing so far, if any.
func (mw *mixWriter) failed() error {
	mw.mu.Lock()
	defer mw.mu.Unlock()
	return mw.err
}

// startMixWriter starts the writer of r's mix, with r's buses free.
func (r *renderer) startMixWriter() *mixWriter {
	mw := &mixWriter{
		free: make(chan *bus, len(r.buses)),
		full: make(chan *bus, len(r.buses)),
		done: make(chan struct{}),
	}
	for i := range r.buses {
		mw.free <- &r.buses[i]
	}
	go func() {
		defer close(mw.done)
		for b := range mw.full {
			if mw.failed() == nil {
				if err := r.returnAndWrite(b); err != nil {
					mw.mu.Lock()
					mw.err = err
					mw.mu.Unlock()
				}
			}
			mw.free <- b
		}
	}()
	return mw
}

// stop waits until the buses given to the writer are written, and returns
// the error that stopped the writing, if any.
func (mw *mixWriter) stop() error {
	close(mw.full)
	<-mw.done
	return mw.failed()
}

func chans(b [][]float32, n int) [][]float32 {
	var v [2][]float32
	for i := range b {
		v[i] = b[i][:n]
	}
	return v[:len(b)]
}

func (r *renderer) processTrack(bufs [][]float32, i int, pos int64, frames int) error {
	st := &r.strips[i]
	in := chans(bufs, frames)
	if st.Audible {
		if err := r.tracks[i].ReadAt(pos, in); err != nil {
			return fmt.Errorf("render: track %d (%q): %w", i+1, r.song.Tracks[i].Name, err)
		}
		r.chains[i].Process(in)
	} else {
		for c := range in {
			clear(in[c]) // not heard: nothing to sum or send
		}
	}
	if r.stems == nil {
		return nil
	}
	l, rr := r.stemL[i][:frames], r.stemR[i][:frames]
	st.Pan(in, l, rr)
	if err := r.stems[i].w.Write([][]float32{l, rr}); err != nil {
		return r.writeErr(r.stems[i], err)
	}
	return nil
}

func (r *renderer) writeErr(o *output, err error) error {
	return fmt.Errorf("render: writing %s: %w", o.final, fserr.Describe(err))
}

// returnAndWrite returns b's buses and writes it to the mix and the sink.
func (r *renderer) returnAndWrite(b *bus) error {
	if err := r.returnBus(b); err != nil {
		return err
	}
	return r.writeMix(b.l[:b.n], b.r[:b.n])
}

// finish closes every output (in parallel: each Close waits for its
// fsync, and the disk takes them faster together) and renames it into place.
// writeMix writes a block of the mix to the mix file and gives it to the
// sink.
func (r *renderer) writeMix(l, rr []float32) error {
	if r.mix != nil {
		if err := r.mix.w.Write([][]float32{l, rr}); err != nil {
			return r.writeErr(r.mix, err)
		}
	}
	if r.sink != nil {
		if err := r.sink(l, rr); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) finish() error {
	outs := r.outputs()
	errs := make([]error, len(outs))
	var wg sync.WaitGroup
	for i, o := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = o.w.Close()
		}()
	}
	wg.Wait()
	for i, o := range outs {
		o.w = nil
		if errs[i] != nil {
			return r.writeErr(o, errs[i])
		}
	}
	dirs := map[string]bool{}
	for _, o := range outs {
		if err := os.Rename(o.tmp, o.final); err != nil {
			return fmt.Errorf("render: %w", err)
		}
		o.tmp = ""
		o.release()
		dirs[filepath.Dir(o.final)] = true
	}
	for d := range dirs {
		if err := durable.SyncDir(d); err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) outputs() []*output {
	var outs []*output
	if r.mix != nil {
		outs = append(outs, r.mix)
	}
	outs = append(outs, r.stems...)
	for _, o := range r.busOuts {
		if o != nil {
			outs = append(outs, o)
		}
	}
	return outs
}

// cleanup closes the take files and removes unfinished outputs.
func (r *renderer) cleanup() {
	for _, t := range r.tracks {
		if t != nil {
			t.Close()
		}
	}
	for _, o := range r.outputs() {
		if o.w != nil { // not finished: given up at once, no header or fsync
			o.w.Abandon()
		}
		if o.tmp != "" {
			os.Remove(o.tmp)
			o.release()
		}
	}
	if r.madeStems != "" {
		os.Remove(r.madeStems) // only if empty: the render did not finish
	}
}
