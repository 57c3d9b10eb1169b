package io.weft.launcher;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the Chrome DevTools Protocol (a JSON-RPC over a WebSocket, spoken
 * here by Vert.x's WebSocket client): pages in browser contexts of their own (separate storage, as
 * two people on two machines), scripts evaluated in them, screenshots.
 */
final class DevTools implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final long TIMEOUT_S = 20;

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Promise<JsonObject>> pending = new ConcurrentHashMap<>();

  private DevTools(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
    socket.textMessageHandler(this::received);
  }

  /** Starts Chromium (scripts/test.sh installs it) on a DevTools port of its choosing, and connects. */
  static DevTools start(Vertx vertx) throws Exception {
    Path profile = Files.createTempDirectory("weft-chromium");
    List<String> command = new ArrayList<>(List.of(AdminIT.Chromium.binary(), "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage", "--hide-scrollbars",
        "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile, "about:blank"));
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String url = devToolsUrl(process);
      WebSocket socket = vertx.createWebSocketClient(new WebSocketClientOptions()
              .setMaxFrameSize(64 * 1024 * 1024).setMaxMessageSize(64 * 1024 * 1024))
          .connect(new io.vertx.core.http.WebSocketConnectOptions().setAbsoluteURI(url))
          .await(TIMEOUT_S, TimeUnit.SECONDS);
      return new DevTools(process, profile, socket);
    } catch (Exception | AssertionError e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw e;
    }
  }

  /** Reads Chromium's stderr for the browser's DevTools address, then drains it on a thread of its own. */
  private static String devToolsUrl(Process process) throws Exception {
    BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line = err.readLine(); line != null; line = err.readLine()) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            return m.group(1);
          }
        }
        throw new IllegalStateException("chromium exited without a DevTools address");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    String found = url.get(TIMEOUT_S, TimeUnit.SECONDS);
    Thread.ofVirtual().start(() -> {
      try {
        err.transferTo(java.io.Writer.nullWriter());
      } catch (java.io.IOException ignored) {
        // Chromium is gone.
      }
    });
    return found;
  }

  private void received(String text) {
    JsonObject message = new JsonObject(text);
    Long id = message.getLong("id");
    Promise<JsonObject> promise = id == null ? null : pending.remove(id);
    if (promise == null) {
      return;
    }
    JsonObject error = message.getJsonObject("error");
    if (error != null) {
      promise.fail(new IllegalStateException("DevTools: " + error.encode()));
    } else {
      promise.complete(message.getJsonObject("result", new JsonObject()));
    }
  }

  private JsonObject send(String sessionId, String method, JsonObject params) {
    long id = ids.incrementAndGet();
    Promise<JsonObject> promise = Promise.promise();
    pending.put(id, promise);
    JsonObject message = new JsonObject().put("id", id).put("method", method).put("params", params);
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    socket.writeTextMessage(message.encode());
    try {
      return promise.future().await(TIMEOUT_S, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      pending.remove(id);
      throw new IllegalStateException("DevTools: no answer to " + method + " within " + TIMEOUT_S + " s", e);
    }
  }

  /** Opens {@code url} in a new browser context of the given size. */
  Page open(String url, int width, int height) {
    String context = send(null, "Target.createBrowserContext", new JsonObject()).getString("browserContextId");
    String target = send(null, "Target.createTarget", new JsonObject().put("url", "about:blank")
        .put("browserContextId", context).put("width", width).put("height", height)).getString("targetId");
    String session = send(null, "Target.attachToTarget", new JsonObject().put("targetId", target).put("flatten", true))
        .getString("sessionId");
    Page page = new Page(session);
    send(session, "Emulation.setDeviceMetricsOverride", new JsonObject().put("width", width).put("height", height)
        .put("deviceScaleFactor", 1).put("mobile", false));
    send(session, "Page.navigate", new JsonObject().put("url", url));
    return page;
  }

  /** One tab. */
  final class Page {

    private final String session;

    private Page(String session) {
      this.session = session;
    }

    /**
     * Evaluates {@code expression} in the page (awaiting it, if it is a promise) and returns its
     * value as JSON maps, lists, strings, numbers or booleans; a thrown error fails the call.
     */
    Object eval(String expression) {
      JsonObject result = send(session, "Runtime.evaluate", new JsonObject().put("expression", expression)
          .put("awaitPromise", true).put("returnByValue", true));
      if (result.containsKey("exceptionDetails")) {
        throw new IllegalStateException("the page threw: " + result.getJsonObject("exceptionDetails").encode());
      }
      return result.getJsonObject("result").getValue("value");
    }

    /** Writes a PNG of what the page shows to {@code file}. */
    void screenshot(Path file) throws Exception {
      String data = send(session, "Page.captureScreenshot", new JsonObject().put("format", "png")).getString("data");
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, Base64.getDecoder().decode(data));
    }
  }

  @Override
  public void close() throws Exception {
    try {
      socket.close().await(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Closing anyway.
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
