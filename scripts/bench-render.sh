#!/usr/bin/env bash
# bench-render.sh: the offline render against sox, ecasound and ffmpeg on the
# shared 16-track x 180 s benchmark song, in one run, alternating the tools.
# Prints wall times (median of ROUNDS), ratios, the null test against sox's mix,
# and the peak memory of a one-hour 16-track render.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
SHARED=${SHARED:-../shared}
OUT=${BENCH_OUT:-bench-out}
BIN=bin/sangstudio
TRACKS=16; SECS=180
mkdir -p "$OUT"
command -v /usr/bin/time >/dev/null || { echo "bench: /usr/bin/time is missing (apt-get install time)"; exit 1; }

echo "== generating the benchmark song ($TRACKS tracks x $SECS s) in $OUT/src"
"$SHARED/bench/gen-song.sh" "$OUT/src" $TRACKS $SECS

song=$OUT/song
if [ ! -e "$song/song.json" ]; then
  $BIN import "$song" "$OUT"/src/track*.wav >/dev/null
  for i in $(seq 1 $TRACKS); do
    read -r g p < <(awk -v i="$i" -v n=$TRACKS 'BEGIN{printf "%d %.10f\n", -(6+i%7), -0.8+1.6*(i-1)/(n-1)}')
    $BIN set "$song" "$i" --gain "$g" --pan "$p" >/dev/null
  done
fi

# The same song with the "Vocal – clear" preset on every track (high-pass,
# three EQ bands, compressor, reverb and delay sends), and sox running that
# chain on every track (each in its own sox process, all at once, so that
# it uses every core too), then the mix's gains and pans, reverb and echo.
songfx=$OUT/song-fx
if [ ! -e "$songfx/song.json" ]; then
  cp -r "$song" "$songfx"
  for i in $(seq 1 $TRACKS); do $BIN fx "$songfx" "$i" --preset "Vocal – clear" >/dev/null; done
