package demosong_test

import (
	"math"
	"slices"
	"sync"
	"testing"

	"sangstudio/audio/demosong"
)

var rates = []int{44100, 48000, 96000}

// songs caches one generated song per rate: generating is deterministic, so
// the read-only checks can share it.
var (
	songsMu sync.Mutex
	songs   = map[int]demosong.Song{}
)

func song(t testing.TB, rate int) demosong.Song {
	t.Helper()
	songsMu.Lock()
	defer songsMu.Unlock()
	s, ok := songs[rate]
	if !ok {
		s = demosong.Generate(rate)
		songs[rate] = s
	}
	return s
}

func dbfs(x float64) float64 { return 20 * math.Log10(x) }

func peak(ch []float32) float64 {
	var p float64
	for _, v := range ch {
		p = max(p, math.Abs(float64(v)))
	}
	return p
}

func TestFacts(t *testing.T) {
	for _, rate := range rates {
		t.Run(name(rate), func(t *testing.T) {
			s := song(t, rate)
			if s.Rate != rate {
				t.Errorf("Rate = %d, want %d", s.Rate, rate)
			}
			if s.BeatsPerBar != 4 || s.BeatUnit != 4 {
				t.Errorf("time signature %d/%d, want 4/4", s.BeatsPerBar, s.BeatUnit)
			}
			if s.Tempo < 60 || s.Tempo > 140 {
				t.Errorf("Tempo = %v", s.Tempo)
			}
			want := int64(math.Round(float64(demosong.Bars*s.BeatsPerBar) * 60 / s.Tempo * float64(rate)))
			if s.Frames != want {
				t.Errorf("Frames = %d, want %d (%d bars at %v BPM)", s.Frames, want, demosong.Bars, s.Tempo)
			}
			if secs := float64(s.Frames) / float64(rate); secs < 20 || secs > 30 {
				t.Errorf("song is %.1f s long, want 20–30 s", secs)
			}
			if s.Title == "" || s.Lyrics == "" {
				t.Error("missing title or lyrics")
			}
			if len(s.Tracks) < 4 {
				t.Errorf("%d tracks, want at least 4", len(s.Tracks))
			}
		})
	}
}

func TestTracks(t *testing.T) {
	for _, rate := range rates {
		s := song(t, rate)
		for _, tr := range s.Tracks {
			t.Run(name(rate)+"/"+tr.Name, func(t *testing.T) {
				if tr.Name == "" {
					t.Error("empty name")
				}
				if tr.Channels != 1 && tr.Channels != 2 {
					t.Fatalf("Channels = %d", tr.Channels)
				}
				if len(tr.Audio) != tr.Channels {
					t.Fatalf("len(Audio) = %d, Channels = %d", len(tr.Audio), tr.Channels)
				}
				if tr.Pan < -1 || tr.Pan > 1 {
					t.Errorf("Pan = %v", tr.Pan)
				}
				if tr.GainDB > 6 || tr.GainDB < -24 {
					t.Errorf("GainDB = %v", tr.GainDB)
				}
				for c, ch := range tr.Audio {
					if int64(len(ch)) != s.Frames {
						t.Fatalf("channel %d has %d frames, song has %d", c, len(ch), s.Frames)
					}
					var sum float64
					for i, v := range ch {
						x := float64(v)
						if math.IsNaN(x) || math.IsInf(x, 0) {
							t.Fatalf("channel %d frame %d is %v", c, i, x)
						}
						sum += x * x
					}
					rms := math.Sqrt(sum / float64(len(ch)))
					if dbfs(rms) < -40 {
						t.Errorf("channel %d RMS %.1f dBFS, want above -40", c, dbfs(rms))
					}
					if p := peak(ch); dbfs(p) > -3 {
						t.Errorf("channel %d peak %.2f dBFS, want at most -3", c, dbfs(p))
					}
					// The song starts and ends in silence on every track.
					if ch[0] != 0 || math.Abs(float64(ch[len(ch)-1])) > 1e-6 {
						t.Errorf("channel %d starts at %v and ends at %v, want silence", c, ch[0], ch[len(ch)-1])
					}
				}
			})
		}
	}
}

