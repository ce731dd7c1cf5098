package beat

import (
	"fmt"
	"math"
)

// The pattern edits. Each returns a new pattern and leaves the one given
// as it was; an edit that is not possible returns an error in plain words
// (lanes and steps numbered from 1, as people count them) and no pattern.
// Lanes and steps are addressed by their 0-based index.

// edit clones p, lets f change the clone and checks the result.
func edit(p *Pattern, f func(q *Pattern) error) (*Pattern, error) {
	if err := check(p); err != nil {
		return nil, err
	}
	q := p.Clone()
	if err := f(q); err != nil {
		return nil, err
	}
	if err := check(q); err != nil {
		return nil, err
	}
	return q, nil
}

// laneAt checks lane index i.
func laneAt(p *Pattern, i int) error {
	if p == nil {
		return check(p)
	}
	if i < 0 || i >= len(p.Lanes) {
		return fmt.Errorf("there is no lane %d (the pattern has %d)", i+1, len(p.Lanes))
	}
	return nil
}

// stepAt checks lane i and step k.
func stepAt(p *Pattern, i, k int) error {
	if err := laneAt(p, i); err != nil {
		return err
	}
	if k < 0 || k >= p.Len() {
		return fmt.Errorf("there is no step %d (the pattern has %d)", k+1, p.Len())
	}
	return nil
}

// SetStep sets step k of lane i to s (Hit(Normal, 1), Hit(Accent, 3), or
// Step{} for off).
func SetStep(p *Pattern, i, k int, s Step) (*Pattern, error) {
	return edit(p, func(q *Pattern) error {
		if err := stepAt(q, i, k); err != nil {
			return err
		}
		if s.Level == Off {
			s.Hits = 0
		} else if s.Hits == 0 {
			s.Hits = 1
		}
		q.Lanes[i].Steps[k] = s
		return nil
	})
}

// Toggle turns step k of lane i on (normal, one hit) if it is off, and
// off if it is on: what a tap on a cell does.
func Toggle(p *Pattern, i, k int) (*Pattern, error) {
	if err := stepAt(p, i, k); err != nil {
		return nil, err
	}
	if p.Lanes[i].Steps[k].On() {
		return SetStep(p, i, k, Step{})
	}
	return SetStep(p, i, k, Hit(Normal, 1))
}

// SetLevel sets how hard step k of lane i is played, keeping its hits
// (a step that was off gets one).
func SetLevel(p *Pattern, i, k int, l Level) (*Pattern, error) {
	if err := stepAt(p, i, k); err != nil {
		return nil, err
	}
	s := p.Lanes[i].Steps[k]
	s.Level = l
	return SetStep(p, i, k, s)
}

// SetRoll makes step k of lane i hold hits hits (1: no roll; 2–4: a
// roll); a step that was off is turned on (normal).
func SetRoll(p *Pattern, i, k, hits int) (*Pattern, error) {
	if hits < 1 || hits > MaxRollHits {
		return nil, fmt.Errorf("a step holds 1 to %d hits, not %d", MaxRollHits, hits)
	}
	if err := stepAt(p, i, k); err != nil {
		return nil, err
	}
	s := p.Lanes[i].Steps[k]
	if !s.On() {
		s.Level = Normal
	}
	s.Hits = hits
	return SetStep(p, i, k, s)
}

// ClearLane turns every step of lane i off.
func ClearLane(p *Pattern, i int) (*Pattern, error) {
	return edit(p, func(q *Pattern) error {
		if err := laneAt(q, i); err != nil {
			return err
		}
		q.Lanes[i].Steps = make(Steps, q.Len())
		return nil
	})
}

// inRange checks a value of 0–1.
func inRange(what string, v float64) error {
	if !(v >= 0 && v <= 1) || math.IsNaN(v) {
		return fmt.Errorf("%s is from 0 to 1, not %v", what, v)
	}
	return nil
}

// SetSwing sets the swing (0–1; see SwingTicks). Triplet patterns have no
// off-beat 16ths to swing: their swing stays 0.
func SetSwing(p *Pattern, f float64) (*Pattern, error) {
	if err := inRange("swing", f); err != nil {
		return nil, err
	}
	return edit(p, func(q *Pattern) error {
		if q.Triplets && f != 0 {
			return fmt.Errorf("a pattern in triplets has no off-beat 16ths to swing")
		}
		q.Swing = f
		return nil
	})
}

// SetHumanize sets how much the hits are moved (0–1) and the seed the
// moves are drawn from.
func SetHumanize(p *Pattern, amount float64, seed uint32) (*Pattern, error) {
	if err := inRange("humanize", amount); err != nil {
		return nil, err
	}
	return edit(p, func(q *Pattern) error { q.Humanize, q.Seed = amount, seed; return nil })
}

