// Package layers holds no code: its test checks, from `go list -deps`, that
// the layers of Sangstudio hold.
//
//   - audio, midi and projects never import Fyne (fyne.io/...) or ui,
//     directly or through another package;
//   - projects never imports audio or midi;
//   - cmd holds wiring only: every package under cmd is a main package,
//     which nothing can import, so no type defined there is used elsewhere;
//   - code for one system (golang.org/x/sys/unix, syscall.Flock,
//     syscall.Statfs, syscall.Mkfifo, syscall.Kill, Setpgid) lives only in
//     internal/, in files for that system (name_linux.go, name_windows.go, or
//     a //go:build line);
//   - nothing in production code exists just to be swapped or read by a
//     test: no comment saying so, and no package-level variable holding a
//     function; a test passes what it needs through options, fields or
//     small interfaces (what is not yet replaced is listed in
//     testhooks_test.go, a list that can only shrink).
//
// Test files are not held to these rules: a projects test may make a song
// with audio/demosong.
package layers
