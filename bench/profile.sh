#!/usr/bin/env bash
# Profiles Prism under the benchmark's workload: the load tool's publisher and N viewers (top
# layer), the server pinned to CPU 0 and the tool to CPU 1 in a private network namespace, as in
# bench/run.sh; async-profiler 4.1 (from Maven Central) samples the server for the last part of
# the run. Writes OUT/profile.txt (collapsed stacks), OUT/top.txt (self and inclusive shares),
# OUT/loadtest.txt and OUT/server.log.
#
#   bench/profile.sh [--viewers 50] [--warmup 30s] [--seconds 20] [--event cpu|alloc|wall] [--out DIR]
#                    [--server-flags "-XX:..."]   (extra JVM flags for the server, e.g. to try an intrinsic off)
#
# Reading the result: the server runs with -XX:+DebugNonSafepoints, so that samples in inlined
# code map to the bytecode they ran rather than to the compiled method's nearest call or trap.
# The profiler costs more while AVX-512 state is live and charges it to the code around the
# JDK's AVX-512 stubs (AES-CTR, GHASH): 8-19 % of the samples on one point of SRTP protect that
# unprofiled runs do not pay (docs/BENCHMARKS.md, session 21). Profile with
# --server-flags -XX:UseAVX=2 unless the AVX-512 code itself is the question, and trust a hot spot
# that repeats across runs. Frames carry async-profiler's type:
# _[j] compiled, _[i] inlined, _[0] interpreted, _[k] kernel. This VM has no hardware counters, so
# samples come from a timer: a stall (cache or TLB miss) is charged to the instruction that waited,
# and time with interrupts off in the kernel to the instruction that turned them back on
# (_raw_spin_unlock_irqrestore). On loopback the kernel delivers each datagram to the load tool's
# socket on the sender's core: the sendmmsg path includes that receive.
# Needs: root (unshare -n), taskset, curl, python3, a JDK 21+, Maven (Central reachable once).
set -euo pipefail
cd "$(dirname "$0")/.."

VIEWERS=50; WARMUP=30s; SECONDS_PROFILED=20; EVENT=cpu; OUT=target/profile; SERVER_FLAGS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --viewers) VIEWERS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --seconds) SECONDS_PROFILED=$2; shift 2 ;;
    --event) EVENT=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --server-flags) SERVER_FLAGS=$2; shift 2 ;;
    -h|--help) sed -n 2,23p "$0"; exit 0 ;;
    *) echo "bench/profile.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "bench/profile.sh: $*" >&2; exit 1; }
for t in taskset unshare curl python3; do command -v $t >/dev/null || die "$t is missing"; done
[ "$(nproc --all)" -ge 2 ] || die "needs 2 CPUs (server on CPU 0, load tool on CPU 1)"

if [ "${PRISM_PROFILE_IN_NETNS:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || die "needs root for a private network namespace (unshare -n)"
  ./prism build
  ./prism loadtest --help >/dev/null   # builds the load-tool jar when stale
  mkdir -p "$OUT"
  AP_JAR=$OUT/async-profiler-4.1-linux-x64.jar
  if [ ! -f "$AP_JAR" ]; then
    mvn -q dependency:copy -Dartifact=tools.profiler:async-profiler:4.1:jar:linux-x64 -DoutputDirectory="$OUT" \
      || die "could not fetch tools.profiler:async-profiler:4.1 (linux-x64) from Maven Central"
  fi
  (cd "$OUT" && python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("linux-x64/libasyncProfiler.so")' \
    "$(basename "$AP_JAR")")
  exec unshare -n env PRISM_PROFILE_IN_NETNS=1 "$0" --viewers "$VIEWERS" --warmup "$WARMUP" \
    --seconds "$SECONDS_PROFILED" --event "$EVENT" --out "$OUT" --server-flags "$SERVER_FLAGS"
fi

# ---- inside the private namespace from here on
JDK=$(./prism java-home)
JFLAGS=(-XX:+UseZGC --enable-native-access=ALL-UNNAMED --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED)
[ "$("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')" -ge 23 ] \
  && JFLAGS+=(--sun-misc-unsafe-memory-access=allow)
LIB=$(cd "$OUT" && pwd)/linux-x64/libasyncProfiler.so
ip link set lo up
KEY=bench; SECRET=bench-secret-of-at-least-thirty-two-characters
PRISM_KEYS="$KEY:$SECRET" PRISM_MAX_WORKER_LOAD=0 PRISM_MEDIA_IP=127.0.0.1 PRISM_HTTP_HOST=127.0.0.1 \
  taskset -c 0 "$JDK/bin/java" "${JFLAGS[@]}" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints $SERVER_FLAGS \
  -jar api/target/prism-sfu.jar > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:8080/healthz >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:8080/healthz >/dev/null || die "Prism did not start (see $OUT/server.log)"

# The measured window follows the warm-up; profile its last SECONDS_PROFILED seconds, after the ramp.
taskset -c 1 "$JDK/bin/java" "${JFLAGS[@]}" -cp tests/target/prism-benchmarks.jar dev.prism.loadtest.LoadTest \
  --sfu prism --url http://127.0.0.1:8080 --key $KEY --secret $SECRET --publishers 1 --viewers "$VIEWERS" \
  --warmup "$WARMUP" --duration "$((SECONDS_PROFILED + 5))s" --server-pid $SERVER > "$OUT/loadtest.txt" 2>&1 &
TOOL=$!
until grep -q '^\[run ' "$OUT/loadtest.txt" 2>/dev/null || ! kill -0 $TOOL 2>/dev/null; do sleep 0.5; done
kill -0 $TOOL 2>/dev/null || die "the load tool ended before its window (see $OUT/loadtest.txt)"
sleep 2
# A sampling period for the timers only: alloc's interval would be bytes, and its default suits.
case "$EVENT" in cpu|wall|itimer|ctimer) START="start,event=$EVENT,interval=997us" ;; *) START="start,event=$EVENT" ;; esac
"$JDK/bin/jcmd" $SERVER "JVMTI.agent_load $LIB \"$START\"" >/dev/null
sleep "$SECONDS_PROFILED"
"$JDK/bin/jcmd" $SERVER "JVMTI.agent_load $LIB \"stop,collapsed,ann,file=$(cd "$OUT" && pwd)/profile.txt\"" >/dev/null
wait $TOOL || true

python3 - "$OUT/profile.txt" > "$OUT/top.txt" <<'EOF'
import collections, sys
self_, incl, total = collections.Counter(), collections.Counter(), 0
for line in open(sys.argv[1]):
    stack, n = line.rstrip().rsplit(" ", 1)
    frames, n = stack.split(";"), int(n)
    total += n
    self_[frames[-1]] += n
    for f in set(frames):
        incl[f] += n
print(f"{total} samples")
for title, c in (("self", self_), ("inclusive", incl)):
    print(f"\n{title}:")
    for f, n in c.most_common(40):
        print(f"{100 * n / total:6.1f} %  {f[:160]}")
EOF
head -3 "$OUT/top.txt"
grep -E "^(received|server) " "$OUT/loadtest.txt" || tail -3 "$OUT/loadtest.txt"
echo "profile: $OUT/profile.txt, shares: $OUT/top.txt"
