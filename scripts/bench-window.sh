#!/usr/bin/env bash
# bench-window.sh: how fast the window starts and how much it costs idle,
# against the smallest Fyne app (scripts/fynehello) in the same run, under
# Xvfb with no audio hardware (the virtual device).
#   start: from exec to the song view shown (Sangstudio, demo song) or the
#          first frame (fynehello); median of ROUNDS runs.
#   idle:  CPU (% of one core) and max RSS over IDLE_SECONDS once the window
#          is up and nothing plays.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
IDLE_SECONDS=${IDLE_SECONDS:-20}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/sangstudio" ./cmd/sangstudio
go build -o "$work/fynehello" ./scripts/fynehello
"$work/sangstudio" demo "$work/lib/Demo" >/dev/null

exec 3<> "$work/fd"
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
for _ in $(seq 100); do [ -s "$work/fd" ] && break; sleep 0.1; done
export DISPLAY=":$(head -1 "$work/fd")"
export HOME="$work" XDG_CONFIG_HOME="$work/.config" LANGUAGE=en LANG=en_US.UTF-8 JACK_NO_START_SERVER=1

now() { date +%s%N; }
# start_ms CMD...: milliseconds from exec to the ready file.
start_ms() {
  rm -f "$work/ready"
  local t0; t0=$(now)
  SANGSTUDIO_READY_FILE="$work/ready" SANGSTUDIO_QUIT_AFTER_READY=1 "$@" >/dev/null 2>&1 || true
  [ -s "$work/ready" ] || { echo "no window from $1" >&2; exit 1; }
  echo $(( ($(head -1 "$work/ready") - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# idle CMD...: "cpu% rssMB" over IDLE_SECONDS after the window is up.
idle() {
  rm -f "$work/ready"
  SANGSTUDIO_READY_FILE="$work/ready" "$@" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 600); do [ -s "$work/ready" ] && break; sleep 0.1; done
  sleep 3
  local hz; hz=$(getconf CLK_TCK)
  local a; a=$(awk '{print $14+$15}' /proc/$pid/stat)
  sleep "$IDLE_SECONDS"
  local b; b=$(awk '{print $14+$15}' /proc/$pid/stat)
  local rss; rss=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  echo "$(echo "scale=2; ($b-$a)*100/$hz/$IDLE_SECONDS" | bc) $rss"
}

ours=(); peer=()
for _ in $(seq "$ROUNDS"); do
  ours+=("$(start_ms "$work/sangstudio" open "$work/lib/Demo")")
  peer+=("$(start_ms "$work/fynehello")")
done
o=$(printf '%s\n' "${ours[@]}" | median); p=$(printf '%s\n' "${peer[@]}" | median)
echo "window start (median of $ROUNDS): sangstudio ${o} ms to the song view, fynehello ${p} ms to its first frame: ratio $(echo "scale=2; $o/$p" | bc)"
echo "  runs: sangstudio ${ours[*]} ms; fynehello ${peer[*]} ms"
read -r oc orss <<<"$(idle "$work/sangstudio" open "$work/lib/Demo")"
read -r pc prss <<<"$(idle "$work/fynehello")"
echo "idle for ${IDLE_SECONDS} s: sangstudio ${oc}% of a core, ${orss} MB max RSS; fynehello ${pc}%, ${prss} MB"
