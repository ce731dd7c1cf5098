package words

import (
	"errors"
	"io/fs"
	"testing"
)

func TestCounts(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{Plural(1, "take", "takes"), "take"},
		{Plural(0, "take", "takes"), "takes"},
		{Count(0, "byte", "bytes"), "0 bytes"},
		{Count(1, "byte", "bytes"), "1 byte"},
		{Count(7, "byte", "bytes"), "7 bytes"},
		{CountNo(0, "take", "takes"), "no takes"},
		{CountNo(1, "take", "takes"), "1 take"},
		{CountNo(2, "take", "takes"), "2 takes"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestReasons(t *testing.T) {
	missing := &fs.PathError{Op: "open", Path: "/x/song.json", Err: fs.ErrNotExist}
	denied := &fs.PathError{Op: "open", Path: "/x/song.json", Err: fs.ErrPermission}
	other := errors.New("the file is empty")
	for _, c := range []struct{ got, want string }{
		{Reason(missing), "file does not exist"},
		{Reason(denied), "permission denied"},
		{Reason(other), "the file is empty"},
		{FileReason(missing), "the file is missing"},
		{FileReason(denied), "permission denied"},
		{FileReason(other), "the file is empty"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	for _, c := range []struct {
		in, invalid string
		max         int
		want        string
	}{
		{"  Take 1\n", "", 100, "Take 1"},
		{"a\tb\x00c", "", 100, "a b c"},
		{"a\xffb", "?", 100, "a?b"},
		{"a\xff\xfeb", "", 100, "ab"},
		{"héllo", "", 2, "h"},
		{"ab cd", "", 3, "ab"},
		{"\n\r", "", 10, ""},
	} {
		if got := OneLine(c.in, c.invalid, c.max); got != c.want {
			t.Errorf("OneLine(%q, %q, %d) = %q, want %q", c.in, c.invalid, c.max, got, c.want)
		}
	}
}
