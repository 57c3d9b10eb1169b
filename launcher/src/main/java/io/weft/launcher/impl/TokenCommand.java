package io.weft.launcher.impl;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.auth.AuthOptions;
import io.weft.core.auth.HmacTokens;
import io.weft.core.auth.Principal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft token}: a token for an external gate, signed with a key from the gate's own
 * {@code auth} section, for development and tests. The token is the last line printed, so
 * {@code bin/weft token | tail -1} gets it whatever was printed before.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Print a token for an external gate, signed with the key in a config's gate \"auth\" section "
        + "(for development). The token is the last line.")
public final class TokenCommand implements Callable<Integer> {

  static final String AUTH_EXAMPLE = "\"auth\": {\"keys\": {\"dev\": \"<base64 of 32 random bytes, from: "
      + "openssl rand -base64 32>\"}, \"signingKey\": \"dev\"}";

  @Option(names = "--config", defaultValue = "conf/local.json",
      description = "The mesh config (default: ${DEFAULT-VALUE}).")
  Path config;

  @Option(names = "--gate-index", description = "Which entry of \"gates\" holds the auth section "
      + "(default: the first that has one).")
  Integer gateIndex;

  @Option(names = "--subject", defaultValue = "dev", description = "The client's identity (default: ${DEFAULT-VALUE}).")
  String subject;

  @Option(names = "--label",
      description = "A Client label to bind to the token (default: none; the client's own is used).")
  String label;

  @Option(names = "--ttl", defaultValue = "1h", converter = DurationConverter.class,
      description = "How long the token is valid, e.g. 10m, 1h (default: ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(names = "--key-id", description = "Sign with this key id (default: the section's signingKey).")
  String keyId;

  @Override
  public Integer call() {
    JsonObject json;
    try {
      json = new JsonObject(Files.readString(config));
    } catch (IOException e) {
      return fail("cannot read " + config + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return fail(config + " is not a JSON object: " + e.getMessage());
    }
    JsonArray gates = json.getValue("gates") instanceof JsonArray array ? array : new JsonArray();
    int index = gateIndex != null ? gateIndex : firstWithAuth(gates);
    if (index < 0 && gateIndex == null) {
      return fail("no gate in " + config + " has an \"auth\" section; add one to the external gate's entry, e.g.\n  "
          + AUTH_EXAMPLE);
    }
    String path = "gates[" + index + "]";
    if (index < 0 || index >= gates.size() || !(gates.getValue(index) instanceof JsonObject gate)
        || !(gate.getValue("auth") instanceof JsonObject authJson)) {
      return fail(config + " has no " + path + ".auth object; add one, e.g.\n  " + AUTH_EXAMPLE);
    }
    AuthOptions options;
    HmacTokens tokens;
    try {
      options = new AuthOptions(authJson);
      if (keyId != null && !options.getKeys().containsKey(keyId)) {
        return fail("--key-id " + keyId + " is not among " + path + ".auth.keys "
            + new TreeSet<>(options.getKeys().keySet()));
      }
      tokens = new HmacTokens(keyId == null ? options : new AuthOptions(options).setSigningKey(keyId));
    } catch (IllegalArgumentException e) {
      // Named as MeshConfig names it: "gates[1]: auth.keys.dev must be ...".
      return fail(path + ": " + e.getMessage());
    }
    String token;
    try {
      token = tokens.sign(subject, label, ttl);
    } catch (IllegalArgumentException e) {
      return fail(e.getMessage());
    }
    // Read back as the gate will (replays aside): the exact expiry, and a check of the token.
    Future<Principal> check = new HmacTokens(new AuthOptions(options).setReplayWindowMs(0)).verify(token, label, null);
    if (check.failed()) {
      return fail("the token signed does not verify: " + check.cause().getMessage());
    }
    Principal p = check.result();
    System.out.println("subject: " + p.subject());
    System.out.println("label:   " + (label != null ? p.label() + " (bound)"
        : "none bound: the client's own Client label is used"));
    System.out.println("key:     " + p.keyId() + " (" + path + ".auth in " + config + ")");
    System.out.println("expires: " + p.expiresAt() + " (in " + ttl.toSeconds() + " s)");
    System.out.println(token);
    return 0;
  }

  /** A signer with the auth section of the first gate of {@code config} that has one (benches, tools). */
  static HmacTokens signerOf(Path config) throws IOException {
    JsonObject json = new JsonObject(Files.readString(config));
    JsonArray gates = json.getValue("gates") instanceof JsonArray array ? array : new JsonArray();
    int index = firstWithAuth(gates);
    if (index < 0) {
      throw new IllegalArgumentException("no gate in " + config + " has an \"auth\" section");
    }
    return new HmacTokens(new AuthOptions(gates.getJsonObject(index).getJsonObject("auth")));
  }

  private static int firstWithAuth(JsonArray gates) {
    for (int i = 0; i < gates.size(); i++) {
      if (gates.getValue(i) instanceof JsonObject gate && gate.getValue("auth") != null) {
        return i;
      }
    }
    return -1;
  }

  private static int fail(String message) {
    System.err.println("weft token: " + message);
    return 2;
  }
}
