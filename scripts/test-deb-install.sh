#!/usr/bin/env bash
# test-deb-install.sh: the clean-install test (make test runs it).
#  1. builds the .deb (scripts/make-deb.sh) and checks it with lintian (no
#     errors) and appstreamcli;
#  2. installs it with `apt-get install ./sangstudio_*.deb`;
#  3. from a folder outside the checkout, with a fresh HOME and only
#     /usr/bin:/bin on the PATH, runs /usr/bin/sangstudio devices, demo and
#     info, and starts the menu entry's command line (Exec=, with a WAV
#     file for %F) under Xvfb up to its first screen, timing it;
#  4. removes the package with `apt-get remove` and checks that none of its
#     files (the `dpkg -L` list taken before) is left.
# Skipped, with a message, when not root or without apt-get: it installs
# into the machine's /usr. On a machine that has sangstudio installed, that
# package is replaced and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then
  echo "deb install test: SKIPPED (it installs the package into /usr: needs root and apt-get)"
  exit 0
fi
fail() { echo "deb install test: FAIL: $*" >&2; exit 1; }
work=$(mktemp -d /tmp/sangstudio-deb-test.XXXXXX)
xvfb_pid=""
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  if dpkg-query -W -f='${Status}' sangstudio 2>/dev/null | grep -q "ok installed"; then
    apt-get remove -y -qq sangstudio >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
t0=$(date +%s)

# 1. Build and check.
deb=$(scripts/make-deb.sh "$work")
lintian --fail-on error "$deb" 2>&1 | grep -v '^running with root privileges' || true
lintian --fail-on error "$deb" >/dev/null 2>&1 || fail "lintian reports errors"
appstreamcli validate --no-net build/deb/root/usr/share/metainfo/*.xml >/dev/null || fail "appstreamcli validate"
echo "deb install test: built $(basename "$deb"), $(stat -c %s "$deb") bytes, lintian: no errors"

# 2. Install.
if dpkg-query -W -f='${Status}' sangstudio 2>/dev/null | grep -q "ok installed"; then
  echo "deb install test: note: sangstudio $(dpkg-query -W -f='${Version}' sangstudio) was installed; it is replaced, then removed"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get install"; }
dpkg -L sangstudio | sort > "$work/files"
[ -x /usr/bin/sangstudio ] || fail "no /usr/bin/sangstudio after installing"

# 3. Run it as a user would: a fresh home, outside the checkout.
home=$work/home run=$work/run
mkdir -p "$home" "$run"
userenv=(env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 JACK_NO_START_SERVER=1)
(cd "$run" && "${userenv[@]}" /usr/bin/sangstudio devices) > "$work/devices" 2>&1 || { cat "$work/devices" >&2; fail "sangstudio devices"; }
grep -qi "virtual" "$work/devices" || { cat "$work/devices" >&2; fail "sangstudio devices does not list the virtual device"; }
(cd "$run" && "${userenv[@]}" /usr/bin/sangstudio demo Demo) > "$work/demo" 2>&1 || { cat "$work/demo" >&2; fail "sangstudio demo"; }
(cd "$run" && "${userenv[@]}" /usr/bin/sangstudio info Demo) > "$work/info" 2>&1 || { cat "$work/info" >&2; fail "sangstudio info"; }
grep -q "Morgenlys" "$work/info" || { cat "$work/info" >&2; fail "sangstudio info does not show the demo song"; }
man -l /usr/share/man/man1/sangstudio.1.gz >/dev/null 2>&1 || [ ! -x /usr/bin/man ] || fail "the man page does not format"
echo "deb install test: /usr/bin/sangstudio devices, demo and info ran from $run with HOME=$home"

# The menu entry under Xvfb: its Exec line, with a WAV file for %F, opens
# the window on a new song made from it.
desktop=/usr/share/applications/org.sangstudio.Sangstudio.desktop
exec_line=$(sed -n 's/^Exec=//p' "$desktop")
wav=$run/Vers.wav
cp testdata/wav/pcm16-stereo.wav "$wav"
read -r -a cmd <<<"${exec_line/\%F/$wav}"
exec 3<>"$work/display"
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || fail "Xvfb did not start"
display=":$(head -1 "$work/display")"
start=$(date +%s%N)
(cd "$run" && "${userenv[@]}" DISPLAY="$display" SANGSTUDIO_READY_FILE="$work/ready" SANGSTUDIO_QUIT_AFTER_READY=1 \
  timeout 60 "${cmd[@]}") > "$work/window" 2>&1 || { cat "$work/window" >&2; fail "the menu entry's command ($exec_line) did not open the window"; }
[ -s "$work/ready" ] || fail "the menu entry's command exited without showing the window"
ms=$(( ($(head -1 "$work/ready") - start) / 1000000 ))
ls "$home/Sangstudio"/Vers*/song.json >/dev/null 2>&1 || fail "no new song Vers in $home/Sangstudio after opening $wav"
echo "deb install test: the menu entry ($exec_line) opened the window on a new song from a WAV file in ${ms} ms (to its first screen, Xvfb)"

# 4. Remove; nothing of the package may be left. Folders it shares with
# other packages (/usr/share/icons/...) may stay; its own may not.
apt-get remove -y -qq sangstudio >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get remove"; }
left=""
while read -r f; do
  if [ -d "$f" ] && [ ! -L "$f" ]; then
    [ -z "$(ls -A "$f")" ] && ! dpkg -S "$f" >/dev/null 2>&1 && left="$left $f"
  elif [ -e "$f" ] || [ -L "$f" ]; then
    left="$left $f"
  fi
done < "$work/files"
[ -z "$left" ] || fail "left after apt-get remove:$left"
status=$(dpkg-query -W -f='${Status}' sangstudio 2>/dev/null || true)
case $status in ""|*not-installed) ;; *) fail "dpkg still knows sangstudio after removal: $status" ;; esac
echo "deb install test: apt-get remove left none of the package's $(wc -l < "$work/files") paths"
echo "deb install test: PASS in $(( $(date +%s) - t0 )) s"
