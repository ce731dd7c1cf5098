package cdburn

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	"sangstudio/internal/durable"
)

// WithoutCDText writes a copy of the TOC at toc with every CD_TEXT { … }
// block removed (the global one and the tracks') next to it, as
// NAME-nocdtext.toc (disc.toc → disc-nocdtext.toc), and returns its path.
// Next to it, so that the relative file names in it still work (cdrdao
// resolves them from the TOC's folder). Everything outside the blocks is
// kept byte for byte.
func WithoutCDText(toc string) (string, error) {
	src, err := os.ReadFile(toc)
	if err != nil {
		return "", err
	}
	out, err := stripCDText(src)
	if err != nil {
		return "", err
	}
	base := strings.TrimSuffix(filepath.Base(toc), filepath.Ext(toc))
	dst := filepath.Join(filepath.Dir(toc), base+"-nocdtext.toc")
	if err := durable.WriteFile(dst, out, 0o644); err != nil {
		return "", err
	}
	return dst, nil
}

var errUnclosedCDText = errors.New("a CD_TEXT block in the TOC file is not closed")

// stripCDText removes every CD_TEXT { … } block from a TOC file. It reads
// the file the way cdrdao's lexer does (trackdb/TocParser.g): "//" starts a
// comment to the end of the line; a string runs from '"' to the next '"'
// that is not written \" (a backslash before anything else is just a
// backslash, so "a\\" is not closed there); CD_TEXT is a keyword only when
// it is not part of a longer word; between it and its '{' only blanks and
// comments may come. Braces in strings and comments do not count. The
// output is never longer than the input.
func stripCDText(src []byte) ([]byte, error) {
	const kw = "CD_TEXT"
	out := make([]byte, 0, len(src))
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			j := skipComment(src, i)
			out = append(out, src[i:j]...)
			i = j
		case c == '"':
			j, _ := skipString(src, i)
			out = append(out, src[i:j]...)
			i = j
		case c == kw[0] && strings.HasPrefix(string(src[i:min(len(src), i+len(kw))]), kw) &&
			(i == 0 || !isWordByte(src[i-1])) &&
			(i+len(kw) == len(src) || !isWordByte(src[i+len(kw)])):
			open := skipBlanks(src, i+len(kw))
			if open >= len(src) || src[open] != '{' {
				out = append(out, kw...) // not a block: leave it to cdrdao
				i += len(kw)
				continue
			}
			end, err := skipBlock(src, open)
			if err != nil {
				return nil, err
			}
			// Removing the block must not glue "/" and "/" into a comment.
			if len(out) > 0 && out[len(out)-1] == '/' && end < len(src) && src[end] == '/' {
				out = append(out, ' ')
			}
			i = end
		case isWordByte(c):
			// Copy the whole word, so that a CD_TEXT inside it is not seen.
			j := i
			for j < len(src) && isWordByte(src[j]) {
				j++
			}
			out = append(out, src[i:j]...)
			i = j
		default:
			out = append(out, c)
			i++
		}
	}
	return out, nil
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}

// skipComment returns the index of the '\n' ending the comment at i (or
// len(src)).
func skipComment(src []byte, i int) int {
	for i < len(src) && src[i] != '\n' {
		i++
	}
	return i
}

// skipString returns the index after the string starting with '"' at i,
// and whether it was closed.
func skipString(src []byte, i int) (int, bool) {
	i++
	for i < len(src) {
		switch {
		case src[i] == '\\' && i+1 < len(src) && src[i+1] == '"':
			i += 2
		case src[i] == '"':
			return i + 1, true
		default:
			i++
		}
	}
	return i, false
}

// skipBlanks skips blanks and comments.
func skipBlanks(src []byte, i int) int {
	for i < len(src) {
		switch {
		case src[i] == ' ' || src[i] == '\t' || src[i] == '\r' || src[i] == '\n':
			i++
		case src[i] == '/' && i+1 < len(src) && src[i+1] == '/':
			i = skipComment(src, i)
		default:
			return i
		}
	}
	return i
}

// skipBlock returns the index after the '}' matching the '{' at i.
func skipBlock(src []byte, i int) (int, error) {
	depth := 0
	for i < len(src) {
		switch c := src[i]; {
		case c == '{':
			depth++
			i++
		case c == '}':
			depth--
			i++
			if depth == 0 {
				return i, nil
			}
		case c == '"':
			j, closed := skipString(src, i)
			if !closed {
				return 0, errUnclosedCDText
			}
			i = j
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			i = skipComment(src, i)
		default:
			i++
		}
	}
	return 0, errUnclosedCDText
}
