#!/usr/bin/env bash
# bench-cd.sh: `sangstudio cd` on a 3-song album (the shared 16-track x 240 s
# benchmark song three times: 12 minutes of audio): mixing, converting to
# 44.1 kHz, mastering with the CD preset and writing the disc image, in
# multiples of real time (median of ROUNDS).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
OUT=${BENCH_OUT:-bench-out}
BIN=bin/sangstudio
song=$OUT/song240
[ -e "$song/song.json" ] || scripts/bench-master.sh >/dev/null   # makes the song
now() { date +%s.%N; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
times=""
for r in $(seq 1 "$ROUNDS"); do
  rm -rf "$OUT/cd"
  t0=$(now)
  $BIN cd --title "Benchmark" "$song" "$song" "$song" --out "$OUT/cd" > "$OUT/cd.txt" 2>/dev/null
  t1=$(now)
  times+="$(echo "$t1 - $t0" | bc -l) "
done
med=$(echo "$times" | median)
secs=$((3 * 240))
echo "== 3-song CD image ($secs s of audio): $(printf '%.2f' "$med") s = $(echo "$secs / $med" | bc -l | xargs printf '%.1f')x real time (median of $ROUNDS)"
sed 's/^/   /' "$OUT/cd.txt"
cdrdao toc-info "$OUT/cd/disc.toc" 2>&1 | grep -i "tracks" | sed 's/^/   cdrdao: /'
