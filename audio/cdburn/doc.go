// Package cdburn burns a disc image (a cdrdao TOC file, disc-at-once, with
// CD-TEXT) to a blank CD-R with cdrdao, for both `sangstudio` on the command
// line and the window: it finds the CD writers (Drives), looks at the disc
// in one (Inspect), runs `cdrdao write` with progress, an overall timeout, a
// "stopped responding" watchdog and cancellation (Burn), and turns cdrdao's
// output into plain sentences (*Error). When writing fails in a way that a
// drive without CD-TEXT support can cause, the *Error says so
// (TryWithoutCDText) and the caller can offer to burn again from
// WithoutCDText's copy of the TOC.
//
// # Where the output formats come from
//
// Every parser here reads what cdrdao 1.2.4 (the Debian/Ubuntu package
// installed here) prints. The formats were taken from cdrdao's source
// (github.com/cdrdao/cdrdao) and from real transcripts posted by users:
//
//   - All messages go to stderr through log_message (trackdb/log.cc):
//     "ERROR: " / "WARNING: " prefixes, a newline unless the format ends in
//     ' ' or '\r'. So "Starting write " + "at speed %d..." is one line, and
//     the "Wrote …\r" progress lines must be split on '\r' as well as '\n'.
//     disk-info's fields are printf'd to stdout (dao/main.cc showDiskInfo).
//   - scanbus: "%s : %s, %s, %s" (device, vendor, product, revision), and
//     "%-20s %s, %s, %s" for the ATA/ATAPI scan (dao/main.cc scanBus). On
//     Linux 1.2.4 the device is the block node from sysfs ("/dev/sr0",
//     dao/ScsiIf-linux.cc scan), and vendor/product/revision are the fixed
//     8/16/4-byte sysfs fields, so they may carry trailing spaces. Older and
//     other builds print "0,0,0" or "ATA:0,0,0"; cdrdao --device accepts
//     all of these, so Drive.Device is what scanbus printed.
//   - disk-info: "CD-RW                : yes|no|n/a", "Total Capacity       :
//     MM:SS:FF (N blocks, a/b MB)", "CD-R empty           : yes|no|n/a",
//     and for written discs "Appendable           : yes|no" and
//     "Remaining Capacity   : …" (dao/main.cc showDiskInfo; a real 1.2.4
//     transcript is quoted in ParseDiskInfo's test). With no disc cdrdao
//     retries "WARNING: Unit not ready, still trying..." for about 30 s and
//     then says "ERROR: Unit not ready, giving up." (dao/main.cc
//     setupDevice), which is why Inspect allows 60 s.
//   - write: "Starting write [simulation ]at speed N...", "Pausing 10
//     seconds - hit CTRL-C to abort." (absent with -n), "Process can be
//     aborted with QUIT signal (usually CTRL-\).", "Writing track %02d (mode
//     %s/%s %s)...", "Wrote %ld of %ld MB (Buffers %3d%% %3d%%).\r" (or
//     "(Buffer %3d%%)"), "Wrote %ld blocks. Buffer fill min %d%%/max %d%%.",
//     "Writing finished successfully." / "Simulation finished successfully."
//     and "ERROR: Writing failed." (dao/dao.cc writer, dao/main.cc); "Turning
//     BURN-Proof on", "Executing power calibration...", "Writing CD-TEXT
//     lead-in...", "Write data failed.", "Writing of CD-TEXT data failed.",
//     "Flushing cache..." (dao/GenericMMC.cc); "Writing lead-in and gap...",
//     "Writing lead-out...", "Using 96 byte raw P-W sub-channel data mode for
//     CD-TEXT.", "Cannot write CD-TEXT data because the 96 byte raw P-W
//     sub-channel data mode is not supported." (dao/GenericMMCraw.cc); the
//     zero-data "Wrote %ld of %ld MB.\r" lines of the lead-in and lead-out
//     (dao/CdrDriver.cc writeZeros). A complete real 1.2.4 transcript is in
//     github.com/cdrdao/cdrdao issue #10, and a lead-in failure ("Writing
//     lead-in and gap..." then "ERROR: Write data failed.") in issue #36.
//   - Device errors as printed by the installed 1.2.4 here: "ERROR: Unable to
//     open SCSI device /dev/sr0: No such file or directory." followed by
//     "ERROR: Cannot setup device /dev/sr0."; with EACCES cdrdao falls back
//     to read-only and warns "No permission to write to SCSI device."
//     (dao/ScsiIf-linux.cc init). cdrdao is run with LC_ALL=C so that the
//     strerror texts stay English.
//   - The TOC syntax that WithoutCDText has to respect (strings with \" and
//     \ooo escapes, "//" comments, nested { } in CD_TEXT blocks) is from
//     trackdb/TocParser.g and the cdrdao(1) manual.
//   - Which drives can write CDs: the "Can write CD-R:" row of
//     /proc/sys/dev/cdrom/info (Linux drivers/cdrom/cdrom.c).
//
// Two lines that were expected but are not in cdrdao's source, "Writing
// lead-in and toc..." and "Writing completed successfully.", are accepted
// as well (as the lead-in and the end), in case some build prints them.
//
// # What could not be tried here
//
// The machine this package was written on has no CD drive (no /dev/sr*, no
// /sys/bus/scsi): no disc has been burned or inspected with it. The real
// cdrdao write path (talking to a drive, CD-TEXT lead-in, power
// calibration, progress, a drive that hangs) is tested only against a FAKE
// cdrdao, a shell script that replays the real output formats listed
// above, with '\r' progress lines, pauses, exit codes and a hang. Against
// the real cdrdao 1.2.4 the tests check only what works without a drive:
// scanbus finding nothing, disk-info on a missing device (its error text),
// and that the TOC files WithoutCDText writes still read the same
// (`cdrdao toc-size`). Trying that showed that 1.2.4 opens a TOC's
// relative FILE names from its working folder, not from the TOC's, so Burn
// runs cdrdao in the TOC's folder (checked only against the fake). Drive
// permission problems were checked only through the error mapping: the
// tests run as root, for whom open(2) does not fail with EACCES.
package cdburn
