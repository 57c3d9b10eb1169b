package io.weft.core.governance;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.internal.logging.Logger;
import io.vertx.core.internal.logging.LoggerFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.core.discovery.ConfigWatch;
import io.weft.core.discovery.ServiceRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runtime switches that disable calls (degradation), PROTOCOL.md section 9: the config key
 * {@code disabled/<Namespace>/<ServiceName>} disables every method of a service,
 * {@code disabled/<Namespace>/<ServiceName>/<Method>} one method. The value
 * {@code {"sources": ["a", "b"]}} limits a rule to calls from those sources (a client's
 * {@code Client} label; for a calling service, {@code <Namespace>/<ServiceName>} or its full
 * {@code <Namespace>/<ServiceName>@<host:port>}); empty or absent, it applies to every call.
 * <p>
 * Immutable, and cheap to query on every call: no rule at all is one field read, a service without
 * rules two map lookups, and nothing allocates. Keys or values that are not a rule's are left out
 * and listed in {@link #problems()}, never fatal.
 */
public final class DisabledRules {

  /** The config prefix of the switches. */
  public static final String PREFIX = "disabled/";

  /** No call is disabled. */
  public static final DisabledRules NONE = new DisabledRules(List.of(), List.of());

  private static final Logger log = LoggerFactory.getLogger(DisabledRules.class);

  /** Namespace -> service -> that service's rules. */
  private final Map<String, Map<String, ServiceRules>> byNamespace;
  private final List<Rule> rules;
  private final List<String> problems;

  private DisabledRules(List<Rule> rules, List<String> problems) {
    this.rules = List.copyOf(rules);
    this.problems = List.copyOf(problems);
    Map<String, Map<String, List<Rule>>> grouped = new HashMap<>();
    for (Rule rule : rules) {
      grouped.computeIfAbsent(rule.namespace(), k -> new HashMap<>())
          .computeIfAbsent(rule.service(), k -> new ArrayList<>()).add(rule);
    }
    Map<String, Map<String, ServiceRules>> index = new HashMap<>();
    grouped.forEach((ns, services) -> {
      Map<String, ServiceRules> byService = new HashMap<>();
      services.forEach((service, list) -> byService.put(service, new ServiceRules(list)));
      index.put(ns, Map.copyOf(byService));
    });
    this.byNamespace = Map.copyOf(index);
  }

  /** The rules among {@code rules}; two for the same key: the last wins. */
  public static DisabledRules of(Collection<Rule> rules) {
    Map<String, Rule> byKey = new java.util.TreeMap<>();
    rules.forEach(r -> byKey.put(r.key(), r));
    return byKey.isEmpty() ? NONE : new DisabledRules(List.copyOf(byKey.values()), List.of());
  }

  /**
   * Reads the rules from config keys (relative to {@code /weft/config/}, as a
   * {@link ServiceRegistry#watchConfig config watch} gives them); keys outside {@link #PREFIX} are
   * not looked at, malformed ones are left out and described in {@link #problems()}.
   */
  public static DisabledRules parse(Map<String, String> config) {
    List<Rule> rules = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    new java.util.TreeMap<>(config).forEach((key, value) -> {
      if (!key.startsWith(PREFIX)) {
        return;
      }
      try {
        rules.add(Rule.parse(key, value));
      } catch (IllegalArgumentException e) {
        problems.add(key + ": " + e.getMessage());
      }
    });
    return rules.isEmpty() && problems.isEmpty() ? NONE : new DisabledRules(rules, problems);
  }

  /**
   * Watches the switches in {@code registry}: {@code handler} is given the rules now, then again
   * after every change, on the calling context. Each malformed switch is logged once.
   */
  public static Future<ConfigWatch> watch(ServiceRegistry registry, Handler<DisabledRules> handler) {
    Set<String> reported = new HashSet<>();
    return registry.watchConfig(PREFIX, config -> {
      DisabledRules rules = parse(config);
      for (String problem : rules.problems) {
        if (!reported.contains(problem)) {
          log.warn("Ignoring runtime switch " + ServiceRegistry.CONFIG_ROOT + problem);
        }
      }
      reported.clear();
      reported.addAll(rules.problems);
      handler.handle(rules);
    });
  }

  /** True when no call is disabled. */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The rules of one service, or {@code null} when none of its calls is disabled. */
  public ServiceRules forService(String namespace, String service) {
    Map<String, ServiceRules> services = byNamespace.get(namespace);
    return services == null ? null : services.get(service);
  }

  /**
   * The rule that disables a call, or {@code null} if it may go.
   *
   * @param method {@code null} when unknown: only service rules can match then
   * @param source {@code null} when the caller has no label: only rules for all sources match then
   */
  public Rule match(String namespace, String service, String method, String source) {
    ServiceRules s = forService(namespace, service);
    return s == null ? null : s.match(method, source);
  }

  /** Every rule, in key order. */
  public List<Rule> rules() {
    return rules;
  }

  /** The switches left out, each as {@code <key>: <why>}. */
  public List<String> problems() {
    return problems;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DisabledRules other && rules.equals(other.rules) && problems.equals(other.problems);
  }

  @Override
  public int hashCode() {
    return rules.hashCode();
  }

  @Override
  public String toString() {
    return "DisabledRules" + rules;
  }

  /** The rules of one service: at most one for the whole service, at most one per method. */
  public static final class ServiceRules {

    private final Rule serviceRule;
    private final Map<String, Rule> methods;

    private ServiceRules(List<Rule> rules) {
      Rule whole = null;
      Map<String, Rule> byMethod = new HashMap<>();
      for (Rule rule : rules) {
        if (rule.method() == null) {
          whole = rule;
        } else {
          byMethod.put(rule.method(), rule);
        }
      }
      this.serviceRule = whole;
      this.methods = Map.copyOf(byMethod);
    }

    /** Whether any rule names a method: callers need to read the call's method only then. */
    public boolean hasMethodRules() {
      return !methods.isEmpty();
    }

    /**
     * The rule that disables a call of {@code method} from {@code source}, or {@code null}. A
     * service rule that applies comes first: enabling the method alone would not let the call go.
     */
    public Rule match(String method, String source) {
      if (serviceRule != null && serviceRule.appliesTo(source)) {
        return serviceRule;
      }
      if (method == null || methods.isEmpty()) {
        return null;
      }
      Rule rule = methods.get(method);
      return rule != null && rule.appliesTo(source) ? rule : null;
    }
  }

  /** One switch: a service, or one of its methods, disabled for some sources or for all. */
  public static final class Rule {

    private final String namespace;
    private final String service;
    private final String method;
    private final Set<String> sources;
    private final String reason;

    private Rule(String namespace, String service, String method, Set<String> sources) {
      this.namespace = namespace;
      this.service = service;
      this.method = method;
      this.sources = sources;
      this.reason = target() + " is disabled" + (sources.isEmpty() ? ""
          : (sources.size() == 1 ? " for source " : " for sources ") + String.join(", ", sources));
    }

    /**
     * A rule; {@code method} {@code null} for the whole service, {@code sources} empty for every caller.
     *
     * @throws IllegalArgumentException if a name is empty or holds a {@code /}, or a source is empty
     */
    public static Rule of(String namespace, String service, String method, Collection<String> sources) {
      segment("namespace", namespace);
      segment("service", service);
      if (method != null) {
        segment("method", method);
      }
      Set<String> set = new TreeSet<>();
      for (String source : sources) {
        if (source == null || source.isEmpty()) {
          throw new IllegalArgumentException("sources must be non-empty strings, but one was '" + source + "'");
        }
        set.add(source);
      }
      return new Rule(namespace, service, method, Collections.unmodifiableSet(set));
    }

    /**
     * A rule for {@code <namespace>/<service>[/<method>]}, as the {@code weft disable} command takes it.
     *
     * @throws IllegalArgumentException if {@code target} is not of that form
     */
    public static Rule ofTarget(String target, Collection<String> sources) {
      String[] parts = target == null ? new String[0] : target.split("/", -1);
      if (parts.length < 2 || parts.length > 3) {
        throw new IllegalArgumentException("expected <namespace>/<service>[/<method>], but was '" + target + "'");
      }
      return of(parts[0], parts[1], parts.length == 3 ? parts[2] : null, sources);
    }

    /**
     * Reads a switch: {@code key} relative to {@code /weft/config/}, {@code value} its JSON.
     *
     * @throws IllegalArgumentException if either is not a rule's (the message says why)
     */
    public static Rule parse(String key, String value) {
      if (!key.startsWith(PREFIX)) {
        throw new IllegalArgumentException("key is not under " + PREFIX);
      }
      String[] parts = key.substring(PREFIX.length()).split("/", -1);
      if (parts.length < 2 || parts.length > 3) {
        throw new IllegalArgumentException("key is not " + PREFIX + "<namespace>/<service>[/<method>]");
      }
      JsonObject json;
      try {
        json = new JsonObject(value);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("value is not a JSON object such as {\"sources\":[]}: '" + value + "'");
      }
      Object listed = json.getValue("sources");
      List<String> sources = new ArrayList<>();
      if (listed instanceof JsonArray array) {
        for (Object source : array) {
          if (!(source instanceof String s)) {
            throw new IllegalArgumentException("sources must be a list of strings, but held " + source);
          }
          sources.add(s);
        }
      } else if (listed != null) {
        throw new IllegalArgumentException("sources must be a list of strings, but was " + listed);
      }
      return of(parts[0], parts[1], parts.length == 3 ? parts[2] : null, sources);
    }

    public String namespace() {
      return namespace;
    }

    public String service() {
      return service;
    }

    /** The disabled method, or {@code null} when the rule disables the whole service. */
    public String method() {
      return method;
    }

    /** The sources the rule applies to, sorted; empty: every caller. */
    public Set<String> sources() {
      return sources;
    }

    /**
     * Whether the rule applies to a call from {@code source}: any call when the rule names no
     * source; otherwise a call whose source is listed, or, for a service calling from
     * {@code <ns>/<service>@<host:port>}, whose {@code <ns>/<service>} is.
     */
    public boolean appliesTo(String source) {
      if (sources.isEmpty()) {
        return true;
      }
      if (source == null) {
        return false;
      }
      for (String s : sources) {
        if (source.equals(s)
            || source.length() > s.length() && source.charAt(s.length()) == '@' && source.startsWith(s)) {
          return true;
        }
      }
      return false;
    }

    /** The config key, relative to {@code /weft/config/}: {@code disabled/<ns>/<service>[/<method>]}. */
    public String key() {
      return PREFIX + namespace + "/" + service + (method == null ? "" : "/" + method);
    }

    /** The config value: {@code {"sources":[...]}}. */
    public String value() {
      return new JsonObject().put("sources", new JsonArray(List.copyOf(sources))).encode();
    }

    /** {@code <ns>/<service>} or {@code <ns>/<service>.<method>}. */
    public String target() {
      return namespace + "/" + service + (method == null ? "" : "." + method);
    }

    /** What a refused call is told: {@code demo/echo.Sleep is disabled}, {@code ... for source mobile}. */
    public String reason() {
      return reason;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Rule r && namespace.equals(r.namespace) && service.equals(r.service)
          && Objects.equals(method, r.method) && sources.equals(r.sources);
    }

    @Override
    public int hashCode() {
      return Objects.hash(namespace, service, method, sources);
    }

    @Override
    public String toString() {
      return reason;
    }

    private static void segment(String name, String value) {
      if (value == null || value.isEmpty() || value.indexOf('/') >= 0) {
        throw new IllegalArgumentException(name + " must be non-empty and without '/', but was '" + value + "'");
      }
    }
  }
}
