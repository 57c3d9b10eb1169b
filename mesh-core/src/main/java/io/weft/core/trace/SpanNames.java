package io.weft.core.trace;

import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.Map;

/**
 * The names and attributes of the spans of calls to {@code <namespace>/<service>.<method>}, made
 * once per method rather than once per call. Bounded: a caller may invent method names, so past
 * {@code max} methods the rest share one name per prefix. Confine an instance to one thread.
 */
public final class SpanNames {

  /** A span's name and the attributes every span of that name starts with. */
  public record Named(String name, Attributes attributes) {
  }

  private final String prefix;
  private final int max;
  private final Map<String, Map<String, Map<String, Named>>> byNamespace = new HashMap<>();
  private final Named overflow;
  private int size;

  /**
   * @param prefix what the names start with ({@code "route "}, {@code "call "}, or {@code ""})
   * @param max how many methods get a name of their own
   */
  public SpanNames(String prefix, int max) {
    this.prefix = prefix;
    this.max = max;
    this.overflow = new Named(prefix.isEmpty() ? "call" : prefix.strip(), Attributes.of(MeshTracing.RPC_SYSTEM, "weft"));
  }

  /** The span naming of calls to {@code method} ({@code null} when unknown) of {@code namespace/service}. */
  public Named get(String namespace, String service, String method) {
    String m = method == null ? "" : method;
    Map<String, Map<String, Named>> byService = byNamespace.get(namespace);
    Map<String, Named> byMethod = byService == null ? null : byService.get(service);
    Named named = byMethod == null ? null : byMethod.get(m);
    if (named != null) {
      return named;
    }
    if (size >= max) {
      return overflow;
    }
    named = of(prefix, namespace, service, method);
    byNamespace.computeIfAbsent(namespace, k -> new HashMap<>()).computeIfAbsent(service, k -> new HashMap<>()).put(m, named);
    size++;
    return named;
  }

  /** A naming made on the spot, for callers that keep their own. */
  public static Named of(String prefix, String namespace, String service, String method) {
    String rpcService = namespace + "/" + service;
    return new Named(prefix + rpcService + (method == null ? "" : "." + method), method == null
        ? Attributes.of(MeshTracing.RPC_SYSTEM, "weft", MeshTracing.RPC_SERVICE, rpcService)
        : Attributes.of(MeshTracing.RPC_SYSTEM, "weft", MeshTracing.RPC_SERVICE, rpcService, MeshTracing.RPC_METHOD, method));
  }
}
