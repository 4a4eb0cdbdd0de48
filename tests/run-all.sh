#!/usr/bin/env bash
# Every test, in the order a failure is cheapest to see: types, lint and format, the production build (seconds;
# the suites that start the real server — csrf, durability — skip without a current build), unit
# and integration (vitest), then the browser journeys (Playwright, Debian Chromium).
# Ends with one line "N passed, M failed" computed from the runners' JSON reports; a failed
# typecheck or build counts as one failed check each, so the line never hides them.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
rm -f test-results/vitest.json test-results/playwright.json
status=0
step_failures=0

echo "== typecheck"
if ! npx tsc --noEmit; then status=1; step_failures=$((step_failures + 1)); fi
# ESLint (with the rule that keeps app/core free of Remix, React and the database) and Prettier's check.
echo "== lint"
if ! npm run --silent lint; then status=1; step_failures=$((step_failures + 1)); fi
# The build comes before vitest: the server suites (csrf, security-headers, durability) run node server.js on it
# and skip when it is missing or older than the sources.
echo "== build"
if ! { npm run build && test -f build/index.js; }; then status=1; step_failures=$((step_failures + 1)); fi
echo "== JavaScript budget (compressed KB per citizen page)"
if ! npx tsx tests/bench/js-size.js --strict; then status=1; step_failures=$((step_failures + 1)); fi
echo "== vitest"
npx vitest run || status=1
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Chromium is missing at ${CHROMIUM_PATH:-/usr/bin/chromium}: install Debian's package (apt-get install -y chromium)." >&2
  status=1
else
  echo "== playwright"
  npx playwright test || status=1
fi

STEP_FAILURES=$step_failures node tests/summarize.js || status=1
exit $status
