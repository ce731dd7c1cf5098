// Package encode writes finished audio (a mix, a bounce, an export for the
// client) as WAV, FLAC or MP3 files with a few tags.
//
// Create a Writer with Options (format, sample rate, mono or stereo, tags,
// dither seed), Write planar float32 audio at full scale ±1.0 in pieces of
// any size, then Close; Abort cancels and removes the file. Close flushes
// the file to stable storage; errors name the file, and a full disk gives
// an error e with errors.Is(e, syscall.ENOSPC). The file is created with
// permission 0600.
//
// # Formats
//
//   - WAV16, WAV24: PCM WAV through package sangstudio/audio/wav.
//   - FLAC16, FLAC24: FLAC through github.com/mewkiz/flac (pure Go), 4096
//     frames per FLAC frame, fixed predictors, a per-frame choice of
//     left/right, left/side, side/right or mid/side stereo. STREAMINFO
//     holds the exact sample count and the MD5 of the samples (flac -t
//     checks it). Files are larger than flac -5 makes (no LPC): 9% on the
//     demo song.
//   - MP3: MPEG-1 Layer III from LAME (libmp3lame, through
//     github.com/viert/go-lame), CBR 256 kbps, joint stereo (mono mode
//     for one channel), quality 2, at 32000, 44100 or 48000 Hz. The first
//     frame is LAME's Info/LAME tag frame, so players skip the encoder
//     delay and padding: ffmpeg decodes exactly the samples written.
//
// # Dither
//
// Every format is quantised here, before the encoder sees it: each sample
// is scaled to the word length (16 bits; 24 for WAV24 and FLAC24), TPDF
// dither from package sangstudio/audio/dither is added (one value per
// sample, in interleaved order, so the split into Write calls does not
// matter), and the result is rounded half to even and clamped, so values
// beyond full scale clip and NaN becomes silence. MP3 is encoded from the
// same 16-bit dithered signal as WAV16. WAV16 and FLAC16 (and WAV24 and
// FLAC24) with the same seed hold exactly the same integers, and the same
// input, options and DitherSeed always give byte-identical files, in
// every format.
//
// # Tags
//
// Only Tags (title, artist, album, track number and count) are written,
// and empty ones are left out; there is no date, user name, path, host
// name or software version, except what the formats carry anyway: LAME's
// version string ("LAME3.100") in the MP3 LAME tag frame and, as LAME
// always does, as filler in unused ancillary bits of some frames; and
// FLAC's vendor string, set to "Sangstudio".
//
//   - MP3: an ID3v2.3 tag at the start — TIT2, TPE1, TALB and TRCK ("n" or
//     "n/N") — in UTF-16 with a byte order mark, so that every character
//     survives in car stereos and phones; no padding, no
//     unsynchronisation. Also an ID3v1.1 tag at the end, for old players,
//     but only if title, artist and album fit ISO-8859-1 (æøå do) and the
//     track is at most 255: fields cut to 30 characters.
//   - FLAC: a VORBIS_COMMENT block with TITLE, ARTIST, ALBUM, TRACKNUMBER
//     and TRACKTOTAL.
//   - WAV: a LIST/INFO chunk between fmt and data with INAM (title), IART
//     (artist), IPRD (album) and ITRK (track number; RIFF has no field for
//     the count), in UTF-8, which ffmpeg-based players, VLC and foobar2000
//     show correctly (some old Windows programs assume their code page).
//
// # Why LAME
//
// go-lame (cgo, LAME 3.100) and github.com/braheezy/shine-mp3 v0.1.0 (pure
// Go) were compared on the same material: the 27.5 s demo song rendered to
// 16-bit stereo 48 kHz, and 30 s of a synthesised chord progression with
// pink noise. Each MP3 was decoded with ffmpeg, aligned by
// cross-correlation, and compared with the input:
//
//	                       demo song            synth chords
//	go-lame 256k JS q2     SNR 41.0 dB          SNR 31.7 dB
//	shine 256k stereo      SNR 18.1 dB (39.0)   SNR 17.8 dB (28.1)
//	shine 128k (default)   SNR 17.8 dB (29.1)   SNR 16.9 dB (22.8)
//
// (in brackets: after undoing shine's +1.0 dB level error). Band SNR on
// the demo, LAME / shine 256k: 0–1 kHz 44.0/18.1, 1–4 kHz 29.2/17.4,
// 4–11 kHz 17.2/11.3, 11–16 kHz 14.3/7.5 dB. Speed: LAME q2 43–65×
// real time, shine 68–76×. LAME's files are clean in mp3val and decode
// sample-exact in ffmpeg (LAME tag); shine writes no Xing/LAME header
// (ffmpeg: "Estimating duration from bitrate"), adds 1057 samples of
// delay, plays 1 dB louder (clips near full scale), loses every other
// frame in mono, and needs whole 1152-frame input. LAME it is.
//
// (Speeds on a shared 2-core machine vary by ±40% with its load: LAME
// measured 29–65× on the same file.)
//
// Measured with this package: the 3 s test signal decodes with an SNR of
// 39–40 dB in stereo, 43–48 dB in mono; a -1 dBFS sine decodes at
// -0.99 dBFS. BenchmarkEncode, 10 s of stereo 48 kHz: WAV 16-bit
// 600–1100× real time, WAV 24-bit 600–950×, FLAC 40–70×, MP3 24–37×.
package encode
