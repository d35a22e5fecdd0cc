#!/usr/bin/env bash
# Seeds fuzz/corpus/sidecar_anchor/ with the repository's own sites: for each document that has
# a sidecar, FLAGS TEXT 0xFF SIDECAR 0xFF GLOSSARY (see fuzz_targets/sidecar_anchor.rs).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$here/.."
out="$here/corpus/sidecar_anchor"
mkdir -p "$out"
n=0
for site in "$repo" "$repo"/tests/testsuite/fixtures/*; do
  glossary="$site/content/glossary.yaml"
  while IFS= read -r -d '' doc; do
    side="${doc%.*}.yaml"
    [ -f "$side" ] || continue
    case "$doc" in *.md) flags='\001' ;; *) flags='\000' ;; esac
    n=$((n + 1))
    {
      printf "$flags"
      cat "$doc"
      printf '\377'
      cat "$side"
      if [ -f "$glossary" ]; then
        printf '\377'
        cat "$glossary"
      fi
    } > "$out/seed-$n"
  done < <(find "$site/seeds" -type f \( -name '*.txt' -o -name '*.md' \) -print0 | sort -z)
done
echo "$n seeds in $out"
