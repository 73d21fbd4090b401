#!/usr/bin/env bash
# Makes a fresh clone runnable with nothing but Node 20 and npm: pnpm comes from
# the npm registry (corepack cannot verify its signature here), then the
# workspace is installed from the lockfile (cheap when already in place), then
# the arguments run as a pnpm command with pnpm on PATH for nested scripts.
#
# The pinned pnpm is always the one used, whatever pnpm is on the PATH: a newer
# global pnpm (12.x) refuses to run a project pinned to 10 and tries to fetch
# the pinned one itself, which a closed network does not allow.
set -euo pipefail
cd "$(dirname "$0")/.."

PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
pinned=.tools/node_modules/.bin/pnpm
if [ ! -x "$pinned" ] || [ "$("$pinned" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "bootstrap: installing pnpm@$PNPM_VERSION into .tools/" >&2
  npm install --silent --no-audit --no-fund --no-save --prefix .tools "pnpm@$PNPM_VERSION" >&2
fi
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
# Nested `pnpm` calls in package scripts must find this one too, and never try
# to switch versions on their own.
export npm_config_manage_package_manager_versions=false
export COREPACK_ENABLE_STRICT=0

stamp=node_modules/.hemicycle-lock
if [ ! -f "$stamp" ] || ! cmp -s pnpm-lock.yaml "$stamp"; then
  echo "bootstrap: pnpm install" >&2
  pnpm install --frozen-lockfile --reporter=append-only >&2
  cp pnpm-lock.yaml "$stamp"
fi

exec pnpm "$@"
