# Helpers to install and run the servers tests need (etcd, Redis) on loopback, in temp dirs.
# Sourced by scripts/test.sh; exports WEFT_TEST_ETCD / WEFT_TEST_REDIS for the build.

WEFT_SERVER_PIDS=()

weft_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    echo "weft: need root to run: $*" >&2; return 1; fi
}

weft_apt_install() {
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "weft: please install: $*" >&2
    return 1
  fi
  echo "weft: installing $* ..." >&2
  weft_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 || {
    weft_sudo apt-get update -qq >/dev/null 2>&1
    weft_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  }
}

# weft_apt_install_command COMMAND PACKAGE: installs PACKAGE unless COMMAND is on the PATH.
weft_apt_install_command() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ] || weft_apt_install "$2"
}

weft_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null && return
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "weft: no free port found" >&2; return 1
}

# weft_wait_for SECONDS COMMAND...: polls COMMAND until it succeeds.
weft_wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "weft: timed out waiting for: $*" >&2; return 1; fi
    sleep 0.1
  done
}

weft_start_etcd() {
  local dir=$1 client peer
  mkdir -p "$dir"
  client=$(weft_free_port); peer=$(weft_free_port)
  ETCD_UNSUPPORTED_ARCH="${ETCD_UNSUPPORTED_ARCH:-}" etcd --name weft-test --data-dir "$dir/data" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "weft-test=http://127.0.0.1:$peer" >"$dir/etcd.log" 2>&1 &
  WEFT_SERVER_PIDS+=($!)
  export WEFT_TEST_ETCD="http://127.0.0.1:$client"
  export WEFT_TEST_ETCD_DATA="$dir/data"
  weft_wait_for 30 curl -fsS "$WEFT_TEST_ETCD/health" || { cat "$dir/etcd.log" >&2; return 1; }
}

weft_start_redis() {
  local dir=$1 port
  mkdir -p "$dir"
  port=$(weft_free_port)
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
    --daemonize no >"$dir/redis.log" 2>&1 &
  WEFT_SERVER_PIDS+=($!)
  export WEFT_TEST_REDIS="redis://127.0.0.1:$port"
  weft_wait_for 30 redis-cli -p "$port" ping || { cat "$dir/redis.log" >&2; return 1; }
}

weft_stop_servers() {
  local pid
  for pid in "${WEFT_SERVER_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${WEFT_SERVER_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  WEFT_SERVER_PIDS=()
}
