package io.weft.core.test;

import static org.junit.jupiter.api.Assertions.fail;

/** The servers {@code scripts/test.sh} starts for integration tests, as it passes them to failsafe. */
public final class TestServers {

  private TestServers() {
  }

  /** The shared etcd's client URL; fails the test (never skips it) when the build was not given one. */
  public static String etcd() {
    return property("weft.test.etcd", "WEFT_TEST_ETCD", "http://127.0.0.1:2379");
  }

  /** The shared Redis's URL; fails the test (never skips it) when the build was not given one. */
  public static String redis() {
    return property("weft.test.redis", "WEFT_TEST_REDIS", "redis://127.0.0.1:6379");
  }

  private static String property(String name, String env, String example) {
    String value = System.getProperty(name);
    // An unset environment variable reaches us as the unexpanded "${env.X}" of the parent pom.
    if (value == null || value.isBlank() || value.contains("${")) {
      fail("No " + name + ": run the tests with scripts/test.sh, which starts the servers, or pass -D" + name
          + "=" + example + " (or set " + env + ") to mvn verify");
    }
    return value;
  }
}
