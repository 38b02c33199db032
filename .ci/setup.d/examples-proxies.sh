#!/usr/bin/env bash
# The sample behind the other reverse proxies of examples/deploy: Debian's Apache httpd
# (apache2-bin: the server and its modules, no service) for ApacheClusterTest, and HAProxy for
# HaproxyUpgradeTest. nginx comes from examples.sh.
set -euo pipefail
missing=()
[ -x /usr/sbin/apache2 ] && [ -f /usr/lib/apache2/modules/mod_proxy_balancer.so ] || missing+=(apache2-bin)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
/usr/sbin/apache2 -v | head -1
/usr/sbin/haproxy -v | head -1
