#!/usr/bin/env bash
# bench-engine.sh: missed JACK cycles while the engine plays a 16-track song
# for ENGINE_SECONDS (default 120) at each period of ENGINE_BUFFERS (default
# "128 256" frames) on the JACK server that scripts/audio-env.sh started (run
# it inside that environment, as `make bench` does), next to a peer C client
# (jackd2's jack_simple_client) on the same server in the same run.
#
# For each period it prints sangstudio's xruns and underruns, the cycles
# each client missed and how often the server's own timer was late (from
# the server's log), and, when the play command prints them, the callback
# times (where each buffer's time went: the server's wake-up, the entry
# into Go, the callback). Compare ratios to the peer, not absolute figures:
# the machines are shared and noisy.
#
# ENGINE_BIN (default bin/sangstudio) and ENGINE_LABEL let the same method
# run against another build (e.g. an older commit in a git worktree).
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${ENGINE_SECONDS:-120}
BUFS=${ENGINE_BUFFERS:-128 256}
OUT=${BENCH_OUT:-bench-out}
BIN=${ENGINE_BIN:-bin/sangstudio}
LABEL=${ENGINE_LABEL:-$BIN}
[ -n "${JACK_DEFAULT_SERVER:-}" ] || { echo "bench-engine: no JACK server (run inside scripts/audio-env.sh)"; exit 1; }
[ -x "$BIN" ] || { echo "bench-engine: $BIN is not built (make build)"; exit 1; }
mkdir -p "$OUT"
reps=$(( (SECS + 59) / 60 ))
song=$OUT/engine-song-${reps}m # long enough for SECS
if [ ! -e "$song/song.json" ]; then
  rm -rf "$song"; mkdir -p "$song/audio" "$song/exports"; chmod 700 "$song"
  sox -q -n -r 48000 -b 24 -c 1 -t wavpcm "$song/audio/loop.wav" synth 60 pinknoise gain -20
  frames=$((60 * 48000))
  {
    echo '{"schema":1,"title":"Engine bench","rate":48000,"tempo":100,"time_signature":{"beats":4,"unit":4},"tracks":['
    for i in $(seq 1 16); do
      [ "$i" -gt 1 ] && echo ','
      printf '{"name":"T%d","kind":"audio","channels":1,"gain_db":-12,"pan":0,"mute":false,"solo":false,"clips":[' "$i"
      for k in $(seq 0 $((reps - 1))); do
        [ "$k" -gt 0 ] && printf ','
        printf '{"take":"loop.wav","position":%d,"offset":0,"length":%d,"gain_db":0,"fade_in":0,"fade_out":0}' $((k * frames)) "$frames"
      done
      printf ']}'
    done
    echo '],"markers":[],"lyrics":"","master":{"gain_db":0}}'
  } > "$song/song.json"
fi
# A peer in the same run: jackd2's own C example client on the same server.
# The server's log names each client that missed a cycle, so the machine's
# share of the xruns (any client misses cycles when it is not run in time)
# shows next to sangstudio's.
log=${AUDIO_DIR:-}/jackd.log
jack_simple_client >/dev/null 2>&1 &
peer=$!
old=$(jack_bufsize | grep -o '[0-9]*' | head -1)
trap 'kill $peer 2>/dev/null || true; [ -n "$old" ] && jack_bufsize "$old" >/dev/null 2>&1 || true' EXIT
sleep 1
count() { # $1: pattern; lines of the server's log after line $2
  if [ -r "$log" ]; then tail -n +"$(( $2 + 1 ))" "$log" | grep -c -- "$1" || true; else echo "?"; fi
}
for BUF in $BUFS; do
  jack_bufsize "$BUF" >/dev/null
  sleep 1 # the period change makes an xrun of its own: let it pass
  from=$( [ -r "$log" ] && wc -l < "$log" || echo 0)
  echo "== engine ($LABEL): 16 tracks playing for $SECS s at $BUF frames per buffer on JACK ($(date -u +%F))"
  "$BIN" play "$song" --device jack --buffer "$BUF" --seconds "$SECS" 2>&1 | grep -E "^(Xruns|Note|Playing|Callback times)" || true
  sang=$(count 'client = sangstudio was not finished' "$from")
  simple=$(count 'client = jack_simple_client was not finished' "$from")
  timer=$(count 'JackTimedDriver::Process XRun' "$from")
  echo "Cycles missed at $BUF frames (the server's log): sangstudio $sang, the peer jack_simple_client $simple, the server's own timer late $timer"
done
