package mix

import "sangstudio/audio/fx"

// Buses is the mix of a song's tracks: the master sum of their post-fader
// signals, and the reverb and the delay they send to, whose returns join
// the master. The real-time engine and the offline render both mix with
// it, block by block: Sum (the tracks and their sends), then Return (the
// buses), so that playback and the render are the same samples.
type Buses struct {
	p      BusFX
	rev    *fx.Reverb
	dly    *fx.Delay
	sends  *Sends // the send buses of Sum and Return
	revNap nap
	dlyNap nap
}

// Sends are the send buses of a block: what its tracks send to the reverb
// and to the delay. Buses has its own, for Sum and Return; the render
// keeps two, so that the buses return one block (ReturnFrom) while the
// tracks of the next are summed (SumTo).
type Sends struct {
	revL, revR []float32
	dlyL, dlyR []float32
}

// NewSends makes send buses for blocks of at most maxBlock frames.
func NewSends(maxBlock int) *Sends {
	return &Sends{revL: make([]float32, maxBlock), revR: make([]float32, maxBlock),
		dlyL: make([]float32, maxBlock), dlyR: make([]float32, maxBlock)}
}

// nap lets a bus that holds no sound skip its work until something is
// sent to it: a reverb costs as much as a dozen tracks, and most songs
// send nothing most of the time. A bus is asleep only when it is Quiet
// (it would give silence and keep nothing), so skipping changes no
// sample: the mix is the same whatever the blocks.
type nap struct {
	asleep bool
	idle   int // frames processed with nothing sent since the last look
	every  int // how often (frames) a bus with nothing sent is looked at
}

// NewBuses makes the buses for audio at rate in blocks of at most maxBlock
// frames, set to p.
func NewBuses(rate, maxBlock int, p BusFX) *Buses {
	b := &Buses{p: p, rev: fx.NewReverb(rate), dly: fx.NewDelay(rate), sends: NewSends(maxBlock)}
	b.rev.Set(p.Reverb)
	b.dly.Set(p.Delay)
	// Both start holding nothing; they look again every half second.
	b.revNap = nap{asleep: true, every: rate / 2}
	b.dlyNap = nap{asleep: true, every: rate / 2}
	return b
}

// Set changes the buses' settings; they glide to them. Safe on the audio
// thread: it does not allocate.
func (b *Buses) Set(p BusFX) {
	if p == b.p {
		return
	}
	if p.Reverb != b.p.Reverb {
		b.rev.Set(p.Reverb)
		b.revNap.asleep = false // the glide runs while awake
	}
	if p.Delay != b.p.Delay {
		b.dly.Set(p.Delay)
		b.dlyNap.asleep = false
	}
	b.p = p
}

// Sum adds frames [lo, hi) of every audible track's post-fader signal
// (ins: pre-fader, after its Chain) to the master (l, r: the whole block)
// in track order, as Sum does, and its sends to the buses. Disjoint
// ranges may be summed at the same time. Safe on the audio thread.
func (b *Buses) Sum(strips []Strip, ins [][][]float32, l, r []float32, lo, hi int) {
	SumTo(b.sends, strips, ins, l, r, lo, hi)
}

// SumTo is Sum with the sends going to s.
func SumTo(s *Sends, strips []Strip, ins [][][]float32, l, r []float32, lo, hi int) {
	sumAt(strips, ins, l[lo:hi], r[lo:hi], lo)
	for i := range strips {
		st := &strips[i]
		if !st.Audible {
			continue
		}
		switch {
		case st.Reverb != 0 && st.Delay != 0:
			st.sendBothAt(ins[i], s, lo, hi)
		case st.Reverb != 0:
			st.sendAt(ins[i], st.Reverb, s.revL[lo:hi], s.revR[lo:hi], lo)
		case st.Delay != 0:
			st.sendAt(ins[i], st.Delay, s.dlyL[lo:hi], s.dlyR[lo:hi], lo)
		}
	}
}

