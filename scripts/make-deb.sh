#!/usr/bin/env bash
# make-deb.sh [OUT_DIR]: builds sangstudio_<version>_amd64.deb from this
# checkout into OUT_DIR (default: the checkout) and prints its path.
#
# The version comes from `git describe`; with no tag yet it is
# 0~git<commit date>.<hash> (+dirty for uncommitted changes). The build is
# reproducible: every date is the commit's time (SOURCE_DATE_EPOCH), files
# are owned by root with fixed modes, the binary is built with -trimpath,
# so the same commit gives the same bytes from any checkout folder.
# Needs (scripts/install-deps.sh deb): dpkg-dev, librsvg2-bin.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
out=$(realpath "${1:-.}")
export CGO_CXXFLAGS=${CGO_CXXFLAGS:--O2 -D__UNIX_JACK__ -Wno-deprecated-declarations}
export CGO_LDFLAGS=${CGO_LDFLAGS:--ljack}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}
export TZ=UTC LC_ALL=C.UTF-8
umask 022

desc=$(git describe --tags --always --dirty)
case $desc in
  v[0-9]*|[0-9]*.*) # a tag: v1.2-3-gabc1234 → 1.2+3.gabc1234
    debver=$(echo "${desc#v}" | sed -E 's/-([0-9]+)-g/+\1.g/; s/-dirty$/+dirty/') ;;
  *) debver="0~git$(date -d "@$SOURCE_DATE_EPOCH" +%Y%m%d).${desc/-dirty/+dirty}" ;;
esac
deb="$out/sangstudio_${debver}_amd64.deb"

work=build/deb
rm -rf "$work"
mkdir -p "$work"
root=$work/root

# The binary: position-independent, stripped, without the checkout's paths.
"$GO" build -trimpath -buildmode=pie -ldflags "-s -w -X main.version=$desc" -o "$work/sangstudio" ./cmd/sangstudio
install -D -m 0755 "$work/sangstudio" "$root/usr/bin/sangstudio"

# Menu entry, AppStream metainfo, icons.
install -D -m 0644 packaging/org.sangstudio.Sangstudio.desktop "$root/usr/share/applications/org.sangstudio.Sangstudio.desktop"
mkdir -p "$root/usr/share/metainfo"
sed -e "s/@VERSION@/$debver/" -e "s/@DATE@/$(date -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)/" \
  packaging/org.sangstudio.Sangstudio.metainfo.xml.in > "$root/usr/share/metainfo/org.sangstudio.Sangstudio.metainfo.xml"
install -D -m 0644 packaging/sangstudio.svg "$root/usr/share/icons/hicolor/scalable/apps/sangstudio.svg"
for s in 48 128 256; do
  mkdir -p "$root/usr/share/icons/hicolor/${s}x${s}/apps"
  rsvg-convert -w "$s" -h "$s" packaging/sangstudio.svg -o "$root/usr/share/icons/hicolor/${s}x${s}/apps/sangstudio.png"
done

# The man page, from the program's own help.
mkdir -p "$root/usr/share/man/man1"
"$work/sangstudio" help | scripts/help-to-man.sh "$desc" "$(date -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)" > "$work/sangstudio.1"
gzip -9n < "$work/sangstudio.1" > "$root/usr/share/man/man1/sangstudio.1.gz"

# Documentation: copyright (ours, then every Go module linked in, with its
# license text), and the package's changelog.
doc=$root/usr/share/doc/sangstudio
mkdir -p "$doc"
{
  cat packaging/copyright
  "$GO" list -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' ./cmd/sangstudio | sort -u |
    while read -r path ver dir; do
      lic=$(ls "$dir" | grep -E -i -m1 '^(LICENSE|LICENCE|COPYING)(\.md|\.txt)?$' || true)
      echo
      echo "Module $path $ver (compiled into /usr/bin/sangstudio):"
      if [ -n "$lic" ] && grep -q 'Apache License' "$dir/$lic" && grep -q 'Version 2.0' "$dir/$lic"; then
        echo " Apache-2.0: see /usr/share/common-licenses/Apache-2.0"
      elif [ -n "$lic" ]; then sed -e 's/^[[:space:]]*$/./' -e 's/^/ /' "$dir/$lic"; else echo " (no license file in the module)"; fi
    done
} > "$doc/copyright"
chmod 0644 "$doc/copyright"
{
  echo "sangstudio ($debver) unstable; urgency=medium"
  echo
  echo "  * Built from commit $(git rev-parse HEAD)."
  echo
  echo " -- Sangstudio developers <dev@sangstudio.invalid>  $(date -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$doc/changelog.gz"

# Depends: the libraries the binary links, as dpkg-shlibdeps names them
# (JACK: libjack-jackd2-0, or any libjack-0.125 such as jackd1's libjack0).
mkdir -p "$work/shl/debian"
printf 'Source: sangstudio\n\nPackage: sangstudio\nArchitecture: amd64\n' > "$work/shl/debian/control"
depends=$(cd "$work/shl" && dpkg-shlibdeps -O "$OLDPWD/$root/usr/bin/sangstudio" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "make-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

mkdir -p "$root/DEBIAN"
size=$(du -sk --apparent-size --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<EOF
Package: sangstudio
Version: $debver
Architecture: amd64
Maintainer: Sangstudio developers <dev@sangstudio.invalid>
Installed-Size: $size
Depends: $depends
Recommends: timgm6mb-soundfont, cdrdao
Section: sound
Priority: optional
Description: record, mix and share songs written together
 Sangstudio is a recording and mixing companion for song-writing sessions,
 made for music therapy: a therapist and a resident who write a song in an
 hour, a band that rehearses, a choir. It works fully offline, and every
 recording stays on the machine.
 .
 It records on several tracks with one big Record button, imports WAV and
 MIDI files, plays MIDI keyboards through General MIDI sounds, mixes with
 simple sound presets, renders a mix or stems, and puts a finished song on
 a USB stick or an audio CD. Everything the window does can also be done
 from the command line.
EOF
(cd "$root" && find usr -type f | sort | xargs md5sum) > "$root/DEBIAN/md5sums"
chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

# Fixed modes and times, then the archive.
find "$root" -type d -exec chmod 0755 {} +
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
