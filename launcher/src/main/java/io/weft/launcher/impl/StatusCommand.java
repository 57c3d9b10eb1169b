package io.weft.launcher.impl;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.metrics.MeshMetrics;
import io.weft.core.metrics.RateWindow;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft status [--admin host:port]}: what the dashboard shows, as tables in a terminal:
 * the process's flow velocity, its gates with their services (instances, QPS, p99, errors,
 * circuit breakers), and its service instances. Reads the admin server's {@code /status}.
 */
@Command(name = "status", description = "Show a running process's gates, services and instances, from its admin "
    + "server's /status (like the dashboard).")
public final class StatusCommand implements Callable<Integer> {

  @Option(names = "--admin", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:7070",
      converter = GateAddress.Converter.class, description = "The admin server (default: ${DEFAULT-VALUE}).")
  GateAddress admin;

  @Option(names = "--json", description = "Print /status as it came, as JSON.")
  boolean json;

  @Option(names = "--timeout", defaultValue = "5s", converter = DurationConverter.class,
      description = "How long to wait for the answer (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    URI uri = URI.create("http://" + admin + "/status");
    JsonObject status;
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        System.err.println("weft: " + uri + " answered " + response.statusCode());
        return 1;
      }
      status = new JsonObject(response.body());
    } catch (IOException | DecodeException e) {
      System.err.println("weft: cannot read " + uri + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    if (json) {
      System.out.println(status.encodePrettily());
    } else {
      print(status, admin.toString(), System.out);
    }
    return 0;
  }

  /** Prints {@code status} as tables. */
  static void print(JsonObject status, String where, PrintStream out) {
    JsonObject v = status.getJsonObject("velocity", new JsonObject());
    out.printf(Locale.ROOT, "Weft at %s: %s, up %s, rates over the last %.1f s%n", where,
        status.getBoolean("ready", false) ? "ready" : "NOT READY", duration(status.getLong("uptimeMs", 0L)),
        status.getLong("windowMs", 0L) / 1000.0);
    out.println(MeshMetrics.velocityLine(new RateWindow.Velocity(v.getDouble("clientRequestsPerSec", 0.0),
        v.getDouble("gateRoutesPerSec", 0.0), v.getDouble("serviceCallsPerSec", 0.0), v.getDouble("pushesPerSec", 0.0),
        v.getDouble("eventsPublishedPerSec", 0.0))));

    Table gates = new Table("GATE", "MODE", "READY", "CONNECTIONS", "IN FLIGHT", "REQUESTS/S", "ROUTES/S");
    Table services = new Table("GATE", "SERVICE", "INSTANCES", "CALLS/S", "P50 MS", "P99 MS", "ERRORS/S", "BREAKERS");
    for (JsonObject gate : objects(status.getJsonArray("gates"))) {
      if (gate.containsKey("error")) {
        gates.row(gate.getString("id"), "", yes(gate), gate.getString("error"), "", "", "");
        continue;
      }
      gates.row(gate.getString("id"), gate.getString("mode"), yes(gate), String.valueOf(gate.getInteger("connections")),
          String.valueOf(gate.getInteger("inFlight")), rate(gate.getDouble("clientRequestsPerSec")),
          rate(gate.getDouble("routesPerSec")));
      for (JsonObject service : objects(gate.getJsonArray("services"))) {
        services.row(gate.getString("id"), service.getString("service"),
            service.getInteger("routable") + "/" + service.getJsonArray("instances", new JsonArray()).size(),
            rate(service.getDouble("callsPerSec")), ms(service.getDouble("p50Ms")), ms(service.getDouble("p99Ms")),
            rate(service.getDouble("errorsPerSec")) + codes(service.getJsonObject("errorsByCode")),
            breakers(service.getJsonObject("breakers")));
      }
    }
    Table instances = new Table("INSTANCE", "KIND", "READY", "GATES", "RUNNING", "WAITING", "CALLS/S", "P50 MS",
        "P99 MS", "ERRORS/S");
    for (JsonObject s : objects(status.getJsonArray("services"))) {
      if (s.containsKey("error")) {
        instances.row(s.getString("id"), s.getString("kind"), yes(s), s.getString("error"), "", "", "", "", "", "");
        continue;
      }
      instances.row(s.getString("id"), s.getString("kind"), yes(s), String.valueOf(s.getInteger("gates")),
          String.valueOf(s.getInteger("running")), String.valueOf(s.getInteger("waiting")),
          rate(s.getDouble("callsPerSec")), ms(s.getDouble("p50Ms")), ms(s.getDouble("p99Ms")),
          rate(s.getDouble("errorsPerSec")) + codes(s.getJsonObject("errorsByCode")));
    }
    for (Table table : List.of(gates, services, instances)) {
      if (!table.isEmpty()) {
        out.println();
        table.print(out);
      }
    }
  }

  private static List<JsonObject> objects(JsonArray array) {
    List<JsonObject> list = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < array.size(); i++) {
        list.add(array.getJsonObject(i));
      }
    }
    return list;
  }

  private static String yes(JsonObject role) {
    return role.getBoolean("ready", false) ? "yes" : "NO";
  }

  private static String rate(Double perSecond) {
    if (perSecond == null) {
      return "-";
    }
    return perSecond >= 10 || perSecond == 0 ? String.valueOf(Math.round(perSecond))
        : String.format(Locale.ROOT, "%.1f", perSecond);
  }

  private static String ms(Double millis) {
    return millis == null ? "-" : String.format(Locale.ROOT, millis >= 10 ? "%.0f" : "%.2f", millis);
  }

  private static String codes(JsonObject byCode) {
    if (byCode == null || byCode.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    byCode.forEach(e -> parts.add(e.getKey() + " " + rate(((Number) e.getValue()).doubleValue())));
    return " (" + String.join(", ", parts) + ")";
  }

  private static String breakers(JsonObject byState) {
    if (byState == null) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    byState.forEach(e -> {
      if (((Number) e.getValue()).intValue() > 0) {
        parts.add(e.getKey().toLowerCase(Locale.ROOT) + " " + e.getValue());
      }
    });
    return String.join(", ", parts);
  }

  private static String duration(long ms) {
    long s = ms / 1000;
    return s >= 3600 ? (s / 3600) + "h " + (s % 3600 / 60) + "m" : s >= 60 ? (s / 60) + "m " + (s % 60) + "s" : s + "s";
  }

  /** Columns padded to their widest cell. */
  private static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
      rows.add(header);
    }

    void row(String... cells) {
      rows.add(cells);
    }

    boolean isEmpty() {
      return rows.size() == 1;
    }

    void print(PrintStream out) {
      int[] widths = new int[rows.get(0).length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], String.valueOf(row[i]).length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
          line.append(String.format(Locale.ROOT, "%-" + (widths[i] + 2) + "s", String.valueOf(row[i])));
        }
        out.println(line.toString().stripTrailing());
      }
    }
  }
}
