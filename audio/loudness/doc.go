// Package loudness measures programme loudness, loudness range and peaks
// as ITU-R BS.1770-4 and EBU R 128 define them (EBU Tech 3341 for the
// loudness and true peak, Tech 3342 for the loudness range), in pure Go.
//
// A Meter takes interleaved (Write) or planar (WritePlanar) float32 audio
// in chunks of any size and gives a Result at any time: integrated
// loudness, loudness range, sample peak, true peak, and the largest
// momentary and short-term loudness. MeasureFile measures a WAV file.
// TruePeak is the true-peak detector on its own, sample by sample, for a
// limiter.
//
// # K-weighting
//
// The two BS.1770 filters (the high-shelf pre-filter and the RLB
// high-pass) are computed for any sample rate from analogue prototypes by
// the bilinear transform, with the prototype parameters libebur128 fitted
// to the 48 kHz table (shelf f0 1681.97 Hz, G 3.99984 dB, Q 0.70718;
// high-pass f0 38.135 Hz, Q 0.50033). At 48 kHz the coefficients equal
// the table to better than 1e-8. One deliberate difference from
// libebur128 and FFmpeg: they keep the table's RLB numerator 1, -2, 1 at
// every rate, whose pass-band gain (1.005 at 48 kHz, which the -0.691 dB
// constant absorbs) then drifts with the rate; here the numerator is
// scaled so the gain stays the 48 kHz one. The difference is +0.004 LU at
// 44.1 kHz, -0.02 LU at 96 kHz and -0.2 LU at 8 kHz (ours being the one
// that agrees with 48 kHz). Filter state is float64.
//
// # Blocks and gating
//
// The K-weighted signal's sum of squares is kept per 100 ms sub-block,
// whose boundaries are frame round(k*rate/10), so rates where 100 ms is
// not a whole number of frames (11025 Hz) do not drift. The momentary
// loudness (400 ms) is the mean of the last 4 sub-blocks and the
// short-term loudness (3 s) of the last 30, both evaluated at the end of
// every sub-block once the window is full: BS.1770's 75 % overlap, and
// Tech 3342's 10 Hz short-term rate. Channel weights are 1, except with 5
// channels (L R C Ls Rs) or 6 (L R C LFE Ls Rs), where the surrounds
// weigh 1.41 and the LFE 0.
//
// Integrated loudness keeps the exact energy of every 400 ms block above
// the -70 LUFS absolute gate, not a histogram: libebur128's histogram mode
// (0.1 LU bins) and FFmpeg's (0.01 LU bins, energies at the bin's lower
// edge) are good to a few hundredths of an LU, but exact storage is cheap:
// 8 bytes per 100 ms, kept in chunks of 4096 blocks (32 KiB, 409.6 s) so
// that storing one never copies the others and Write allocates once per
// chunk (576 KiB for an hour, integrated and range together). The
// relative gate is 10 LU below the loudness of the mean energy of those
// blocks; the result is the loudness of the mean energy of the blocks
// above both gates.
//
// The loudness range keeps the short-term energies at or above -70 LUFS
// the same way, drops those more than 20 LU below the loudness of their
// mean energy, sorts the rest and takes the difference between the
// values at 0-based indices round((n-1)*0.95) and round((n-1)*0.10): the
// percentile convention of the Tech 3342 reference code and of
// libebur128. FFmpeg takes ranks round(0.95*n) and round(0.10*n) in its
// 0.01 LU histogram instead; on the material tested the two agree within
// 0.01 LU. Result sorts a copy, so it costs O(n log n): about 3.5 ms for
// an hour.
//
// # True peak
//
// Below 96 kHz each channel is oversampled 4 times, from 96 kHz to
// 191999 Hz twice, and not at all from 192 kHz (the BS.1770-4 Annex 2
// rule libebur128 follows). The interpolator is a polyphase FIR cut from
// a Kaiser-windowed sinc (beta 6) with its cut-off at the input's Nyquist
// frequency and 24 taps per in-between phase (97 taps at 4x); the phase
// that falls on the input samples is the samples themselves, and the
// reported true peak is the largest of the in-between points and the
// samples. libebur128's filter has 12 taps per phase (a 49-tap
// Hann-windowed sinc); its pass band sags to -0.9 dB at 0.40 fs and -2 dB
// at 0.42 fs, and on the music-like test material it read 0.27 to 0.36 dB
// under FFmpeg (which resamples to 192 kHz with libswresample). The
// BS.1770-4 Annex 2 example filter, also 12 taps per phase, ripples by
// ±0.2 dB and read 0.04 to 0.42 dB under. With 24 taps the pass band is
// flat within 0.01 dB to 0.42 fs (20.2 kHz at 48 kHz) and the detector
// agrees with FFmpeg within 0.03 dB. Thanks to the filter's symmetry that
// costs 36 multiplications per sample and channel, and the Meter skips
// stretches of 64 outputs whose input cannot exceed the peak found so far
// (the filter's L1 norm times their largest sample is no more), which
// leaves the result bit-identical. The detector's delay is 12 frames; the
// oversampled signal of the last 12 frames written is not yet measured
// (their samples are, through the sample peak).
//
// # Accuracy, as tested
//
//   - EBU Tech 3341 cases 1 to 5 (generated, 44.1 and 48 kHz): -22.99 to
//     -23.02 LUFS for -23 (-32.99 for -33), within 0.015 LU.
//   - EBU Tech 3342 cases 1 to 4: 10.000, 5.000, 20.000, 15.000 LU.
//   - Tech 3341 true-peak cases 15 to 19 (generated, with fades): -6.024
//     to -6.018 dBTP for -6.0, and 2.982 for 3.0.
//   - FFmpeg 5.1's ebur128 filter on 30 s of music-like material, 44.1
//     and 48 kHz, stereo and mono: integrated within 0.005 LU, loudness
//     range within 0.007 LU, true peak within 0.03 dB, sample peak equal.
//   - The same audio written in any chunk sizes gives bit-identical
//     Results.
//
// # Speed
//
// On one core of the development machine a Meter measures 48 kHz stereo
// at several hundred times real time, and MeasureFile on a 4-minute
// 24-bit file is about 3 times faster than
// `ffmpeg -af ebur128=peak=true` (scripts/bench-loudness.sh).
//
// Neither Meter nor TruePeak is safe for concurrent use.
package loudness
