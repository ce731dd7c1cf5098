package synth

import (
	"testing"

	"sangstudio/midi"
)

func TestFallbackPitchA4(t *testing.T) {
	for _, key := range []byte{69, 57, 81} {
		in := newInst(t, nil, Sound{Program: 73}) // pipe family: a pure sine
		l, _ := render(t, in, []midi.Event{ev(0, on(key, 100))}, testRate, 1024)
		want := 440.0 * [3]float64{1, 0.5, 2}[map[byte]int{69: 0, 57: 1, 81: 2}[key]]
		if f := zeroCrossFreq(l[testRate/10:], testRate); f < want*0.99 || f > want*1.01 {
			t.Errorf("key %d plays at %.2f Hz by zero crossings, want %.0f", key, f, want)
		}
	}
}

func TestFallbackPeak(t *testing.T) {
	for f := 0; f < 16; f++ {
		in := newInst(t, nil, Sound{Program: f * 8})
		var evs []midi.Event
		for i, key := range []byte{36, 48, 55, 60, 64, 67, 72, 79} {
			evs = append(evs, ev(int64(i), on(key, 127)))
		}
		evs = append(evs, ev(0, cc(midi.CCVolume, 127)))
		l, r := render(t, in, evs, testRate/2, 1024)
		if p := max(peak(l), peak(r)); p > 0.7 || p < 0.05 {
			t.Errorf("%s: 8 loud notes at full volume peak at %.3f", FamilyName(f, "en"), p)
		}
	}
	in := newInst(t, nil, Sound{Drums: true})
	var evs []midi.Event
	for _, key := range []byte{35, 36, 38, 40, 42, 46, 49, 51} {
		evs = append(evs, ev(0, on(key, 127)))
	}
	if l, _ := render(t, in, evs, testRate/2, 1024); peak(l) > 0.7 {
		t.Errorf("8 loud drums peak at %.3f", peak(l))
	}
}

// TestFallbackNoClicks checks that note-off, all sound off and voice
// stealing fade: no step between frames is much larger than the steps of
// the steady sound before.
func TestFallbackNoClicks(t *testing.T) {
	for _, c := range []struct {
		name string
		evs  []midi.Event
	}{
		{"note-off", []midi.Event{ev(0, on(60, 127)), ev(12000, off(60))}},
		{"all sound off", []midi.Event{ev(0, on(60, 127)), ev(12000, cc(midi.CCAllSoundOff, 0))}},
		{"steal", func() []midi.Event {
			evs := []midi.Event{ev(0, on(60, 127))}
			for i := 1; i < 32; i++ {
				evs = append(evs, ev(int64(100+i), on(byte(60+i), 1)))
			}
			return append(evs, ev(11000, on(40, 127))) // takes the oldest voice, key 60's
		}()},
	} {
		in := newInst(t, nil, Sound{Program: 16})
		l, _ := render(t, in, c.evs, 16000, 1024)
		before, after := maxStep(l[5000:11000]), maxStep(l[11000:])
		if after > 1.5*before {
			t.Errorf("%s: step %.4f after the event, %.4f before", c.name, after, before)
		}
	}
}

func TestFallbackModWheelVibrato(t *testing.T) {
	plain, _ := render(t, newInst(t, nil, Sound{Program: 73}), []midi.Event{ev(0, on(69, 100))}, testRate/2, 1000)
	vib, _ := render(t, newInst(t, nil, Sound{Program: 73}), []midi.Event{ev(0, cc(midi.CCModWheel, 127)), ev(0, on(69, 100))}, testRate/2, 1000)
	// Half-period estimates over short windows spread with vibrato.
	spread := func(x []float32) float64 {
		lo, hi := 1e9, 0.0
		for i := 0; i+2400 <= len(x); i += 2400 {
			f := zeroCrossFreq(x[i:i+2400], testRate)
			lo, hi = min(lo, f), max(hi, f)
		}
		return hi - lo
	}
	if s, v := spread(plain[4800:]), spread(vib[4800:]); !(v > 5 && s < 1) {
		t.Fatalf("frequency spread over 50 ms windows: %.2f Hz plain, %.2f Hz with mod wheel", s, v)
	}
}

func TestFallbackVolumeAndPan(t *testing.T) {
	level := func(evs ...midi.Event) (float64, float64) {
		evs = append(evs, ev(0, on(60, 100)))
		l, r := render(t, newInst(t, nil, Sound{Program: 16}), evs, testRate/2, 1000)
		return rms(l[testRate/4:]), rms(r[testRate/4:])
	}
	l0, r0 := level()
	if d := l0 - r0; d > 1e-6 || d < -1e-6 {
		t.Fatalf("centre pan: L %g R %g", l0, r0)
	}
	lv, _ := level(ev(0, cc(midi.CCVolume, 50)))
	le, _ := level(ev(0, cc(midi.CCExpression, 50)))
	if !(lv < l0/2 && le < l0/2) {
		t.Fatalf("volume 50: %g, expression 50: %g, default: %g", lv, le, l0)
	}
	ll, rl := level(ev(0, cc(midi.CCPan, 0)))
	if !(rl < ll/100) {
		t.Fatalf("hard left pan: L %g R %g", ll, rl)
	}
}
