package encode

import (
	"encoding/binary"
	"strconv"
	"unicode/utf16"
)

// id3v2 returns an ID3v2.3 tag with TIT2, TPE1, TALB and TRCK text frames
// in UTF-16 with a byte order mark (encoding byte 1), or nil if t is
// empty. There is no padding, no extended header and no
// unsynchronisation: the tag is exactly as long as its frames.
func id3v2(t Tags) []byte {
	var frames []byte
	for _, f := range [...]struct{ id, s string }{
		{"TIT2", t.Title},
		{"TPE1", t.Artist},
		{"TALB", t.Album},
		{"TRCK", t.trackString()},
	} {
		if f.s == "" {
			continue
		}
		u := utf16.Encode([]rune(f.s))
		body := make([]byte, 0, 3+2*len(u))
		body = append(body, 1, 0xFF, 0xFE) // UTF-16, little-endian BOM
		for _, c := range u {
			body = binary.LittleEndian.AppendUint16(body, c)
		}
		frames = append(frames, f.id...)
		frames = binary.BigEndian.AppendUint32(frames, uint32(len(body))) // plain 32-bit in v2.3
		frames = append(frames, 0, 0)                                     // flags
		frames = append(frames, body...)
	}
	if frames == nil {
		return nil
	}
	n := len(frames)
	tag := make([]byte, 0, 10+n)
	tag = append(tag, 'I', 'D', '3', 3, 0, 0) // version 2.3.0, no flags
	// The size (without the 10-byte header) as a syncsafe integer: 7 bits
	// per byte, the top bit clear.
	tag = append(tag, byte(n>>21&0x7F), byte(n>>14&0x7F), byte(n>>7&0x7F), byte(n&0x7F))
	return append(tag, frames...)
}

// latin1 returns s in ISO-8859-1, cut to at most n characters, and
// whether every character of s is representable.
func latin1(s string, n int) ([]byte, bool) {
	b := make([]byte, 0, n)
	for _, r := range s {
		if r > 0xFF {
			return nil, false
		}
		if len(b) < n {
			b = append(b, byte(r))
		}
	}
	return b, true
}

// id3v1 returns an ID3v1.1 tag, or nil if t is empty or if the title,
// artist, album or track cannot be represented in one (characters outside
// ISO-8859-1, a track above 255). Fields are cut to 30 characters; year
// and comment are empty, the genre is 255 (none).
func id3v1(t Tags) []byte {
	if t.Title == "" && t.Artist == "" && t.Album == "" && t.Track == 0 {
		return nil
	}
	if t.Track > 255 {
		return nil
	}
	tag := make([]byte, 128)
	copy(tag, "TAG")
	for i, s := range [...]string{t.Title, t.Artist, t.Album} {
		b, ok := latin1(s, 30)
		if !ok {
			return nil
		}
		copy(tag[3+30*i:], b)
	}
	// 93..96 year, 97..124 comment: zero. 125 zero marks v1.1.
	tag[126] = byte(t.Track)
	tag[127] = 255
	return tag
}

// vorbisTags returns the Vorbis comments for t: TITLE, ARTIST, ALBUM,
// TRACKNUMBER and TRACKTOTAL, leaving out empty ones.
func vorbisTags(t Tags) [][2]string {
	var c [][2]string
	add := func(k, v string) {
		if v != "" {
			c = append(c, [2]string{k, v})
		}
	}
	add("TITLE", t.Title)
	add("ARTIST", t.Artist)
	add("ALBUM", t.Album)
	if t.Track > 0 {
		add("TRACKNUMBER", strconv.Itoa(t.Track))
		if t.Tracks > 0 {
			add("TRACKTOTAL", strconv.Itoa(t.Tracks))
		}
	}
	return c
}
