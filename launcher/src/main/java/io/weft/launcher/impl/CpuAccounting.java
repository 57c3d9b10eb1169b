package io.weft.launcher.impl;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of the processes in a bench, from /proc (Linux): the load generator itself, the
 * processes under test ({@code --sut-pid}), everything else on the machine, and the time a
 * hypervisor gave to other guests (steal), so a run disturbed by other work says so instead of
 * passing for a slow Weft. Interrupt and softirq time is reported apart and not called a
 * disturbance: on loopback it is mostly the bench's own packets.
 */
final class CpuAccounting {

  /** Jiffies per second: USER_HZ, 100 on every Linux this runs on. */
  private static final double HZ = 100.0;
  /** Other processes may use this share of one core before a run is called disturbed. */
  private static final double DISTURBANCE_THRESHOLD = 0.05;

  private final List<Long> sutPids;
  private long selfStart;
  private final List<Long> sutStart = new ArrayList<>();
  private long[] machineStart;
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
    machineStart = machineJiffies();
  }

  /** The CPU figures since {@link #start}, per operation when {@code operations} > 0. */
  JsonObject stop(long operations) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    long self = processJiffies("self") - selfStart;
    long sut = 0;
    for (int i = 0; i < sutPids.size(); i++) {
      sut += processJiffies(String.valueOf(sutPids.get(i))) - sutStart.get(i);
    }
    long[] machine = machineJiffies();
    long other = Math.max(0, machine[PROCESSES] - machineStart[PROCESSES] - self - sut);
    long steal = machine[STEAL] - machineStart[STEAL];
    long interrupts = machine[INTERRUPTS] - machineStart[INTERRUPTS];
    JsonObject json = new JsonObject()
        .put("benchCpuSec", self / HZ)
        .put("otherCpuSec", other / HZ)
        .put("stealCpuSec", steal / HZ)
        .put("interruptCpuSec", interrupts / HZ)
        .put("disturbed", other / HZ / seconds > DISTURBANCE_THRESHOLD || steal / HZ / seconds > DISTURBANCE_THRESHOLD);
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

  private static final int PROCESSES = 0;
  private static final int INTERRUPTS = 1;
  private static final int STEAL = 2;

  /**
   * Jiffies of the whole machine from the cpu line of /proc/stat: run by processes (user, nice,
   * system), in interrupts (irq, softirq), and stolen by the hypervisor.
   */
  private static long[] machineJiffies() {
    try {
      String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long processes = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]);
      long interrupts = Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
      long steal = cpu.length > 8 ? Long.parseLong(cpu[8]) : 0;
      return new long[] {processes, interrupts, steal};
    } catch (IOException | RuntimeException e) {
      return new long[3];
    }
  }
}
