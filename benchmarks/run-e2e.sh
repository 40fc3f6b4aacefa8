#!/usr/bin/env bash
# Runs the end-to-end harness of issue 7 in ONE run: an in-process Netty Pusher server on loopback and, one after
# the other, pusher-iso over Netty (own event lane, and with callbacks inline on the event loop), pusher-iso over
# Jetty, the raw Netty and raw Jetty WebSocket clients (ceilings) and com.pusher:pusher-java-client:2.4.4.
# Sections: throughput (+ client alloc and CPU per message), latency at fixed rates, resubscribe after a 4200 close,
# idle connections (each client in a JVM of its own). Writes benchmarks/results/e2e-<UTC>.{json,md} and
# e2e-latest.md (the harness does), and prints the markdown.
#
# Environment (all optional):
#   BUILD  module (default) | none
#   E2E_ARGS  harness options, e.g. '--sections throughput --rounds 3 --seconds 2 --rates 10000,50000
#             --latency-seconds 5 --idle 1000,5000 --pjc-idle 1000 --clients raw-netty,ours-netty,pjc'
#   NICE=10   niceness of the run; latency tails depend on it when other processes compete for the 2 cores
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
case "${BUILD:-module}" in
  module) (cd "$root" && nice mvn -B -q -o -pl benchmarks package -DskipTests) ;;
  none) ;;
  *) echo "BUILD must be module or none" >&2; exit 2 ;;
esac
cd "$root"
cmd="${NICE:+NICE=$NICE }${E2E_ARGS:+E2E_ARGS='$E2E_ARGS' }benchmarks/run-e2e.sh (niceness ${NICE:-10})"
# shellcheck disable=SC2086
nice -n "${NICE:-10}" java -Xms2g -Xmx2g -XX:+UseG1GC -cp "$jar" io.pusheriso.benchmarks.e2e.E2e \
  --out benchmarks/results --command "$cmd" ${E2E_ARGS:-}
