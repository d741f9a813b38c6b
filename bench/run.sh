#!/usr/bin/env bash
# Prism vs Janus 1.1.2 (videoroom): the same load-tool workload (1 synthetic publisher, VP8
# simulcast q/h/f ~2.5 Mbit/s + Opus, N viewers on the top layer) against each server, interleaved (Prism, Janus, Janus, Prism)
# per viewer count, the server pinned to CPU 0 and the load tool to CPU 1, all inside a private
# network namespace (nothing leaves the machine). Writes docs/BENCHMARKS-sfu.md and two PNG plots.
#
#   bench/run.sh [--viewers "10 50 100 200"] [--duration 10s] [--warmup 30s] [--janus-loops "0"] [--out docs/BENCHMARKS-sfu.md]
#
# --janus-loops: Janus threading variants to run, each a value of event_loops in janus.jcfg:
#   0 = one GLib loop/thread per handle (Janus's default), K > 0 = K shared loops. "0 1" runs both
#   (series "janus" and "janus-loops1"), interleaved as P J0 J1 J1 J0 P.
# Needs: root (unshare -n, veth), taskset, janus (apt-get install -y janus), a JDK 21+, Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

VIEWERS="10 50 100 200"
DURATION=10s
# Steady state, not start-up: at 200 viewers the first seconds after the ramp still drain what the
# handshakes queued and run the JIT's compilations on the server's one core (per-second p99 190 ms
# in the first, 15-45 ms from the fifth on). 30 s, not 10, since session 15: at 100 viewers the
# JIT's threads took 0.012-0.022 cores 15-25 s after start and ~0.007 from 45 s on (per-thread CPU
# every 5 s over 90 s), 9 % of the server's CPU in a window that starts too early.
WARMUP=30s
JANUS_LOOPS="0"
OUT=docs/BENCHMARKS-sfu.md
while [ $# -gt 0 ]; do
  case "$1" in
    --viewers) VIEWERS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --janus-loops) JANUS_LOOPS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "bench/run.sh: $*" >&2; exit 1; }
command -v janus >/dev/null || die "janus is not installed: apt-get install -y janus (Janus 1.1.2 on Debian 12), then run again"
for t in taskset unshare ip curl; do command -v $t >/dev/null || die "$t is missing"; done
[ "$(nproc --all)" -ge 2 ] || die "needs 2 CPUs (server on CPU 0, load tool on CPU 1)"

