#!/usr/bin/env bash
# install-deps.sh build|test|run|deb: installs the Debian packages Sangstudio needs
# for that purpose, if any are missing. Uses apt-get as root, sudo -n when
# available, and otherwise prints the command to run. Safe to run repeatedly:
# a machine that has everything does nothing.
set -euo pipefail

build_pkgs="gcc g++ pkg-config libsoxr-dev libmp3lame-dev portaudio19-dev libasound2-dev libjack-jackd2-dev"
# The window (Fyne: OpenGL through GLFW on X11).
build_pkgs="$build_pkgs libgl-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev"
test_pkgs="sox ffmpeg ecasound flac bc time jackd2 alsa-utils libasound2-plugins timgm6mb-soundfont"
# The desktop's sound system (a private, headless PipeWire: scripts/pipewire-env.sh). pipewire-alsa
# makes ALSA's "default" PipeWire for every program; the JACK tests keep their own ALSA_CONFIG_PATH.
test_pkgs="$test_pkgs pipewire pipewire-bin pipewire-alsa pipewire-jack wireplumber dbus-user-session"
# The real app under a virtual X server, screenshots, and key presses sent to it.
test_pkgs="$test_pkgs xvfb xauth x11-utils imagemagick xdotool"
# Reading the real window's screenshots (checking that no English text shows in Norwegian).
test_pkgs="$test_pkgs tesseract-ocr tesseract-ocr-nor"
# Finished files read back by independent tools; USB sticks (exFAT, FAT) simulated through FUSE.
test_pkgs="$test_pkgs mp3val exfat-fuse exfatprogs fusefat dosfstools"
# CD images read back (cdrdao also burns: a runtime need too).
test_pkgs="$test_pkgs cdrdao bchunk"
# Exported MIDI files played by an independent player (with timgm6mb-soundfont's configuration).
test_pkgs="$test_pkgs timidity"
# A General MIDI SoundFont for MIDI tracks (6 MB; without one they use the built-in instrument).
run_pkgs="timgm6mb-soundfont cdrdao"
# make deb: the package's dependencies (dpkg-shlibdeps), its PNG icons, and its checks.
deb_pkgs="dpkg-dev librsvg2-bin lintian appstream"

case "${1:-build}" in
  build) pkgs="$build_pkgs" ;;
  test)  pkgs="$build_pkgs $test_pkgs $deb_pkgs" ;;
  deb)   pkgs="$build_pkgs $deb_pkgs" ;;
  run)   pkgs="$build_pkgs $run_pkgs" ;;
  *) echo "usage: $0 build|test|run|deb" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo=none; fi
  if [ "$sudo" = none ]; then
    echo "Sangstudio needs these Debian packages:$missing" >&2
    echo "Install them with:  sudo apt-get install$missing" >&2
    exit 1
  fi
  echo "Installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  # jackd2 asks about real-time limits on install; answer it up front.
  echo "jackd2 jackd/tweak_rt_limits boolean false" | $sudo debconf-set-selections 2>/dev/null || true
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Go: Debian 12's own golang package is too old (1.19); Sangstudio needs 1.24 or newer.
if ! command -v go >/dev/null 2>&1; then
  for d in /usr/local/go/bin /usr/lib/go-1.2*/bin; do
    [ -x "$d/go" ] && { echo "Go is at $d; add it to PATH (export PATH=\$PATH:$d)" >&2; exit 1; }
  done
  echo "Go 1.24 or newer is needed: see https://go.dev/doc/install (Debian 12's golang-go is too old)." >&2
  exit 1
fi
have=$(go env GOVERSION | sed 's/^go//')
major=${have%%.*}; rest=${have#*.}; minor=${rest%%.*}
if [ "$major" -lt 1 ] || { [ "$major" = 1 ] && [ "$minor" -lt 24 ]; }; then
  echo "Go $have is too old; Sangstudio needs Go 1.24 or newer." >&2
  exit 1
fi
