package io.weft.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo page of conf/local.json, served by the external gate (webRoot {@code weft-demo}), used
 * by two people at once in headless Chromium: each logs in with a development token over the
 * gate's WebSocket, a line one says appears live at the other, a gift moves the leaderboard both
 * see, and a friend request, once accepted, shows the friend online. A screenshot of the first
 * user's page lands in {@code target/demo.png} (docs/demo.png is one).
 */
class DemoPageIT {

  private static DemoMesh mesh;
  private static DevTools chromium;

  @BeforeAll
  static void start() throws Exception {
    mesh = new DemoMesh();
    chromium = DevTools.start(mesh.vertx);
  }

  @AfterAll
  static void stop() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
    mesh.close();
  }

  @Test
  void theGateServesThePageAndTheClient() throws Exception {
    HttpResponse<String> page = mesh.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Weft demo").contains("demo.js");
    assertThat(mesh.get("/demo.js").body()).contains("from '/weft/weft-client.mjs'");
    assertThat(mesh.get("/weft/weft-client.mjs").statusCode()).isEqualTo(200);
  }

  @Test
  void twoUsersChatLiveSeeTheLeaderboardMoveAndBecomeFriends() throws Exception {
    DevTools.Page ann = chromium.open(mesh.url("/"), 1200, 600);
    DevTools.Page bob = chromium.open(mesh.url("/"), 1200, 600);
    logIn(ann, "ann");
    logIn(bob, "bob");
    // Each sees the other in the room: bob's join was pushed to ann.
    until(ann, "text('#members') === 'ann, bob'");
    until(bob, "text('#members') === 'ann, bob'");

    submit(ann, "say", "'say-text': 'hello bob'");
    until(bob, "lines().some(l => l === 'annhello bob')");
    until(ann, "lines().some(l => l === 'annhello bob')");
    submit(bob, "say", "'say-text': 'hi ann!'");
    until(ann, "lines().some(l => l === 'bobhi ann!')");

    submit(bob, "gift", "'gift-to': 'ann', 'gift-value': '300'");
    until(ann, "lines().some(l => l === 'bobsent rose (300) to ann')");
    until(ann, "text('#leaderboard li') === 'ann300'");
    until(bob, "text('#leaderboard li') === 'ann300'");

    submit(ann, "friend", "'friend-name': 'bob'");
    until(bob, "text('#requests li').startsWith('ann asks to be friends')");
    bob.eval("document.querySelector('#requests button').click()");
    until(ann, "text('#friends li.online') === 'bob'");
    until(bob, "text('#friends li.online') === 'ann'");
    until(ann, "text('#notices').includes('bob and you are friends')");

    Path screenshot = Path.of("target", "demo.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    ann.screenshot(screenshot);
    assertThat(Files.size(screenshot)).isGreaterThan(10_000);
  }

  /** Helpers the test's expressions use, defined in the page (not part of it). */
  private static final String HELPERS = "window.text = (sel) => [...document.querySelectorAll(sel)]"
      + ".map(e => e.textContent).join('|');"
      + "window.lines = () => [...document.querySelectorAll('#messages li')].map(li => li.textContent);";

  private static void logIn(DevTools.Page page, String name) {
    until(page, "document.readyState === 'complete' && !!document.getElementById('login-btn')");
    page.eval(HELPERS);
    submit(page, "login", "'login-name': '" + name + "'");
    until(page, "text('#status') === 'online as " + name + "'");
  }

  /** Fills the inputs of a form (id: value, as a JS object literal) and submits it as a click would. */
  private static void submit(DevTools.Page page, String form, String fields) {
    page.eval("Object.entries({" + fields + "}).forEach(([id, v]) => document.getElementById(id).value = v);"
        + "document.getElementById('" + form + "').requestSubmit()");
  }

  /** Waits until {@code condition} holds in the page; if it never does, fails showing what the page shows. */
  private static void until(DevTools.Page page, String condition) {
    try {
      await(condition).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() ->
          Boolean.TRUE.equals(page.eval("(() => { try { return " + condition + "; } catch (e) { return false; } })()")));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "; the page shows:\n" + page.eval("document.body.innerText"), e);
    }
  }
}
