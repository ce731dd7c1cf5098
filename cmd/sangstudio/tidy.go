package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	flag "github.com/spf13/pflag"

	"sangstudio/audio/restore"
	"sangstudio/internal/terminal"
	"sangstudio/internal/words"
	"sangstudio/projects"
	"sangstudio/projects/takehome"
)

// infoLeftovers is how many leftovers info names before "and N more".
const infoLeftovers = 20

// printLeftovers ends info: the files in audio/ the song does not use
// (projects.Leftovers), if any, one a line. It only reads; a folder it
// cannot list is a note, not a failure of info.
func printLeftovers(e *env, dir string) error {
	list, err := projects.Leftovers(dir)
	if err != nil {
		fmt.Fprintf(e.stderr, "Note: cannot tell which files in audio/ the song does not use: %v.\n", err)
		return nil
	}
	if len(list) == 0 {
		return nil
	}
	e.printf("Not in the song: %s in audio/ (%s) that no version of the song uses:\n",
		filesText(len(list)), takehome.Size(projects.LeftoversSize(list)))
	for i, l := range list {
		if i == infoLeftovers {
			e.printf("  and %d more\n", len(list)-i)
			break
		}
		e.printf("  %s\n", leftoverLine(l))
	}
	e.printf("See them and move them into the song's bin, or bring them back as tracks: sangstudio tidy %s\n", dir)
	return nil
}

// leftoverLine is "0007-Bass.wav (12.3 MB)", with what it is if it is not a take.
func leftoverLine(l projects.Leftover) string {
	s := fmt.Sprintf("%s (%s", projects.Shown(l.Name), takehome.Size(l.Size))
	if l.Kind != projects.LeftoverTake {
		s += ", " + l.Kind.String()
	}
	return s + ")"
}

func filesText(n int) string {
	if n == 1 {
		return "1 file"
	}
	return fmt.Sprintf("%d files", n)
}

func cmdTidy(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("tidy", flag.ContinueOnError)
	toBin := fs.Bool("bin", false, "move the files into the song's bin")
	back := fs.Bool("restore", false, "bring the takes back into the song as tracks")
	yes := fs.Bool("yes", false, "do it without asking")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *toBin && *back {
		return usagef("choose one: --bin or --restore")
	}
	dir := pos[0]
	if !projects.Exists(dir) {
		return fmt.Errorf("%s: %w", dir, projects.ErrNotASong)
	}
	list, err := projects.Leftovers(dir)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		e.printf("Nothing to tidy: the song uses every file in %s.\n", filepath.Join(dir, projects.AudioDir))
		return nil
	}
	takes, imports := printTidyList(e, dir, list)
	bin := filepath.Join(dir, projects.BinDir)
	if imports > 0 {
		e.printf("Unfinished imports are partial copies of files you still have: they are removed either way.\n")
	}
	if !*toBin && !*back {
		e.printf("Nothing was changed. They may be the only copy of something, so nothing is deleted:\n"+
			"  sangstudio tidy %s --bin       moves them into the song's bin (%s), where you can look at them\n"+
			"  sangstudio tidy %s --restore   brings them back into the song as tracks\n", dir, bin, dir)
		return nil
	}
	what := fmt.Sprintf("Move %s into %s", takesText(takes), bin)
	if *back {
		what = fmt.Sprintf("Bring %s back into the song as tracks", takesText(takes))
	}
	if takes == 0 {
		what = "Remove the unfinished imports"
	}
	if !*yes {
		ok, err := confirm(e, what+"?")
		if err != nil {
			return err
		}
		if !ok {
			e.printf("Nothing was changed.\n")
			return nil
		}
	}
	if *back {
		return restoreLeftovers(e, dir, list)
	}
	return binLeftovers(e, dir, bin, list)
}

