package io.weft.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.weft.core.conn.ConnectionOptions;
import io.weft.core.lb.LoadBalancerType;
import java.util.Map;

import org.junit.jupiter.api.Test;

class GateOptionsTest {

  @Test
  void jsonRoundTrip() {
    GateOptions o = new GateOptions().setMode(GateOptions.Mode.EXTERNAL).setHost("127.0.0.1").setPort(7000)
        .setAdvertiseHost("10.0.0.1").setInstances(2).setCallTimeoutMs(1000).setMaxCallTimeoutMs(5000).setTickMs(5)
        .setReconnect(50, 500).setLoadBalancer(LoadBalancerType.RANDOM)
        .setServiceLoadBalancers(Map.of("demo/echo", LoadBalancerType.ROUND_ROBIN))
        .setClientConnection(new ConnectionOptions().setHeartbeat(100, 300))
        .setServiceConnection(new ConnectionOptions().setMaxFrameBytes(2048)).setDrainGraceMs(1500);
    JsonObject json = o.toJson();
    assertThat(new GateOptions(json).getDrainGraceMs()).isEqualTo(1500);
    assertThat(new GateOptions().getDrainGraceMs()).isEqualTo(GateOptions.DEFAULT_DRAIN_GRACE_MS);
    assertThat(new GateOptions(json).toJson()).isEqualTo(json);
    assertThat(new GateOptions(o).toJson()).isEqualTo(json);
    assertThat(new GateOptions(new JsonObject()).toJson()).isEqualTo(new GateOptions().toJson());
    assertThat(new GateOptions(json).loadBalancerFor("demo/echo")).isEqualTo(LoadBalancerType.ROUND_ROBIN);
    assertThat(new GateOptions(json).loadBalancerFor("demo/other")).isEqualTo(LoadBalancerType.RANDOM);
  }

  @Test
  void governanceSettingsRoundTripAndServicesInheritTheTopLevel() {
    JsonObject json = new JsonObject()
        .put("failMode", "failover").put("retries", 3).put("retryBackoffMs", 20).put("attemptTimeoutMs", 500)
        .put("breaker", new JsonObject().put("consecutiveFailures", 7).put("openMs", 1000))
        .put("limits", new JsonObject().put("perConnection", new JsonObject().put("perSecond", 100))
            .put("perSource", new JsonObject().put("*", new JsonObject().put("perSecond", 1000).put("burst", 50))))
        .put("outliers", new JsonObject().put("intervalMs", 500).put("minCalls", 7))
        .put("services", new JsonObject().put("demo/echo", new JsonObject().put("failMode", "failsafe")
            .put("rateLimit", new JsonObject().put("perSecond", 10))
            .put("methods", new JsonObject().put("Sleep", new JsonObject().put("rateLimit", new JsonObject().put("perSecond", 1))))));
    GateOptions o = new GateOptions(json);
    ServicePolicy echo = o.policyFor("demo/echo");
    assertThat(echo.retry().mode()).isEqualTo(io.weft.core.governance.FailMode.FAILSAFE);
    assertThat(echo.retry().retries()).as("inherited").isEqualTo(3);
    assertThat(echo.breaker().consecutiveFailures()).as("inherited").isEqualTo(7);
    assertThat(echo.rateLimit().perSecond()).isEqualTo(10);
    assertThat(echo.methodRateLimits().get("Sleep").perSecond()).isEqualTo(1);
    assertThat(o.policyFor("demo/other").retry().mode()).isEqualTo(io.weft.core.governance.FailMode.FAILOVER);
    assertThat(o.getLimits().forSource("anyone").burst()).isEqualTo(50);
    assertThat(o.getLimits().perConnection().burst()).as("a second's worth").isEqualTo(100);
    assertThat(o.getOutliers().minCalls()).isEqualTo(7);
    assertThat(new GateOptions(o.toJson()).toJson()).isEqualTo(o.toJson());
  }

