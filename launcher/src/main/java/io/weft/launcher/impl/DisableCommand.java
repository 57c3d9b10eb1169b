package io.weft.launcher.impl;

import io.weft.core.discovery.ServiceRegistry;
import io.weft.core.governance.DisabledRules.Rule;
import java.io.PrintStream;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft disable <namespace>/<service>[/<method>] [--sources a,b]}: writes the switch
 * {@code /weft/config/disabled/...} to etcd; every gate then answers the calls it covers with 14
 * (UNAVAILABLE), within a second, until {@code weft enable}.
 */
@Command(name = "disable", description = {
    "Disable a service, or one of its methods, at every gate of an etcd mesh (runtime degradation).",
    "Calls it covers are answered 14 UNAVAILABLE '... is disabled' within a second, until 'weft enable'.",
    "A switch already there for the same target is replaced."})
public final class DisableCommand extends SwitchCommand {

  @Parameters(index = "0", paramLabel = "NAMESPACE/SERVICE[/METHOD]", description = "e.g. demo/echo or demo/echo/Sleep")
  String target;

  @Option(names = "--sources", split = ",", paramLabel = "SOURCE",
      description = "Only for calls from these sources: a client's Client label, or a calling service's "
          + "namespace/service (default: every caller).")
  List<String> sources;

  private Rule rule;

  @Override
  String name() {
    return "disable";
  }

  @Override
  void check() {
    if (sources != null && sources.isEmpty()) {
      // An empty --sources (say, from an unset shell variable) must not widen the switch to every caller.
      throw new IllegalArgumentException("--sources needs at least one source; leave it out to disable for every caller");
    }
    rule = Rule.ofTarget(target, sources == null ? List.of() : sources);
  }

  @Override
  int run(ServiceRegistry registry, PrintStream out) throws Exception {
    done(registry.putConfig(rule.key(), rule.value()));
    out.println("put " + ServiceRegistry.CONFIG_ROOT + rule.key() + " " + rule.value());
    out.println(rule.reason());
    return 0;
  }
}
