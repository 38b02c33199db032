#!/usr/bin/env bash
# BENCHMARKS.md's cross-instance figures: the sample scaled out — instances in JVMs of their own on
# one redis-server (started here, on a free port), behind nginx running examples/deploy/nginx-cluster.conf.
#   benchmarks/cluster.sh room-throughput [options]   POST on A → 100 relay members on B, vs one instance
#   benchmarks/cluster.sh sigkill-resume [options]    SIGKILL an instance → its relay/2 clients resumed on the other
#   benchmarks/cluster.sh --help                      every option
# Needs redis-server and nginx (.ci/setup.d/examples-redis.sh, examples.sh). Builds like
# reliability.sh (package, never install; NO_BUILD=1 skips it), which it runs with ClusterCommand.
set -euo pipefail
COMMAND=ClusterCommand exec "$(cd "$(dirname "$0")" && pwd)/reliability.sh" "$@"
