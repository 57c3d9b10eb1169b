package io.weft.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.weft.launcher.EnvOverrides;
import io.weft.launcher.MeshConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What each pod of an overlay receives, checked against what the code reads: the config file it
 * runs passes the launcher's validation ({@link MeshConfig}, after the environment's overrides);
 * its container ports, probes and drain timing match that config; its environment holds only
 * variables the launcher or the config reads; and the addresses in the config name objects of
 * the overlay (etcd members, Redis, MongoDB Services), or, in production, managed stores.
 */
class OverlaysTest {

  /** Seconds past preStop + drain that a pod keeps before SIGKILL: the JVM's own shutdown. */
  static final int SHUTDOWN_MARGIN_SECONDS = 5;
  static final Pattern ENV_REFERENCE = Pattern.compile("^env:([A-Za-z_][A-Za-z0-9_]*)$");
  static final Pattern STATEFUL_MEMBER = Pattern.compile("^([a-z0-9-]+)-(\\d+)\\.([a-z0-9-]+)$");

  record Overlay(String name, Kustomize.Rendered rendered, List<HasMetadata> objects, List<WeftPod> pods) {

    <T extends HasMetadata> Stream<T> all(Class<T> type) {
      return objects.stream().filter(type::isInstance).map(type::cast);
    }
  }

