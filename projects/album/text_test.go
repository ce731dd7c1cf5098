package album

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// An album.json with bytes that are not UTF-8 is refused on the raw bytes,
// naming the byte and the line, and treated as damage like any other.
func TestLoadRefusesInvalidUTF8(t *testing.T) {
	good, err := Encode(sample())
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(good), "Solstua kor", "Solstua \xff\xfe kor", 1)
	off := strings.Index(bad, "\xff")
	line := 1 + strings.Count(bad[:off], "\n")
	want := "byte " + strconv.Itoa(off+1) + " (line " + strconv.Itoa(line) + ") is not valid UTF-8 text; the file is damaged or was written by another program"
	if _, err := Decode([]byte(bad)); err == nil || err.Error() != want {
		t.Fatalf("Decode:\n got %v\nwant %s", err, want)
	}

	t.Run("no earlier copy", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, FileName)
		if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, err := Load(dir)
		if err == nil || err.Error() != "album: "+path+": "+want+", and no earlier copy could be opened" {
			t.Fatalf("Load: %v", err)
		}
	})
	t.Run("earlier copy", func(t *testing.T) {
		dir := t.TempDir()
		a := sample()
		if err := Save(dir, a); err != nil {
			t.Fatal(err)
		}
		a.Title = "v2"
		if err := Save(dir, a); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, FileName), []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		got, rec, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != sample().Title || got.Performer != "Solstua kor" || rec == nil || rec.From != FileName+".1" || rec.Reason != want {
			t.Fatalf("got %+v from %+v", got, rec)
		}
	})
}
