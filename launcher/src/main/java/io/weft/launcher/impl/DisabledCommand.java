package io.weft.launcher.impl;

import io.weft.core.discovery.ServiceRegistry;
import io.weft.core.governance.DisabledRules;
import io.weft.core.governance.DisabledRules.Rule;
import java.io.PrintStream;
import picocli.CommandLine.Command;

/** {@code weft disabled}: the switches that disable calls now, as every gate reads them. */
@Command(name = "disabled", description = "List what 'weft disable' disabled, and the switches gates ignore as malformed.")
public final class DisabledCommand extends SwitchCommand {

  @Override
  String name() {
    return "disabled";
  }

  @Override
  int run(ServiceRegistry registry, PrintStream out) throws Exception {
    DisabledRules rules = DisabledRules.parse(done(registry.config(DisabledRules.PREFIX)));
    if (rules.rules().isEmpty() && rules.problems().isEmpty()) {
      out.println("nothing is disabled");
    }
    for (Rule rule : rules.rules()) {
      String who = rule.sources().isEmpty() ? "every caller" : "sources " + String.join(", ", rule.sources());
      out.println(String.format("%-40s %s", rule.target(), who));
    }
    for (String problem : rules.problems()) {
      out.println("ignored " + ServiceRegistry.CONFIG_ROOT + problem);
    }
    return 0;
  }
}