  static Overlay render(String name) {
    Kustomize.Rendered rendered = Kustomize.render(ManifestsTest.K8S.resolve("overlays").resolve(name));
    List<HasMetadata> objects = new ArrayList<>();
    for (var node : rendered.objects()) {
      objects.add((HasMetadata) StrictModel.read(name + ": " + node.path("kind").asString() + " "
          + node.path("metadata").path("name").asString(), node));
    }
    List<WeftPod> pods = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .filter(d -> d.getSpec().getTemplate().getSpec().getContainers().stream()
            .anyMatch(c -> WeftPod.IMAGE.equals(c.getImage())))
        .map(d -> WeftPod.of(name, rendered, d)).toList();
    return new Overlay(name, rendered, objects, pods);
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyRoleRunsInItsOwnDeployment(String name) {
    Overlay overlay = render(name);
    assertThat(overlay.pods()).extracting(WeftPod::configFile).containsExactlyInAnyOrder(
        "gate-external.json", "gate-internal.json", "echo.json", "relay.json", "push.json");
    assertThat(overlay.all(StatefulSet.class).filter(s -> s.getMetadata().getName().equals("etcd")))
        .singleElement().satisfies(etcd -> assertThat(etcd.getSpec().getReplicas()).isEqualTo(3));
    Set<String> stores = new TreeSet<>();
    overlay.all(StatefulSet.class).forEach(s -> stores.add(s.getMetadata().getName()));
    if (name.equals("dev")) {
      assertThat(stores).as("dev runs its stores in the cluster").contains("redis", "mongo");
    } else {
      assertThat(stores).as("prod uses managed stores").containsExactly("etcd");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theConfigEachPodRunsPassesTheLaunchersValidation(String name) {
    List<String> failures = new ArrayList<>();
    for (WeftPod pod : render(name).pods()) {
      try {
        new MeshConfig(pod.effectiveConfig());
      } catch (IllegalArgumentException e) {
        failures.add(pod.name() + " runs " + pod.configFile() + ", which MeshConfig refuses: " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      fail(String.join("\n", failures) + "\n(The configs use the top-level \"admin\" section of the metrics "
          + "branch and the drain keys drainGraceMs / drainTimeoutMs of the drain branch: this passes once both "
          + "are merged; any other refusal is a mistake in k8s/.)");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void containerPortsAreTheConfigsListeningPorts(String name) {
    for (WeftPod pod : render(name).pods()) {
      JsonObject config = pod.effectiveConfig();
      List<String> expected = new ArrayList<>();
      JsonObject admin = config.getJsonObject("admin");
      assertThat(admin).as(pod.name() + ": an admin section (probes, metrics)").isNotNull();
      assertThat(admin.getString("host")).as(pod.name() + ": admin.host (the kubelet probes the pod IP)").isEqualTo("0.0.0.0");
      expected.add("admin:" + admin.getInteger("port"));
      JsonArray gates = config.getJsonArray("gates", new JsonArray());
      for (int i = 0; i < gates.size(); i++) {
        expected.add(listening(pod, "gates[" + i + "]", gates.getJsonObject(i), gates.size() == 1 ? "gate" : "gate-" + i));
      }
      JsonArray services = config.getJsonArray("services", new JsonArray());
      for (int i = 0; i < services.size(); i++) {
        assertThat(services.getJsonObject(i).getInteger("replicas", 1)).as(pod.name() + ": one instance per pod").isEqualTo(1);
        expected.add(listening(pod, "services[" + i + "]", services.getJsonObject(i), services.size() == 1 ? "service" : "service-" + i));
      }
      if (config.getJsonObject("push") != null) {
        expected.add(listening(pod, "push", config.getJsonObject("push"), "service"));
      }
      assertThat(pod.container().getPorts()).as(pod.name() + ": container ports")
          .extracting(p -> p.getName() + ":" + p.getContainerPort())
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static String listening(WeftPod pod, String path, JsonObject role, String portName) {
    assertThat(role.getString("host")).as(pod.name() + ": " + path + ".host").isEqualTo("0.0.0.0");
    assertThat(role.getInteger("port", 0)).as(pod.name() + ": " + path + ".port, fixed so it can be declared").isPositive();
    return portName + ":" + role.getInteger("port");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyCoreThePodMayUseHasAVerticleInstance(String name) {
    for (WeftPod pod : render(name).pods()) {
      JsonObject config = pod.config();
      int instances = config.getJsonArray("gates", new JsonArray()).stream().map(JsonObject.class::cast)
          .mapToInt(g -> g.getInteger("instances", 1)).sum()
          + config.getJsonArray("services", new JsonArray()).stream().map(JsonObject.class::cast)
          .mapToInt(s -> s.getInteger("replicas", 1)).sum()
          + (config.getJsonObject("push") == null ? 0 : 1);
      // A gate or service instance runs on one event loop: more cores than instances stay idle.
      double cores = pod.container().getResources().getLimits().get("cpu").getNumericalAmount().doubleValue();
      assertThat(instances).as(pod.name() + ": verticle instances for a CPU limit of " + cores).isGreaterThanOrEqualTo((int) Math.ceil(cores));
      int eventLoops = config.getInteger("eventLoops", 0);
      if (eventLoops > 0) {
        assertThat(eventLoops).as(pod.name() + ": eventLoops").isGreaterThanOrEqualTo(instances);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void probesUseTheAdminEndpoints(String name) {
    for (WeftPod pod : render(name).pods()) {
      int adminPort = pod.config().getJsonObject("admin").getInteger("port");
      Container c = pod.container();
      assertProbe(pod, c, "startup", c.getStartupProbe(), "/health", adminPort);
      assertProbe(pod, c, "liveness", c.getLivenessProbe(), "/health", adminPort);
      assertProbe(pod, c, "readiness", c.getReadinessProbe(), "/ready", adminPort);
      Map<String, String> annotations = pod.deployment().getSpec().getTemplate().getMetadata().getAnnotations();
      assertThat(annotations).as(pod.name() + ": Prometheus scrape annotations")
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/port", String.valueOf(adminPort))
          .containsEntry("prometheus.io/path", "/metrics");
    }
  }

  private static void assertProbe(WeftPod pod, Container c, String kind, Probe probe, String path, int adminPort) {
    assertThat(probe).as(pod.name() + ": a " + kind + " probe").isNotNull();
    HTTPGetAction get = probe.getHttpGet();
    assertThat(get).as(pod.name() + ": the " + kind + " probe is an HTTP GET").isNotNull();
    assertThat(get.getPath()).as(pod.name() + ": " + kind + " path").isEqualTo(path);
    assertThat(port(c, get.getPort())).as(pod.name() + ": " + kind + " port").isEqualTo(adminPort);
  }

  private static int port(Container c, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return c.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName())).map(ContainerPort::getContainerPort)
        .findFirst().orElseThrow(() -> new AssertionError(c.getName() + " has no port named " + port.getStrVal()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theEnvironmentHoldsOnlyWhatTheLauncherOrTheConfigReads(String name) {
    for (WeftPod pod : render(name).pods()) {
      Set<String> referenced = new TreeSet<>();
      collectEnvReferences(pod.config(), referenced);
      Set<String> readable = new TreeSet<>(EnvOverrides.names());
      readable.addAll(referenced);
      assertThat(pod.env().keySet()).as(pod.name() + ": variables nothing reads (typos?)").isSubsetOf(readable);
      assertThat(pod.env().keySet()).as(pod.name() + ": variables the config's env:NAME values need")
          .containsAll(referenced);
      var advertise = pod.container().getEnv().stream().filter(e -> e.getName().equals("WEFT_ADVERTISE_HOST")).findFirst();
      assertThat(advertise).as(pod.name() + ": WEFT_ADVERTISE_HOST (what it registers in etcd)").isPresent();
      assertThat(advertise.get().getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.podIP");
      JsonObject effective = pod.effectiveConfig();
      Stream.concat(effective.getJsonArray("gates", new JsonArray()).stream(),
              effective.getJsonArray("services", new JsonArray()).stream())
          .map(JsonObject.class::cast)
          .forEach(role -> assertThat(role.getString("advertiseHost")).as(pod.name() + ": advertised").isEqualTo(WeftPod.POD_IP));
      if (effective.getJsonObject("push") != null) {
        assertThat(effective.getJsonObject("push").getString("advertiseHost")).isEqualTo(WeftPod.POD_IP);
      }
    }
  }

  private static void collectEnvReferences(Object value, Set<String> into) {
    if (value instanceof JsonObject object) {
      object.forEach(e -> collectEnvReferences(e.getValue(), into));
    } else if (value instanceof JsonArray array) {
      array.forEach(v -> collectEnvReferences(v, into));
    } else if (value instanceof String s) {
      Matcher m = ENV_REFERENCE.matcher(s);
      if (m.matches()) {
        into.add(m.group(1));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theGracePeriodCoversPreStopAndTheDrain(String name) {
    for (WeftPod pod : render(name).pods()) {
      JsonObject config = pod.config();
      long gateDrainMs = config.getJsonArray("gates", new JsonArray()).stream().map(JsonObject.class::cast)
          .mapToLong(g -> explicit(pod, g, "drainGraceMs")).max().orElse(0);
      List<JsonObject> hosts = new ArrayList<>();
      config.getJsonArray("services", new JsonArray()).forEach(s -> hosts.add((JsonObject) s));
      if (config.getJsonObject("push") != null) {
        hosts.add(config.getJsonObject("push"));
      }
      long serviceDrainMs = hosts.stream().mapToLong(s -> explicit(pod, s, "drainTimeoutMs")).max().orElse(0);
      List<String> preStop = pod.container().getLifecycle().getPreStop().getExec().getCommand();
      assertThat(preStop).as(pod.name() + ": preStop").hasSize(2).first().isEqualTo("sleep");
      long sleepSeconds = Long.parseLong(preStop.get(1));
      assertThat(sleepSeconds).as(pod.name() + ": preStop sleep, for endpoints to drop the pod").isBetween(2L, 15L);
      // Gates drain first, then services (MeshVerticle.drain()).
      long neededSeconds = sleepSeconds + ceilSeconds(gateDrainMs) + ceilSeconds(serviceDrainMs) + SHUTDOWN_MARGIN_SECONDS;
      assertThat(pod.spec().getTerminationGracePeriodSeconds()).as(pod.name()
              + ": terminationGracePeriodSeconds >= preStop %d s + gates' drain %d ms + services' drain %d ms + %d s",
              sleepSeconds, gateDrainMs, serviceDrainMs, SHUTDOWN_MARGIN_SECONDS)
          .isGreaterThanOrEqualTo(neededSeconds);
    }
  }

  private static long explicit(WeftPod pod, JsonObject role, String key) {
    assertThat(role.getLong(key)).as(pod.name() + ": " + key + " set in " + pod.configFile()
        + " (the grace period is derived from it)").isNotNull();
    return role.getLong(key);
  }

  private static long ceilSeconds(long ms) {
    return (ms + 999) / 1000;
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void servicesBudgetsAndAutoscalersSelectWhatExists(String name) {
    Overlay overlay = render(name);
    List<PodTemplateSpec> templates = new ArrayList<>();
    overlay.all(Deployment.class).forEach(d -> templates.add(d.getSpec().getTemplate()));
    overlay.all(StatefulSet.class).forEach(s -> templates.add(s.getSpec().getTemplate()));
    overlay.all(Service.class).forEach(service -> {
      List<PodTemplateSpec> selected = selected(templates, service.getSpec().getSelector());
      assertThat(selected).as(name + ": Service " + service.getMetadata().getName() + " selects pods").isNotEmpty();
      for (ServicePort port : service.getSpec().getPorts()) {
        IntOrString target = port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort();
        for (PodTemplateSpec t : selected) {
          assertThat(t.getSpec().getContainers().stream().flatMap(c -> c.getPorts().stream())
              .anyMatch(p -> target.getIntVal() != null ? target.getIntVal().equals(p.getContainerPort())
                  : target.getStrVal().equals(p.getName())))
              .as(name + ": Service " + service.getMetadata().getName() + " port " + port.getName() + " reaches a container port")
              .isTrue();
        }
      }
    });
    overlay.all(PodDisruptionBudget.class).forEach(pdb -> assertThat(selected(templates,
        pdb.getSpec().getSelector().getMatchLabels())).as(name + ": PDB " + pdb.getMetadata().getName()).isNotEmpty());
    Set<String> scaled = new TreeSet<>();
    overlay.all(HorizontalPodAutoscaler.class).forEach(hpa -> {
      String target = hpa.getSpec().getScaleTargetRef().getName();
      Deployment deployment = overlay.all(Deployment.class).filter(d -> d.getMetadata().getName().equals(target))
          .findFirst().orElseThrow(() -> new AssertionError(name + ": HPA " + hpa.getMetadata().getName() + " scales no Deployment"));
      assertThat(hpa.getSpec().getMetrics()).as(name + ": HPA on CPU").anyMatch(m -> m.getResource() != null
          && "cpu".equals(m.getResource().getName()));
      assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
      assertThat(deployment.getSpec().getReplicas()).as(name + ": " + target + " leaves the count to its HPA").isNull();
      deployment.getSpec().getTemplate().getSpec().getContainers().forEach(c -> {
        assertThat(c.getResources().getRequests()).as(name + ": " + target + " requests CPU (the HPA's base)").containsKey("cpu");
        assertThat(c.getResources().getLimits()).as(name + ": " + target + " limits memory").containsKey("memory");
      });
      scaled.add(target);
    });
    assertThat(scaled).as(name + ": every Weft Deployment has an HPA")
        .containsExactlyInAnyOrderElementsOf(overlay.pods().stream().map(p -> p.deployment().getMetadata().getName()).toList());
  }

  private static List<PodTemplateSpec> selected(List<PodTemplateSpec> templates, Map<String, String> selector) {
    assertThat(selector).isNotEmpty();
    return templates.stream().filter(t -> t.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void theConfigsAddressesNameObjectsOfTheOverlay(String name) {
    Overlay overlay = render(name);
    for (WeftPod pod : overlay.pods()) {
      List<String> addresses = new ArrayList<>();
      collectAddresses(pod.effectiveConfig(), addresses);
      assertThat(addresses).as(pod.name() + ": addresses in its config").isNotEmpty();
      for (String address : addresses) {
        for (String hostPort : hostsOf(address)) {
          int colon = hostPort.lastIndexOf(':');
          String host = hostPort.substring(0, colon);
          int port = Integer.parseInt(hostPort.substring(colon + 1));
          Matcher member = STATEFUL_MEMBER.matcher(host);
          if (member.matches()) {
            StatefulSet set = overlay.all(StatefulSet.class).filter(s -> s.getMetadata().getName().equals(member.group(1)))
                .findFirst().orElseThrow(() -> new AssertionError(pod.name() + ": " + address + " names no StatefulSet"));
            assertThat(set.getSpec().getServiceName()).as(pod.name() + ": " + address).isEqualTo(member.group(3));
            assertThat(Integer.parseInt(member.group(2))).as(pod.name() + ": " + address + " is a member")
                .isLessThan(set.getSpec().getReplicas());
            assertServicePort(overlay, pod, address, member.group(3), port);
          } else if (!host.contains(".")) {
            assertServicePort(overlay, pod, address, host, port);
          } else {
            assertThat(name).as(pod.name() + ": " + address + " is outside the cluster, which only prod may use").isEqualTo("prod");
          }
        }
      }
    }
  }

  private static void assertServicePort(Overlay overlay, WeftPod pod, String address, String serviceName, int port) {
    Service service = overlay.all(Service.class).filter(s -> s.getMetadata().getName().equals(serviceName)).findFirst()
        .orElseThrow(() -> new AssertionError(pod.name() + ": " + address + " names no Service " + serviceName));
    assertThat(service.getSpec().getPorts()).as(pod.name() + ": " + address).anyMatch(p -> p.getPort() == port);
  }

  private static void collectAddresses(Object value, List<String> into) {
    if (value instanceof JsonObject object) {
      object.forEach(e -> collectAddresses(e.getValue(), into));
    } else if (value instanceof JsonArray array) {
      array.forEach(v -> collectAddresses(v, into));
    } else if (value instanceof String s && s.matches("^(https?|rediss?|mongodb)://.*")) {
      into.add(s);
    }
  }

  /** host:port of each server a URL names (a MongoDB URL may list several). */
  private static List<String> hostsOf(String url) {
    String scheme = url.substring(0, url.indexOf("://"));
    String rest = url.substring(scheme.length() + 3);
    int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
    String authority = rest.substring(at + 1).split("[/?]", 2)[0];
    int defaultPort = switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      case "redis", "rediss" -> 6379;
      default -> 27017;
    };
    List<String> hosts = new ArrayList<>();
    for (String server : authority.split(",")) {
      URI uri = URI.create("x://" + server);
      hosts.add(uri.getHost() + ":" + (uri.getPort() < 0 ? defaultPort : uri.getPort()));
    }
    return hosts;
  }
}
