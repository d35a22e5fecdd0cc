#!/usr/bin/env bash
# Checks built glossa sites in a real browser, a validator, axe-core and a link crawler.
#
#   tests/browser/run.sh SITE_DIR...
#
# Needs node (20 or later), java (for the Nu HTML checker) and Debian's chromium at
# /usr/bin/chromium (or $CHROMIUM). Installs nothing but this folder's npm packages, and those
# only when node_modules is missing (`npm ci`, from package-lock.json; no install scripts run).
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

exec node "$here/check.mjs" "$@"
