package synth

import (
	"slices"
	"testing"

	"sangstudio/midi"
)

// Behaviour that both the SoundFont and the built-in instrument must show.

func TestNoteOnSoundsInFirstBlock(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			in := newInst(t, k.sf(t), Sound{Program: 0})
			l, r := make([]float32, 256), make([]float32, 256)
			in.Render(l, r)
			if p := peak(l); p != 0 {
				t.Fatalf("silent instrument rendered peak %g", p)
			}
			in.Event(on(60, 100))
			in.Render(l, r)
			if peak(l) < 1e-3 || peak(r) < 1e-3 {
				t.Fatalf("note-on gave peak %g/%g in the first 256 frames", peak(l), peak(r))
			}
		})
	}
}

func TestReleaseDecaysWithinTail(t *testing.T) {
	for _, k := range kinds {
		for _, s := range []Sound{{Program: 0}, {Program: 48}, {Drums: true}} {
			t.Run(k.name+"/"+s.Name(), func(t *testing.T) {
				in := newInst(t, k.sf(t), s)
				offAt := int64(testRate / 2)
				evs := []midi.Event{ev(0, on(60, 127)), ev(0, on(64, 127)), ev(0, on(38, 127)), ev(offAt, off(60)), ev(offAt, off(64)), ev(offAt, off(38))}
				l, _ := render(t, in, evs, offAt+Tail(testRate), 1024)
				if p := peak(l[:offAt]); p < 0.01 {
					t.Fatalf("peak while held %g", p)
				}
				if e := rms(l[len(l)-testRate/20:]); e > 1e-4 {
					t.Fatalf("RMS %g in the last 50 ms of the tail: the release does not ring out within Tail", e)
				}
			})
		}
	}
}

func TestProgramsDiffer(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			evs := []midi.Event{ev(0, on(60, 100))}
			outs := map[int][]float32{}
			for _, p := range []int{0, 16, 40, 73} {
				outs[p], _ = render(t, newInst(t, k.sf(t), Sound{Program: p}), evs, testRate/4, 1024)
			}
			for a := range outs {
				for b := range outs {
					if a < b && slices.Equal(outs[a], outs[b]) {
						t.Errorf("programs %d and %d render the same", a, b)
					}
				}
			}
		})
	}
}

func TestDrums(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			var outs [][]float32
			for _, key := range []byte{36, 38, 42, 49} {
				in := newInst(t, k.sf(t), Sound{Drums: true})
				l, _ := render(t, in, []midi.Event{ev(0, on(key, 110)), ev(100, off(key))}, testRate/4, 1024)
				if p := peak(l); p < 0.02 {
					t.Errorf("drum key %d: peak %g", key, p)
				}
				outs = append(outs, l)
			}
			if slices.Equal(outs[0], outs[1]) {
				t.Error("kick and snare render the same")
			}
		})
	}
}

func TestVelocity(t *testing.T) {
	for _, k := range kinds {
		for _, s := range []Sound{{Program: 0}, {Drums: true}} {
			t.Run(k.name+"/"+s.Name(), func(t *testing.T) {
				loud, _ := render(t, newInst(t, k.sf(t), s), []midi.Event{ev(0, on(38, 120))}, testRate/4, 1024)
				soft, _ := render(t, newInst(t, k.sf(t), s), []midi.Event{ev(0, on(38, 30))}, testRate/4, 1024)
				if rl, rs := rms(loud), rms(soft); !(rs < 0.7*rl) || rs == 0 {
					t.Fatalf("RMS at velocity 30 = %g, at 120 = %g", rs, rl)
				}
			})
		}
	}
}

func TestSustainPedal(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			s := Sound{Program: 16} // organ: sounds as long as the key (or pedal) holds
			play := func(pedal byte) float64 {
				evs := []midi.Event{ev(0, on(60, 100)), ev(100, cc(midi.CCSustain, pedal)), ev(testRate/10, off(60))}
				l, _ := render(t, newInst(t, k.sf(t), s), evs, testRate, 1000)
				return rms(l[testRate*3/4:])
			}
			held, free := play(127), play(0)
			if !(held > 0.01 && free < held/20) {
				t.Fatalf("RMS 0.75 s after note-off: with pedal %g, without %g", held, free)
			}
			// Releasing the pedal ends the note.
			evs := []midi.Event{ev(0, cc(midi.CCSustain, 127)), ev(0, on(60, 100)), ev(testRate/10, off(60)), ev(testRate/2, cc(midi.CCSustain, 0))}
			l, _ := render(t, newInst(t, k.sf(t), s), evs, testRate*2, 1000)
			if e := rms(l[testRate*3/2:]); e > held/20 {
				t.Fatalf("RMS %g after the pedal was released (held %g)", e, held)
			}
		})
	}
}

