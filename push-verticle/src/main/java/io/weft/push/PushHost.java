package io.weft.push;

import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.weft.core.conn.MeshConnection;
import io.weft.core.protocol.Envelope;
import io.weft.core.protocol.Envelope.ListenAddrResponse;
import io.weft.core.session.SessionDirectories;
import io.weft.core.session.SessionDirectory;
import io.weft.core.metrics.MeshMetrics;
import io.weft.push.impl.PushMeters;
import io.weft.service.ServiceHost;
import io.weft.service.ServiceOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * One instance of the push service: a {@link ServiceHost} that also learns the ids of the gates
 * that dial it, so that {@link PushService} can reach the gate holding a client. It opens the
 * session directory and the safe-push store the service verticles share.
 * <p>
 * Deploy it from a role config ({@link PushOptions} JSON) or directly:
 * {@code vertx.deployVerticle(new PushHost(options))}.
 */
public class PushHost extends ServiceHost {

  private final PushOptions pushOptions;
  private final Map<Long, MeshConnection> links = new HashMap<>();
  private GateLinks gates;
  private SessionDirectory sessions;
  private SafePushStore store;

  public PushHost(PushOptions options) {
    this(options, new Shared());
  }

  private PushHost(PushOptions options, Shared shared) {
    super(options.getService(), () -> new PushService(shared.gates, shared.sessions, shared.store, options,
        shared.meters));
    this.pushOptions = new PushOptions(options);
    this.shared = shared;
  }

  /** What the service verticles need, filled in before they are deployed. */
  private static final class Shared {
    volatile GateLinks gates;
    volatile SessionDirectory sessions;
    volatile SafePushStore store;
    volatile PushMeters meters;
  }

  private final Shared shared;

  @Override
  public Future<?> start() {
    gates = new GateLinks((ContextInternal) context);
    shared.gates = gates;
    ServiceOptions service = pushOptions.getService();
    shared.meters = new PushMeters(MeshMetrics.of(vertx), service.getNamespace() + "/" + service.getName());
    sessions = SessionDirectories.create(vertx, pushOptions.getSessions());
    shared.sessions = sessions;
    return SafePushStore.open(vertx, pushOptions.getStore()).compose(s -> {
      store = s;
      shared.store = s;
      return super.start();
    });
  }

  @Override
  public Future<?> stop() {
    return super.stop()
        .eventually(() -> {
          if (shared.meters != null) {
            shared.meters.close();
          }
          return store == null ? Future.succeededFuture() : store.close();
        })
        .eventually(() -> sessions == null ? Future.succeededFuture() : sessions.close());
  }

  @Override
  protected String kind() {
    return "push";
  }

  @Override
  protected void gateLinkOpened(long linkId, MeshConnection link) {
    links.put(linkId, link);
    gates.opened(linkId, link);
  }

  @Override
  protected void gateLinkClosed(long linkId) {
    MeshConnection link = links.remove(linkId);
    if (link != null) {
      gates.closed(linkId, link);
    }
  }

  @Override
  protected boolean gateSent(long linkId, Envelope envelope) {
    if (envelope instanceof ListenAddrResponse response) {
      gates.learned(response);
      return true;
    }
    return false;
  }
}