  @Test
  void badGovernanceValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("failMode", "sometimes"))).hasMessageContaining("failMode");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("retries", 99))).hasMessageContaining("retries");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("breaker", new JsonObject().put("failureRatePercent", 0))))
        .hasMessageContaining("breaker.failureRatePercent");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("services", new JsonObject()
        .put("demo/echo", new JsonObject().put("retires", 1))))).hasMessageContaining("services.demo/echo.retires");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("services", new JsonObject().put("echo", new JsonObject()))))
        .hasMessageContaining("namespace/service");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("limits", new JsonObject()
        .put("perConnection", new JsonObject().put("perSecond", 0))))).hasMessageContaining("rateLimit.perSecond");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("outliers", new JsonObject().put("maxEjectionPercent", 101))))
        .hasMessageContaining("outliers.maxEjectionPercent");
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("mode", "public"))).hasMessageContaining("mode");
    assertThatThrownBy(() -> new GateOptions().setPort(70000)).hasMessageContaining("port");
    assertThatThrownBy(() -> new GateOptions().setAdvertiseHost("0.0.0.0")).hasMessageContaining("advertiseHost");
    assertThatThrownBy(() -> new GateOptions().setInstances(0)).hasMessageContaining("instances");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("drainGraceMs", -1)))
        .hasMessage("drainGraceMs must be >= 0, but was -1");
    assertThatThrownBy(() -> new GateOptions().setReconnect(100, 50)).hasMessageContaining("reconnectMaxMs");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("loadBalancer", "fastest"))).hasMessageContaining("fastest");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("services", new JsonObject().put("demo/echo", 3))))
        .hasMessageContaining("services.demo/echo");
  }

  private static final String KEY = java.util.Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void securitySettingsRoundTripAndAbsentSectionsAreWrittenAsNull() {
    GateOptions o = new GateOptions().setMode(GateOptions.Mode.EXTERNAL)
        .setAuth(new io.weft.core.auth.AuthOptions().putKey("k1", KEY).setReplayWindowMs(0))
        .setAuthTimeoutMs(200).setMaxUnauthenticatedFrameBytes(4096).setAllowlist(java.util.List.of("10.0.0.0/8", "fc00::/7"))
        .setTls(new io.weft.core.conn.TlsOptions().setCertFile("g.crt").setKeyFile("g.key").setCaFile("ca.crt"))
        .setServiceTls(new io.weft.core.conn.TlsOptions().setCaFile("ca.crt").setVerifyHostname(false))
        .setMaxConnections(50).setMaxConnectionsPerIp(5).setMaxInFlightPerConnection(7).setIdleTimeoutMs(0);
    JsonObject json = o.toJson();
    assertThat(new GateOptions(json).toJson()).isEqualTo(json);
    assertThat(new GateOptions(json).getAuth().getKeys()).containsEntry("k1", KEY);
    assertThat(new GateOptions(json).getTls().effectiveClientAuth()).isEqualTo(io.weft.core.conn.TlsOptions.ClientCerts.REQUIRED);

    JsonObject defaults = new GateOptions().toJson();
    assertThat(defaults.fieldNames()).contains("auth", "allowlist", "tls", "serviceTls");
    assertThat(defaults.getValue("auth")).isNull();
    assertThat(new GateOptions(defaults).toJson()).isEqualTo(defaults);
    GateOptions d = new GateOptions();
    assertThat(d.getMaxConnections()).isPositive();
    assertThat(d.getMaxConnectionsPerIp()).isPositive();
    assertThat(d.getMaxInFlightPerConnection()).isPositive();
    assertThat(d.getAuthTimeoutMs()).isPositive();
    assertThat(d.effectiveAllowlist()).as("internal: loopback and private").contains("127.0.0.0/8", "10.0.0.0/8");
    assertThat(d.setMode(GateOptions.Mode.EXTERNAL).effectiveAllowlist()).as("external: anyone").isNull();
  }

  @Test
  void badSecurityValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("allowlist", new io.vertx.core.json.JsonArray().add("10.0.0.0/33"))))
        .hasMessageContaining("allowlist[0]");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("allowlist", new io.vertx.core.json.JsonArray().add("example.com"))))
        .hasMessageContaining("allowlist[0]");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("maxConnectionsPerIp", 0))).hasMessageContaining("maxConnectionsPerIp");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("maxConnections", 0))).hasMessageContaining("maxConnections");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("maxInFlightPerConnection", 0))).hasMessageContaining("maxInFlightPerConnection");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("authTimeoutMs", 0))).hasMessageContaining("authTimeoutMs");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("idleTimeoutMs", -1))).hasMessageContaining("idleTimeoutMs");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("auth", new JsonObject().put("keys", new JsonObject().put("k", "c2hvcnQ=")))))
        .hasMessageContaining("auth.keys.k");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("tls", new JsonObject().put("certFile", "a.crt"))))
        .hasMessageContaining("tls.keyFile");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("tls", new JsonObject().put("certFile", "a").put("keyFile", "b").put("clientAuth", "required"))))
        .hasMessageContaining("tls.caFile");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("serviceTls", new JsonObject().put("certFile", "a.crt"))))
        .hasMessageContaining("serviceTls.keyFile");
    assertThatThrownBy(() -> new GateOptions(new JsonObject().put("serviceTls", new JsonObject().put("verifyHostnames", false))))
        .hasMessageContaining("serviceTls: unknown key tls.verifyHostnames");
  }
}
