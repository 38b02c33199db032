#!/usr/bin/env bash
# The benchmarks' one command (see BENCHMARKS.md):
#   benchmarks/run.sh SCENARIO [options]   load scenario against switchboard, jetty, netty alternately
#   benchmarks/run.sh all [options]        every scenario (the table in BENCHMARKS.md)
#   benchmarks/run.sh jmh [JMH options]    JMH microbenchmarks, e.g. `jmh NegotiationBenchmark -prof gc`
#   benchmarks/run.sh profile F.jfr [N] [PREFIX]  hottest methods of a server recorded with --jfr DIR
#   benchmarks/run.sh jit F.jfr [SECONDS]          what its JIT compiled in the first SECONDS, by origin and second
#   benchmarks/run.sh --help               every option
# Builds what it needs first (Maven, offline-capable); NO_BUILD=1 skips that.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
if [[ -z "${NO_BUILD:-}" ]]; then
  (cd "$root" && mvn -B -q -pl benchmarks -am package -DskipTests)
fi
cd "$here"
cp="target/classes:$(cat target/classpath.txt)"
if [[ "${1:-}" == "profile" ]]; then
  shift
  exec java -cp "$cp" org.switchboard.benchmarks.JfrSummary "$@"
fi
if [[ "${1:-}" == "jit" ]]; then
  shift
  exec java -cp "$cp" org.switchboard.benchmarks.JitSummary "$@"
fi
if [[ "${1:-}" == "jmh" ]]; then
  shift
  exec java -cp "$cp" org.openjdk.jmh.Main "$@"
fi
# The load client: one event-loop thread; a fixed heap so that it never waits on a resize.
exec java -Xms1g -Xmx1g -XX:+UseG1GC -Djava.net.preferIPv4Stack=true -cp "$cp" \
  org.switchboard.benchmarks.BenchmarkCommand "$@"
