#!/bin/sh
# Regenerates the seed files for FuzzReader (audio/wav/fuzz_test.go).
# The broken ones are made by `go test -run TestGenerateFuzzSeeds -wav.genseeds ./audio/wav/`.
# Files are tiny (8 kHz, 20 ms) so the fuzzer can mutate them quickly.
set -eu
cd "$(dirname "$0")"
S="sox -R -V1 -n -r 8000"
SYN="synth 0.02 sine 440 sine 660"
$S -c 2 -b 16 pcm16-stereo.wav $SYN
$S -c 1 -b 24 pcm24-mono-extensible.wav synth 0.02 sine 440
$S -c 1 -b 24 -t wavpcm pcm24-mono.wav synth 0.02 sine 440
$S -c 2 -b 32 -e signed-integer pcm32-stereo.wav $SYN
$S -c 2 -b 32 -e floating-point float32-stereo.wav $SYN
$S -c 1 -b 64 -e floating-point float64-mono.wav synth 0.02 sine 440
$S -c 1 -b 8 -e unsigned-integer u8-mono.wav synth 0.02 sine 440
$S -c 3 -b 16 pcm16-3ch-extensible.wav synth 0.01 sine 440 sine 550 sine 660
$S -c 1 -b 8 -e a-law alaw.wav synth 0.02 sine 440
$S -c 1 -e ima-adpcm ima-adpcm.wav synth 0.02 sine 440
$S -c 2 -b 16 -t wav - $SYN > sox-pipe.wav
F="ffmpeg -v error -fflags +bitexact -f lavfi -i aevalsrc=0.5*sin(2*PI*440*t)|0.4*sin(2*PI*660*t):s=8000:d=0.02"
$F -c:a pcm_s24le -flags +bitexact -metadata title=Seed -y ffmpeg-s24-list.wav
$F -c:a pcm_s16le -flags +bitexact -write_bext 1 -metadata description=seed -metadata time_reference=4800 -y ffmpeg-bext.wav
$F -c:a pcm_f32le -flags +bitexact -rf64 always -y ffmpeg-rf64.wav
$F -c:a pcm_s16le -flags +bitexact -f wav pipe:1 > ffmpeg-pipe.wav
