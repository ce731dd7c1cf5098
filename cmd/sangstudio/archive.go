package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	flag "github.com/spf13/pflag"

	"sangstudio/projects"
	"sangstudio/projects/archive"
)

// cmdArchive: sangstudio archive SONG_DIR OUT.zip
func cmdArchive(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("archive", flag.ContinueOnError)
	pos, err := parse(fs, args, 2, 2)
	if err != nil {
		return err
	}
	if !projects.Exists(pos[0]) {
		return fmt.Errorf("%s: %w", pos[0], projects.ErrNotASong)
	}
	if _, err := os.Stat(pos[1]); err == nil {
		return fmt.Errorf("%s already exists; choose another name", pos[1])
	}
	if err := archive.Export(ctx, pos[0], pos[1]); err != nil {
		return err
	}
	e.printf("Wrote the song archive %s (the song and its takes).\n", pos[1])
	e.printf("Bring it in on another machine with: sangstudio unarchive %s LIBRARY_DIR\n", pos[1])
	return nil
}

// cmdUnarchive: sangstudio unarchive FILE.zip LIBRARY_DIR
func cmdUnarchive(ctx context.Context, e *env, args []string) error {
	fset := flag.NewFlagSet("unarchive", flag.ContinueOnError)
	pos, err := parse(fset, args, 2, 2)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(pos[1], projects.DirPerm); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("cannot create the library folder %s: %w", pos[1], err)
	}
	dir, err := archive.Import(ctx, pos[0], pos[1])
	if err != nil {
		return fmt.Errorf("%w. Nothing was changed", err)
	}
	e.printf("Imported the song into %s.\n", dir)
	return nil
}
