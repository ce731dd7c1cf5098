#!/usr/bin/env bash
# soak.sh: the long run of `make soak`. Records 8 inputs while 16 tracks
# play on a private JACK server (dummy backend; the audio/session tests
# start and stop their own) for SANGSTUDIO_SOAK_SECONDS (default 3600), and
# checks: every captured frame equal to what was played into the inputs, no
# frame missing, memory flat (RSS sampled each minute), and audio cycles
# missed: counted per client in the JACK server's log, next to jackd2's own
# C example client running on the same server as a peer (sangstudio may not
# miss more than twice the peer's count plus 5).
# The figures are printed at the end (the "long run:" line) and kept in
# $SOAK_LOG (default bench-out/soak.log).
set -euo pipefail
cd "$(dirname "$0")/.."
export CGO_CXXFLAGS=${CGO_CXXFLAGS:--O2 -D__UNIX_JACK__ -Wno-deprecated-declarations}
export CGO_LDFLAGS=${CGO_LDFLAGS:--ljack}
export SANGSTUDIO_SOAK_SECONDS=${SANGSTUDIO_SOAK_SECONDS:-3600}
export SANGSTUDIO_SOAK=${SANGSTUDIO_SOAK:-1}
export SANGSTUDIO_REQUIRE_AUDIO=1
GO=${GO:-go}
SOAK_LOG=${SOAK_LOG:-bench-out/soak.log}
mkdir -p "$(dirname "$SOAK_LOG")"
timeout_s=$((SANGSTUDIO_SOAK_SECONDS + 900))
echo "soak: recording 8 inputs while 16 tracks play for ${SANGSTUDIO_SOAK_SECONDS} s (log: $SOAK_LOG)"
set +e
$GO test -v -count=1 -timeout "${timeout_s}s" -run '^TestLongRunRecord8While16Play$' ./audio/session/ 2>&1 | tee "$SOAK_LOG"
status=${PIPESTATUS[0]}
set -e
echo
grep -h 'long run:' "$SOAK_LOG" || echo "soak: no figures (the run failed early)"
exit "$status"
