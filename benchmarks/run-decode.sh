#!/usr/bin/env bash
# Runs DecodeBenchmark (M1 of shared/reference/performance.md) with its peers in one JMH run, keeps the JMH JSON in
# benchmarks/results/decode-<UTC time>.json, and prints (and keeps, as .md) the table with ratios and goals.
#
# Environment (all optional):
#   BUILD    reactor (default: builds pusher-protocol and benchmarks from this checkout),
#            module  (builds only benchmarks, offline, against the pusher-protocol installed in ~/.m2),
#            none    (uses benchmarks/target/benchmarks.jar as it is)
#   JMH_WI=3 JMH_W=1s JMH_I=6 JMH_R=500ms JMH_F=1   warmup iterations/time, measurement iterations/time, forks
#   FIXTURES=public,large                        only these fixtures (default: all of them)
#   BENCH='DecodeBenchmark\.(ours|pjc)$'         only the benchmarks matching this regex (default: all in DecodeBenchmark)
#   JMH_EXTRA='...'                              more JMH options, appended last
#   NICE=10                                      niceness of the JMH run (the box is shared)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"

case "${BUILD:-reactor}" in
  reactor) (cd "$root" && mvn -B -q -pl pusher-protocol,benchmarks -am package -DskipTests) ;;
  module)  (cd "$root" && mvn -B -q -o -pl benchmarks package -DskipTests) ;;
  none)    ;;
  *) echo "BUILD must be reactor, module or none (got '${BUILD}')" >&2; exit 2 ;;
esac
[ -f "$jar" ] || { echo "missing $jar: build it first (BUILD=reactor or BUILD=module)" >&2; exit 1; }

stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
mkdir -p "$here/results"
json="$here/results/decode-$stamp.json"
md="$here/results/decode-$stamp.md"

args=(-wi "${JMH_WI:-3}" -w "${JMH_W:-1s}" -i "${JMH_I:-6}" -r "${JMH_R:-500ms}" -f "${JMH_F:-1}"
      -prof gc -rf json -rff "$json")
if [ -n "${FIXTURES:-}" ]; then args+=(-p "fixture=$FIXTURES"); fi
# shellcheck disable=SC2206 # JMH_EXTRA is meant to split into words
if [ -n "${JMH_EXTRA:-}" ]; then args+=(${JMH_EXTRA}); fi
bench="${BENCH:-io\.pusheriso\.benchmarks\.DecodeBenchmark\.}"

echo "java -jar benchmarks/target/benchmarks.jar '$bench' ${args[*]}" >&2
nice -n "${NICE:-10}" java -jar "$jar" "$bench" "${args[@]}"

{
  echo "# DecodeBenchmark, $stamp"
  echo
  echo "- CPU: $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
  echo "- JDK: $(java -version 2>&1 | head -2 | tail -1)"
  echo "- command: \`BUILD=${BUILD:-reactor} $(for v in JMH_WI JMH_W JMH_I JMH_R JMH_F FIXTURES BENCH JMH_EXTRA NICE; do
      [ -n "${!v:-}" ] && printf "%s='%s' " "$v" "${!v}"; done)benchmarks/run-decode.sh\`"
  echo "- JMH: \`java -jar benchmarks/target/benchmarks.jar '$bench' ${args[*]}\`"
  echo "- raw JSON: \`benchmarks/results/$(basename "$json")\`"
  echo
  java -cp "$jar" io.pusheriso.benchmarks.Report "$json"
} > "$md"
echo
cat "$md"
