#!/usr/bin/env bash
# The sample's real-world tests: nginx as the reverse proxy in front of it; python3-h2 (Debian's
# /usr/bin/python3 and its h2 package) as the HTTP/2 client of ExtendedConnectClientsTest.
set -euo pipefail
missing=()
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  missing+=(nginx-light)
fi
if ! /usr/bin/python3 -c 'import h2' >/dev/null 2>&1; then
  missing+=(python3-h2)
fi
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
/usr/sbin/nginx -v
/usr/bin/python3 -c 'import h2; print("python3-h2", h2.__version__)'
