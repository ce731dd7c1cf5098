package album

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func sample() *Album {
	a := New("Sanger fra Solstua")
	a.Performer = "Solstua kor"
	a.Add("Morgenlys")
	a.Add("/home/ola/Sangstudio/Kveldssang")
	a.Tracks[1].Title = "Kveldssang (live)"
	a.Tracks[1].Performer = "Åse og Øystein"
	a.Tracks[1].Gap = 0
	return a
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	a := sample()
	data, err := Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(data), "}\n") || !strings.Contains(string(data), "\n  \"title\": ") {
		t.Fatalf("not indented JSON with a final newline:\n%s", data)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", got, a)
	}
	// An empty album keeps "tracks": [] and decodes to an empty slice.
	data, err = Encode(&Album{Schema: Schema, Title: "Tom"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"tracks": []`) {
		t.Fatalf("empty album: %s", data)
	}
	got, err = Decode(data)
	if err != nil || got.Tracks == nil || len(got.Tracks) != 0 {
		t.Fatalf("empty album decoded as %+v, %v", got, err)
	}
}

func TestValidate(t *testing.T) {
	tooMany := New("Mange")
	for i := 0; i < 100; i++ {
		tooMany.Add("Sang")
	}
	cases := []struct {
		name string
		edit func(a *Album)
		want string // "" = valid
	}{
		{"sample", func(a *Album) {}, ""},
		{"empty title allowed", func(a *Album) { a.Title = "" }, ""},
		{"gap 10", func(a *Album) { a.Tracks[0].Gap = 10 }, ""},
		{"99 tracks", func(a *Album) {
			for len(a.Tracks) < 99 {
				a.Add("x")
			}
		}, ""},
		{"negative gap", func(a *Album) { a.Tracks[1].Gap = -1 }, "track 2 has a gap of -1 seconds"},
		{"gap too long", func(a *Album) { a.Tracks[0].Gap = 10.5 }, "track 1 has a gap"},
		{"gap NaN", func(a *Album) { a.Tracks[0].Gap = math.NaN() }, "track 1 has a gap"},
		{"100 tracks", func(a *Album) { *a = *tooMany }, "a CD holds at most 99"},
		{"newline in title", func(a *Album) { a.Title = "To\nlinjer" }, "the album title contains a control character"},
		{"tab in track title", func(a *Album) { a.Tracks[0].Title = "a\tb" }, "track 1's title contains a control character"},
		{"NUL in performer", func(a *Album) { a.Tracks[1].Performer = "a\x00" }, "track 2's performer contains a control character"},
		{"C1 control", func(a *Album) { a.Performer = "a\u0085b" }, "control character"},
		{"long title", func(a *Album) { a.Title = strings.Repeat("ø", 101) }, "the album title is longer than 200 bytes"},
		{"title at limit", func(a *Album) { a.Title = strings.Repeat("ø", 100) }, ""},
		{"invalid UTF-8", func(a *Album) { a.Title = "\xff" }, "not valid UTF-8"},
		{"empty song", func(a *Album) { a.Tracks[0].Song = " " }, "track 1 has no song"},
		{"song escapes library", func(a *Album) { a.Tracks[0].Song = "../andre/Sang" }, "neither a folder in the library nor a full path"},
		{"song is the library", func(a *Album) { a.Tracks[0].Song = "." }, "neither"},
		{"control in song", func(a *Album) { a.Tracks[0].Song = "Sang\n" }, "track 1's song folder contains a control character"},
		{"schema", func(a *Album) { a.Schema = 2 }, "unknown schema version 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := sample()
			c.edit(a)
			err := a.Validate()
			if c.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("not a *ValidationError: %T", err)
			}
			if _, err := Encode(a); err == nil {
				t.Fatal("Encode accepted an invalid album")
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"newer", `{"schema": 7, "title": "x", "tracks": [], "hologram": true}`, "newer Sangstudio"},
		{"older", `{"schema": 0, "title": "x", "tracks": []}`, "unknown album version 0"},
		{"no schema", `{"title": "x", "tracks": []}`, "no schema version"},
		{"garbage", "\x89PNG\r\n\x1a\n garbage", "not a Sangstudio album file (it is not JSON text)"},
		{"array", `[1, 2]`, "not a Sangstudio album file"},
		{"empty", "  \n", "the file is empty"},
		{"cut off", `{"schema": 1, "title": "x", "tra`, "ends too early"},
		{"unknown field", `{"schema": 1, "title": "x", "tracks": [], "colour": "red"}`, `unknown entry "colour"`},
		{"wrong type", "{\"schema\": 1,\n \"title\": \"x\",\n \"tracks\": [{\"song\": \"a\", \"gap\": \"2\"}]}", `line 3: "tracks.gap" has the wrong kind of value (string)`},
		{"syntax", "{\"schema\": 1,\n \"title\": x}", "not valid album data at line 2"},
		{"invalid values", `{"schema": 1, "title": "x", "tracks": [{"song": "", "gap": 2}]}`, "track 1 has no song"},
		{"trailing", `{"schema": 1, "title": "x", "tracks": []} {}`, "not valid album data"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := Decode([]byte(c.doc))
			if err == nil {
				t.Fatalf("decoded %+v", a)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q, want one containing %q", err, c.want)
			}
			if strings.Contains(err.Error(), "json:") || strings.Contains(err.Error(), "Go value") {
				t.Errorf("error is not in plain words: %q", err)
			}
		})
	}
	var se *SchemaError
	if _, err := Decode([]byte(`{"schema": 2}`)); !errors.As(err, &se) || se.Version != 2 {
		t.Fatalf("newer schema: %v", err)
	}
}

