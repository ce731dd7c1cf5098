// Package cdimage checks a list of track masters against the Red Book (audio
// CD) rules and writes a disc image that burning programs read:
// DIR/disc.bin with DIR/disc.cue (for common burning programs: ImgBurn,
// K3b, Brasero, cdrecord, bchunk…) and DIR/disc.toc (for cdrdao, with
// CD-TEXT).
//
// The track masters are made elsewhere; here they must be 44.1 kHz 16-bit
// stereo PCM WAV files. Their samples are copied byte for byte, never
// decoded and re-encoded, so the disc holds exactly the masters' integers.
//
// # Red Book rules applied (Check)
//
//   - At least 1 and at most 99 tracks (MaxTracks).
//   - Every track at least 4 seconds of audio (MinTrackFrames); 4.0 s
//     exactly is allowed.
//   - Every track starts and ends on a sector boundary: a sector holds
//     588 stereo frames (2352 bytes, 1/75 s). A master whose length is not
//     a whole number of sectors gets silence after its audio up to the next
//     boundary (at most 587 frames, 13 ms). Gaps are rounded up to whole
//     sectors too.
//   - Track 1 always starts after the 2-second pause every CD has
//     (FirstPregap, 150 sectors: track 1 INDEX 01 is at 00:02:00). The Gap
//     of track 1 is not used; a Gap other than 0 or FirstPregap gives a
//     note. Later tracks may have any gap, 0 included; the gap is INDEX 00
//     (the "pause" players count down) and holds silence.
//   - The whole disc, the 2 s first pause, gaps and padded tracks included
//     (the lead-out position in absolute time), may last at most 79:57
//     (MaxSectors; fatal beyond), and more than 74:00 (WarnSectors) gives a
//     warning: such discs need 80-minute blanks and some older players fail
//     on them.
//   - CD-TEXT (disc and track titles and performers): ISO-8859-1
//     (Latin-1), at most 160 characters (MaxTextLen) per field. Other
//     characters are transliterated by Latin1 (æøå and the rest of Latin-1
//     stay; ř→r, Привет→Privet, “”→", emoji→?), line breaks, tabs and other
//     control characters become spaces, longer fields are cut; each change
//     is a warning that shows what players will display. Empty fields are
//     allowed: an empty title is left out of the CUE sheet, and written as
//     "" in the TOC when other fields of the same kind are set (cdrdao wants
//     a TITLE for every track if any has one); with no text at all the
//     image has no CD-TEXT. CD-TEXT also has a total size limit: one
//     language block holds 256 packs of 12 bytes, 3 of which describe the
//     block, and every field takes its length plus a terminating NUL; text
//     that does not fit is fatal (cdrdao would write a broken CD-TEXT
//     block), and the message says how much to shorten.
//   - Double quotes are fine in CD-TEXT and in the TOC (escaped), but a CUE
//     sheet has no way to escape them: they become ' in the CUE only,
//     without a warning (the TOC, which cdrdao burns, keeps them, and in
//     other burning programs "Kari's" instead of "Kari"s" is harmless).
//
// # Image layout
//
// disc.bin is raw CD-DA audio: 16-bit signed little-endian stereo
// samples, left first (what a CUE sheet's `FILE "disc.bin" BINARY` means),
// a whole number of 2352-byte sectors. It starts at track 1 INDEX 01 (LBA
// 0, absolute time 00:02:00): the 2 s pause before track 1 is not in the
// file, since every burner writes it by itself. Then, for each track: its
// gap as silence (tracks 2 and up), its audio, and the silence that pads it
// to a whole sector.
//
// The first pause is left out of the file because, tried with cdrdao
// 1.2.4, a CUE sheet that puts it in the file (INDEX 00 00:00:00,
// INDEX 01 00:02:00) or says PREGAP 00:02:00 for track 1 is read as an
// extra 2 s pause in the program area: track 1 would start at 00:04:00 and
// the disc would be 2 s longer (show-toc prints "PREGAP 00:02:00" for
// track 1 and 150 more blocks). With INDEX 01 00:00:00, which is also
// what cdrdao's toc2cue, EAC and most rippers write, cdrdao, the CUE
// burners and bchunk all agree on the layout.
//
// Layout gives every track's Start (INDEX 01) in absolute sectors counted
// from 00:00:00, so track 1 starts at 150; its INDEX 01 is at byte
// (Start-150)×2352 of disc.bin and its INDEX 00 GapSectors earlier.
// TotalSectors is the lead-out in absolute sectors (first pause included):
// cdrdao's toc-info prints TotalSectors-150 blocks, toc2cddb prints the
// starts as "Track frame offsets" and TotalSectors/75 as the disc length.
//
// # disc.cue
//
// A CDRWIN cue sheet: disc PERFORMER and TITLE, FILE "disc.bin" BINARY,
// then per track TRACK nn AUDIO, TITLE, PERFORMER, INDEX 00 (only when the
// track has a gap) and INDEX 01, times in mm:ss:ff (75 frames a second)
// from the start of disc.bin. Lines end in CRLF (what Windows burning
// programs expect; the others accept it). The text is written in Latin-1
// bytes, not UTF-8: cue sheets are read in the system's 8-bit code page,
// which for Norwegian and the other Western European languages is Latin-1
// (Windows-1252 is a superset of its printable range), and CD-TEXT itself
// is Latin-1, so the CUE and the CD-TEXT say the same. Fields are written
// whole (up to 160 characters); the original CDRWIN documentation allowed
// 80, and a few old programs cut longer titles.
//
// bchunk (-w) splits disc.bin by this CUE into one WAV per track: each WAV
// runs from the track's INDEX 01 to the next track's INDEX 00 (or INDEX 01
// when it has no gap), i.e. the master's samples followed by the sector
// padding; gaps are in no file. cdrdao also reads the CUE, but assumes raw
// audio files are big-endian (its --swap option fixes that); burn with
// disc.toc instead.
//
// # disc.toc
//
// A cdrdao TOC file: CD_DA, a global CD_TEXT block (LANGUAGE_MAP 0: EN,
// the disc TITLE and PERFORMER), then per track TRACK AUDIO, its CD_TEXT
// block, FILE "disc.bin" SWAP <start> <length> with start and length in
// samples (frames) into disc.bin, covering the gap and the padded audio,
// and START mm:ss:ff (the gap length: where INDEX 01 is) when the track has
// a gap. Raw audio files are big-endian to cdrdao; SWAP tells it that
// disc.bin is little-endian (verified with cdrdao show-data, whose samples
// the tests compare with the masters). cdrdao 1.2.4 resolves the relative
// name "disc.bin" from its working folder, not from the TOC's: run it in
// DIR (audio/cdburn does).
//
// The TOC is plain ASCII: strings are in double quotes with \" for a
// quote and three-digit octal escapes (\ooo) for a backslash (\134) and
// every Latin-1 byte above 127 (å is \345). cdrdao 1.2.4's TOC lexer knows
// only \" and \ooo: a doubled backslash would give two backslashes. The
// escaped bytes are the Latin-1 CD-TEXT bytes (character code 0x00, ISO
// 8859-1, which cdrdao writes into the CD-TEXT size information).
//
// # Writing
//
// Write refuses to write anything when Check finds a fatal problem. It
// writes the three files under temporary names in DIR (mode 0600), fsyncs
// them, and renames them into place only at the end, then fsyncs DIR;
// files of an earlier image are replaced only then. On an error or when
// ctx is cancelled the temporary files are removed and DIR is as before.
package cdimage
