// Package midi will hold MIDI input (gomidi), the SoundFont instrument and
// Standard MIDI Files. It has no code yet: the MIDI keyboard is the work of
// a later issue ("MIDI keyboard: play and record through a built-in
// instrument").
package midi
