package io.weft.launcher.impl;

import io.weft.core.discovery.ServiceRegistry;
import io.weft.core.governance.DisabledRules;
import io.weft.core.governance.DisabledRules.Rule;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft enable <namespace>/<service>[/<method>] [--all]}: deletes the switch that
 * {@code weft disable} wrote. A service's switch and its methods' are separate: the command says
 * which ones still disable calls of the target.
 */
@Command(name = "enable", description = {
    "Delete the switch that disables a service, or one of its methods (see 'weft disable').",
    "Every gate lets the calls through again within a second."})
public final class EnableCommand extends SwitchCommand {

  @Parameters(index = "0", paramLabel = "NAMESPACE/SERVICE[/METHOD]", description = "e.g. demo/echo or demo/echo/Sleep")
  String target;

  @Option(names = "--all", description = "With a service: also delete the switches of each of its methods.")
  boolean all;

  private Rule rule;

  @Override
  String name() {
    return "enable";
  }

  @Override
  void check() {
    rule = Rule.ofTarget(target, List.of());
    if (all && rule.method() != null) {
      throw new IllegalArgumentException("--all applies to a service (namespace/service), but was given " + target);
    }
  }

  @Override
  int run(ServiceRegistry registry, PrintStream out) throws Exception {
    String serviceKey = DisabledRules.PREFIX + rule.namespace() + "/" + rule.service();
    List<String> related = new ArrayList<>();
    for (String key : done(registry.config(serviceKey)).keySet()) {
      if (key.equals(serviceKey) || key.startsWith(serviceKey + "/")) {
        related.add(key);
      }
    }
    List<String> targets = all ? related : List.of(rule.key());
    List<String> deleted = new ArrayList<>();
    for (String key : targets) {
      if (done(registry.deleteConfig(key))) {
        out.println("deleted " + ServiceRegistry.CONFIG_ROOT + key);
        deleted.add(key);
      }
    }
    out.println(deleted.isEmpty() ? rule.target() + " was not disabled" : rule.target() + " is enabled");
    related.removeAll(deleted);
    if (rule.method() != null && related.contains(serviceKey)) {
      out.println("note: " + rule.namespace() + "/" + rule.service() + " is still disabled as a whole "
          + "(weft enable " + rule.namespace() + "/" + rule.service() + ")");
    } else if (rule.method() == null && !related.isEmpty()) {
      List<String> methods = related.stream().map(k -> k.substring(serviceKey.length() + 1)).toList();
      out.println("note: still disabled: " + String.join(", ", methods) + " (weft enable "
          + rule.namespace() + "/" + rule.service() + " --all enables them too)");
    }
    return 0;
  }
}
