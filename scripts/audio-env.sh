#!/usr/bin/env bash
# audio-env.sh: a hardware-free audio server for tests and benchmarks.
#
# Source it, then call audio_up; always pair it with audio_down:
#
#   source scripts/audio-env.sh
#   trap audio_down EXIT
#   audio_up
#   SANGSTUDIO_REQUIRE_AUDIO=1 go test ./audio/device/
#
# audio_up starts a private JACK server with the dummy backend (real-time
# paced, no sound card needed) named sangstudio-test-<shell pid>, so it never
# meets another jackd on the machine, and exports what JACK clients (and
# PortAudio's JACK host API) need to find it:
#
#   JACK_DEFAULT_SERVER        the private server's name
#   JACK_NO_START_SERVER=1     libjack never starts a jackd of its own
#   JACK_NO_AUDIO_RESERVATION=1  no D-Bus device reservation
#   ALSA_CONFIG_PATH           a standalone ALSA config (there is no sound
#                              card; "default" plays into the JACK server)
#   AUDIO_TAP                  what ALSA apps play to "default", as raw
#                              float32le, 2 channels, at the server's rate
#   AUDIO_JACKD_PID, AUDIO_DIR (jackd.log and the ALSA config are there)
#
# audio_down stops that server by its PID (never by name) and removes AUDIO_DIR.
# A test that kills a jackd with SIGKILL should call audio_release_server with
# its name afterwards (see there).
# AUDIO_RATE, AUDIO_PERIOD and AUDIO_CHANNELS override 48000, 128 and 8.
# The packages (jackd2, alsa-utils, libasound2-plugins) come from
# scripts/install-deps.sh test, which `make test` runs first.

AUDIO_RATE=${AUDIO_RATE:-48000}
AUDIO_PERIOD=${AUDIO_PERIOD:-128}
AUDIO_CHANNELS=${AUDIO_CHANNELS:-8}

audio_write_alsa_conf() { # $1: the file, $2: the tap file
  # ALSA_CONFIG_PATH replaces alsa.conf, so nothing probes for cards. A config
  # without any PCM makes PortAudio 19.6 abort while listing devices; this one
  # routes "default" into the JACK server through the alsa-plugins jack PCM,
  # and taps what is played there into $2 (raw float32le, the rate, 2 ch).
  cat >"$1" <<CONF
pcm.jackpcm {
    type jack
    playback_ports { 0 system:playback_1  1 system:playback_2 }
    capture_ports  { 0 system:capture_1   1 system:capture_2 }
}
pcm.taprec {
    type file
    slave.pcm "jackpcm"
    file "$2"
    format "raw"
    perm 0644
}
pcm.!default {
    type plug
    slave { pcm "taprec" format FLOAT_LE rate $AUDIO_RATE channels 2 }
}
CONF
}

audio_up() {
  local t0=$SECONDS
  if [ -n "${AUDIO_JACKD_PID:-}" ] && kill -0 "$AUDIO_JACKD_PID" 2>/dev/null; then
    echo "audio_up: jackd is already running (pid $AUDIO_JACKD_PID)"; return 0
  fi
  for tool in jackd jack_wait; do
    command -v "$tool" >/dev/null 2>&1 || {
      echo "audio_up: $tool is missing; run scripts/install-deps.sh test (it installs jackd2)" >&2; return 1; }
  done
  AUDIO_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sangstudio-audio.XXXXXX") || return 1
  audio_write_alsa_conf "$AUDIO_DIR/asound.conf" "$AUDIO_DIR/tap.raw"
  export AUDIO_DIR AUDIO_TAP="$AUDIO_DIR/tap.raw"
  export ALSA_CONFIG_PATH="$AUDIO_DIR/asound.conf"
  export JACK_DEFAULT_SERVER="sangstudio-test-$$"
  export JACK_NO_START_SERVER=1
  export JACK_NO_AUDIO_RESERVATION=1
  jackd -n "$JACK_DEFAULT_SERVER" -d dummy -r "$AUDIO_RATE" -p "$AUDIO_PERIOD" \
    -C "$AUDIO_CHANNELS" -P "$AUDIO_CHANNELS" >"$AUDIO_DIR/jackd.log" 2>&1 </dev/null &
  AUDIO_JACKD_PID=$!
  export AUDIO_JACKD_PID
  if ! jack_wait -w -t 10 >/dev/null 2>&1; then
    echo "audio_up: jackd did not come up within 10 s; its log:" >&2
    cat "$AUDIO_DIR/jackd.log" >&2
    audio_down
    return 1
  fi
  echo "audio_up: jackd pid $AUDIO_JACKD_PID, server $JACK_DEFAULT_SERVER, ${AUDIO_RATE} Hz, period $AUDIO_PERIOD, $AUDIO_CHANNELS in/$AUDIO_CHANNELS out ($((SECONDS - t0)) s)"
}

audio_down() {
  local pid=${AUDIO_JACKD_PID:-} server=${JACK_DEFAULT_SERVER:-}
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -9 "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      audio_release_server "$server"
    fi
    wait "$pid" 2>/dev/null || true
  fi
  if [ -n "${AUDIO_DIR:-}" ] && [ -d "$AUDIO_DIR" ]; then rm -rf "$AUDIO_DIR"; fi
  unset AUDIO_JACKD_PID AUDIO_DIR AUDIO_TAP
}

# audio_release_server NAME: after a jackd of that name was killed with
# SIGKILL. It stays registered in /dev/shm/jack-shm-registry, which has room
# for 8 servers and frees a dead server's slot only when a server of the same
# name starts; so start one and stop it cleanly (that also frees the dead
# server's shared memory).
audio_release_server() {
  local name=$1 pid
  [ -n "$name" ] || return 0
  jackd -n "$name" -d dummy -r "$AUDIO_RATE" -p "$AUDIO_PERIOD" -C 1 -P 1 >/dev/null 2>&1 </dev/null &
  pid=$!
  jack_wait -s "$name" -w -t 10 >/dev/null 2>&1
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f /dev/shm/jack_"$name"_* /dev/shm/jack_sem.*_"$name"_*
}
