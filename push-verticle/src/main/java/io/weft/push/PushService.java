package io.weft.push;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.weft.core.Code;
import io.weft.core.MeshException;
import io.weft.core.codec.ArgsCodec;
import io.weft.core.codec.InnerRpc;
import io.weft.core.session.Session;
import io.weft.core.session.SessionDirectory;
import io.weft.push.impl.PushMeters;
import io.weft.service.MeshService;
import io.weft.service.Pushes;
import io.weft.service.RpcContext;
import io.weft.service.Rpcs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The push service (PROTOCOL.md section 8): sends server-to-client calls to whichever gate holds
 * a client, looking the client up in the session directory.
 * <p>
 * An unsafe push is sent if the client is online and forgotten. A safe push is stored as
 * UNARRIVE before it is sent, marked ARRIVED when the client acknowledges it, and sent again, in
 * creation order, after each login until it is: delivery is at least once, and clients
 * de-duplicate by push id. Every push carries on the {@code Trace} of the call that asked for it
 * (restored pushes that of the {@code Restore} call).
 */
public class PushService extends MeshService {

  private final GateLinks gates;
  private final SessionDirectory sessions;
  private final SafePushStore store;
  private final PushOptions options;
  private final PushMeters meters;

  public PushService(GateLinks gates, SessionDirectory sessions, SafePushStore store, PushOptions options) {
    this(gates, sessions, store, options, null);
  }

  /** Counting what it pushes in {@code meters} (the push host's). */
  public PushService(GateLinks gates, SessionDirectory sessions, SafePushStore store, PushOptions options,
                     PushMeters meters) {
    this.gates = gates;
    this.sessions = sessions;
    this.store = store;
    this.options = options;
    this.meters = meters;
  }

  @Override
  protected void configure(Rpcs r) {
    r.on("Push", Pushes.Push.class, this::push);
    r.on("PushMany", Pushes.PushMany.class, this::pushMany);
    r.on("Reply", Pushes.Reply.class, this::reply).idempotent();
    r.on("Restore", Pushes.Restore.class, this::restore).idempotent();
    r.on("Kick", Pushes.Kick.class, this::kick).idempotent();
  }

  private Future<Pushes.PushResult> push(RpcContext ctx, Pushes.Push push) {
    checkClientId(push.clientId());
    checkInnerRpc(push.innerRpc());
    if (!push.safe()) {
      return counted(false, 1, deliver(push.clientId(), "", push.innerRpc(), ctx.trace()).map(delivered -> delivered ? 1 : 0))
          .map(delivered -> new Pushes.PushResult("", delivered == 1));
    }
    SafePush safe = store.newPush(push.clientId(), Buffer.buffer(push.innerRpc()));
    return counted(true, 1, store.store(safe)
        .compose(v -> deliver(push.clientId(), safe.pushId(), push.innerRpc(), ctx.trace()))
        .map(delivered -> delivered ? 1 : 0))
        .map(delivered -> new Pushes.PushResult(safe.pushId(), delivered == 1));
  }

  /** Counts {@code asked} pushes once {@code delivered} says how many a gate took. */
  private Future<Integer> counted(boolean safe, int asked, Future<Integer> delivered) {
    if (meters == null) {
      return delivered;
    }
    return delivered.andThen(ar -> {
      if (ar.succeeded()) {
        meters.pushed(safe, true, false, ar.result());
        meters.pushed(safe, false, false, asked - ar.result());
      } else {
        meters.pushed(safe, false, true, asked);
      }
    });
  }