func TestMoveRemove(t *testing.T) {
	a := New("x")
	for _, s := range []string{"A", "B", "C", "D"} {
		a.Add(s)
	}
	order := func() string {
		var b strings.Builder
		for _, t := range a.Tracks {
			b.WriteString(t.Song)
		}
		return b.String()
	}
	steps := []struct {
		from, to int
		want     string
	}{{0, 3, "BCDA"}, {3, 0, "ABCD"}, {1, 2, "ACBD"}, {2, 2, "ACBD"}, {2, 1, "ABCD"}}
	for _, s := range steps {
		if err := a.Move(s.from, s.to); err != nil {
			t.Fatal(err)
		}
		if got := order(); got != s.want {
			t.Fatalf("Move(%d, %d): %s, want %s", s.from, s.to, got, s.want)
		}
	}
	if err := a.Move(0, 4); err == nil || !strings.Contains(err.Error(), "there is no track 5: the album has 4 tracks") {
		t.Fatalf("Move out of range: %v", err)
	}
	if err := a.Move(-1, 0); err == nil {
		t.Fatal("Move(-1, 0) succeeded")
	}
	if err := a.Remove(1); err != nil || order() != "ACD" {
		t.Fatalf("Remove(1): %v, %s", err, order())
	}
	if err := a.Remove(3); err == nil {
		t.Fatal("Remove(3) of 3 tracks succeeded")
	}
	for len(a.Tracks) > 0 {
		if err := a.Remove(0); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Remove(0); err == nil || !strings.Contains(err.Error(), "no tracks") {
		t.Fatalf("Remove on an empty album: %v", err)
	}
	if a.Add("E"); a.Tracks[0].Gap != DefaultGap {
		t.Fatalf("Add: gap %v", a.Tracks[0].Gap)
	}
}

func TestRel(t *testing.T) {
	cases := []struct{ root, dir, want string }{
		{"/lib", "/lib/Morgenlys", "Morgenlys"},
		{"/lib/", "/lib/./Morgenlys/", "Morgenlys"},
		{"/lib", "/lib/sub/Sang", "sub/Sang"},
		{"/lib", "/other/Sang", "/other/Sang"},
		{"/lib", "/lib", "/lib"},
		{"/lib", "/lib/../lib2/Sang", "/lib2/Sang"},
	}
	for _, c := range cases {
		if got := Rel(c.root, c.dir); got != c.want {
			t.Errorf("Rel(%q, %q) = %q, want %q", c.root, c.dir, got, c.want)
		}
	}
}
