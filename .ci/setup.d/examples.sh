#!/usr/bin/env bash
# The sample's real-world tests: nginx as the reverse proxy in front of it; curl (with HTTP/2 and
# TLS) against its TLS port (SampleTlsTest, SampleTlsOptionsTest).
set -euo pipefail
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
/usr/sbin/nginx -v
curl --version | head -1
