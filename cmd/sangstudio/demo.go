package main

import (
	"context"

	flag "github.com/spf13/pflag"

	"sangstudio/audio/demosong"
	"sangstudio/projects"
)

func cmdDemo(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	rate := fs.Int("rate", projects.DefaultRate, "sample rate: 44100, 48000 or 96000")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	s, err := demosong.Create(pos[0], *rate)
	if err != nil {
		return err
	}
	e.printf("Wrote the demo song %q (%d tracks, %s) to %s.\n", s.Title, len(s.Tracks), timeText(s.Length(), s.Rate), pos[0])
	e.printf("Try: sangstudio info %s\n     sangstudio render %s\n", pos[0], pos[0])
	return nil
}
