package io.weft.launcher.impl;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of the processes in a bench, from /proc (Linux): the load generator itself, the
 * processes under test ({@code --sut-pid}), and everything else on the machine, so a run disturbed
 * by other work says so instead of passing for a slow Weft.
 */
final class CpuAccounting {

  /** Jiffies per second: USER_HZ, 100 on every Linux this runs on. */
  private static final double HZ = 100.0;
  /** Other processes may use this share of one core before a run is called disturbed. */
  private static final double DISTURBANCE_THRESHOLD = 0.05;

  private final List<Long> sutPids;
  private long selfStart;
  private final List<Long> sutStart = new ArrayList<>();
  private long busyStart;
  private long startNanos;

  CpuAccounting(List<Long> sutPids) {
    this.sutPids = List.copyOf(sutPids);
  }

  static boolean available() {
    return Files.isReadable(Path.of("/proc/self/stat")) && Files.isReadable(Path.of("/proc/stat"));
  }

  void start() {
    startNanos = System.nanoTime();
    selfStart = processJiffies("self");
    sutStart.clear();
    for (long pid : sutPids) {
      sutStart.add(processJiffies(String.valueOf(pid)));
    }
    busyStart = busyJiffies();
  }

  /** The CPU figures since {@link #start}, per operation when {@code operations} > 0. */
  JsonObject stop(long operations) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long self = processJiffies("self") - selfStart;
    long sut = 0;
    for (int i = 0; i < sutPids.size(); i++) {
      sut += processJiffies(String.valueOf(sutPids.get(i))) - sutStart.get(i);
    }
    long busy = busyJiffies() - busyStart;
    long other = Math.max(0, busy - self - sut);
    JsonObject json = new JsonObject()
        .put("benchCpuSec", self / HZ)
        .put("otherCpuSec", other / HZ)
        .put("disturbed", other / HZ / seconds > DISTURBANCE_THRESHOLD);
    if (!sutPids.isEmpty()) {
      json.put("sutCpuSec", sut / HZ);
      if (operations > 0) {
        json.put("sutCpuUsPerOp", sut / HZ * 1e6 / operations);
      }
    }
    if (operations > 0) {
      json.put("benchCpuUsPerOp", self / HZ * 1e6 / operations);
    }
    return json;
  }

  /** utime + stime of a process, in jiffies (fields 14 and 15 of /proc/PID/stat). */
  private static long processJiffies(String pid) {
    try {
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      // The command name (field 2) may hold spaces and parentheses: fields are counted after its ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Busy jiffies of the whole machine: everything in the cpu line of /proc/stat but idle and iowait. */
  private static long busyJiffies() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < cpu.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(cpu[i]);
        }
      }
      return busy;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
