// Command measure prints the loudness measurement of WAV files, for
// scripts/bench-loudness.sh (it is not part of the app).
//
//	measure FILE...
//
// For each file it prints one line:
//
//	FILE: I -23.012 LUFS, LRA 4.981 LU, true peak -1.234 dBTP, sample peak -1.502 dBFS, max M -18.310 LUFS, max S -20.004 LUFS, 11520000 frames
package main

import (
	"fmt"
	"os"

	"sangstudio/audio/loudness"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: measure FILE...")
		os.Exit(2)
	}
	status := 0
	for _, path := range os.Args[1:] {
		r, err := loudness.MeasureFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			status = 1
			continue
		}
		fmt.Printf("%s: I %.3f LUFS, LRA %.3f LU, true peak %.3f dBTP, sample peak %.3f dBFS, max M %.3f LUFS, max S %.3f LUFS, %d frames\n",
			path, r.Integrated, r.Range, r.TruePeak, r.SamplePeak, r.MaxMomentary, r.MaxShortTerm, r.Frames)
	}
	os.Exit(status)
}