// SetVelocities sets the velocities (1–127) of soft, normal and accent.
func SetVelocities(p *Pattern, v Velocities) (*Pattern, error) {
	return edit(p, func(q *Pattern) error { q.Velocity = v; return nil })
}

// SetLaneVolume sets lane i's volume (0–1), which scales its velocities.
func SetLaneVolume(p *Pattern, i int, v float64) (*Pattern, error) {
	if err := inRange("a lane's volume", v); err != nil {
		return nil, err
	}
	return edit(p, func(q *Pattern) error {
		if err := laneAt(q, i); err != nil {
			return err
		}
		q.Lanes[i].Volume = v
		return nil
	})
}

// SetLaneMute mutes lane i (on) or not.
func SetLaneMute(p *Pattern, i int, on bool) (*Pattern, error) {
	return edit(p, func(q *Pattern) error {
		if err := laneAt(q, i); err != nil {
			return err
		}
		q.Lanes[i].Mute = on
		return nil
	})
}

// SetLaneSolo solos lane i (on) or not: while any lane is soloed, only
// soloed lanes play.
func SetLaneSolo(p *Pattern, i int, on bool) (*Pattern, error) {
	return edit(p, func(q *Pattern) error {
		if err := laneAt(q, i); err != nil {
			return err
		}
		q.Lanes[i].Solo = on
		return nil
	})
}

// SetLaneDrum makes lane i play drum d (its steps stay).
func SetLaneDrum(p *Pattern, i int, d Drum) (*Pattern, error) {
	return edit(p, func(q *Pattern) error {
		if err := laneAt(q, i); err != nil {
			return err
		}
		q.Lanes[i].Name, q.Lanes[i].Note = d.Key, d.Note
		return nil
	})
}

// AddLane adds a lane playing drum d, every step off, after the others.
func AddLane(p *Pattern, d Drum) (*Pattern, error) {
	return edit(p, func(q *Pattern) error {
		if len(q.Lanes) >= MaxLanes {
			return fmt.Errorf("a pattern has at most %d lanes", MaxLanes)
		}
		q.Lanes = append(q.Lanes, d.lane(q.Len()))
		return nil
	})
}

// RemoveLane removes lane i (a pattern keeps at least one).
func RemoveLane(p *Pattern, i int) (*Pattern, error) {
	return edit(p, func(q *Pattern) error {
		if err := laneAt(q, i); err != nil {
			return err
		}
		if len(q.Lanes) == 1 {
			return fmt.Errorf("a pattern keeps at least one lane")
		}
		q.Lanes = append(q.Lanes[:i], q.Lanes[i+1:]...)
		return nil
	})
}

// SetBars makes the pattern bars bars long (1–4): added bars repeat the
// pattern's bars from its first, so the groove goes on; fewer bars cut the
// last ones off.
func SetBars(p *Pattern, bars int) (*Pattern, error) {
	if bars < 1 || bars > MaxBars {
		return nil, fmt.Errorf("a pattern is 1 to %d bars, not %d", MaxBars, bars)
	}
	return edit(p, func(q *Pattern) error {
		n := bars * q.StepsPerBar()
		for i, l := range q.Lanes {
			out := make(Steps, n)
			for k := range out {
				out[k] = l.Steps[k%len(l.Steps)]
			}
			q.Lanes[i].Steps = out
		}
		q.Bars = bars
		return nil
	})
}

// SetTriplets changes the grid to 8th-note triplets (on) or 16ths: each
// step played moves to the step of the new grid nearest to where it was
// (when two land on one, the harder one stays). Swing is for 16ths only:
// it is set to 0 with triplets.
func SetTriplets(p *Pattern, on bool) (*Pattern, error) {
	return edit(p, func(q *Pattern) error {
		if q.Triplets == on {
			return nil
		}
		oldDiv, newDiv := 4, 3
		if !on {
			oldDiv, newDiv = 3, 4
		}
		q.Triplets = on
		if q.StepsPerBar() == 0 {
			return fmt.Errorf("triplets are for meters counted in quarter notes, not %s", q.Meter)
		}
		if on {
			q.Swing = 0
		}
		for i, l := range q.Lanes {
			out := make(Steps, q.Len())
			for k, s := range l.Steps {
				j := min((k*newDiv*2+oldDiv)/(2*oldDiv), len(out)-1)
				if s.On() && s.Level >= out[j].Level {
					out[j] = s
				}
			}
			q.Lanes[i].Steps = out
		}
		return nil
	})
}