// printTidyList lists the leftovers for tidy and counts the takes and the
// unfinished imports among them.
func printTidyList(e *env, dir string, list []projects.Leftover) (takes, imports int) {
	for _, l := range list {
		if l.Kind == projects.LeftoverTake {
			takes++
		} else {
			imports++
		}
	}
	e.printf("%s in %s (%s) that no version of the song uses:\n",
		capitalized(filesText(len(list))), filepath.Join(dir, projects.AudioDir), takehome.Size(projects.LeftoversSize(list)))
	for _, l := range list {
		e.printf("  %s\n", leftoverLine(l))
	}
	return takes, imports
}

// binLeftovers moves the takes of list into the song's bin (the folder
// bin) and removes killed imports' partial copies, telling what it did.
func binLeftovers(e *env, dir, bin string, list []projects.Leftover) error {
	res, err := projects.BinLeftovers(dir, "sangstudio tidy", list)
	if res != nil {
		for _, b := range res.Binned {
			if b.Bin != b.Name {
				e.printf("Moved %s into the bin as %s (the bin held a file of that name).\n", projects.Shown(b.Name), projects.Shown(b.Bin))
			}
		}
		printTidied(e, len(res.Removed), res.Skipped)
		if len(res.Binned) > 0 {
			e.printf("Moved %s into %s.\n", takesText(len(res.Binned)), bin)
		}
	}
	return err
}

// restoreLeftovers brings the takes of list back as tracks, in one change
// of the song under its lock; killed imports' partial copies go with the
// change (projects.Change removes them).
func restoreLeftovers(e *env, dir string, list []projects.Leftover) error {
	var (
		added    []string
		problems []error
		skipped  []string
	)
	_, err := changeSong(e, dir, "tidy", func(s *projects.Song) error {
		now, err := projects.Leftovers(dir)
		if err != nil {
			return err
		}
		still := map[string]projects.Leftover{}
		for _, l := range now {
			still[l.Name] = l
		}
		var todo []projects.Leftover
		skipped = nil
		for _, l := range list {
			if l.Kind != projects.LeftoverTake {
				continue
			}
			if cur, ok := still[l.Name]; ok && cur == l {
				todo = append(todo, l)
			} else {
				skipped = append(skipped, l.Name)
			}
		}
		added, problems = restore.Tracks(dir, s, todo)
		if len(added) == 0 {
			return errNothingRestored
		}
		return nil
	})
	if err != nil && !errors.Is(err, errNothingRestored) {
		return err
	}
	removed := 0
	for _, l := range list {
		if l.Kind == projects.LeftoverImport {
			if _, err := os.Lstat(projects.AudioPath(dir, l.Name)); err != nil {
				removed++
			}
		}
	}
	printTidied(e, removed, skipped)
	for _, name := range added {
		e.printf("Added track %s\n", projects.Shown(name))
	}
	for _, p := range problems {
		fmt.Fprintf(e.stderr, "%s\n", projects.Shown(p.Error()))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s stay in %s: move them into the song's bin with sangstudio tidy %s --bin",
			takesText(len(problems)), filepath.Join(dir, projects.AudioDir), dir)
	}
	return nil
}

// errNothingRestored leaves the song unsaved when no take became a track.
var errNothingRestored = errors.New("no take could be brought back")

func printTidied(e *env, removed int, skipped []string) {
	if removed > 0 {
		e.printf("Removed %d unfinished %s.\n", removed, words.Plural(removed, "import", "imports"))
	}
	if len(skipped) > 0 {
		var names []string
		for _, n := range skipped {
			names = append(names, projects.Shown(n))
		}
		e.printf("Left alone (the song uses them now, or they changed since they were listed): %s\n", strings.Join(names, ", "))
	}
}

func takesText(n int) string {
	if n == 1 {
		return "1 take"
	}
	return fmt.Sprintf("%d takes", n)
}

func capitalized(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// confirm asks question on the terminal and reads y or n. Without a
// terminal it asks nothing and says to pass --yes.
func confirm(e *env, question string) (bool, error) {
	if !terminal.Is(os.Stdin) {
		return false, errors.New("nothing was changed: there is no terminal to ask for confirmation; pass --yes to do it without asking")
	}
	e.printf("%s [y/N] ", question)
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && line == "" {
		e.printf("\n")
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes", "j", "ja":
		return true, nil
	}
	return false, nil
}
