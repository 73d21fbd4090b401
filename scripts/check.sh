#!/usr/bin/env bash
# Every check `npm test` runs: the client's build, every test file, the type checker and the linter.
#
# The tests keep both cores busy except while the server's files that measure time closely run one at a time
# (apps/server/vitest.alone.config.ts, about four minutes with one core idle) and between files. The type checker and
# the linter (about 70 s of CPU, which no test needs) run beside the tests at the lowest priority, so they take what
# the tests leave idle and give way to a test that wants a core; run before the tests, they added their whole time to
# the run. Their output is printed after the tests'. The run fails if any part fails.
set -uo pipefail
cd "$(dirname "$0")/.."

# The browser tests serve the built client.
pnpm --filter @hemicycle/web build || exit 1

static_log=$(mktemp)
# A process group of its own (job control, set -m), so that an interrupted run stops it too; in this session, not a
# new one (setsid): with the kernel's autogroups a new session is scheduled as a peer of this one whatever its nice
# value, and took a whole core from the tests (measured: the browser tests beside a niced new session took 465 s,
# against 373 s alone).
set -m
nice -n 19 bash -c 'pnpm typecheck && pnpm lint' >"$static_log" 2>&1 &
static_pid=$!
set +m
trap 'kill -- -"$static_pid" 2>/dev/null; rm -f "$static_log"; exit 130' INT TERM

vitest run
tests=$?

wait "$static_pid"
static=$?
echo
echo "── typecheck and lint (run beside the tests) ──"
cat "$static_log"
rm -f "$static_log"
echo "check: exit codes: tests $tests, typecheck and lint $static" >&2
[ "$tests" -eq 0 ] && [ "$static" -eq 0 ]
