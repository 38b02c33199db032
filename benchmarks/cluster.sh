#!/usr/bin/env bash
# BENCHMARKS.md's cross-instance figures: the sample scaled out — instances in JVMs of their own on
# one redis-server (started here, on a free port), behind nginx running examples/deploy/nginx-cluster.conf.
#   benchmarks/cluster.sh room-throughput [options]   POST on A → 100 relay members on B, vs one instance
#   benchmarks/cluster.sh sigkill-resume [options]    SIGKILL an instance → its relay/2 clients resumed on the other
#   benchmarks/cluster.sh --help                      every option
# Needs redis-server and nginx (.ci/setup.d/examples-redis.sh, examples.sh). Builds what it needs
# first (Maven, offline-capable); NO_BUILD=1 skips that.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
if [[ -z "${NO_BUILD:-}" ]]; then
  # package, not install: nothing is written to ~/.m2; the class paths point at the reactor's target folders.
  (cd "$root" && mvn -B -q -pl benchmarks,examples -am package -DskipTests)
fi
cd "$here"
cp="target/classes:$(cat target/classpath.txt)"
exec java -Xms512m -Xmx1g -Djava.net.preferIPv4Stack=true -cp "$cp" \
  org.switchboard.benchmarks.ClusterCommand --examples "$root/examples" "$@"
