package io.weft.gate.impl;

import java.net.InetAddress;

/**
 * One TCP connection counted in against the gate's connection limits, counted out exactly once
 * however many ways it ends (an HTTP connection, and the WebSocket it became, each report it).
 */
public final class Admission {

  private final GateShared shared;
  private final InetAddress ip;
  private boolean released;

  public Admission(GateShared shared, InetAddress ip) {
    this.shared = shared;
    this.ip = ip;
  }

  public InetAddress ip() {
    return ip;
  }

  /** Counts the connection out; later calls do nothing. On the connection's event loop. */
  public void release() {
    if (!released) {
      released = true;
      shared.leave(ip);
    }
  }
}
