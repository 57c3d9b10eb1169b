package io.weft.launcher.impl;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code weft bench-report}: turns the JSON results of repeated bench runs (each with a
 * {@code --label}) into a Markdown table of medians with their min-max spread, the ratios the
 * performance goals are stated in, and a bar chart (PNG, XChart).
 */
@Command(name = "bench-report", description = "Summarize labelled bench results: medians, spreads, ratios, a chart.")
public final class BenchReportCommand implements Callable<Integer> {

  @Option(names = "--results", required = true, description = "Directory of bench JSON results.")
  Path results;

  @Option(names = "--markdown", description = "Write the table here (default: standard output).")
  Path markdown;

  @Option(names = "--png", description = "Write a chart of median throughput here.")
  Path png;

  /** Median, min and max of one label's runs. */
  record Summary(String label, int runs, double median, double min, double max, double p99Median, double cpuUsPerCall) {
  }

  @Override
  public Integer call() throws IOException {
    Map<String, List<JsonObject>> byLabel = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(results)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonObject run = new JsonObject(Files.readString(file));
        byLabel.computeIfAbsent(run.getString("label", file.getFileName().toString()), k -> new ArrayList<>()).add(run);
      }
    }
    if (byLabel.isEmpty()) {
      System.err.println("weft bench-report: no .json results in " + results);
      return 2;
    }
    Map<String, Summary> summaries = new LinkedHashMap<>();
    byLabel.forEach((label, runs) -> summaries.put(label, summarize(label, runs)));
    String table = table(summaries);
    if (markdown != null) {
      Files.writeString(markdown, table);
    } else {
      System.out.print(table);
    }
    if (png != null) {
      chart(summaries, png);
    }
    return 0;
  }

  private static Summary summarize(String label, List<JsonObject> runs) {
    List<Double> throughput = runs.stream().map(r -> r.getDouble("throughput", 0.0)).sorted().toList();
    List<Double> p99 = runs.stream().map(r -> r.getJsonObject("latencyUs", new JsonObject()).getDouble("p99", 0.0))
        .sorted().toList();
    List<Double> cpu = runs.stream().map(r -> r.getJsonObject("cpu", new JsonObject()).getDouble("sutCpuUsPerOp", 0.0))
        .sorted().toList();
    return new Summary(label, runs.size(), median(throughput), throughput.get(0), throughput.get(throughput.size() - 1),
        median(p99), median(cpu));
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String table(Map<String, Summary> summaries) {
    StringBuilder md = new StringBuilder();
    md.append("| run | runs | median calls/s | min - max | p99 (median) | SUT CPU per call |\n");
    md.append("|---|---|---|---|---|---|\n");
    for (Summary s : summaries.values()) {
      md.append(String.format("| %s | %d | %,.0f | %,.0f - %,.0f | %.3f ms | %s |%n", s.label(), s.runs(), s.median(),
          s.min(), s.max(), s.p99Median() / 1000, s.cpuUsPerCall() > 0 ? String.format("%.1f us", s.cpuUsPerCall()) : "-"));
    }
    List<String[]> ratios = List.of(
        new String[] {"c2s@1", "nginx@1", "0.8"}, new String[] {"c2s@64", "nginx@64", "0.6"},
        new String[] {"s2s@1", "c2s@1", "0.45"}, new String[] {"s2s@64", "c2s@64", "0.45"});
    StringBuilder lines = new StringBuilder();
    for (String[] r : ratios) {
      Summary a = summaries.get(r[0]);
      Summary b = summaries.get(r[1]);
      if (a != null && b != null && b.median() > 0) {
        double ratio = a.median() / b.median();
        lines.append(String.format("| %s / %s | %.2f | %s | %s |%n", r[0], r[1], ratio, r[2],
            ratio >= Double.parseDouble(r[2]) ? "met" : "not met"));
      }
    }
    if (!lines.isEmpty()) {
      md.append("\n| ratio | measured | goal | |\n|---|---|---|---|\n").append(lines);
    }
    return md.toString();
  }

  private static void chart(Map<String, Summary> summaries, Path png) throws IOException {
    CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title("Weft bench: median calls/s")
        .xAxisTitle("run (target@in-flight per connection)").yAxisTitle("calls/s").build();
    chart.getStyler().setLegendVisible(false);
    List<Summary> ordered = summaries.values().stream().sorted(Comparator.comparing(Summary::label)).toList();
    chart.addSeries("median", ordered.stream().map(Summary::label).toList(),
        ordered.stream().map(Summary::median).toList());
    String name = png.toString().replaceFirst("\\.png$", "");
    BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
  }
}
