#!/usr/bin/env bash
# RELIABILITY.md's one command: puts the sample server, in a JVM of its own, under one scenario of
# load or hostile input on 127.0.0.1 and prints its figures and PASS/FAIL.
#   benchmarks/reliability.sh SCENARIO [options]   concurrent-upgrades, idle, hostile-heads, slowloris,
#                                                  chunked-flood, reset-storm, sigterm, soak
#   benchmarks/reliability.sh --help               every option
# Builds what it needs first (Maven, offline-capable); NO_BUILD=1 skips that.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
if [[ -z "${NO_BUILD:-}" ]]; then
  # package, not install: nothing is written to ~/.m2; the class paths point at the reactor's target folders.
  (cd "$root" && mvn -B -q -pl benchmarks,examples -am package -DskipTests)
fi
cd "$here"
cp="target/classes:$(cat target/classpath.txt)"
# Each client connection is a descriptor: 10,000 connections need more than the usual 1,024.
ulimit -n 65536 2>/dev/null || true
# COMMAND: cluster.sh runs its ClusterCommand through this script.
exec java -Xms512m -Xmx2g -Djava.net.preferIPv4Stack=true -cp "$cp" \
  "org.switchboard.benchmarks.${COMMAND:-ReliabilityCommand}" --examples "$root/examples" "$@"
