// Package fx is the effects of a track's channel strip and of the song's
// effect buses: high-pass, a four-band EQ, a compressor (each track), and
// a reverb and a delay (shared buses a track sends to).
//
// Conventions every effect follows:
//   - Audio is float32, one slice per channel, processed in place; the
//     state and the arithmetic are float64 where precision shows (filters,
//     feedback), so that a filter can be checked against sox, which
//     computes in double.
//   - Process never allocates, locks, blocks or logs: the real-time engine
//     calls it on the audio thread. Everything is allocated when an effect
//     is made (New…) for a sample rate and the largest block.
//   - Parameters are plain values (a Params struct per effect) set from
//     any block boundary with Set; a change is smoothed over a few ms so
//     that a knob turned while playing does not click or zipper.
//   - The same effect given the same input produces the same output
//     whatever the block sizes it is called with: playback (blocks of the
//     device's buffer) and the offline render (other blocks) give the same
//     samples.
//   - No denormal slow-down: recursive state that decays to nothing is
//     flushed to zero.
package fx
