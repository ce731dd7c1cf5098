#!/usr/bin/env bash
# help-to-man.sh VERSION DATE < HELP: turns `sangstudio help` into a man page
# (troff, on stdout). The help's first lines (up to the first blank line) are
# the synopsis; then each command is a line "  NAME ARGS" followed by an
# indented line that says what it does.
set -euo pipefail
version=$1 date=$2
cat <<HEAD
.TH SANGSTUDIO 1 "$date" "sangstudio $version" "User Commands"
.SH NAME
sangstudio \\- record, mix and share songs written together
HEAD
awk '
function esc(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); if (s ~ /^[.\047]/) s = "\\&" s; return s }
BEGIN { part = "synopsis"; print ".SH SYNOPSIS" }
part == "synopsis" && /^$/ { part = "commands"; print ".SH COMMANDS"; next }
part == "synopsis" { sub(/^(usage: *| +)/, ""); print esc($0); print ".br"; next }
/^  [^ ]/ { name = $1; sub(/^ +[^ ]+ */, ""); print ".TP"; print "\\fB" esc(name) "\\fR " esc($0); next }
/^      / { sub(/^ +/, ""); print esc($0); next }
NF { print ".PP"; print esc($0) }
'
cat <<'TAIL'
.SH FILES
.TP
~/.config/sangstudio/settings.json
the window's settings (audio device, language, text size, ...)
.TP
~/.config/sangstudio/calibration.json
the measured round-trip latency, shared with \fBsangstudio calibrate\fR
.TP
~/Sangstudio
the song library, unless another folder was chosen on the first start
.SH EXIT STATUS
0 when the command did its work, 1 when it failed (the reason is printed),
2 when the command line was wrong.
TAIL
