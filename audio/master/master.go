// Package master turns a song's mix into a finished master: normalized to a
// loudness target (EBU R128 / BS.1770, measured with audio/loudness), kept
// below a true-peak ceiling by a look-ahead limiter, and written through
// audio/encode (which adds TPDF dither at the final 16-bit conversion) to one
// or more files at once: WAV, FLAC, MP3.
//
// How a master is made (Song):
//
//  1. the song is mixed, as by `sangstudio render`, to a 32-bit float WAV
//     in the song's cache folder (SONG_DIR/.cache, or the user's cache
//     folder for a song that may not be written to: see projects.CacheDir;
//     private, removed afterwards);
//  2. the mix's loudness is measured;
//  3. the gain that brings it to the target is applied and the result is
//     limited and measured again, without writing anything. Limiting takes
//     loudness away, so the gain is raised by what is missing and the pass
//     repeated until the result is within Tolerance of the target (at most
//     MaxPasses passes; very dynamic material pushed to -10 LUFS may not get
//     there without crushing it, and the Report then says how far it got);
//  4. if the measured true peak were ever above the ceiling, the limiter's
//     ceiling is lowered by the excess and the pass repeated;
//  5. a last, identical pass writes the outputs (under temporary names that
//     are renamed only when every output is complete).
//
// With normalization off the gain is 0 dB, but the limiter still runs, so a
// master never clips.
package master

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"sangstudio/audio/encode"
	"sangstudio/audio/loudness"
	"sangstudio/audio/render"
	"sangstudio/audio/wav"
	"sangstudio/internal/durable"
	"sangstudio/internal/fserr"
	"sangstudio/projects"
)

// Preset is a loudness target.
type Preset struct {
	Name      string  // "streaming", "cd", "off"
	Label     string  // for people: "Streaming (-14 LUFS)"
	Target    float64 // LUFS
	Normalize bool
}

// Streaming is the preset for streaming services.
func Streaming() Preset { return Preset{"streaming", "Streaming (-14 LUFS)", -14, true} }

// CD is the preset for a CD.
func CD() Preset { return Preset{"cd", "CD (-10 LUFS)", -10, true} }

// Off leaves the loudness as it is.
func Off() Preset { return Preset{"off", "Off", 0, false} }

// Presets are all the presets (a new slice each call).
func Presets() []Preset { return []Preset{Streaming(), CD(), Off()} }

// PresetByName finds a preset by its Name.
func PresetByName(name string) (Preset, error) {
	for _, p := range Presets() {
		if p.Name == name {
			return p, nil
		}
	}
	return Preset{}, fmt.Errorf("unknown loudness preset %q (streaming, cd or off)", name)
}

// Defaults.
const (
	DefaultCeiling = -1.0 // dBTP
	// Tolerance is how close to the target the passes try to get, in LU.
	Tolerance = 0.1
	// MaxPasses bounds the measuring passes.
	MaxPasses = 6
	// block is the frames processed per step.
	block = 8192
)

// Options say what master to make.
type Options struct {
	Normalize bool
	Target    float64 // LUFS, used when Normalize
	Ceiling   float64 // dBTP
	// Progress, if set, is called with the stage and frames done of total
	// in that stage. Calls come from the goroutine running Song or File.
	Progress func(stage Stage, done, total int64)
}

// OptionsFor makes Options from a preset and a ceiling.
func OptionsFor(p Preset, ceiling float64) Options {
	return Options{Normalize: p.Normalize, Target: p.Target, Ceiling: ceiling}
}

// Stage names the part of the work under way.
type Stage int

// Stages.
const (
	StageMix     Stage = iota + 1 // mixing the song
	StageMeasure                  // measuring and adjusting
	StageWrite                    // writing the outputs
)

// Output is one file to write.
type Output struct {
	Path   string
	Format encode.Format
	Tags   encode.Tags
}

// Report says what the master came to.
type Report struct {
	Frames       int64
	Rate         int
	Input        loudness.Result // the mix before mastering
	Output       loudness.Result // the master (before dither)
	GainDB       float64         // gain applied before the limiter
	MaxReduction float64         // the limiter's largest gain reduction, dB (≤ 0)
	Passes       int             // measuring passes
	// Short is set when the target could not be reached within Tolerance:
	// how far below it the master is, in LU.
	Short float64
	Files []string
}

