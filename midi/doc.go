// Package midi holds what the MIDI parts of Sangstudio share: Event, one
// channel voice message at a frame of the timeline (or of a take).
//
// Its sub-packages:
//   - midi/smf reads and writes Standard MIDI Files (imports and takes);
//   - midi/synth is the instrument: a General MIDI SoundFont synthesizer
//     (go-meltysynth) and a small built-in fallback, both safe to run on
//     the audio thread;
//   - midi/input lists MIDI keyboards and delivers what they play,
//     timestamped, to the engine.
package midi
