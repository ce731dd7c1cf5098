// Package uithread is the one way work done on other goroutines comes back
// to the window's UI thread: a Poster, made once by the window (fyne.Do)
// and passed to every view and to the studio through their Options or
// constructors. Tests pass their own (inline, or a queue they drain on the
// test's goroutine, see internal/uitest), so nothing keeps a package
// variable for it.
package uithread

import "time"

// Poster runs f on the UI thread. It may be called from any goroutine and
// does not wait for f.
type Poster func(f func())

// After runs f on the UI thread once d has passed.
func (p Poster) After(d time.Duration, f func()) {
	time.AfterFunc(d, func() { p(f) })
}
