#!/usr/bin/env bash
# fuzz-corpus.sh: keeps what fuzzing found. `go test -fuzz` stores the
# inputs that reached new code in Go's cache ($GOCACHE/fuzz); this copies
# them into each package's testdata/fuzz/<Target>/, the seed corpus that
# every `go test` (and so `make test`) runs again and that the next fuzzing
# starts from. Run it after `make fuzz`, look at `git status`, commit.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
cache=$($GO env GOCACHE)/fuzz/$($GO list -m)
[ -d "$cache" ] || { echo "fuzz-corpus: nothing in $cache yet (run make fuzz first)"; exit 0; }
added=0
while IFS= read -r d; do
  rel=${d#"$cache"/}
  pkg=$(dirname "$rel") target=$(basename "$rel")
  [ "$pkg" = "." ] && pkg=""
  [ -d "./$pkg" ] || continue # a package that is gone
  dst=./${pkg:+$pkg/}testdata/fuzz/$target
  mkdir -p "$dst"
  for f in "$d"/*; do
    [ -e "$dst/$(basename "$f")" ] && continue
    cp "$f" "$dst/" && added=$((added + 1))
  done
done < <(find "$cache" -mindepth 1 -type d -name 'Fuzz*')
echo "fuzz-corpus: $added new inputs copied into testdata/fuzz"
