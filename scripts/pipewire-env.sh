#!/usr/bin/env bash
# pipewire-env.sh: a private, headless PipeWire (with WirePlumber, a null sink
# and a null source) for tests: the desktop's sound system, as Debian 12 and
# Ubuntu 24.04 run it, with no sound card.
#
# Source it, then call pipewire_up; always pair it with pipewire_down:
#
#   source scripts/pipewire-env.sh
#   trap pipewire_down EXIT
#   pipewire_up
#   SANGSTUDIO_REQUIRE_PIPEWIRE=1 go test -run PipeWire ./cmd/sangstudio
#
# pipewire_up makes a fresh private folder (PW_DIR) and starts, in a D-Bus
# session of its own (dbus-run-session; WirePlumber wants one), pipewire and
# wireplumber with XDG_RUNTIME_DIR, XDG_CONFIG_HOME and XDG_STATE_HOME inside
# PW_DIR: it never meets a user's PipeWire, session bus or stored settings.
# It then creates a null sink (node PW_SINK, "sangstudio-test-sink") and a
# null source (PW_SOURCE, "sangstudio-test-source"), 2 channels each, and
# exports what PipeWire clients need to find this server:
#
#   XDG_RUNTIME_DIR, PIPEWIRE_RUNTIME_DIR   PW_DIR/run (the server's socket)
#   PW_SINK, PW_SOURCE                      the node names
#   PW_DIR, PW_SESSION_PID, PW_PIPEWIRE_PID, PW_WIREPLUMBER_PID
#
# ALSA_CONFIG_PATH is unset: ALSA's own configuration applies, where
# pipewire-alsa makes "default" (and "pipewire") this server. Nothing else is
# changed: JACK variables are left alone, and pw-jack is what a test runs to
# use PipeWire's JACK library.
#
# pipewire_down stops wireplumber, pipewire and the D-Bus session by their
# PIDs (never by name; SIGKILL after 5 s) and removes PW_DIR.
# The packages come from scripts/install-deps.sh test.

PW_SINK=sangstudio-test-sink
PW_SOURCE=sangstudio-test-source

