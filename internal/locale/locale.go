// Package locale tidies the locale environment before Fyne's lang package
// reads it. Fyne reads it in its package initialisation and logs "Error
// parsing user locale C" for LANG=C (or C.UTF-8, POSIX), the usual setting
// of servers, containers and CI, on every run of every command. A "C"
// locale means "no language chosen", exactly as an unset one does, so this
// package unsets it (keeping a UTF-8 character set in LC_CTYPE).
//
// It must be initialised before fyne.io/fyne/v2/lang: Go (1.21 and later)
// initialises packages in import-path order among those whose imports are
// ready, and lang imports text/template, which sorts after "sangstudio/…";
// cmd/sangstudio imports this package first. A test checks it worked.
package locale

import (
	"os"
	"strings"
)

func init() { Tidy() }

// Tidy unsets LC_ALL, LC_MESSAGES and LANG when they name the C or POSIX
// locale.
func Tidy() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		val := os.Getenv(v)
		if !IsC(val) {
			continue
		}
		if strings.Contains(strings.ToUpper(val), "UTF-8") && os.Getenv("LC_CTYPE") == "" {
			os.Setenv("LC_CTYPE", val)
		}
		os.Unsetenv(v)
	}
}

// IsC reports whether a locale value is the C or POSIX locale.
func IsC(val string) bool {
	return val == "C" || val == "POSIX" || strings.HasPrefix(val, "C.") || strings.HasPrefix(val, "POSIX.")
}
