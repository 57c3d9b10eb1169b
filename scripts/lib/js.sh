# The JavaScript client's tests (clients/js, node's test runner) against a mesh of their own:
# launcher/target/weft.jar running a config on free loopback ports. Sourced by scripts/test.sh.

weft_js_tests() {
  local work=$1 internal external http pid rc
  weft_apt_install_command node nodejs
  weft_apt_install_command npm npm
  internal=$(weft_free_port); external=$(weft_free_port); http=$(weft_free_port)
  mkdir -p "$work/js-mesh"
  cat >"$work/js-mesh/mesh.json" <<JSON
{
  "registry": {"type": "local"},
  "gates": [
    {"mode": "internal", "host": "127.0.0.1", "port": $internal},
    {"mode": "external", "host": "127.0.0.1", "port": $external,
     "auth": {"keys": {"test": "c2VjcmV0LWtleS1mb3ItdGhlLWpzLXRlc3RzLW9ubHk="}, "signingKey": "test", "replayWindowMs": 0},
     "http": {"host": "127.0.0.1", "port": $http, "devTokens": true}}
  ],
  "services": [
    {"class": "io.weft.examples.echo.EchoService", "namespace": "demo", "name": "echo", "host": "127.0.0.1"}
  ],
  "push": {"host": "127.0.0.1", "store": {"embedded": true, "dataDir": "$work/js-mesh/push"}}
}
JSON
  mapfile -t flags < <(weft_jvm_flags)
  "$JAVA" "${flags[@]}" -jar "$ROOT/launcher/target/weft.jar" run "$work/js-mesh/mesh.json" >"$work/js-mesh/weft.log" 2>&1 &
  pid=$!
  if ! weft_wait_for 60 curl -fsS "http://127.0.0.1:$http/weft/weft-client.mjs"; then
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    tail -n 40 "$work/js-mesh/weft.log" >&2
    return 1
  fi
  rc=0
  (
    cd "$ROOT/clients/js"
    [ -d node_modules/@msgpack/msgpack ] || npm install --no-audit --no-fund >/dev/null
    WEFT_TEST_TCP="127.0.0.1:$internal" WEFT_TEST_TCP_EXTERNAL="127.0.0.1:$external" \
      WEFT_TEST_HTTP="127.0.0.1:$http" node --experimental-websocket --test test/
  ) || rc=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ "$rc" -eq 0 ] || tail -n 40 "$work/js-mesh/weft.log" >&2
  return "$rc"
}