if [ "${PRISM_BENCH_IN_NETNS:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || die "needs root for a private network namespace (unshare -n) and a veth pair"
  echo "== building (api/target/prism-sfu.jar, tests/target/prism-benchmarks.jar)"
  ./prism build
  ./prism loadtest --help >/dev/null   # builds the load-tool jar when stale
  exec unshare -n env PRISM_BENCH_IN_NETNS=1 "$0" --viewers "$VIEWERS" --duration "$DURATION" --warmup "$WARMUP" \
    --janus-loops "$JANUS_LOOPS" --out "$OUT"
fi

# ---- inside the private namespace from here on
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }
JDK=""
for d in ${JAVA_HOME:-} /usr/lib/jvm/*/; do
  d=${d%/}; [ -x "$d/bin/java" ] || continue
  v=$(java_major "$d"); [ "${v:-0}" -ge 21 ] || continue
  if [ -z "$JDK" ] || [ "$v" -gt "$(java_major "$JDK")" ]; then JDK=$d; fi
done
[ -n "$JDK" ] || die "no JDK 21+ found"
JAVA="$JDK/bin/java"
JFLAGS=(-XX:+UseZGC --enable-native-access=ALL-UNNAMED --add-opens java.base/com.sun.crypto.provider=ALL-UNNAMED)
[ "$(java_major "$JDK")" -ge 23 ] && JFLAGS+=(--sun-misc-unsafe-memory-access=allow)

ip link set lo up
# Janus (libnice) ignores interfaces flagged loopback: give it 127.0.0.2/32 on a veth.
ip link add prismb0 type veth peer name prismb1
ip addr add 127.0.0.2/32 dev prismb0
ip link set prismb0 up; ip link set prismb1 up

WORK=$(mktemp -d /tmp/prism-bench.XXXXXX)
RESULTS=$WORK/results.tsv
: > "$RESULTS"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

KEY=bench
SECRET=bench-secret-of-at-least-thirty-two-characters
ADMIN_TOKEN=$(PRISM_KEYS="$KEY:$SECRET" "$JAVA" "${JFLAGS[@]}" -jar api/target/prism-sfu.jar token --room bench \
  --identity bench --admin --ttl 4h)

start_prism() {
  PRISM_KEYS="$KEY:$SECRET" PRISM_MAX_WORKER_LOAD=0 PRISM_MEDIA_IP=127.0.0.1 PRISM_HTTP_HOST=127.0.0.1 \
    taskset -c 0 "$JAVA" "${JFLAGS[@]}" -Xlog:gc+phases=info:file="$WORK/gc-$1.log" -jar api/target/prism-sfu.jar \
    > "$WORK/prism-$1.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do curl -sf http://127.0.0.1:8080/healthz >/dev/null && return 0; sleep 0.2; done
  die "Prism did not start (see $WORK/prism-$1.log)"
}

start_janus() { # $1 = event_loops, $2 = run tag
  local conf=$WORK/janus-conf-$1
  if [ ! -d "$conf" ]; then
    cp -r bench/janus "$conf"
    [ "$1" -gt 0 ] && sed -i "s/^\t#event_loops = 0/\tevent_loops = $1/" "$conf/janus.jcfg"
  fi
  taskset -c 0 janus -F "$conf" -o -N -L "$WORK/janus-$2.log" > /dev/null 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do
    curl -sf -X POST -d '{"janus":"info","transaction":"b"}' http://127.0.0.2:8088/janus >/dev/null && return 0
    sleep 0.2
  done
  die "Janus did not start (see $WORK/janus-$2.log)"
}

# Adds what only Prism can tell to a load-tool summary: GC pauses (the run's ZGC log, from server
# start: ramp-up included) and heap bytes its media workers allocated per forwarded packet
# (prism_media_allocated_bytes_total / prism_packets_forwarded_total, also from start; the load
# tool reports the same ratio over its measured window as serverWindowAllocBytesPerPacket).
prism_server_stats() { # $1 = run tag, $2 = summary JSON
  local metrics
  metrics=$(curl -sf -H "Authorization: Bearer $ADMIN_TOKEN" http://127.0.0.1:8080/metrics || true)
  METRICS="$metrics" GCLOG="$WORK/gc-$1.log" python3 -c '
import json, os, re, sys
r = json.loads(sys.argv[1])
pauses = sorted(float(m.group(1)) for line in open(os.environ["GCLOG"], errors="replace")
                for m in [re.search(r"Pause .* ([0-9.]+)ms$", line.strip())] if m)
r["serverGcPauses"] = len(pauses)
r["serverGcPauseP99Ms"] = pauses[min(len(pauses) - 1, int(0.99 * len(pauses)))] if pauses else 0.0
r["serverGcPauseMaxMs"] = pauses[-1] if pauses else 0.0
def metric(name):
    for line in os.environ["METRICS"].splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return None
alloc, fwd = metric("prism_media_allocated_bytes_total"), metric("prism_packets_forwarded_total")
r["serverAllocBytesPerPacket"] = alloc / fwd if alloc is not None and fwd else None
print(json.dumps(r, separators=(",", ":")))
' "$2"
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
  sleep 1
}

run_one() { # $1 = series (prism | janus | janus-loopsK), $2 = viewers
  local series=$1 n=$2 tag="$1-$2-$RANDOM" args
  if [ "$series" = prism ]; then
    start_prism "$tag"
    args=(--sfu prism --url http://127.0.0.1:8080 --key "$KEY" --secret "$SECRET")
  else
    local loops=0
    [ "$series" != janus ] && loops=${series#janus-loops}
    start_janus "$loops" "$tag"
    args=(--sfu janus --url http://127.0.0.2:8088/janus)
  fi
  echo "== $series, 1 publisher x $n viewers ($DURATION, server pid $SERVER_PID)"
  taskset -c 1 "$JAVA" "${JFLAGS[@]}" -cp tests/target/prism-benchmarks.jar dev.prism.loadtest.LoadTest "${args[@]}" \
    --publishers 1 --viewers "$n" --duration "$DURATION" --warmup "$WARMUP" --server-pid "$SERVER_PID" --quiet \
    > "$WORK/load-$tag.txt" 2>&1 || true
  local json
  json=$(grep '^{' "$WORK/load-$tag.txt" | tail -1 || true)
  [ -n "$json" ] || { echo "   (no summary; tail of $WORK/load-$tag.txt:)"; tail -5 "$WORK/load-$tag.txt"; json=FAILED; }
  if [ "$series" = prism ] && [ "$json" != FAILED ]; then json=$(prism_server_stats "$tag" "$json"); fi
  printf '%s\t%s\t%s\n' "$series" "$n" "$json" >> "$RESULTS"
  grep -E '^(received|loss per|added lat|server pid)' "$WORK/load-$tag.txt" | sed 's/^/   /' || true
  stop_server
}

JSERIES=()
for l in $JANUS_LOOPS; do
  if [ "$l" = 0 ]; then JSERIES+=(janus); else JSERIES+=("janus-loops$l"); fi
done
REVERSED=()
for ((i=${#JSERIES[@]}-1; i>=0; i--)); do REVERSED+=("${JSERIES[$i]}"); done

# The kernel's floor for the same fan-out on this host now (SendFloor: the worker's sendmmsg and
# nothing else, sender on CPU 0, a reader on CPU 1), before and after each viewer count's servers.
FLOORS=$WORK/floor.tsv
: > "$FLOORS"
FLOOR_SECONDS=${DURATION%s}
[[ $FLOOR_SECONDS =~ ^[0-9]+(\.[0-9]+)?$ ]] || FLOOR_SECONDS=10
run_floor() { # $1 = viewers
  local line
  line=$("$JAVA" "${JFLAGS[@]}" -cp tests/target/prism-benchmarks.jar dev.prism.sfu.worker.SendFloor --receivers "$1" \
    --seconds "$FLOOR_SECONDS" --warmup 3 --sender-cpu 0 --receiver-cpu 1 --json 2>&1) || true
  echo "$line" | grep '^send floor' | sed 's/^/   /' || true
  printf '%s\t%s\n' "$1" "$(echo "$line" | grep '^{' | tail -1)" >> "$FLOORS"
}

START=$(date +%s)
for n in $VIEWERS; do
  echo "== kernel floor, $n receivers"; run_floor "$n"
  for s in prism "${JSERIES[@]}" "${REVERSED[@]}" prism; do run_one "$s" "$n"; done
  echo "== kernel floor, $n receivers"; run_floor "$n"
done
ELAPSED=$(( $(date +%s) - START ))

CPU=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
HEADER="# Prism vs Janus: the same SFU workload

Generated by \`bench/run.sh --viewers \"$VIEWERS\" --duration $DURATION --janus-loops \"$JANUS_LOOPS\"\`
on $(date -u +%Y-%m-%d) ($CPU, $(nproc --all) CPUs; whole run ${ELAPSED} s). Raw summaries: the table
at the end.

**Workload** (load tool, \`tests/src/main/java/dev/prism/loadtest\`): 1 synthetic publisher
sending VP8 simulcast (rids q/h/f at ~150 kbit/s, ~500 kbit/s and ~1.8 Mbit/s, 30 fps, key frames
3 × a frame; ~2.5 Mbit/s in all) plus Opus 50 packets/s, with the mid, rid and transport-wide CC
extensions, answering PLI per layer and NACK from a 1 s history, its video paced as a browser's
(libwebrtc's factor 2.5: a frame's packets spread over ~13 ms instead of one burst; the load
tool's default \`--publisher-pacing 2.5\`); and N viewers, each its own
ICE/DTLS-SRTP transport with receiver reports, NACKs and transport-wide CC feedback. Viewers are
on the top layer, pinned on both servers (the load tool's default \`--viewer-layer top\`): Janus's
with \`substream\` 2, \`temporal\` 2, Prism's with WHEP \`?video_layer=top\` (column *top layer %*: share
of video packets from the top layer). Prism is driven over WHIP/WHEP, Janus
1.1.2 over its HTTP API and the videoroom plugin (one session, a handle per peer; Janus offers
to subscribers, the tool answers; \`rid_order\` lmh). Measured for $DURATION after every client connected and a
$WARMUP warm-up; each server is a fresh process per run.

**Machine discipline** (../shared/TESTING.md): server pinned to CPU 0 (\`taskset -c 0\`), load
tool to CPU 1, both in a private network namespace; CPU is the server's utime+stime from
/proc over the measured window; runs interleaved Prism, Janus, Janus, Prism per viewer count
and averaged (CPU figures as total CPU over total packets).

**Servers**: Prism \`java -XX:+UseZGC -jar api/target/prism-sfu.jar\` (one media worker, as it
sees one CPU; \`PRISM_MEDIA_IP=127.0.0.1\`; \`PRISM_MAX_WORKER_LOAD=0\`: admission by load off, so both servers take every viewer of the step and overload shows as loss; its GC and JIT threads at nice 10, the default \`media.housekeepingNice\`, as are the load tool's). Janus \`janus -F bench/janus\` (HTTP transport and
videoroom only, \`interface\`/\`ice_enforce_list\` 127.0.0.2 on a veth, no STUN, log level 3);
series \`janus\` = \`event_loops\` unset (a GLib loop and thread per handle, Janus's default),
\`janus-loopsK\` = K shared loops. The videoroom itself has no thread setting in 1.1.2.

**Reading it**: *forwarded pkt/s* is what all viewers received per second; *pkt per
CPU-second* = packets received by viewers / server CPU seconds (higher is better); *CPU µs/pkt*
its inverse. *loss* counts the gaps in each viewer's sequence numbers; *delivered min %* is the
least any viewer of a run got of what the publisher sent on the top layer and audio in the window
(a server that drops packets before renumbering them leaves no gap, and shows only here; "–" for
summaries from before the load tool counted it). Latency is publisher stamp to viewer decrypt on this machine, so it includes the
load tool's own scheduling (one core for all clients, on Netty's epoll sockets): compare servers,
not absolutes. *load tool CPU cores* is the load tool's own share over the window: near 1 its
clients queue what arrives, the latency includes that wait, and loss may be the tool's, not the server's;
it does the same work per packet in every run, so when it and the server both cost more in one run
than in its repeat, the machine was slower then. *server media / JIT / GC cores*: the server's CPU
share by thread (/proc/PID/task), Prism's media loops, JIT compilers and garbage collector.
Ratios are Prism / Janus. For Prism only: *GC pause p99* over all ZGC pauses of the run's GC
log (\`-Xlog:gc+phases\`, from server start, so ramp-up included); *B alloc/pkt* = heap bytes
its media event loop allocated (\`prism_media_allocated_bytes_total\`, the JVM's per-thread count)
over packets forwarded (\`prism_packets_forwarded_total\`), *from start, with set-up* from one scrape
of \`/metrics\` after the run (connection set-up, DTLS and SDP, is in it), *window* from the load
tool's own scrapes at the start and end of its measured window (the seconds its loss, latency and
CPU figures cover; the start scrape runs before the server's CPU time is read and the end scrape
after it, and the tool scrapes every 5 s of the warm-up, so a scrape's own CPU, which Janus never
pays, stays out of the window); *server delay p50 / p99* is Prism's own forwarding delay
(\`prism_forwarding_delay_seconds\`) over the same window, estimated from the histogram's buckets
as PromQL's \`histogram_quantile\` does. \"–\" where a run did not report a figure (Janus, or a
summary from before the load tool scraped the server). *Against the targets* takes the window's
allocation where there is one.
"
"$JAVA" -Djava.awt.headless=true -cp tests/target/prism-benchmarks.jar dev.prism.loadtest.BenchmarkPlots \
  "$RESULTS" "$OUT" "$(dirname "$OUT")" "$HEADER" "$FLOORS"
{
  echo
  echo "## Raw summaries"
  echo
  echo '```'
  cat "$RESULTS"
  echo '```'
  echo
  echo "Kernel floor (viewers, SendFloor summary):"
  echo
  echo '```'
  cat "$FLOORS"
  echo '```'
} >> "$OUT"
cp "$RESULTS" "$(dirname "$OUT")/bench-sfu-results.tsv"
cp "$FLOORS" "$(dirname "$OUT")/bench-sfu-floor.tsv"
echo "== done in ${ELAPSED} s: $OUT (work files in $WORK)"
