package beat_test

import (
	"fmt"

	"sangstudio/midi/beat"
	"sangstudio/projects"
)

// A beat from a preset on a new beat track, then one step more, then a
// little swing: each a pure edit of the song or the pattern.
func Example() {
	s := projects.New("Demo", 48000)
	s.Tempo = 90
	track := beat.AddTrack(s, "Beat")
	pr, _ := beat.FindPreset("pop")
	p, _ := beat.FromPreset(pr, 1)
	clip, take, _ := beat.Place(s, track, p, beat.BarStart(s, 1), beat.BarStart(s, 5))
	fmt.Println(take.Name == s.Tracks[track].Clips[clip].Take)

	p, _ = beat.Toggle(s.Tracks[track].Clips[clip].Beat, 1, 15) // the snare's last 16th
	p, _ = beat.SetSwing(p, 0.4)
	if _, err := beat.SetPattern(s, track, clip, p); err != nil { // the take to write: Take.Write(dir)
		fmt.Println(err)
	}
	fmt.Println(beat.Text(s.Tracks[track].Clips[clip].Beat))
	fmt.Println(beat.SwingTicks(0.4, 960), "ticks of swing")
	// Output:
	// true
	// kick:x.......x.x.....,snare:....x.......x..x,hat:x.x.x.x.x.x.x.x.
	// 48 ticks of swing
}
