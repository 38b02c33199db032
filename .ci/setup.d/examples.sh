#!/usr/bin/env bash
# The sample's real-world tests: nginx as the reverse proxy in front of it; curl (with HTTP/2 and
# TLS) against its TLS port (SampleTlsTest, SampleTlsOptionsTest); python3-h2 (Debian's
# /usr/bin/python3 and its h2 package) as the HTTP/2 client of ExtendedConnectClientsTest.
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
/usr/bin/python3 -c 'import h2' >/dev/null 2>&1 || missing+=(python3-h2)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
/usr/sbin/nginx -v
curl --version | head -1
/usr/bin/python3 -c 'import h2; print("python3-h2", h2.__version__)'
