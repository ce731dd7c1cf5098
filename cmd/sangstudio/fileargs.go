package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sangstudio/audio/importer"
	"sangstudio/projects"
	"sangstudio/projects/library"
	"sangstudio/ui/app"
	"sangstudio/ui/studio"
)

// fileArgs is what `sangstudio PATH...` opens, as a file manager or the menu
// entry (Exec=sangstudio %F) starts it: one song folder, or sound and MIDI
// files to make a new song from.
type fileArgs struct {
	song  string   // a song folder to open
	files []string // or files that become the tracks of a new song
}

// isCommand reports whether name is one of the commands.
func isCommand(name string) bool {
	if name == "-h" || name == "--help" {
		return true
	}
	for _, c := range commands {
		if c.name == name {
			return true
		}
	}
	return false
}

// looksLikePath reports whether arg was meant as a file or folder rather
// than a (mistyped) command: it exists, or has a folder or an extension.
func looksLikePath(arg string) bool {
	if _, err := os.Stat(arg); err == nil {
		return true
	}
	return strings.ContainsRune(arg, os.PathSeparator) || filepath.Ext(arg) != ""
}

// importable reports whether path is a file a new song can be made from:
// a WAV file, or a MIDI file (by its extension).
func importable(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".wav", ".wave":
		return true
	}
	return importer.IsMIDIFile(path)
}

// parseFileArgs reads arguments that are not a command: ok is false when
// they do not look like paths either (a mistyped command). The error says,
// in words for the person who double-clicked, what cannot be opened.
func parseFileArgs(args []string) (l fileArgs, ok bool, err error) {
	if len(args) == 0 || isCommand(args[0]) || !looksLikePath(args[0]) {
		return fileArgs{}, false, nil
	}
	var skipped []string
	for _, a := range args {
		fi, err := os.Stat(a)
		switch {
		case err != nil:
			return fileArgs{}, true, fmt.Errorf("cannot open %s: there is no such file or folder", a)
		case fi.IsDir():
			if !projects.Exists(a) {
				return fileArgs{}, true, fmt.Errorf("cannot open %s: it is a folder, but not a song folder (one with a song.json)", a)
			}
			if len(args) > 1 {
				return fileArgs{}, true, fmt.Errorf("cannot open %s together with other files: open one song folder at a time", a)
			}
			return fileArgs{song: a}, true, nil
		case importable(a):
			l.files = append(l.files, a)
		default:
			skipped = append(skipped, filepath.Base(a))
		}
	}
	if len(l.files) == 0 {
		return fileArgs{}, true, fmt.Errorf("cannot make a song from %s: Sangstudio can bring in sound files (.wav) and MIDI files (.mid)", strings.Join(skipped, ", "))
	}
	return l, true, nil
}

// openFileArgs opens the window on what parseFileArgs found. Files become a
// new song in the song library (named after the first file, made as
// `sangstudio import` makes one) before the window opens on it; files that
// cannot (a damaged WAV) open the window on the library, saying why;
// without a display nothing is made.
func openFileArgs(ctx context.Context, e *env, l fileArgs) int {
	if l.song != "" {
		return openApp(e, l.song)
	}
	if err := app.CheckDisplay(); err != nil {
		fmt.Fprintf(e.stderr, "sangstudio: cannot open the window: %v\n", err)
		return 1
	}
	root, err := libraryRoot()
	if err != nil {
		fmt.Fprintf(e.stderr, "sangstudio: %v\n", err)
		return 1
	}
	dir, err := newSongFromFiles(ctx, root, l.files)
	if err != nil {
		// Said here for a terminal, and in the window (opened on the
		// library) for whoever double-clicked the files.
		fmt.Fprintf(e.stderr, "sangstudio: %v\nNo song was made.\n", err)
		return app.Run(app.Config{Version: version, Stderr: e.stderr, Ready: readyHook(),
			StartError: &app.OpenError{Files: l.files, Err: err}})
	}
	fmt.Fprintf(e.stderr, "Made the song %s from %d file(s).\n", dir, len(l.files))
	return openApp(e, dir)
}

// libraryRoot is the song library the window uses: the one chosen in the
// settings, or the default (~/Sangstudio) before one was chosen.
func libraryRoot() (string, error) {
	path, err := studio.SettingsPath()
	if err != nil {
		return "", fmt.Errorf("cannot find where the settings are kept: %v", err)
	}
	set, _, _ := studio.LoadSettings(path) // a damaged file is reported by the window
	if set.Library != "" {
		return set.Library, nil
	}
	return library.DefaultRoot(), nil
}

// newSongFromFiles makes a new song in the library at root, titled after
// the first file, with the files as its tracks (importer.NewSong, as the
// library's Import makes one: a failed import leaves nothing behind), and
// returns its folder.
func newSongFromFiles(ctx context.Context, root string, files []string) (string, error) {
	lib, err := library.Open(root)
	if err != nil {
		return "", err
	}
	return importer.NewSong(ctx, lib, files, importer.Options{Title: importer.TrackName(files[0]), Rate: projects.DefaultRate})
}
