#!/usr/bin/env bash
# bench-loudness.sh: the loudness meter (audio/loudness) against ffmpeg's
# ebur128 filter with true peak, on a generated 4-minute 48 kHz 24-bit stereo
# file (pink noise under a slow and a fast tremolo, so the loudness moves).
# Prints the wall times (median of ROUNDS, the tools alternating), the ratio
# ffmpeg / ours, and both measurements side by side.
# ROUNDS (default 5) and SECS (default 240) override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-5}
SECS=${SECS:-240}
GO=${GO:-go}
for tool in sox ffmpeg "$GO"; do
  command -v "$tool" >/dev/null || { echo "bench-loudness: $tool is missing (scripts/install-deps.sh test installs sox and ffmpeg)"; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wav=$tmp/bench.wav

echo "== generating $SECS s of 48 kHz 24-bit stereo with sox"
sox -R -n -r 48000 -c 2 -b 24 "$wav" synth "$SECS" pinknoise tremolo 0.05 60 tremolo 3 40 gain -3
echo "== building audio/loudness/internal/measure"
"$GO" build -o "$tmp/measure" ./audio/loudness/internal/measure

now() { date +%s.%N; }
declare -A times
run() { # name command...
  local t0 t1; t0=$(now); "${@:2}" >"$tmp/$1.out" 2>&1; t1=$(now)
  times[$1]+="$(echo "$t1 - $t0" | bc -l) "
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r"
  run ours "$tmp/measure" "$wav"
  run ffmpeg ffmpeg -nostats -hide_banner -i "$wav" -af ebur128=peak=true -f null -
  # The same without the 10 lines a second ffmpeg logs while it measures.
  run ffmpeg-quiet ffmpeg -nostats -hide_banner -i "$wav" -af ebur128=peak=true:framelog=verbose -f null -
done

declare -A med
for k in ours ffmpeg ffmpeg-quiet; do med[$k]=$(echo "${times[$k]}" | median); done
echo
echo "== wall time for $SECS s of audio, median of $ROUNDS rounds (seconds): $(for k in ours ffmpeg ffmpeg-quiet; do printf '%s %.3f  ' $k "${med[$k]}"; done)"
printf 'ours: %.0fx real time\n' "$(echo "$SECS / ${med[ours]}" | bc -l)"
printf 'ffmpeg / ours       = %.2fx  (ebur128=peak=true, as a user would run it)\n' "$(echo "${med[ffmpeg]} / ${med[ours]}" | bc -l)"
printf 'ffmpeg-quiet / ours = %.2fx  (framelog=verbose: no per-100-ms log lines)\n' "$(echo "${med[ffmpeg-quiet]} / ${med[ours]}" | bc -l)"

echo
echo "== results"
sed 's/^[^:]*: /   ours:   /' "$tmp/ours.out"
ffmpeg -nostats -hide_banner -i "$wav" -af ebur128=peak=true+sample:framelog=verbose -f null - 2>&1 |
  awk '/Summary:/ {s=1} s && /I:|LRA:|Peak:/ {sub(/^ +/, ""); gsub(/ +/, " "); printf "%s%s", sep, $0; sep=", "} END {print ""}' |
  sed 's/^/   ffmpeg: /; s/Peak:/sample peak/; s/Peak:/true peak/'
