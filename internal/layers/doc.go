// Package layers holds no code: its test checks, from `go list -deps`, that
// the layers of Sangstudio hold.
//
//   - audio, midi and projects never import Fyne (fyne.io/...) or ui,
//     directly or through another package;
//   - projects never imports audio or midi;
//   - cmd holds wiring only: every package under cmd is a main package,
//     which nothing can import, so no type defined there is used elsewhere;
//   - code for one system (golang.org/x/sys/unix, syscall.Flock,
//     syscall.Statfs, syscall.Mkfifo, syscall.Kill, Setpgid, and
//     errors.Is(err, syscall.EROFS) with an errno Windows never returns)
//     lives only in internal/, in files for that system (name_linux.go,
//     name_windows.go, or a //go:build line);
//   - every package not listed in windowsPending (windows_test.go, with
//     the reason: cgo, or issue 23's part 3) builds for Windows without
//     cgo;
//   - nothing in production code exists just to be swapped or read by a
//     test: no comment saying so, and no package-level variable holding a
//     function; a test passes what it needs through options, fields or
//     small interfaces (what is not yet replaced is listed in
//     testhooks_test.go, a list that can only shrink).
//   - no package keeps state in a package-level variable (state_test.go):
//     an exported variable, one declared without a value, a function
//     variable, or one assigned after its declaration fails the test,
//     unless knownState lists it with the reason. The documented cases are
//     PortAudio's process-wide init, the cgo callback registries, a few
//     caches of immutable results and tables completed in init, and the
//     hooks still to be replaced by options. Errors made once
//     (errors.New), //go:embed files, and unexported tables and regexps
//     nothing assigns are allowed. Fyne's own lang package keeps the
//     process-wide language lookup, outside Sangstudio's code.
//
// Test files are not held to these rules: a projects test may make a song
// with audio/demosong.
package layers