// sendBothAt is sendAt to the reverb and to the delay in one pass over
// frames [lo, hi) of in (the same sums, to the bit).
func (st *Strip) sendBothAt(in [][]float32, s *Sends, lo, hi int) {
	rl, rr, dl, dr := s.revL[lo:hi], s.revR[lo:hi], s.dlyL[lo:hi], s.dlyR[lo:hi]
	rr, dl, dr = rr[:len(rl)], dl[:len(rl)], dr[:len(rl)]
	gl, gr, gv, gd := st.L, st.R, st.Reverb, st.Delay
	a, c := in[0][lo:hi], in[len(in)-1][lo:hi]
	c = c[:len(a)]
	for i := range rl {
		pl, pr := float32(a[i]*gl), float32(c[i]*gr)
		rl[i] += float32(pl * gv)
		rr[i] += float32(pr * gv)
		dl[i] += float32(pl * gd)
		dr[i] += float32(pr * gd)
	}
}

// sendAt adds the strip's post-fader signal (in's frames from off on,
// panned as PanAdd pans it) times g to a send bus.
func (st *Strip) sendAt(in [][]float32, g float32, busL, busR []float32, off int) {
	n := len(busL)
	busR = busR[:n]
	l, r := st.L, st.R
	if st.Channels == 1 {
		for i, v := range in[0][off : off+n] {
			busL[i] += float32(float32(v*l) * g)
			busR[i] += float32(float32(v*r) * g)
		}
		return
	}
	a, c := in[0][off:off+n], in[1][off:off+n]
	for i := range a {
		busL[i] += float32(float32(a[i]*l) * g)
		busR[i] += float32(float32(c[i]*r) * g)
	}
}

// Return runs the reverb and the delay over what was sent to them for the
// block's n frames (the length of l), adds what they return to the master
// (l, r), reverb first, and makes the send buses empty for the next
// block; strips are the block's strips (as given to Sum). When stems is not nil, stems.Reverb and stems.Delay get the
// returns too. Safe on the audio thread.
func (b *Buses) Return(strips []Strip, l, r []float32, stems *BusStems) {
	b.ReturnFrom(b.sends, strips, l, r, stems)
}

// ReturnFrom is Return of what was sent to s (by SumTo).
func (b *Buses) ReturnFrom(s *Sends, strips []Strip, l, r []float32, stems *BusStems) {
	n := len(l)
	var rs, ds [2][]float32
	if stems != nil {
		rs, ds = stems.Reverb, stems.Delay
	}
	var revSends, dlySends bool // whether anything can have been sent
	for i := range strips {
		revSends = revSends || (strips[i].Audible && strips[i].Reverb != 0)
		dlySends = dlySends || (strips[i].Audible && strips[i].Delay != 0)
	}
	b.revNap.run(b.rev, revSends, s.revL[:n], s.revR[:n], l, r[:n], rs)
	b.dlyNap.run(b.dly, dlySends, s.dlyL[:n], s.dlyR[:n], l, r[:n], ds)
}

// silent reports whether every sample of l and r is 0.
func silent(l, r []float32) bool {
	for i := range l {
		if l[i] != 0 || r[i] != 0 {
			return false
		}
	}
	return true
}

// BusStems receive the buses' returns, block by block, for their stems.
type BusStems struct {
	Reverb, Delay [2][]float32 // left, right; each at least a block long
}

// processor is a bus effect.
type processor interface {
	Process(l, r []float32)
	Quiet() bool
}

// run processes a bus's block (sl, sr: what was sent, replaced by what
// comes back; all zero when no track sends), adds its return to l and r
// and to its stem (if any), and clears the send bus; asleep and with
// nothing sent, it does nothing but give its stem silence.
func (z *nap) run(p processor, sends bool, sl, sr, l, r []float32, stem [2][]float32) {
	n := len(sl)
	sent := sends && !silent(sl, sr)
	if sent {
		z.asleep, z.idle = false, 0
	}
	if z.asleep {
		if stem[0] != nil {
			clear(stem[0][:n])
			clear(stem[1][:n])
		}
		return
	}
	p.Process(sl, sr)
	Add(l, sl)
	Add(r, sr)
	if stem[0] != nil {
		copy(stem[0][:n], sl)
		copy(stem[1][:n], sr)
	}
	clear(sl)
	clear(sr)
	if !sent {
		if z.idle += n; z.idle >= z.every {
			z.idle = 0
			z.asleep = p.Quiet()
		}
	}
}
