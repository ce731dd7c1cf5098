package libraryview

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"sangstudio/audio/wav"
)

// Player plays a finished file (the window passes playfile's; tests a fake).
type Player interface {
	Play()
	Pause()
	Position() int64
	Length() int64
	Playing() bool
	Done() <-chan struct{}
	Close() error
}

// OpenPlayer opens the WAV file at path for playing.
type OpenPlayer func(path string) (Player, error)

// tick is how often the position of what plays is looked at.
const tick = 100 * time.Millisecond

// playback is the song being listened to (one at a time).
type playback struct {
	dir    string
	row    *row          // the row showing it (rows are rebuilt on Reload)
	player Player        // nil while the file is being opened
	rate   int           // the file's sample rate, 0 if unknown
	pos, n int64         // the position last shown, of n frames
	stop   chan struct{} // closed when the playback is stopped
}

// toggleListen starts playing a row's last bounce, or stops it if it plays.
func (v *View) toggleListen(r *row) {
	if v.play != nil && v.play.dir == r.entry.Dir {
		v.stopPlayback()
		return
	}
	v.stopPlayback()
	p := &playback{dir: r.entry.Dir, row: r, stop: make(chan struct{})}
	v.play = p
	r.showPlaying(p)
	path, title, open := r.entry.Bounce, r.entry.Title, v.opt.OpenPlayer
	go func() {
		rate := 0
		if r, err := wav.Open(path); err == nil { // only for showing times
			rate = r.Format().Rate
			r.Close()
		}
		pl, err := open(path)
		if err == nil {
			pl.Play()
		}
		v.post(func() {
			if v.play != p { // stopped while opening
				if err == nil {
					go closePlayer(pl)
				}
				return
			}
			if err != nil {
				v.play = nil
				p.row.showStopped()
				v.showError(lang.L("Could not play \"{{.Title}}\".", map[string]any{"Title": title}), err)
				return
			}
			p.player, p.rate = pl, rate
			go v.watch(p, pl)
		})
	}()
}

// watch follows a playing file: it shows the position when it changes and
// resets the row when the file has played to the end.
func (v *View) watch(p *playback, pl Player) {
	t := time.NewTicker(tick)
	defer t.Stop()
	last, lastLen := int64(-1), int64(-1)
	for {
		select {
		case <-p.stop:
			return
		case <-pl.Done():
			v.post(func() {
				if v.play == p {
					v.stopPlayback()
				}
			})
			return
		case <-t.C:
			pos, n := pl.Position(), pl.Length()
			if pos == last && n == lastLen {
				continue
			}
			last, lastLen = pos, n
			v.post(func() {
				if v.play == p {
					p.pos, p.n = pos, n
					if p.row != nil {
						p.row.showPosition(pos, n, p.rate)
					}
				}
			})
		}
	}
}

// stopPlayback stops what plays, if anything, and closes its player off the
// UI thread.
func (v *View) stopPlayback() {
	p := v.play
	if p == nil {
		return
	}
	v.play = nil
	close(p.stop)
	if p.player != nil {
		go closePlayer(p.player)
	}
	if p.row != nil {
		p.row.showStopped()
	}
}

// closePlayer pauses and closes a player (it may wait for the device).
func closePlayer(pl Player) {
	pl.Pause()
	pl.Close()
}

// showPlaying turns the row's Listen button into Stop and shows its bar.
func (r *row) showPlaying(p *playback) {
	if r.listen == nil {
		return
	}
	r.listen.SetText(lang.X("library.stop", "Stop"))
	r.listen.SetIcon(theme.MediaStopIcon())
	r.showPosition(p.pos, p.n, p.rate)
	if !r.bar.Visible() {
		r.bar.Show()
		r.relayout()
	}
}

// showStopped turns the row's Stop button back into Listen.
func (r *row) showStopped() {
	if r.listen == nil {
		return
	}
	r.listen.SetText(lang.X("library.listen", "Listen"))
	r.listen.SetIcon(theme.MediaPlayIcon())
	if r.bar.Visible() {
		r.bar.Hide()
		r.relayout()
	}
}

// showPosition shows how far the file has played: pos frames of n, at
// rate frames a second (0: unknown, the bar shows no times).
func (r *row) showPosition(pos, n int64, rate int) {
	pos = max(min(pos, n), 0)
	v := 0.0
	if n > 0 {
		v = float64(pos) / float64(n)
	}
	r.barText = ""
	if rate > 0 && n > 0 {
		sec := func(f int64) time.Duration { return time.Duration(f) * time.Second / time.Duration(rate) }
		r.barText = fmt.Sprintf("%s / %s", formatLength(sec(pos)), formatLength(sec(n)))
	}
	r.bar.SetValue(v)
}
