#!/usr/bin/env bash
# bench-master.sh: `sangstudio master` on a 4-minute version of the shared
# benchmark song (16 tracks x 240 s) and on the demo song, for the streaming
# and CD presets: wall time in multiples of real time (median of ROUNDS),
# the loudness reached, the true peak, and how hard the limiter worked.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SHARED=${SHARED:-../shared}
OUT=${BENCH_OUT:-bench-out}
BIN=bin/sangstudio
TRACKS=16; SECS=240
mkdir -p "$OUT"

echo "== generating the benchmark song ($TRACKS tracks x $SECS s) in $OUT/src240"
"$SHARED/bench/gen-song.sh" "$OUT/src240" $TRACKS $SECS
song=$OUT/song240
if [ ! -e "$song/song.json" ]; then
  $BIN import "$song" "$OUT"/src240/track*.wav >/dev/null 2>&1
  for i in $(seq 1 $TRACKS); do
    read -r g p < <(awk -v i="$i" -v n=$TRACKS 'BEGIN{printf "%d %.10f\n", -(6+i%7), -0.8+1.6*(i-1)/(n-1)}')
    $BIN set "$song" "$i" --gain "$g" --pan "$p" >/dev/null
  done
fi
demo=$OUT/demo-master
[ -e "$demo/song.json" ] || $BIN demo "$demo" >/dev/null
read -r rate frames < <($BIN info "$demo" | sed -n 's/^Sample rate \([0-9]*\) Hz.*(\([0-9]*\) frames).*/\1 \2/p')
demosecs=$(echo "$frames / $rate" | bc -l)

now() { date +%s.%N; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

for preset in streaming cd; do
  for which in song demo; do
    dir=$song; secs=$SECS
    if [ $which = demo ]; then dir=$demo; secs=${demosecs:-0}; fi
    times=""
    for r in $(seq 1 "$ROUNDS"); do
      t0=$(now)
      $BIN master "$dir" --out "$OUT/master-$which-$preset.mp3" --preset $preset > "$OUT/master-$which-$preset.txt" 2>/dev/null
      t1=$(now)
      times+="$(echo "$t1 - $t0" | bc -l) "
    done
    med=$(echo "$times" | median)
    echo "== $which, preset $preset: $(printf '%.2f' "$med") s for $(printf '%.1f' "$secs") s of audio = $(echo "$secs / $med" | bc -l | xargs printf '%.1f')x real time (mix + master + MP3, median of $ROUNDS)"
    sed 's/^/   /' "$OUT/master-$which-$preset.txt"
    # The independent check: ffmpeg's ebur128 on the MP3 as a player decodes it.
    ffmpeg -nostats -hide_banner -i "$OUT/master-$which-$preset.mp3" -af ebur128=peak=true -f null - 2>&1 |
      awk '/Summary:/ {s=1} s && /I:|Peak:/ {printf "   ffmpeg on the MP3: %s\n", $0}'
  done
done
