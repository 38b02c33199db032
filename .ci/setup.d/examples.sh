#!/usr/bin/env bash
# The sample's real-world tests: nginx as the reverse proxy in front of it.
set -euo pipefail
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nginx-light >/dev/null
fi
/usr/sbin/nginx -v