fi
soxfx() { # DIR OUT
  local chain="highpass 110 equalizer 300 1.2q -3 equalizer 3000 0.8q 3 treble 2.5 12000 compand 0.005,0.1 6:-20,-20,0,-15 5"
  local files in=() l=() r=() i a b
  mapfile -t files < <(ls "$1"/track*.wav | sort)
  local n=${#files[@]}
  for i in $(seq 1 "$n"); do
    in+=("|sox ${files[$((i-1))]} -p $chain")
    read -r a b < <(awk -v i="$i" -v n="$n" 'BEGIN{g=10^(-(6+i%7)/20); p=-0.8+1.6*(i-1)/(n-1); t=(p+1)*3.14159265358979/4; printf "%.6f %.6f\n", g*cos(t), g*sin(t)}')
    l+=("${i}v$a"); r+=("${i}v$b")
  done
  sox -M "${in[@]}" -b 24 "$2" remix "$(IFS=,; echo "${l[*]}")" "$(IFS=,; echo "${r[*]}")" reverb 50 echo 1 1 360 0.1
}

now() { date +%s.%N; }
declare -A times
run() { # name command...
  local t0 t1; t0=$(now); "${@:2}" >/dev/null 2>&1; t1=$(now)
  times[$1]+="$(echo "$t1 - $t0" | bc -l) "
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r"
  run sox      "$SHARED/bench/peers.sh" sox "$OUT/src" "$OUT/sox.wav"
  run mix      $BIN render "$song" --mix "$OUT/ours.wav" --bits 24
  run soxfx    soxfx "$OUT/src" "$OUT/soxfx.wav"
  run fx       $BIN render "$songfx" --mix "$OUT/oursfx.wav" --bits 24
  run ecasound "$SHARED/bench/peers.sh" ecasound "$OUT/src" "$OUT/ecasound.wav"
  rm -rf "$OUT/stems"
  run stems    $BIN render "$song" --mix "$OUT/ours2.wav" --stems "$OUT/stems" --bits 24
  run ffmpeg   "$SHARED/bench/peers.sh" ffmpeg "$OUT/src" "$OUT/ffmpeg.wav"
  # The floor for mix+stems on this disk: writing as many new bytes durably.
  bytes=$(du -cb "$OUT"/stems/*.wav "$OUT/ours2.wav" | tail -1 | cut -f1)
  rm -f "$OUT/dd.bin"
  run dd       dd if=/dev/zero of="$OUT/dd.bin" bs=1M count=$((bytes / 1048576)) conv=fsync status=none
  rm -f "$OUT/dd.bin"
done

declare -A med
for k in sox mix stems ecasound ffmpeg dd soxfx fx; do med[$k]=$(echo "${times[$k]}" | median); done
echo
echo "== wall time, median of $ROUNDS rounds (seconds): $(for k in mix stems sox ecasound ffmpeg dd fx soxfx; do printf '%s %.3f  ' $k "${med[$k]}"; done)"
printf 'sox / sangstudio mix       = %.2fx  (target >= 4)\n' "$(echo "${med[sox]} / ${med[mix]}" | bc -l)"
printf 'ecasound / sangstudio mix  = %.2fx\n' "$(echo "${med[ecasound]} / ${med[mix]}" | bc -l)"
printf 'ffmpeg / sangstudio mix    = %.2fx\n' "$(echo "${med[ffmpeg]} / ${med[mix]}" | bc -l)"
printf 'sox chain / sangstudio, every effect on = %.2fx  (target >= 3)\n' "$(echo "${med[soxfx]} / ${med[fx]}" | bc -l)"
printf 'mix+stems / mix            = %.2fx  (target <= 2)\n' "$(echo "${med[stems]} / ${med[mix]}" | bc -l)"
printf 'writing the same %d MB with dd conv=fsync: %.3f s (the disk'"'"'s floor for mix+stems)\n' $((bytes / 1048576)) "${med[dd]}"

echo
echo "== null test: our mix minus sox's mix"
sox -m -v 1 "$OUT/ours.wav" -v -1 "$OUT/sox.wav" -n stats 2>&1 | grep -E 'RMS lev dB|Pk lev dB' | sed 's/^/   /'
echo "   (target: RMS difference below -90 dBFS)"

echo
echo "== memory: one-hour song, 16 tracks (each track repeats its 180 s take 20 times)"
long=$OUT/song-1h
rm -rf "$long"; mkdir -p "$long/audio" "$long/exports"; chmod 700 "$long"
cp "$song"/audio/*.wav "$long/audio/"
frames=$((SECS * 48000))
{
  echo '{"schema":1,"title":"One hour","rate":48000,"tempo":100,"time_signature":{"beats":4,"unit":4},"tracks":['
  i=0
  for f in "$long"/audio/*.wav; do
    i=$((i+1)); [ $i -gt 1 ] && echo ','
    printf '{"name":"T%d","kind":"audio","channels":1,"gain_db":-12,"pan":0,"mute":false,"solo":false,"clips":[' $i
    for k in $(seq 0 19); do
      [ $k -gt 0 ] && printf ','
      printf '{"take":"%s","position":%d,"offset":0,"length":%d,"gain_db":0,"fade_in":0,"fade_out":0}' "$(basename "$f")" $((k*frames)) $frames
    done
    printf ']}'
  done
  echo '],"markers":[],"lyrics":"","master":{"gain_db":0}}'
} > "$long/song.json"
/usr/bin/time -f '%M %e' -o "$OUT/time.txt" $BIN render "$long" --mix "$OUT/long.wav" >/dev/null 2>&1
read -r rss secs < "$OUT/time.txt"
printf 'one-hour 16-track render: %.0f MB max RSS (target < 200), %.1f s wall\n' "$(echo "$rss/1024" | bc -l)" "$secs"
rm -f "$OUT/long.wav"