  private Future<Pushes.PushManyResult> pushMany(RpcContext ctx, Pushes.PushMany push) {
    if (push.clientIds() == null || push.clientIds().isEmpty()) {
      throw invalid("PushMany needs ClientIds");
    }
    push.clientIds().forEach(PushService::checkClientId);
    checkInnerRpc(push.innerRpc());
    List<SafePush> safe = new ArrayList<>();
    if (push.safe()) {
      for (String clientId : push.clientIds()) {
        safe.add(store.newPush(clientId, Buffer.buffer(push.innerRpc())));
      }
    }
    Future<Void> stored = push.safe() ? store.storeAll(safe) : Future.succeededFuture();
    Future<Pushes.PushManyResult> result = stored.compose(v -> sessions.lookupAll(push.clientIds())).compose(found -> {
      List<Future<Boolean>> sends = new ArrayList<>();
      for (int i = 0; i < push.clientIds().size(); i++) {
        Session session = found.get(push.clientIds().get(i));
        if (session != null) {
          String pushId = push.safe() ? safe.get(i).pushId() : "";
          sends.add(gates.send(session.gate(), session.conn(), session.clientId(), pushId, push.innerRpc(),
              ctx.trace()));
        }
      }
      return Future.all(sends).map(all -> {
        int delivered = 0;
        for (Future<Boolean> send : sends) {
          delivered += send.result() ? 1 : 0;
        }
        return new Pushes.PushManyResult(delivered, safe.size());
      });
    });
    return counted(push.safe(), push.clientIds().size(), result.map(Pushes.PushManyResult::delivered))
        .compose(v -> result);
  }

  private Future<Map<String, Object>> reply(RpcContext ctx, Pushes.Reply reply) {
    checkClientId(reply.clientId());
    if (reply.pushId() == null || reply.pushId().isEmpty()) {
      throw invalid("Reply needs a PushId");
    }
    return store.markArrived(reply.clientId(), reply.pushId()).map(changed -> {
      if (meters != null) {
        meters.acknowledged();
      }
      return Map.of();
    });
  }

  private Future<Pushes.Restored> restore(RpcContext ctx, Pushes.Restore restore) {
    checkClientId(restore.clientId());
    return sessions.lookup(restore.clientId()).compose(session -> session == null
        ? Future.succeededFuture(new Pushes.Restored(0))
        : restoreFrom(session, null, 0, ctx.trace()));
  }

  /** Sends one page of the client's unacknowledged pushes, oldest first, then the next page. */
  private Future<Pushes.Restored> restoreFrom(Session session, SafePush after, int sent, String trace) {
    int batch = Math.min(options.getRestoreBatch(), options.getMaxRestore() - sent);
    if (batch <= 0) {
      return Future.succeededFuture(new Pushes.Restored(sent));
    }
    return store.unarrivedAfter(session.clientId(), after, batch).compose(page -> {
      if (page.isEmpty()) {
        return Future.succeededFuture(new Pushes.Restored(sent));
      }
      List<Future<Boolean>> sends = new ArrayList<>(page.size());
      List<String> ids = new ArrayList<>(page.size());
      for (SafePush push : page) {
        sends.add(gates.send(session.gate(), session.conn(), session.clientId(), push.pushId(),
            push.innerRpc().getBytes(), trace));
        ids.add(push.pushId());
      }
      if (meters != null) {
        meters.restored(page.size());
      }
      return Future.all(sends)
          .compose(v -> store.countAttempts(session.clientId(), ids))
          .compose(v -> restoreFrom(session, page.get(page.size() - 1), sent + page.size(), trace));
    });
  }

  private Future<Map<String, Object>> kick(RpcContext ctx, Pushes.Kick kick) {
    checkClientId(kick.clientId());
    if (kick.gate() == null || kick.connId() == null) {
      throw invalid("Kick needs Gate and ConnId");
    }
    byte[] kicked = ArgsCodec.encodeInnerRpc("Kicked", Map.of("ClientId", kick.clientId()));
    return gates.send(kick.gate(), kick.connId(), kick.clientId(), "", kicked, ctx.trace()).map(sent -> Map.of());
  }

  private Future<Boolean> deliver(String clientId, String pushId, byte[] innerRpc, String trace) {
    return sessions.lookup(clientId).compose(session -> session == null
        ? Future.succeededFuture(false)
        : gates.send(session.gate(), session.conn(), clientId, pushId, innerRpc, trace));
  }

  private static void checkClientId(String clientId) {
    if (clientId == null || clientId.isEmpty()) {
      throw invalid("a push needs a ClientId");
    }
  }

  private static void checkInnerRpc(byte[] innerRpc) {
    if (innerRpc == null || InnerRpc.peekMethod(Unpooled.wrappedBuffer(innerRpc)) == null) {
      throw invalid("InnerRpc must be the pushed call, [method, args]");
    }
  }

  private static MeshException invalid(String message) {
    return MeshException.quiet(Code.INVALID_ARGUMENT, message);
  }
}
