package main

import (
	"errors"
	"fmt"
	"io/fs"

	"sangstudio/internal/fserr"
)

// albumNotSaved is the refusal of a change to an album whose folder cannot
// be written (its permissions, a read-only or full disk), naming the album
// folder; other errors are returned as they are.
func albumNotSaved(dir string, err error) error {
	if !fserr.CannotWrite(err) {
		return err
	}
	why := fmt.Sprintf("the album cannot be saved in %s (%v)", dir, fserr.Describe(err))
	if errors.Is(err, fs.ErrPermission) && !fserr.IsReadOnly(err) {
		why = fmt.Sprintf("the album folder %s may not be written to (permission denied)", dir)
	}
	return fmt.Errorf("%s, so the album cannot be changed now. Nothing was changed.", why)
}
