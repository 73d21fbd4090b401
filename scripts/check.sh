#!/usr/bin/env bash
# Every check `npm test` runs: the client's build, every test file, the type checker and the linter.
#
# The test files keep both cores busy except while those that measure time run one at a time
# (apps/server/vitest.alone.config.ts, about six minutes with one core idle). The type checker and the linter
# (about 70 s of CPU, which no test needs) run beside the tests at the lowest priority, so they take what the tests
# leave idle and give way at once to a test that wants both cores; run before the tests, they added their whole time
# to the run. Their output is printed after the tests'. The run fails if any part fails.
set -uo pipefail
cd "$(dirname "$0")/.."

# The browser tests serve the built client.
pnpm --filter @hemicycle/web build || exit 1

static_log=$(mktemp)
# A process group of its own, so that an interrupted run stops it too.
setsid nice -n 19 bash -c 'pnpm typecheck && pnpm lint' >"$static_log" 2>&1 &
static_pid=$!
trap 'kill -- -"$static_pid" 2>/dev/null; rm -f "$static_log"; exit 130' INT TERM

vitest run
tests=$?

wait "$static_pid"
static=$?
echo
echo "typecheck and lint (run beside the tests):"
cat "$static_log"
rm -f "$static_log"
[ "$static" -eq 0 ] || echo "check: typecheck or lint failed (exit $static)" >&2
[ "$tests" -eq 0 ] || echo "check: tests failed (exit $tests)" >&2
[ "$tests" -eq 0 ] && [ "$static" -eq 0 ]
