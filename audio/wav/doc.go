// Package wav reads and writes WAV (RIFF WAVE) audio files.
//
// # Reading
//
// Open or NewReader parse the header; Read decodes frames into one float32
// slice per channel. The reader accepts WAV as real tools write it:
// 8-, 16-, 24- and 32-bit integer and 32- and 64-bit float samples, any
// number of channels and any sample rate (the caller decides what it
// accepts), format tags PCM (1), IEEE float (3) and EXTENSIBLE (0xFFFE,
// whose sub-format GUID decides between integer and float, with valid bits
// possibly fewer than the container), RF64/BW64 files, chunks in any order
// (bext, LIST, JUNK, fact, ... before or after the audio), odd-sized chunks
// with or without their pad byte, a wrong RIFF size, and the data sizes
// that streaming or interrupted writers leave behind (0, 0xFFFFFFFF, and
// the 2 GiB placeholders of sox and arecord): then the audio runs to the
// end of the file. A data size that is not a whole number of frames is
// rounded down.
//
// Files that cannot be read give a *FormatError whose Reason tells a
// non-technical user what is wrong ("no audio data (data chunk is empty)",
// "unsupported sample format: A-law (format tag 6)", "truncated: the data
// chunk claims 4294967294 bytes but only 1200 follow").
//
// The design follows image/png: the parser never allocates a size read
// from the file. It walks the chunks with ReadAt, skipping the ones it does
// not need without reading them, and reads only the first 40 bytes of fmt
// (refusing a fmt chunk claiming more than 64 KiB) and the fixed 602-byte
// part of bext, into a fixed buffer; a file claiming 4 GB costs a few
// hundred bytes. Read uses ReadAt into a scratch buffer kept in the
// Reader (at most 128 KiB, allocated once) and decodes with loops
// specialised for 16-bit, 24-bit and 32-bit float mono and stereo, so
// steady-state reading does not allocate.
//
// # Writing
//
// Create or NewWriter write a plain WAVE_FORMAT_PCM (16/24/32-bit) or
// WAVE_FORMAT_IEEE_FLOAT header with a fact chunk (32/64-bit float), never
// WAVE_FORMAT_EXTENSIBLE, so that every common program reads the files,
// optionally preceded by a BWF bext chunk. Integer output is rounded and
// clamped (never wrapped); 16-bit (and 8-bit) output gets deterministic
// TPDF dither (package sangstudio/audio/dither) unless
// WriterOptions.NoDither is set.
// Files are limited to 4 GiB: a Write that would cross the limit fails
// with ErrTooLarge and writes nothing.
//
// # Crash safety
//
// The data chunk is always the last chunk, and the header is valid from
// the moment NewWriter returns (describing 0 frames). Then:
//
//   - Every Write hands its bytes to the operating system before returning,
//     so if the process dies (kill -9, crash), the audio is in the file;
//     the header describes the frames as of the last Sync (or 0 frames).
//     This package's reader opens such a file with the frames of the last
//     Sync, or, if there was no Sync, with all the audio present; Repair
//     makes the header describe every whole frame on disk, for all
//     programs.
//   - After Sync returns, the file is a complete, valid WAV file of all
//     frames written so far even if the machine loses power: Sync flushes
//     the audio, then rewrites the sizes, then flushes again, so the sizes
//     on disk never claim audio that is not there.
//   - Close writes the final sizes and the pad byte, flushes and closes.
//
// A recorder should therefore Sync every few seconds and, at start-up, run
// Repair on any recording left unfinished.
//
// A program that cannot or may not write to such a file (a read-only
// folder, a full disk, a command that only reads) can still use all of it:
// RepairedFrames says how many frames Repair would leave, and
// OpenUnfinished reads those frames. Neither writes anything.
package wav