// TestNoClicks checks that the sustained instruments never jump. A click (a
// note starting or stopping without an envelope) is a step of a sizeable
// part of the note's amplitude from one sample to the next, so:
//   - the largest sample-to-sample step is small compared to the peak;
//   - the largest second difference x[n+1]-2x[n]+x[n-1], which is tiny for
//     smooth tones (about (2πf/rate)² of their amplitude) but as large as the
//     step itself for a discontinuity, is smaller still.
func TestNoClicks(t *testing.T) {
	for _, rate := range rates {
		s := song(t, rate)
		for _, tc := range []struct {
			track    string
			maxStep  float64 // largest first difference, as a fraction of the peak
			maxCurve float64 // largest second difference, as a fraction of the peak
		}{
			{"Bass", 0.2, 0.02},
			{"Piano", 0.2, 0.05},
			{"Melody", 0.2, 0.05},
			{"Pad", 0.2, 0.02},
		} {
			t.Run(name(rate)+"/"+tc.track, func(t *testing.T) {
				tr := track(t, s, tc.track)
				for c, ch := range tr.Audio {
					p := peak(ch)
					var step, curve float64
					stepAt, curveAt := 0, 0
					for i := 1; i < len(ch); i++ {
						if d := math.Abs(float64(ch[i]) - float64(ch[i-1])); d > step {
							step, stepAt = d, i
						}
						if i+1 < len(ch) {
							if d := math.Abs(float64(ch[i+1]) - 2*float64(ch[i]) + float64(ch[i-1])); d > curve {
								curve, curveAt = d, i
							}
						}
					}
					if step/p >= tc.maxStep {
						t.Errorf("channel %d: step of %.3f × peak at %.3f s, want < %v", c, step/p, float64(stepAt)/float64(rate), tc.maxStep)
					}
					if curve/p >= tc.maxCurve {
						t.Errorf("channel %d: second difference of %.4f × peak at %.3f s, want < %v", c, curve/p, float64(curveAt)/float64(rate), tc.maxCurve)
					}
					t.Logf("channel %d: largest step %.3f × peak, largest second difference %.4f × peak", c, step/p, curve/p)
				}
			})
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, rate := range rates {
		t.Run(name(rate), func(t *testing.T) {
			a := song(t, rate)
			b := demosong.Generate(rate)
			if a.Frames != b.Frames || len(a.Tracks) != len(b.Tracks) {
				t.Fatal("songs differ in shape")
			}
			for i := range a.Tracks {
				for c := range a.Tracks[i].Audio {
					if !slices.Equal(a.Tracks[i].Audio[c], b.Tracks[i].Audio[c]) {
						t.Errorf("track %s channel %d differs between calls", a.Tracks[i].Name, c)
					}
				}
			}
			if !slices.Equal(a.Markers, b.Markers) || a.Lyrics != b.Lyrics || a.Title != b.Title {
				t.Error("song facts differ between calls")
			}
		})
	}
}

func TestMarkers(t *testing.T) {
	for _, rate := range rates {
		t.Run(name(rate), func(t *testing.T) {
			s := song(t, rate)
			if len(s.Markers) < 3 {
				t.Fatalf("%d markers, want at least 3", len(s.Markers))
			}
			names := make([]string, len(s.Markers))
			framesPerBar := float64(s.BeatsPerBar) * 60 / s.Tempo * float64(rate)
			for i, m := range s.Markers {
				names[i] = m.Name
				if m.Frame < 0 || m.Frame >= s.Frames {
					t.Errorf("marker %q at %d is outside the song (%d frames)", m.Name, m.Frame, s.Frames)
				}
				if i > 0 && m.Frame <= s.Markers[i-1].Frame {
					t.Errorf("marker %q at %d is not after %q at %d", m.Name, m.Frame, s.Markers[i-1].Name, s.Markers[i-1].Frame)
				}
				bar := math.Round(float64(m.Frame) / framesPerBar)
				if want := int64(math.Round(bar * framesPerBar)); m.Frame != want {
					t.Errorf("marker %q at %d is not at a bar start (nearest %d)", m.Name, m.Frame, want)
				}
			}
			for _, want := range []string{"Intro", "Vers", "Refreng"} {
				if !slices.Contains(names, want) {
					t.Errorf("no %q marker in %q", want, names)
				}
			}
			if s.Markers[0].Frame != 0 {
				t.Errorf("first marker at %d, want 0", s.Markers[0].Frame)
			}
		})
	}
}

// TestMixHeadroom sums all tracks at their suggested gains and pans with the
// constant-power pan law and checks the result stays below 0 dBFS. Stereo
// tracks are checked both with the law applied to each side (left·cos,
// right·sin) and as a balance control that leaves the centre at unity.
func TestMixHeadroom(t *testing.T) {
	for _, rate := range rates {
		s := song(t, rate)
		for _, tc := range []struct {
			name          string
			stereoBalance bool
		}{
			{"pan law", false},
			{"stereo balance", true},
		} {
			t.Run(name(rate)+"/"+tc.name, func(t *testing.T) {
				l := make([]float64, s.Frames)
				r := make([]float64, s.Frames)
				for _, tr := range s.Tracks {
					g := math.Pow(10, tr.GainDB/20)
					a := (tr.Pan + 1) * math.Pi / 4
					gl, gr := g*math.Cos(a), g*math.Sin(a)
					if tr.Channels == 2 && tc.stereoBalance {
						gl, gr = g*min(1, math.Sqrt2*math.Cos(a)), g*min(1, math.Sqrt2*math.Sin(a))
					}
					left, right := tr.Audio[0], tr.Audio[len(tr.Audio)-1]
					for i := range l {
						l[i] += gl * float64(left[i])
						r[i] += gr * float64(right[i])
					}
				}
				var p float64
				for i := range l {
					p = max(p, math.Abs(l[i]), math.Abs(r[i]))
				}
				if dbfs(p) >= 0 {
					t.Errorf("mix peaks at %.2f dBFS, want below 0", dbfs(p))
				}
				t.Logf("mix peak %.2f dBFS", dbfs(p))
			})
		}
	}
}

func TestMelodyFitsKeyAndChords(t *testing.T) {
	notes := demosong.MelodyNotes()
	chords := demosong.ChordTones()
	key := demosong.KeyScale()
	songBeats := float64(demosong.Bars * 4)
	if len(chords) != demosong.Bars {
		t.Fatalf("%d chords for %d bars", len(chords), demosong.Bars)
	}
	if len(notes) < 16 {
		t.Fatalf("melody has only %d notes", len(notes))
	}
	for i, n := range notes {
		pc := n.Pitch % 12
		for _, tc := range []struct {
			name string
			ok   bool
		}{
			{"in the key", slices.Contains(key, pc)},
			{"singable range C4..E5", n.Pitch >= 60 && n.Pitch <= 76},
			{"positive length", n.Length > 0},
			{"inside the song", n.Beat >= 0 && n.Beat+n.Length <= songBeats},
			{"after the previous note", i == 0 || n.Beat >= notes[i-1].Beat+notes[i-1].Length},
			// A note starting on a beat is a tone of that bar's chord.
			{"chord tone on the beat", n.Beat != math.Trunc(n.Beat) || slices.Contains(chords[int(n.Beat)/4], pc)},
		} {
			if !tc.ok {
				t.Errorf("note %d (beat %v, pitch %d) is not %s", i, n.Beat, n.Pitch, tc.name)
			}
		}
	}
	if last := notes[len(notes)-1]; last.Pitch%12 != 0 {
		t.Errorf("melody ends on pitch %d, want the tonic C", last.Pitch)
	}
	for b, c := range chords {
		for _, pc := range c {
			if !slices.Contains(key, pc) {
				t.Errorf("bar %d chord has %d, outside the key", b+1, pc)
			}
		}
	}
}

func track(t *testing.T, s demosong.Song, name string) demosong.Track {
	t.Helper()
	for _, tr := range s.Tracks {
		if tr.Name == name {
			return tr
		}
	}
	t.Fatalf("no track %q", name)
	return demosong.Track{}
}

func name(rate int) string {
	return map[int]string{44100: "44k1", 48000: "48k", 96000: "96k"}[rate]
}

func BenchmarkGenerate48k(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		demosong.Generate(48000)
	}
}
