package io.weft.launcher.impl;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Drives calls over bench connections, closed loop ({@code inflight} outstanding per connection,
 * the next sent when one is answered) or open loop ({@code rate} calls per second in all, each
 * sent at its scheduled time whatever the answers do, and its latency measured from that time, so
 * a stall is not hidden by calls that were never sent: no coordinated omission).
 */
final class LoadDriver {

  /** Open loop: calls outstanding per connection beyond which the system is called saturated. */
  private static final int MAX_OUTSTANDING = 20_000;
  private static final long TICK_MS = 1;

  private final Vertx vertx;
  private final List<BenchConnection> connections;
  private final int inflight;
  private final double rate;
  private final Measurement measurement;
  private volatile boolean running = true;
  private final CountDownLatch stopped;

  LoadDriver(Vertx vertx, List<BenchConnection> connections, int inflight, double rate, Measurement measurement) {
    this.vertx = vertx;
    this.connections = connections;
    this.inflight = inflight;
    this.rate = rate;
    this.measurement = measurement;
    this.stopped = new CountDownLatch(rate > 0 ? connections.size() : connections.size() * inflight);
  }

  void start() {
    for (BenchConnection connection : connections) {
      if (rate > 0) {
        connection.context().runOnContext(v -> new OpenLoop(connection, rate / connections.size()).start());
      } else {
        for (int k = 0; k < inflight; k++) {
          connection.context().runOnContext(v -> closedLoop(connection));
        }
      }
    }
  }

  /** Stops sending and waits (bounded) for the calls in flight. */
  void stop(long waitMs) throws InterruptedException {
    running = false;
    stopped.await(waitMs, TimeUnit.MILLISECONDS);
  }

  private void closedLoop(BenchConnection connection) {
    if (!running) {
      stopped.countDown();
      return;
    }
    long start = System.nanoTime();
    connection.call(failure -> {
      if (failure == null) {
        measurement.record(System.nanoTime() - start);
      } else {
        measurement.error(failure);
        if (!connection.isOpen()) {
          stopped.countDown();
          return;
        }
      }
      closedLoop(connection);
    });
  }

  /** One connection's share of an open-loop rate, on the connection's context. */
  private final class OpenLoop {
    private final BenchConnection connection;
    private final double intervalNanos;
    private long startNanos;
    private long sent;
    private int outstanding;
    private long timer;

    OpenLoop(BenchConnection connection, double ratePerConnection) {
      this.connection = connection;
      this.intervalNanos = 1e9 / ratePerConnection;
    }

    void start() {
      startNanos = System.nanoTime();
      timer = vertx.setPeriodic(TICK_MS, t -> tick());
    }

    private void tick() {
      if (!running || !connection.isOpen()) {
        vertx.cancelTimer(timer);
        stopped.countDown();
        return;
      }
      long due = (long) ((System.nanoTime() - startNanos) / intervalNanos);
      while (sent < due) {
        long scheduled = startNanos + (long) (sent * intervalNanos);
        sent++;
        if (outstanding >= MAX_OUTSTANDING) {
          measurement.error("saturated");
          continue;
        }
        outstanding++;
        connection.call(failure -> {
          outstanding--;
          if (failure == null) {
            measurement.record(System.nanoTime() - scheduled);
          } else {
            measurement.error(failure);
          }
        });
      }
    }
  }
}
