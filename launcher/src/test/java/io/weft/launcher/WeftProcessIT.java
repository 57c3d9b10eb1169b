package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft run conf/local.json} as its own process, from the fat jar: start, call, SIGTERM. */
class WeftProcessIT {

  private static final Path JAR = Path.of("target", "weft.jar");

  private static List<String> java(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void runServesCallsAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
    assertThat(JAR).exists();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    File log = dir.resolve("run.log").toFile();
    ProcessBuilder builder = new ProcessBuilder(java("run", Path.of("..", "conf", "local.json").toString()))
        .redirectErrorStream(true).redirectOutput(log);
    builder.environment().put("WEFT_GATE_PORT", String.valueOf(port));
    builder.environment().put("WEFT_PUSH_DATA_DIR", dir.resolve("push").toString());
    builder.environment().put("WEFT_ADMIN_PORT", "0");
    Process mesh = builder.start();
    try {
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> Files.readString(log.toPath()).contains("Weft mesh started"));

      Process call = new ProcessBuilder(java("call", "--gate", "127.0.0.1:" + port, "echo.Echo", "{\"Text\":\"hi\"}"))
          .redirectErrorStream(true).start();
      assertThat(call.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String output = new String(call.getInputStream().readAllBytes());
      assertThat(call.exitValue()).as(output).isZero();
      assertThat(output.trim()).endsWith("{\"Text\":\"hi\"}");

      mesh.destroy(); // SIGTERM
      assertThat(mesh.waitFor(20, TimeUnit.SECONDS)).as("stops within 20 s of SIGTERM").isTrue();
      String runLog = Files.readString(log.toPath());
      assertThat(runLog).doesNotContain("Exception");
      // JVMs report SIGTERM as 143 once their shutdown hooks have run
      assertThat(mesh.exitValue()).isIn(0, 143);
    } finally {
      mesh.destroyForcibly();
    }
  }
}
