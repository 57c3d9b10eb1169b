#!/usr/bin/env bash
# The test command: installs (when missing) and starts the servers the tests need, on loopback
# with temporary directories, runs the whole Maven build with every test, and stops the servers.
#
#   scripts/test.sh                 # everything (what CI runs)
#   scripts/test.sh -pl mesh-core   # extra arguments go to Maven
#
# After a whole build (no arguments), or with WEFT_JS_TESTS=1, the JavaScript client's tests run
# too (clients/js, node's test runner) against a mesh started from launcher/target/weft.jar.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=lib/java.sh
. "$ROOT/scripts/lib/java.sh"
weft_find_java
# shellcheck source=lib/servers.sh
. "$ROOT/scripts/lib/servers.sh"
# shellcheck source=lib/js.sh
. "$ROOT/scripts/lib/js.sh"

if ! command -v mvn >/dev/null 2>&1; then
  weft_apt_install maven
fi
weft_apt_install_command etcd etcd-server
weft_apt_install_command redis-server redis-server
# The dashboard test renders the admin page in headless Chromium.
weft_apt_install_command chromium chromium

WORK=$(mktemp -d "${TMPDIR:-/tmp}/weft-test.XXXXXX")
cleanup() {
  weft_stop_servers
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

weft_start_etcd "$WORK/etcd"
weft_start_redis "$WORK/redis"
echo "test servers: etcd $WEFT_TEST_ETCD, redis $WEFT_TEST_REDIS (java: $JAVA_HOME)"

MAVEN_OPTS="${MAVEN_OPTS:-} $(weft_jvm_flags | tr '\n' ' ')"
export MAVEN_OPTS
mvn -B -ntp -Dstyle.color=never verify "$@"

if [ "$#" -eq 0 ] || [ "${WEFT_JS_TESTS:-}" = 1 ]; then
  weft_js_tests "$WORK"
fi
