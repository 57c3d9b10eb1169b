package io.weft.core.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.core.governance.DisabledRules.Rule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DisabledRulesTest {

  private static final String ALL = "{\"sources\":[]}";

  @Test
  void noSwitchDisablesNothing() {
    DisabledRules rules = DisabledRules.parse(Map.of("other/key", "x"));
    assertThat(rules).isSameAs(DisabledRules.NONE);
    assertThat(rules.isEmpty()).isTrue();
    assertThat(rules.match("demo", "echo", "Echo", "app")).isNull();
    assertThat(rules.forService("demo", "echo")).isNull();
  }

  @Test
  void aServiceKeyDisablesEveryMethodOfThatServiceOnly() {
    DisabledRules rules = DisabledRules.parse(Map.of("disabled/demo/echo", ALL));
    assertThat(rules.match("demo", "echo", "Echo", null).reason()).isEqualTo("demo/echo is disabled");
    assertThat(rules.match("demo", "echo", "Sleep", "app")).isNotNull();
    assertThat(rules.match("demo", "echo", null, "app")).as("even when the method cannot be read").isNotNull();
    assertThat(rules.match("demo", "echo2", "Echo", null)).isNull();
    assertThat(rules.match("other", "echo", "Echo", null)).isNull();
    assertThat(rules.forService("demo", "echo").hasMethodRules()).isFalse();
  }

  @Test
  void aMethodKeyDisablesThatMethodOnly() {
    DisabledRules rules = DisabledRules.parse(Map.of("disabled/demo/echo/Sleep", ALL));
    assertThat(rules.match("demo", "echo", "Sleep", "app").reason()).isEqualTo("demo/echo.Sleep is disabled");
    assertThat(rules.match("demo", "echo", "Echo", "app")).isNull();
    assertThat(rules.match("demo", "echo", "sleep", "app")).as("names are case-sensitive").isNull();
    assertThat(rules.match("demo", "echo", null, "app")).isNull();
    assertThat(rules.forService("demo", "echo").hasMethodRules()).isTrue();
  }

  @Test
  void sourcesLimitARuleToThoseCallers() {
    DisabledRules rules = DisabledRules.parse(Map.of(
        "disabled/demo/echo/Sleep", "{\"sources\":[\"mobile\",\"web\"]}",
        "disabled/demo/chat", "{\"sources\":[\"demo/relay\"]}"));
    Rule sleep = rules.match("demo", "echo", "Sleep", "mobile");
    assertThat(sleep.reason()).isEqualTo("demo/echo.Sleep is disabled for sources mobile, web");
    assertThat(rules.match("demo", "echo", "Sleep", "web")).isSameAs(sleep);
    assertThat(rules.match("demo", "echo", "Sleep", "desktop")).isNull();
    assertThat(rules.match("demo", "echo", "Sleep", null)).as("a caller without label").isNull();
    assertThat(rules.match("demo", "echo", "Sleep", "mobile2")).isNull();
    // a service calling through the gate is named <ns>/<service>@<instance>
    assertThat(rules.match("demo", "chat", "Say", "demo/relay@10.0.0.1:9000").reason())
        .isEqualTo("demo/chat is disabled for source demo/relay");
    assertThat(rules.match("demo", "chat", "Say", "demo/relay")).isNotNull();
    assertThat(rules.match("demo", "chat", "Say", "demo/relayer@10.0.0.1:9000")).isNull();
    assertThat(rules.match("demo", "chat", "Say", "demo/other@10.0.0.1:9000")).isNull();
  }

  @Test
  void aServiceRuleThatAppliesWinsOverAMethodRule() {
    DisabledRules rules = DisabledRules.parse(Map.of(
        "disabled/demo/echo", "{\"sources\":[\"mobile\"]}",
        "disabled/demo/echo/Sleep", ALL));
    assertThat(rules.match("demo", "echo", "Sleep", "mobile").method()).isNull();
    assertThat(rules.match("demo", "echo", "Sleep", "web").method()).isEqualTo("Sleep");
    assertThat(rules.match("demo", "echo", "Echo", "mobile").method()).isNull();
    assertThat(rules.match("demo", "echo", "Echo", "web")).isNull();
  }

  @Test
  void absentOrNullSourcesMeanEveryCallerAndUnknownFieldsAreIgnored() {
    DisabledRules rules = DisabledRules.parse(Map.of(
        "disabled/demo/a", "{}",
        "disabled/demo/b", "{\"sources\":null}",
        "disabled/demo/c", "{\"sources\":[],\"until\":\"tomorrow\"}"));
    assertThat(rules.problems()).isEmpty();
    for (String service : List.of("a", "b", "c")) {
      assertThat(rules.match("demo", service, "X", "anyone")).as(service).isNotNull();
    }
  }

  @Test
  void malformedSwitchesAreLeftOutWithTheReasonAndTheRestStillApply() {
    DisabledRules rules = DisabledRules.parse(Map.of(
        "disabled/demo/ok", ALL,
        "disabled/demo/notjson", "{oops",
        "disabled/demo/array", "[]",
        "disabled/demo/empty", "",
        "disabled/demo/badsources", "{\"sources\":\"mobile\"}",
        "disabled/demo/badsource", "{\"sources\":[1]}",
        "disabled/demo/emptysource", "{\"sources\":[\"\"]}",
        "disabled/demo", ALL,
        "disabled/demo/echo/Sleep/deeper", ALL,
        "disabled/demo//Sleep", ALL));
    assertThat(rules.rules()).extracting(Rule::target).containsExactly("demo/ok");
    assertThat(rules.problems()).hasSize(9)
        .anySatisfy(p -> assertThat(p).startsWith("disabled/demo/notjson: ").contains("JSON object"))
        .anySatisfy(p -> assertThat(p).startsWith("disabled/demo/badsources: ").contains("list of strings"))
        .anySatisfy(p -> assertThat(p).startsWith("disabled/demo: ").contains("<namespace>/<service>"))
        .anySatisfy(p -> assertThat(p).startsWith("disabled/demo//Sleep: ").contains("service"));
    assertThat(rules.match("demo", "ok", "X", null)).isNotNull();
    assertThat(rules.match("demo", "notjson", "X", null)).isNull();
  }

  @Test
  void aRuleWritesTheKeyAndValueItIsReadFrom() {
    Rule rule = Rule.ofTarget("demo/echo/Sleep", List.of("web", "mobile"));
    assertThat(rule.key()).isEqualTo("disabled/demo/echo/Sleep");
    assertThat(rule.value()).isEqualTo("{\"sources\":[\"mobile\",\"web\"]}");
    assertThat(rule.target()).isEqualTo("demo/echo.Sleep");
    assertThat(Rule.parse(rule.key(), rule.value())).isEqualTo(rule);
    Rule service = Rule.ofTarget("demo/echo", List.of());
    assertThat(service.key()).isEqualTo("disabled/demo/echo");
    assertThat(service.value()).isEqualTo("{\"sources\":[]}");
    assertThat(DisabledRules.of(List.of(rule, service)))
        .isEqualTo(DisabledRules.parse(Map.of(rule.key(), rule.value(), service.key(), service.value())));
    assertThatThrownBy(() -> Rule.ofTarget("echo", List.of())).hasMessageContaining("<namespace>/<service>");
    assertThatThrownBy(() -> Rule.ofTarget("demo/echo/a/b", List.of())).hasMessageContaining("<namespace>/<service>");
    assertThatThrownBy(() -> Rule.ofTarget("demo//Sleep", List.of())).hasMessageContaining("service");
    assertThatThrownBy(() -> Rule.ofTarget("demo/echo", List.of(""))).hasMessageContaining("sources");
  }
}
