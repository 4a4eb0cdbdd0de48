#!/usr/bin/env bash
# Every test, in the order a failure is cheapest to see: types, unit and integration
# (vitest), the production build, then the browser journeys (Playwright, Debian Chromium).
# Ends with one line "N passed, M failed" computed from the runners' JSON reports.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json
status=0

echo "== typecheck"; npx tsc --noEmit || status=1
echo "== vitest"; npx vitest run || status=1
echo "== build"; npx remix build && test -f build/index.js || status=1
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Chromium is missing at ${CHROMIUM_PATH:-/usr/bin/chromium}: install Debian's package (apt-get install -y chromium)." >&2
  status=1
else
  echo "== playwright"; npx playwright test || status=1
fi

node tests/summarize.js || status=1
exit $status
