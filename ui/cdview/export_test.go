package cdview

import "sangstudio/projects/album"

// What the tests read and press.

// Status is the status line's text.
func (v *View) Status() string { return v.status.Text }

// Checks is the text of the Red Book findings.
func (v *View) Checks() string { return v.checks.Text }

// Album is the open album.
func (v *View) Album() *album.Album { return v.album }

// Busy reports whether an image or a burn is under way.
func (v *View) Busy() bool { return v.running != nil }

// CanMake reports whether "Make the CD image" is enabled.
func (v *View) CanMake() bool { return v.makeBtn != nil && !v.makeBtn.Disabled() }

// MakeImage presses "Make the CD image".
func (v *View) MakeImage() { v.makeImage() }

// Albums is the number of CDs the picker lists (once read).
func (v *View) Albums() int { return v.albums }

// OpenAlbum opens a CD from the picker.
func (v *View) OpenAlbum(dir string) { v.openAlbum(dir, v.opt.Song) }

// NewAlbum presses "New CD".
func (v *View) NewAlbum() { v.newAlbum() }

// AddAll presses "Add songs" (Options.ChooseSongs chooses).
func (v *View) AddAll() { v.addSongs() }

// SetTitle types the CD's title.
func (v *View) SetTitle(s string) { v.title.SetText(s) }

// BurnReady reports whether the burn controls are shown.
func (v *View) BurnReady() bool { return v.burnBox.Visible() }

// Burn presses "Burn the CD" (or "Burn again without titles").
func (v *View) Burn(withoutText, simulate bool) { v.simulate.SetChecked(simulate); v.burn(withoutText) }

// CanBurnAgain reports whether "Burn again without titles" is offered.
func (v *View) CanBurnAgain() bool { return v.againBtn.Visible() }

// Tracks is the number of songs on the CD.
func (v *View) Tracks() int { return len(v.album.Tracks) }

// Loaded reports whether the songs have been read.
func (v *View) Loaded() bool { return len(v.tracks) == len(v.album.Tracks) }
