package io.weft.push;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;
import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope.GatePush;
import io.weft.core.protocol.Envelope.ListenAddrRequest;
import io.weft.core.protocol.Envelope.ListenAddrResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gates connected to a push-service instance, by gate id (PROTOCOL.md section 6): every gate
 * that dials the instance is asked for its id with {@code MSG_P2G_REQ_LISTENADDR}, and pushes for
 * a client are sent with {@code MSG_P2G_PUSH} on a connection from the gate holding its session.
 * <p>
 * The links live on the host's event loop; {@link #send} may be called from any context.
 */
public final class GateLinks {

  private final ContextInternal hostContext;
  private final Map<Long, MeshConnection> pending = new HashMap<>();
  private final Map<String, List<MeshConnection>> byGate = new HashMap<>();
  private final Map<Long, String> gateOfLink = new HashMap<>();
  private int next;

  GateLinks(ContextInternal hostContext) {
    this.hostContext = hostContext;
  }

  void opened(long linkId, MeshConnection link) {
    pending.put(linkId, link);
    link.send(new ListenAddrRequest(linkId));
  }

  void learned(ListenAddrResponse response) {
    MeshConnection link = pending.remove(response.rid());
    if (link == null || response.addr() == null || response.addr().isEmpty()) {
      return;
    }
    gateOfLink.put(response.rid(), response.addr());
    byGate.computeIfAbsent(response.addr(), k -> new ArrayList<>()).add(link);
  }

  void closed(long linkId, MeshConnection link) {
    pending.remove(linkId);
    String gate = gateOfLink.remove(linkId);
    if (gate != null) {
      List<MeshConnection> links = byGate.get(gate);
      links.remove(link);
      if (links.isEmpty()) {
        byGate.remove(gate);
      }
    }
  }

  /**
   * Sends a push to gate {@code gateId}; the future tells whether a connection to that gate took
   * it (false: the gate is not connected to this instance).
   *
   * @param trace the {@code Trace} of the call that pushed (the gate hands it on to the client), or {@code null}
   */
  public Future<Boolean> send(String gateId, String connId, String clientId, String pushId, byte[] innerRpc,
                              String trace) {
    ContextInternal caller = ContextInternal.current();
    Promise<Boolean> promise = caller != null ? caller.promise() : Promise.promise();
    hostContext.runOnContext(v -> promise.complete(sendNow(gateId, connId, clientId, pushId, innerRpc, trace)));
    return promise.future();
  }

  private boolean sendNow(String gateId, String connId, String clientId, String pushId, byte[] innerRpc,
                          String trace) {
    List<MeshConnection> links = byGate.get(gateId);
    if (links == null) {
      return false;
    }
    for (int tries = 0; tries < links.size(); tries++) {
      MeshConnection link = links.get(Math.floorMod(next++, links.size()));
      if (link.isOpen()) {
        link.send(new GatePush(connId, clientId, pushId, Unpooled.wrappedBuffer(innerRpc), trace));
        return true;
      }
    }
    return false;
  }

  /** Gate ids known now (read on the host's context). */
  java.util.Set<String> gates() {
    return byGate.keySet();
  }
}
