package openfile

import "os"

// openRegular opens path read-only and checks on the open file that it is
// an ordinary file (Windows has no FIFOs that a plain open would wait on).
// Links were refused by the caller's check when follow is false.
func openRegular(path string, _ bool) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if k := KindOf(fi.Mode()); k != "" {
		f.Close()
		return nil, &Error{Path: path, Kind: k}
	}
	return f, nil
}
