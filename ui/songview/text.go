package songview

import "sangstudio/ui/shown"

// refused reports whether err is a text refused on input (a control
// character in a name or the lyrics): Explain says it in the window's
// language (shown.Refusal).
func refused(err error) bool {
	_, ok := shown.Refusal(err)
	return ok
}
