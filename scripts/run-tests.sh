#!/usr/bin/env bash
# Every test, in two vitest runs side by side: the browser tests (e2e) one
# file at a time, everything else one file per core. In one vitest run, the
# files that must run one at a time form a group of their own that starts
# only once every other file has finished, so the browser tests' minutes
# came on top of all the others'. The browser run's report is printed when
# it ends, so the two reports do not interleave.
set -uo pipefail
cd "$(dirname "$0")/.."

browser_log=$(mktemp /tmp/hemicycle-e2e.XXXXXX)
vitest run --project e2e >"$browser_log" 2>&1 &
browser=$!
vitest run --project '!e2e' &
others=$!
trap 'kill $browser $others 2>/dev/null; rm -f "$browser_log"' INT TERM

wait $others; others_status=$?
wait $browser; browser_status=$?
echo
echo "── browser tests (e2e) ──"
cat "$browser_log"
rm -f "$browser_log"
[ $others_status -eq 0 ] && [ $browser_status -eq 0 ]
