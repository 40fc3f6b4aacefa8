#!/usr/bin/env bash
# Runs the micro benchmarks of issue 7 in ONE JMH run with their peers: PipelineBenchmark (lazy data, presence
# member_added, encrypted event vs the secretbox floors, encoding subscribe and client events, dispatch to 1 and 10
# listeners, per-message state bookkeeping, the 1,000-frame mix) and DecodeBenchmark (envelope decode, M1).
# Keeps the JMH JSON in benchmarks/results/micro-<UTC>.json and writes (and prints) micro-<UTC>.md with ratios.
#
# Environment (all optional):
#   BUILD   module (default: builds benchmarks only, offline, against the modules installed in ~/.m2) | none
#   JMH_WI=3 JMH_W=1s JMH_I=5 JMH_R=1s JMH_F=1   warmup/measurement iterations and times, forks
#   BENCH='PipelineBenchmark|DecodeBenchmark'     benchmarks to run (JMH regex)
#   FIXTURES=public,presence_added,encrypted,large  DecodeBenchmark fixtures
#   JMH_EXTRA='...'  more JMH options;  NICE=10  niceness
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
jar="$here/target/benchmarks.jar"
case "${BUILD:-module}" in
  module) (cd "$root" && nice mvn -B -q -o -pl benchmarks package -DskipTests) ;;
  none) ;;
  *) echo "BUILD must be module or none" >&2; exit 2 ;;
esac
stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
mkdir -p "$here/results"
json="$here/results/micro-$stamp.json"
md="$here/results/micro-$stamp.md"
bench="${BENCH:-io\.pusheriso\.benchmarks\.(PipelineBenchmark|DecodeBenchmark)\.}"
args=(-wi "${JMH_WI:-3}" -w "${JMH_W:-1s}" -i "${JMH_I:-5}" -r "${JMH_R:-1s}" -f "${JMH_F:-1}" -prof gc
      -p "fixture=${FIXTURES:-public,presence_added,encrypted,large}" -rf json -rff "$json")
# shellcheck disable=SC2206
if [ -n "${JMH_EXTRA:-}" ]; then args+=(${JMH_EXTRA}); fi
load0="$(cat /proc/loadavg)"; t0="$(date -u +%H:%M:%S)"
echo "java -jar benchmarks/target/benchmarks.jar '$bench' ${args[*]}" >&2
nice -n "${NICE:-10}" java -jar "$jar" "$bench" "${args[@]}"
load1="$(cat /proc/loadavg)"; t1="$(date -u +%H:%M:%S)"
{
  echo "# Micro benchmarks (JMH), $stamp"
  echo
  echo "- machine: $(nproc) cores (nproc), CPU \`$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\`"
  echo "- JDK: $(java -version 2>&1 | head -2 | tail -1)"
  echo "- run: $t0–$t1 UTC; load average before: $load0; after: $load1 (2 cores shared with other builds: read ratios, not absolute times)"
  echo "- command: \`$(for v in BUILD JMH_WI JMH_W JMH_I JMH_R JMH_F BENCH FIXTURES JMH_EXTRA NICE; do
      [ -n "${!v:-}" ] && printf "%s='%s' " "$v" "${!v}"; done)benchmarks/run-micro.sh\`"
  echo "- JMH: \`java -jar benchmarks/target/benchmarks.jar '$bench' ${args[*]}\`"
  echo "- raw JSON: \`benchmarks/results/$(basename "$json")\`"
  echo
  echo "## Pipeline (PipelineBenchmark)"
  echo
  echo "ours = a whole pusher-iso \`Pusher\` fed through a direct transport (decode, state machine, routing, listeners on"
  echo "the calling thread). pjc = pusher-java-client 2.4.4 as shipped from \`WebSocketConnection.onMessage(String)\` on,"
  echo "with only its event-thread hop made direct (so pjc rows are a lower bound of its real cost; its Java-WebSocket"
  echo "UTF-8 decode is not counted either). jackson = a hand-written Jackson-streaming parse + HashMap routing (no crypto,"
  echo "no presence bookkeeping)."
  echo
  java -cp "$jar" io.pusheriso.benchmarks.PipelineReport "$json"
  echo
  echo "## Envelope decode (DecodeBenchmark, M1)"
  echo
  java -cp "$jar" io.pusheriso.benchmarks.Report "$json" | sed -n '/^Times in/,$p'
} > "$md"
cp "$md" "$here/results/micro-latest.md"
echo; cat "$md"