// Song masters song s in dir into outs.
func Song(ctx context.Context, dir string, s *projects.Song, opt Options, outs []Output) (*Report, error) {
	if err := render.CheckLength(s); err != nil {
		return nil, err
	}
	cache, err := projects.CacheDir(dir, "", s.Length()*8+4096) // the float mix
	if err != nil {
		return nil, fmt.Errorf("master: %w", err)
	}
	f, err := os.CreateTemp(cache, "master-mix-*.wav")
	if err != nil {
		return nil, fmt.Errorf("master: cannot write in %s: %w", cache, err)
	}
	mixPath := f.Name()
	f.Close()
	defer os.Remove(mixPath)
	var prog func(done, total int64)
	if opt.Progress != nil {
		prog = func(done, total int64) { opt.Progress(StageMix, done, total) }
	}
	if _, err := render.Render(ctx, dir, s, render.Options{Mix: mixPath, Encoding: wav.Float32, Progress: prog}); err != nil {
		return nil, err
	}
	return File(ctx, mixPath, opt, outs)
}

// File masters the stereo or mono WAV file at mix into outs.
func File(ctx context.Context, mix string, opt Options, outs []Output) (*Report, error) {
	if err := checkFileArgs(opt, outs); err != nil {
		return nil, err
	}
	r, err := wav.Open(mix)
	if err != nil {
		return nil, fmt.Errorf("master: %w", err)
	}
	defer r.Close()
	p, err := newPass(ctx, r, mix, opt)
	if err != nil {
		return nil, err
	}
	rep := &Report{Frames: p.frames, Rate: p.rate}
	if rep.Input, err = p.measureInput(); err != nil {
		return nil, err
	}
	gain, res, err := p.settle(rep, mix)
	if err != nil {
		return nil, err
	}
	rep.GainDB = gain
	rep.MaxReduction = p.lim.MaxReduction()
	if opt.Normalize && !math.IsInf(res.Integrated, -1) && opt.Target-res.Integrated > Tolerance {
		rep.Short = opt.Target - res.Integrated
	}
	if err := p.write(gain, outs, rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// checkFileArgs checks File's options and outputs.
func checkFileArgs(opt Options, outs []Output) error {
	if len(outs) == 0 {
		return errors.New("master: no output file given")
	}
	if math.IsNaN(opt.Ceiling) || opt.Ceiling > 0 || opt.Ceiling < -20 {
		return fmt.Errorf("master: a ceiling of %g dBTP is out of range (-20 to 0)", opt.Ceiling)
	}
	if opt.Normalize && (math.IsNaN(opt.Target) || opt.Target > 0 || opt.Target < -40) {
		return fmt.Errorf("master: a loudness target of %g LUFS is out of range (-40 to 0)", opt.Target)
	}
	return nil
}

// newPass sets up the passes over r, the mix (named mix in messages).
func newPass(ctx context.Context, r *wav.Reader, mix string, opt Options) (*pass, error) {
	fm := r.Format()
	if fm.Channels < 1 || fm.Channels > 2 {
		return nil, fmt.Errorf("master: %s has %d channels; a master is mono or stereo", mix, fm.Channels)
	}
	p := &pass{r: r, rate: fm.Rate, ch: fm.Channels, frames: r.Frames(), ctx: ctx, opt: opt}
	if p.frames == 0 {
		return nil, fmt.Errorf("master: %s has no audio", mix)
	}
	p.buf = make([][]float32, p.ch)
	for c := range p.buf {
		p.buf[c] = make([]float32, block)
	}
	p.lim = NewLimiter(LimiterConfig{Rate: p.rate, Channels: p.ch, Ceiling: opt.Ceiling})
	var err error
	p.meter, err = loudness.NewMeter(p.rate, p.ch)
	if err != nil {
		return nil, fmt.Errorf("master: %w", err)
	}
	return p, nil
}

// settle runs the measuring passes (counted in rep.Passes): it finds the
// gain that brings the limited mix to the target (within Tolerance, in at
// most MaxPasses passes) and the limiter ceiling that keeps its true peak
// below opt.Ceiling. It returns the gain and the last pass's result.
func (p *pass) settle(rep *Report, mix string) (float64, loudness.Result, error) {
	opt := p.opt
	gain := 0.0
	if opt.Normalize && !math.IsInf(rep.Input.Integrated, -1) {
		gain = opt.Target - rep.Input.Integrated
	}
	ceiling := opt.Ceiling
	var res loudness.Result
	var err error
	prevGain, prevLoud := math.NaN(), math.NaN()
	for {
		rep.Passes++
		p.lim.SetCeiling(ceiling)
		if res, err = p.run(gain, nil); err != nil {
			return 0, res, err
		}
		if res.TruePeak > opt.Ceiling {
			ceiling -= res.TruePeak - opt.Ceiling + 0.01
			if rep.Passes < 2*MaxPasses {
				continue
			}
			return 0, res, fmt.Errorf("master: could not keep %s below %.1f dBTP (measured %.2f)", mix, opt.Ceiling, res.TruePeak)
		}
		if !opt.Normalize || math.IsInf(res.Integrated, -1) || math.Abs(res.Integrated-opt.Target) <= Tolerance || rep.Passes >= MaxPasses {
			return gain, res, nil
		}
		// Limiting takes loudness away, more the harder it works: a dB of
		// gain buys less than a dB of loudness. The secant through the
		// last two passes estimates how much less (at first, 1:1).
		slope := 1.0
		if !math.IsNaN(prevGain) && gain != prevGain {
			slope = min(1, max(0.05, (res.Integrated-prevLoud)/(gain-prevGain)))
		}
		prevGain, prevLoud = gain, res.Integrated
		gain += min(12, (opt.Target-res.Integrated)/slope)
	}
}

// write makes the last pass, with gain, into outs: under temporary names,
// renamed when every output is complete. It sets rep.Output and rep.Files.
func (p *pass) write(gain float64, outs []Output, rep *Report) error {
	ws, err := createOutputs(outs, p.rate, p.ch)
	if err != nil {
		return err
	}
	defer func() {
		for _, w := range ws {
			if w.w != nil {
				w.w.Abort()
			}
		}
	}()
	if rep.Output, err = p.run(gain, ws); err != nil {
		return err
	}
	for _, w := range ws {
		err := w.w.Close()
		w.w = nil
		if err != nil {
			os.Remove(w.tmp)
			return fmt.Errorf("master: writing %s: %w", w.final, fserr.Describe(err))
		}
	}
	dirs := map[string]bool{}
	for _, w := range ws {
		if err := os.Rename(w.tmp, w.final); err != nil {
			return fmt.Errorf("master: %w", err)
		}
		w.tmp = ""
		rep.Files = append(rep.Files, w.final)
		dirs[filepath.Dir(w.final)] = true
	}
	for d := range dirs {
		if err := durable.SyncDir(d); err != nil {
			return fmt.Errorf("master: %w", err)
		}
	}
	return nil
}

type outFile struct {
	final, tmp string
	w          *encode.Writer
}

func createOutputs(outs []Output, rate, ch int) ([]*outFile, error) {
	var ws []*outFile
	fail := func(err error) ([]*outFile, error) {
		for _, w := range ws {
			w.w.Abort()
		}
		return nil, err
	}
	for i, o := range outs {
		dir := filepath.Dir(o.Path)
		if err := os.MkdirAll(dir, projects.DirPerm); err != nil {
			return fail(fmt.Errorf("master: cannot create the folder %s: %w", dir, err))
		}
		tmp := filepath.Join(dir, "."+filepath.Base(o.Path)+".part")
		w, err := encode.Create(tmp, encode.Options{Format: o.Format, Rate: rate, Channels: ch, Tags: o.Tags, DitherSeed: uint64(i) + 1})
		if err != nil {
			return fail(fmt.Errorf("master: %s: %w", o.Path, err))
		}
		ws = append(ws, &outFile{final: o.Path, tmp: tmp, w: w})
	}
	return ws, nil
}

// pass reads the mix once.
type pass struct {
	ctx    context.Context
	opt    Options
	r      *wav.Reader
	rate   int
	ch     int
	frames int64
	buf    [][]float32
	lim    *Limiter
	meter  *loudness.Meter
}

func (p *pass) progress(stage Stage, done, total int64) {
	if p.opt.Progress != nil {
		p.opt.Progress(stage, done, total)
	}
}

// read fills p.buf from the mix; it returns the frames read (0 at the end).
func (p *pass) read() (int, error) {
	n, err := p.r.Read(p.buf)
	if err == io.EOF {
		err = nil
	}
	if err != nil {
		return 0, fmt.Errorf("master: reading the mix: %w", err)
	}
	return n, nil
}

func (p *pass) measureInput() (loudness.Result, error) {
	if err := p.r.Seek(0); err != nil {
		return loudness.Result{}, err
	}
	p.meter.Reset()
	var done int64
	for {
		if err := p.ctx.Err(); err != nil {
			return loudness.Result{}, err
		}
		n, err := p.read()
		if err != nil || n == 0 {
			return p.meter.Result(), err
		}
		p.meter.WritePlanar(cut(p.buf, n))
		done += int64(n)
		p.progress(StageMeasure, done, p.frames)
	}
}

// run applies gain (dB) and the limiter to the whole mix, measures the
// result and, if ws is not nil, writes it to ws.
func (p *pass) run(gain float64, ws []*outFile) (loudness.Result, error) {
	if err := p.r.Seek(0); err != nil {
		return loudness.Result{}, err
	}
	p.meter.Reset()
	p.lim.Reset()
	g := float32(math.Pow(10, gain/20))
	skip := int64(p.lim.Latency()) // output frames that precede the audio
	var in, out int64
	stage := StageMeasure
	if ws != nil {
		stage = StageWrite
	}
	for out < p.frames {
		if err := p.ctx.Err(); err != nil {
			return loudness.Result{}, err
		}
		var n int
		if in < p.frames {
			var err error
			if n, err = p.read(); err != nil {
				return loudness.Result{}, err
			}
			if n == 0 {
				return loudness.Result{}, fmt.Errorf("master: the mix ended early at frame %d of %d", in, p.frames)
			}
			in += int64(n)
			for c := range p.ch {
				b := p.buf[c][:n]
				for i := range b {
					b[i] *= g
				}
			}
		} else {
			// Feed silence to push the last frames through the look-ahead.
			n = block
			for c := range p.ch {
				clear(p.buf[c][:n])
			}
		}
		b := cut(p.buf, n)
		p.lim.Process(b)
		// Drop the latency at the start and anything past the end.
		lo := int64(0)
		if skip > 0 {
			lo = min(skip, int64(n))
			skip -= lo
		}
		hi := int64(n)
		if out+hi-lo > p.frames {
			hi = lo + p.frames - out
		}
		if hi <= lo {
			continue
		}
		seg := slice(b, int(lo), int(hi))
		p.meter.WritePlanar(seg)
		for _, w := range ws {
			if err := w.w.Write(seg); err != nil {
				return loudness.Result{}, fmt.Errorf("master: writing %s: %w", w.final, fserr.Describe(err))
			}
		}
		out += hi - lo
		p.progress(stage, out, p.frames)
	}
	return p.meter.Result(), nil
}

func cut(b [][]float32, n int) [][]float32 { return slice(b, 0, n) }

// slice returns b[c][lo:hi] for each channel, reusing a small header array.
func slice(b [][]float32, lo, hi int) [][]float32 {
	var hdr [2][]float32
	s := hdr[:len(b)]
	for c := range b {
		s[c] = b[c][lo:hi]
	}
	return s
}

// MeasureSong measures the loudness of song s's mix as it renders now,
// before any mastering. It writes nothing: the mix is measured as it is
// made.
func MeasureSong(ctx context.Context, dir string, s *projects.Song, progress func(done, total int64)) (loudness.Result, error) {
	m, err := loudness.NewMeter(s.Rate, 2)
	if err != nil {
		return loudness.Result{}, err
	}
	var ch [2][]float32
	sink := func(l, r []float32) error {
		ch[0], ch[1] = l, r
		m.WritePlanar(ch[:])
		return nil
	}
	if _, err := render.Render(ctx, dir, s, render.Options{Sink: sink, Progress: progress}); err != nil {
		return loudness.Result{}, err
	}
	return m.Result(), nil
}
