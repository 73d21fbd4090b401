#!/usr/bin/env bash
# Makes a fresh clone runnable with nothing but Node 20 and npm: pnpm comes from
# the npm registry (corepack cannot verify its signature here), then the
# workspace is installed from the lockfile (cheap when already in place), then
# the arguments run as a pnpm command with pnpm on PATH for nested scripts.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=10.34.9
if ! command -v pnpm >/dev/null 2>&1; then
  if [ ! -x .tools/node_modules/.bin/pnpm ]; then
    echo "bootstrap: installing pnpm@$PNPM_VERSION into .tools/" >&2
    npm install --silent --no-audit --no-fund --prefix .tools "pnpm@$PNPM_VERSION" >&2
  fi
  export PATH="$PWD/.tools/node_modules/.bin:$PATH"
fi

stamp=node_modules/.hemicycle-lock
if [ ! -f "$stamp" ] || ! cmp -s pnpm-lock.yaml "$stamp"; then
  echo "bootstrap: pnpm install" >&2
  pnpm install --frozen-lockfile --reporter=append-only >&2
  cp pnpm-lock.yaml "$stamp"
fi

exec pnpm "$@"