func TestPitchBend(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			s := Sound{Program: 73} // flute: close to a sine
			pitch := func(bend [3]byte) float64 {
				evs := []midi.Event{ev(0, bend), ev(0, on(69, 100))}
				l, _ := render(t, newInst(t, k.sf(t), s), evs, testRate/2, 1000)
				return acfFreq(l[testRate/4:], testRate, 370, 560)
			}
			f0 := pitch([3]byte{midi.PitchBend, 0, 64})
			up := pitch([3]byte{midi.PitchBend, 127, 127})
			down := pitch([3]byte{midi.PitchBend, 0, 0})
			t.Logf("A4 %.2f Hz, bent up %.2f, down %.2f", f0, up, down)
			if f0 < 440*0.985 || f0 > 440*1.015 {
				t.Errorf("A4 plays at %.2f Hz", f0)
			}
			if r := up / f0; r < 1.1225*0.985 || r > 1.1225*1.015 {
				t.Errorf("full bend up raises the pitch by %.4f, want 1.1225 (2 semitones)", r)
			}
			if r := f0 / down; r < 1.1225*0.985 || r > 1.1225*1.015 {
				t.Errorf("full bend down lowers the pitch by %.4f, want 1.1225", r)
			}
		})
	}
}

// song is a sequence with notes, chords, controllers, pedal, bend and mod
// wheel at odd frames, on assorted channels.
func song() []midi.Event {
	evs := []midi.Event{ev(0, cc(midi.CCVolume, 110))}
	for i := int64(0); i < 24; i++ {
		f := i*1900 + i%5
		key := byte(48 + (i*7)%24)
		evs = append(evs, ev(f, [3]byte{midi.NoteOn | byte(i%16), key, byte(40 + i*3)}),
			ev(f+1500+i, [3]byte{midi.NoteOff | byte(i%3), key, 0}))
	}
	evs = append(evs, ev(5000, cc(midi.CCSustain, 127)), ev(9001, cc(midi.CCSustain, 0)),
		ev(12000, [3]byte{midi.PitchBend, 0, 80}), ev(18000, cc(midi.CCModWheel, 90)),
		ev(24007, cc(midi.CCPan, 20)), ev(27011, cc(midi.CCExpression, 70)),
		ev(30003, [3]byte{midi.ProgramChange, 40, 0}), ev(38000, cc(midi.CCAllNotesOff, 0)))
	slices.SortStableFunc(evs, func(a, b midi.Event) int { return int(a.Frame - b.Frame) })
	return evs
}

func TestDeterministicAndChunkIndependent(t *testing.T) {
	for _, k := range kinds {
		for _, s := range []Sound{{Program: 0}, {Program: 48}, {Drums: true}} {
			if k.name != "fallback" && s.Program == 48 {
				continue // slow under -race; the piano holds notes with the pedal too
			}
			t.Run(k.name+"/"+s.Name(), func(t *testing.T) {
				sf := k.sf(t)
				evs := song()
				if s.Drums {
					for i := range evs {
						if evs[i].IsNoteOn() || evs[i].IsNoteOff() {
							evs[i].Msg[1] = 35 + evs[i].Msg[1]%24
						}
					}
				}
				const frames = 48000
				in := newInst(t, sf, s)
				l1, r1 := render(t, in, evs, frames, 1000)
				if rms(l1) < 1e-3 {
					t.Fatalf("song is silent: RMS %g", rms(l1))
				}
				in.Event(on(70, 100)) // state left over must not matter
				for _, chunk := range []int{1000, 4096, 37, 1} {
					if chunk == 1 && (testing.Short() || sf != nil) {
						continue
					}
					l2, r2 := render(t, in, evs, frames, chunk)
					if !slices.Equal(l1, l2) || !slices.Equal(r1, r2) {
						t.Fatalf("chunk %d renders differently from chunk 1000", chunk)
					}
				}
			})
		}
	}
}

func TestRenderOddLengths(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			sf := k.sf(t)
			a, b := newInst(t, sf, Sound{Program: 4}), newInst(t, sf, Sound{Program: 4})
			for _, in := range []*Instrument{a, b} {
				in.Event(on(60, 100))
				in.Event(on(67, 90))
			}
			const n = 9000
			la, ra := make([]float32, n), make([]float32, n)
			lb, rb := make([]float32, n), make([]float32, n)
			for i := 0; i < n; i += 500 {
				a.Render(la[i:i+500], ra[i:i+500])
			}
			for i, sizes := 0, []int{7, 13, 1, 250, 511, 16, 3}; i < n; {
				k := min(sizes[i%len(sizes)], n-i)
				b.Render(lb[i:i+k], rb[i:i+k])
				i += k
			}
			if !slices.Equal(la, lb) || !slices.Equal(ra, rb) {
				t.Fatal("Render in odd lengths differs from Render in 500s")
			}
			// Render overwrites: garbage in the buffers must not leak.
			for i := range la {
				la[i], ra[i] = 7, 7
			}
			a.Reset()
			a.Render(la[:300], ra[:300])
			if peak(la[:300]) != 0 || peak(ra[:300]) != 0 {
				t.Fatalf("Render after Reset: peak %g, want silence", peak(la[:300]))
			}
		})
	}
}

