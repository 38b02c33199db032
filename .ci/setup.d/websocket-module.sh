#!/usr/bin/env bash
# websocket-module's InteropTest drives Node's `ws` client (a real non-Java WebSocket client):
# node and npm from Debian if missing, then ws from the committed lock file into the module only.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends nodejs npm
fi
if [ ! -f websocket-module/src/test/node/node_modules/ws/package.json ]; then
  npm ci --prefix websocket-module/src/test/node --no-audit --no-fund
fi
# PerMessageDeflateOfferTest inflates the server's frames with python3's zlib (standard library only).
if ! command -v python3 >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends python3
fi
