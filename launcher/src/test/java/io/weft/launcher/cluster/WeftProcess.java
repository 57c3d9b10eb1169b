package io.weft.launcher.cluster;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** {@code weft run <conf>} as a separate JVM, from the fat jar, with signals for failure tests. */
final class WeftProcess implements AutoCloseable {

  private static final Path JAR = Path.of("target", "weft.jar");
  private static final Pattern SERVING = Pattern.compile("serving at (\\S+)");

  private final String name;
  private final Path log;
  private final Process process;

  private WeftProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static WeftProcess start(String name, Path dir, JsonObject conf) throws IOException {
    Path confFile = dir.resolve(name + ".json");
    Files.writeString(confFile, conf.encodePrettily());
    Path log = dir.resolve(name + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Runtime.version().feature() >= 23) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(),
        "run", confFile.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    return new WeftProcess(name, log, process);
  }

  /** Waits until the mesh in this process has started; fails if the process dies first. */
  WeftProcess awaitStarted() {
    Awaitility.await(name + " started").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + log());
          }
          return log().contains("Weft mesh started");
        });
    return this;
  }

  /** The instance id ({@code host:port}) a service process registered. */
  String instanceId() {
    Matcher m = SERVING.matcher(log());
    if (!m.find()) {
      throw new IllegalStateException(name + " serves nothing yet");
    }
    return m.group(1);
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
    if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + name + " failed");
    }
  }

  /** kill -9. */
  void crash() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to exit and returns its status; fails if it is still running after {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(name + " still running after " + timeout + ":\n" + log());
    }
    return process.exitValue();
  }

  @Override
  public void close() throws Exception {
    if (process.isAlive()) {
      signal("CONT");
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Override
  public String toString() {
    return name;
  }

  static File jar() {
    return JAR.toFile();
  }
}
