#!/usr/bin/env bash
# bench-engine.sh: xruns while the engine plays a 16-track song for
# ENGINE_SECONDS (default 600) at 128 frames per buffer on the JACK server
# that scripts/audio-env.sh started (run it inside that environment, as
# `make bench` does). Prints the xrun and underrun counts, and the cycles
# missed per client, next to a peer C client on the same server.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${ENGINE_SECONDS:-600}
BUF=${ENGINE_BUFFER:-128}
OUT=${BENCH_OUT:-bench-out}
BIN=bin/sangstudio
[ -n "${JACK_DEFAULT_SERVER:-}" ] || { echo "bench-engine: no JACK server (run inside scripts/audio-env.sh)"; exit 1; }
mkdir -p "$OUT"
song=$OUT/engine-song
if [ ! -e "$song/song.json" ]; then
  rm -rf "$song"; mkdir -p "$song/audio" "$song/exports"; chmod 700 "$song"
  sox -q -n -r 48000 -b 24 -c 1 -t wavpcm "$song/audio/loop.wav" synth 60 pinknoise gain -20
  frames=$((60 * 48000)); reps=$(( (SECS + 59) / 60 ))
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
jack_bufsize "$BUF" >/dev/null
# A peer in the same run: jackd2's own C example client on the same server.
# The server's log names each client that missed a cycle, so the machine's
# share of the xruns (any client misses cycles when it is not run in time)
# shows next to sangstudio's.
log=${AUDIO_DIR:-}/jackd.log
jack_simple_client >/dev/null 2>&1 &
peer=$!
trap 'kill $peer 2>/dev/null || true' EXIT
sleep 1
count() { # $1: pattern; lines of the server's log after line $2
  if [ -r "$log" ]; then tail -n +"$(( $2 + 1 ))" "$log" | grep -c -- "$1" || true; else echo "?"; fi
}
from=$( [ -r "$log" ] && wc -l < "$log" || echo 0)
echo "== engine: 16 tracks playing for $SECS s at $BUF frames per buffer on JACK ($(date -u +%F))"
$BIN play "$song" --device jack --buffer "$BUF" --seconds "$SECS" 2>&1 | grep -E "^(Xruns|Note|Playing)" || true
echo "Cycles missed (the server's log): sangstudio $(count 'client = sangstudio was not finished' "$from"), the peer jack_simple_client $(count 'client = jack_simple_client was not finished' "$from"), the server's own timer late $(count 'JackTimedDriver::Process XRun' "$from")"
