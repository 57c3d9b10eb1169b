package io.weft.launcher.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.auth.AuthOptions;
import io.weft.core.auth.HmacTokens;
import io.weft.core.auth.Principal;
import io.weft.launcher.Weft;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenCommandTest {

  private static final String OLD = secret("old-0123456789abcdef0123456789abcdef");
  private static final String NEW = secret("new-fedcba9876543210fedcba9876543210");

  @TempDir
  Path dir;

  private static JsonObject auth() {
    return new JsonObject().put("keys", new JsonObject().put("old", OLD).put("new", NEW)).put("signingKey", "new");
  }

  @Test
  void theLastLineIsATokenTheConfiguredGateAccepts() throws IOException {
    Path conf = config(auth());
    Instant before = Instant.now();
    Result result = run("token", "--config", conf.toString(), "--subject", "alice", "--label", "web", "--ttl", "2m");
    Instant after = Instant.now();
    assertThat(result.code).as(result.err).isZero();
    assertThat(result.lines()).hasSizeGreaterThan(1);
    assertThat(result.out).contains("alice").contains("gates[1].auth");

    Principal p = new HmacTokens(new AuthOptions(auth())).verify(result.lastLine()).result();
    assertThat(p).as("the token verifies").isNotNull();
    assertThat(p.subject()).isEqualTo("alice");
    assertThat(p.label()).isEqualTo("web");
    assertThat(p.keyId()).isEqualTo("new");
    assertThat(p.expiresAt()).isBetween(before.plusSeconds(119), after.plusSeconds(120));
  }

  @Test
  void keyIdPicksAnotherConfiguredKey() throws IOException {
    Path conf = config(auth());
    Result result = run("token", "--config", conf.toString(), "--key-id", "old");
    assertThat(result.code).as(result.err).isZero();
    Principal p = new HmacTokens(new AuthOptions(auth())).verify(result.lastLine()).result();
    assertThat(p.keyId()).isEqualTo("old");
    assertThat(p.subject()).isEqualTo("dev");
    assertThat(p.expiresAt()).isAfter(Instant.now().plusSeconds(3500));

    Result unknown = run("token", "--config", conf.toString(), "--key-id", "nope");
    assertThat(unknown.code).isEqualTo(2);
    assertThat(unknown.err).contains("nope").contains("[new, old]");
  }

  @Test
  void aConfigWithoutAnAuthSectionSaysWhatToAdd() throws IOException {
    Path conf = dir.resolve("plain.json");
    Files.writeString(conf, new JsonObject().put("gates", new JsonArray().add(gate("internal", 7001))).encode());
    Result result = run("token", "--config", conf.toString());
    assertThat(result.code).isEqualTo(2);
    assertThat(result.out).isEmpty();
    assertThat(result.err).contains("no gate").contains("\"auth\"").contains("\"keys\"").contains("openssl rand -base64 32");

    Result wrongGate = run("token", "--config", config(auth()).toString(), "--gate-index", "0");
    assertThat(wrongGate.code).isEqualTo(2);
    assertThat(wrongGate.err).contains("gates[0].auth");
    assertThat(run("token", "--config", config(auth()).toString(), "--gate-index", "-1").code).isEqualTo(2);
    assertThat(run("token", "--config", config(auth()).toString(), "--gate-index", "5").code).isEqualTo(2);
  }

  @Test
  void aBadAuthSectionOrTtlIsRefusedNamingIt() throws IOException {
    Path conf = config(new JsonObject().put("keys", new JsonObject().put("dev", secret("too short"))));
    Result result = run("token", "--config", conf.toString());
    assertThat(result.code).isEqualTo(2);
    assertThat(result.err).contains("gates[1]: auth.keys.dev").contains("32 bytes").doesNotContain(secret("too short"));
    Path good = config(auth());
    Result badTtl = run("token", "--config", good.toString(), "--ttl", "500ms");
    assertThat(badTtl.code).isEqualTo(2);
    assertThat(badTtl.err).contains("ttl");
    assertThat(run("token", "--config", good.toString(), "--ttl", "soon").code).isEqualTo(2);
  }

  private Path config(JsonObject auth) throws IOException {
    Path conf = dir.resolve("conf.json");
    JsonObject external = gate("external", 7000).put("auth", auth);
    Files.writeString(conf, new JsonObject().put("gates", new JsonArray().add(gate("internal", 7001)).add(external))
        .encodePrettily());
    return conf;
  }

  private static JsonObject gate(String mode, int port) {
    return new JsonObject().put("mode", mode).put("host", "127.0.0.1").put("port", port);
  }

  private static String secret(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }

  private record Result(int code, String out, String err) {
    List<String> lines() {
      return out.strip().lines().toList();
    }

    String lastLine() {
      List<String> lines = lines();
      return lines.get(lines.size() - 1);
    }
  }

  /** Runs {@code weft} in this JVM, as LauncherIT does. */
  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream savedOut = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Weft()).execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(savedOut);
      System.setErr(savedErr);
    }
  }
}