pipewire_up() {
  local t0=$SECONDS tool
  if [ -n "${PW_PIPEWIRE_PID:-}" ] && kill -0 "$PW_PIPEWIRE_PID" 2>/dev/null; then
    echo "pipewire_up: pipewire is already running (pid $PW_PIPEWIRE_PID)"; return 0
  fi
  for tool in pipewire wireplumber pw-cli pw-link pw-jack dbus-run-session; do
    command -v "$tool" >/dev/null 2>&1 || {
      echo "pipewire_up: $tool is missing; run scripts/install-deps.sh test (pipewire, pipewire-bin, pipewire-alsa, pipewire-jack, wireplumber, dbus-user-session)" >&2; return 1; }
  done
  PW_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sangstudio-pipewire.XXXXXX") || return 1
  mkdir -p "$PW_DIR/run" "$PW_DIR/config" "$PW_DIR/state" && chmod 700 "$PW_DIR/run"
  # The session: both daemons, their PIDs written down, then wait for them.
  cat >"$PW_DIR/session.sh" <<'SESSION'
pipewire >"$PW_DIR/pipewire.log" 2>&1 </dev/null &
echo $! >"$PW_DIR/pipewire.pid"
for _ in $(seq 1 100); do [ -S "$XDG_RUNTIME_DIR/pipewire-0" ] && break; sleep 0.05; done
wireplumber >"$PW_DIR/wireplumber.log" 2>&1 </dev/null &
echo $! >"$PW_DIR/wireplumber.pid"
wait
SESSION
  export PW_DIR PW_SINK PW_SOURCE
  export XDG_RUNTIME_DIR="$PW_DIR/run" PIPEWIRE_RUNTIME_DIR="$PW_DIR/run"
  unset ALSA_CONFIG_PATH PIPEWIRE_REMOTE
  XDG_CONFIG_HOME="$PW_DIR/config" XDG_STATE_HOME="$PW_DIR/state" \
    dbus-run-session -- bash "$PW_DIR/session.sh" >"$PW_DIR/session.log" 2>&1 </dev/null &
  PW_SESSION_PID=$!
  export PW_SESSION_PID
  local ok=
  for _ in $(seq 1 100); do
    [ -s "$PW_DIR/wireplumber.pid" ] && pw-cli info 0 >/dev/null 2>&1 && { ok=1; break; }
    sleep 0.1
  done
  PW_PIPEWIRE_PID=$(cat "$PW_DIR/pipewire.pid" 2>/dev/null)
  PW_WIREPLUMBER_PID=$(cat "$PW_DIR/wireplumber.pid" 2>/dev/null)
  export PW_PIPEWIRE_PID PW_WIREPLUMBER_PID
  if [ -z "$ok" ]; then
    echo "pipewire_up: pipewire did not come up within 10 s; its logs:" >&2
    cat "$PW_DIR"/*.log >&2
    pipewire_down
    return 1
  fi
  timeout 10 pw-cli create-node adapter "{ factory.name=support.null-audio-sink node.name=$PW_SINK node.description=\"Sangstudio test sink\" media.class=Audio/Sink object.linger=true audio.position=[FL FR] }" >/dev/null &&
    timeout 10 pw-cli create-node adapter "{ factory.name=support.null-audio-sink node.name=$PW_SOURCE node.description=\"Sangstudio test source\" media.class=Audio/Source/Virtual object.linger=true audio.position=[FL FR] }" >/dev/null || {
    echo "pipewire_up: could not create the null sink and source" >&2; pipewire_down; return 1; }
  # WirePlumber makes them the defaults (they are the only ones); wait for it,
  # and for both nodes' ports.
  ok=
  for _ in $(seq 1 100); do
    if pw-link -o 2>/dev/null | grep -q "^$PW_SINK:monitor_FR" && pw-link -o 2>/dev/null | grep -q "^$PW_SOURCE:capture_FR" &&
       pw-metadata 0 default.audio.sink 2>/dev/null | grep -q "$PW_SINK" &&
       pw-metadata 0 default.audio.source 2>/dev/null | grep -q "$PW_SOURCE"; then ok=1; break; fi
    sleep 0.1
  done
  if [ -z "$ok" ]; then
    echo "pipewire_up: the null sink and source did not become the defaults within 10 s" >&2
    pw-link -io >&2; pw-metadata 0 >&2; cat "$PW_DIR"/*.log >&2
    pipewire_down
    return 1
  fi
  echo "pipewire_up: pipewire pid $PW_PIPEWIRE_PID, wireplumber pid $PW_WIREPLUMBER_PID, $(pipewire --version | sed -n 's/^Linked with libpipewire //p'), sink $PW_SINK, source $PW_SOURCE, runtime $XDG_RUNTIME_DIR ($((SECONDS - t0)) s)"
}

# pipewire_stop_pid PID: SIGTERM, then SIGKILL if it is still there after 5 s.
pipewire_stop_pid() {
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

pipewire_down() {
  pipewire_stop_pid "${PW_WIREPLUMBER_PID:-}"
  pipewire_stop_pid "${PW_PIPEWIRE_PID:-}"
  # The session's bash ends with its daemons, and dbus-run-session with it.
  if [ -n "${PW_SESSION_PID:-}" ]; then
    for _ in $(seq 1 50); do kill -0 "$PW_SESSION_PID" 2>/dev/null || break; sleep 0.1; done
    pipewire_stop_pid "$PW_SESSION_PID"
    wait "$PW_SESSION_PID" 2>/dev/null || true
  fi
  if [ -n "${PW_DIR:-}" ] && [ -d "$PW_DIR" ]; then rm -rf "$PW_DIR"; fi
  unset PW_DIR PW_SESSION_PID PW_PIPEWIRE_PID PW_WIREPLUMBER_PID PIPEWIRE_RUNTIME_DIR
}
