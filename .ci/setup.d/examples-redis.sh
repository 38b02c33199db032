#!/usr/bin/env bash
# The sample's room on Redis Streams: the tests start their own redis-server (the test kit's
# RedisServer: 127.0.0.1, a free port, no persistence) from Debian's redis-server package. Any
# packaged service on 6379 is left alone.
set -euo pipefail
if ! [ -x /usr/bin/redis-server ] && ! command -v redis-server >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
fi
redis-server --version
