#!/usr/bin/env bash
# Side by side, on this machine, in one run: a trivial framed echo (the no-hop limit), nginx
# `stream` (L4) in front of it, Weft c2s, Weft s2s and pushes; interleaved rounds A/B/A/B after a
# warm-up, medians of ROUNDS, the client pinned to CPU 0 and the system under test to CPU 1, one
# event loop per JVM. Writes results/, docs/bench-compare.png and a table between the markers of
# docs/BENCHMARKS.md.
#
#   scripts/bench-compare.sh                 # ROUNDS=3 WARMUP=10s DURATION=10s
#   ROUNDS=1 WARMUP=2s DURATION=3s scripts/bench-compare.sh   # a quick look
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
. scripts/lib/java.sh
weft_find_java
. scripts/lib/servers.sh

ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-10s}
CLIENT_CPU=${CLIENT_CPU:-0}
SUT_CPU=${SUT_CPU:-1}

command -v nginx >/dev/null 2>&1 && [ -e /usr/lib/nginx/modules/ngx_stream_module.so ] \
  || weft_apt_install nginx libnginx-mod-stream
weft_apt_install_command redis-server redis-server
bin/weft --version >/dev/null   # builds the jar when needed

WORK=$(mktemp -d "${TMPDIR:-/tmp}/weft-bench.XXXXXX")
RESULTS="$ROOT/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RESULTS"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

ECHO_PORT=$(weft_free_port); NGINX_PORT=$(weft_free_port); GATE_PORT=$(weft_free_port); REDIS_PORT=$(weft_free_port)

# The systems under test, all on SUT_CPU.
taskset -c "$SUT_CPU" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
  --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
taskset -c "$SUT_CPU" bin/weft echo-server --port "$ECHO_PORT" >"$WORK/echo.log" 2>&1 &
PIDS+=($!); ECHO_PID=$!
cat >"$WORK/nginx.conf" <<NGINX
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
stream {
  server { listen 127.0.0.1:$NGINX_PORT; proxy_pass 127.0.0.1:$ECHO_PORT; tcp_nodelay on; }
}
NGINX
taskset -c "$SUT_CPU" nginx -c "$WORK/nginx.conf" -p "$WORK" &
PIDS+=($!)
WEFT_EVENT_LOOPS=1 WEFT_GATE_PORT=$GATE_PORT WEFT_PUSH_DATA_DIR="$WORK/push" WEFT_REDIS="redis://127.0.0.1:$REDIS_PORT" \
  taskset -c "$SUT_CPU" bin/weft run conf/bench.json >"$WORK/mesh.log" 2>&1 &
PIDS+=($!); MESH_PID=$!
weft_wait_for 60 grep -q "Weft mesh started" "$WORK/mesh.log"
weft_wait_for 30 grep -q "listening" "$WORK/echo.log"
weft_wait_for 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/$NGINX_PORT"
NGINX_PIDS=$(pgrep -f "nginx -c $WORK/nginx.conf" | tr '\n' ' ')

bench() { # label, scenario, port, sut pids, extra args...
  local label=$1 scenario=$2 port=$3 pids=$4; shift 4
  local sut=(); for p in $pids; do sut+=(--sut-pid "$p"); done
  echo "== $label (round $round)"
  taskset -c "$CLIENT_CPU" bin/weft bench --scenario "$scenario" --gate "127.0.0.1:$port" --connections 8 \
    --warmup "$WARMUP" --duration "$DURATION" --label "$label" --json "$RESULTS/r$round-$label.json" "${sut[@]}" "$@" \
    | tail -n 3
}

for round in $(seq 1 "$ROUNDS"); do
  for depth in 1 64; do
    bench "echo@$depth"  echo "$ECHO_PORT"  "$ECHO_PID"                 --inflight "$depth"
    bench "nginx@$depth" echo "$NGINX_PORT" "$ECHO_PID $NGINX_PIDS"    --inflight "$depth"
    bench "c2s@$depth"   c2s  "$GATE_PORT"  "$MESH_PID"                --inflight "$depth"
    bench "s2s@$depth"   s2s  "$GATE_PORT"  "$MESH_PID"                --inflight "$depth"
    bench "s2s-vt@$depth" s2s "$GATE_PORT"  "$MESH_PID"                --inflight "$depth" --service relay-vt --method Relay
  done
  bench "push" push "$GATE_PORT" "$MESH_PID" --pushers 2 --inflight 64 --clients-per-connection 100
done

# p99 at half the measured maximum rate, open loop (no coordinated omission).
MAX=$(grep -h '"throughput"' "$RESULTS"/r*-c2s@64.json | tr -dc '0-9\n' | sort -n | tail -n 1)
HALF=$((MAX / 2))
round=open
bench "c2s-open@half-max" c2s "$GATE_PORT" "$MESH_PID" --rate "$HALF"

bin/weft bench-report --results "$RESULTS" --markdown "$RESULTS/table.md" --png "$ROOT/docs/bench-compare.png"
cat "$RESULTS/table.md"
{
  echo "Measured $(date -u +%Y-%m-%d) on $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) CPUs), $("$JAVA" -version 2>&1 | head -n 1),"
  echo "$(nginx -v 2>&1); rounds: $ROUNDS, warm-up $WARMUP, measured $DURATION; open loop at $HALF calls/s (half of $MAX)."
  echo
  cat "$RESULTS/table.md"
} >"$RESULTS/section.md"
python3 - "$ROOT/docs/BENCHMARKS.md" "$RESULTS/section.md" <<'PY'
import sys, re
doc, section = open(sys.argv[1]).read(), open(sys.argv[2]).read()
start, end = "<!-- bench-compare:start -->", "<!-- bench-compare:end -->"
if start in doc:
    doc = re.sub(re.escape(start) + ".*?" + re.escape(end), start + "\n" + section + end, doc, flags=re.S)
else:
    doc += "\n" + start + "\n" + section + end + "\n"
open(sys.argv[1], "w").write(doc)
PY
echo "results in $RESULTS; docs/BENCHMARKS.md and docs/bench-compare.png updated"
