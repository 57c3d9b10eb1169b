# Finds a JDK >= 21 and exports JAVA_HOME and JAVA. Sourced by bin/weft and scripts/*.sh.
# Order: $JAVA_HOME when it is >= 21, then the newest JDK >= 21 under /usr/lib/jvm.

weft_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}

weft_find_java() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(weft_java_major "$JAVA_HOME/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA="$JAVA_HOME/bin/java"
      export WEFT_JAVA_MAJOR="$major"
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(weft_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    cat >&2 <<'MSG'
weft: no JDK 21 or newer found (looked at $JAVA_HOME and /usr/lib/jvm).
Install one, for example:
  sudo apt-get install openjdk-21-jdk      (Debian/Ubuntu with JDK 21 packaged)
  or Temurin 21+ from https://adoptium.net
then run this command again (or set JAVA_HOME to it).
MSG
    return 1
  fi
  JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$best")")")
  export JAVA_HOME
  export JAVA="$JAVA_HOME/bin/java"
  export WEFT_JAVA_MAJOR="$best_major"
}

# JVM flags shared by every Weft process: on JDK 23+, quiet the warnings about libraries' use of
# sun.misc.Unsafe (Netty, msgpack); native access for Netty's transports.
weft_jvm_flags() {
  printf '%s\n' "--enable-native-access=ALL-UNNAMED"
  if [ "${WEFT_JAVA_MAJOR:-21}" -ge 23 ]; then
    printf '%s\n' "--sun-misc-unsafe-memory-access=allow"
  fi
}
