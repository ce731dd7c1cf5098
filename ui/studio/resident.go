package studio

import (
	"errors"
	"slices"
)

// ErrResident: a change that resident mode does not allow.
var ErrResident = errors.New("in resident mode nothing can be deleted, renamed or moved")

// residentEdits are the undo steps resident mode allows: a track made
// ready to record, the lyrics typed, and the beat made (a beat track added,
// its grid edited: a new take each time, nothing lost). Recording, Keep
// that, Undo and Redo are allowed too; they are not Edits.
func residentEdits() []string {
	return []string{"Add track", "Edit lyrics", "Add beat", "Edit the beat"}
}

// SetResident turns resident mode on or off. In resident mode the window
// offers only Record, Play, Stop, Undo, Keep that, the lyrics and the beat
// grid, and the studio itself refuses every other change (ErrResident), so
// that no key, menu or drag can delete, rename or move anything.
func (st *Studio) SetResident(on bool) { st.resident = on }

// Resident reports whether resident mode is on.
func (st *Studio) Resident() bool { return st.resident }

// residentRefuses reports whether resident mode refuses the edit label.
func (st *Studio) residentRefuses(label string) bool {
	return st.resident && !slices.Contains(residentEdits(), label)
}