func TestChannelRemapAndProgramChangeIgnored(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			sf := k.sf(t)
			plain, _ := render(t, newInst(t, sf, Sound{Program: 0}), []midi.Event{ev(0, on(60, 100))}, 4800, 1000)
			other, _ := render(t, newInst(t, sf, Sound{Program: 0}), []midi.Event{
				ev(0, [3]byte{midi.ProgramChange | 3, 56, 0}), ev(0, cc(0, 1)),
				ev(0, [3]byte{midi.NoteOn | 3, 60, 100})}, 4800, 1000)
			if !slices.Equal(plain, other) {
				t.Fatal("a note on channel 4 after a program change and bank select sounds different")
			}
			drums, _ := render(t, newInst(t, sf, Sound{Drums: true}), []midi.Event{ev(0, [3]byte{midi.NoteOn | 2, 36, 100})}, 4800, 1000)
			if peak(drums) < 0.01 {
				t.Fatal("drum note on channel 3 is silent")
			}
		})
	}
}

func TestAllSoundOffAndNotesOff(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			for _, c := range []byte{midi.CCAllSoundOff, midi.CCAllNotesOff} {
				in := newInst(t, k.sf(t), Sound{Program: 16})
				evs := []midi.Event{ev(0, on(60, 100)), ev(0, on(64, 100)), ev(0, cc(midi.CCSustain, 127)), ev(testRate/4, cc(c, 0))}
				l, _ := render(t, in, evs, 2*testRate, 1000)
				if e := rms(l[testRate*7/4:]); e > 1e-4 {
					t.Errorf("CC%d: RMS %g 1.5 s later", c, e)
				}
				if e := rms(l[testRate*35/100 : testRate*45/100]); c == midi.CCAllSoundOff && e > 1e-4 {
					t.Errorf("CC%d: RMS %g 0.1 s later", c, e)
				}
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	for _, c := range []struct {
		sf       bool
		s        Sound
		rate, mb int
	}{{false, Sound{Program: 128}, 48000, 256}, {false, Sound{Program: -1}, 48000, 256},
		{false, Sound{}, 48000, 0}, {false, Sound{}, 100, 256}, {true, Sound{}, 8000, 256}} {
		var sf *SoundFont
		if c.sf {
			sf = tim(t)
		}
		if _, err := New(sf, c.s, c.rate, c.mb); err == nil {
			t.Errorf("New(%v, %d, %d) succeeded", c.s, c.rate, c.mb)
		}
	}
	in := newInst(t, nil, Sound{Drums: true, Program: 8})
	if !in.Fallback() || in.Sound() != (Sound{Drums: true, Program: 8}) {
		t.Fatal("Fallback/Sound")
	}
	if err := RenderEvents(in, nil, 10, 0, nil); err == nil {
		t.Fatal("RenderEvents with chunk 0 succeeded")
	}
}

func TestAllocs(t *testing.T) {
	for _, k := range kinds {
		for _, s := range []Sound{{Program: 0}, {Drums: true}} {
			t.Run(k.name+"/"+s.Name(), func(t *testing.T) {
				in := newInst(t, k.sf(t), s)
				l, r := make([]float32, 256), make([]float32, 256)
				for i := 0; i < 32; i++ {
					in.Event(on(byte(36+i), 100))
				}
				in.Render(l, r)
				i := 0
				allocs := testing.AllocsPerRun(50, func() {
					key := byte(36 + i%32)
					in.Event(off(key))
					in.Event(on(key, byte(60+i%60)))
					in.Event(cc(midi.CCSustain, byte(i%2*127)))
					in.Event(cc(midi.CCModWheel, byte(i%128)))
					in.Event(cc(midi.CCVolume, byte(100+i%20)))
					in.Event([3]byte{midi.PitchBend, 0, byte(i % 128)})
					in.Render(l, r)
					switch i % 20 {
					case 9:
						in.Event(cc(midi.CCAllSoundOff, 0))
					case 19:
						in.Reset()
					}
					i++
				})
				if allocs != 0 {
					t.Fatalf("Event+Render allocate %v times per run", allocs)
				}
			})
		}
	}
}
