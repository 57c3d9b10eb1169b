package io.weft.launcher;

import io.weft.launcher.impl.BenchCommand;
import io.weft.launcher.impl.BenchReportCommand;
import io.weft.launcher.impl.CallCommand;
import io.weft.launcher.impl.DisableCommand;
import io.weft.launcher.impl.EchoServerCommand;
import io.weft.launcher.impl.ListenCommand;
import io.weft.launcher.impl.LogSetup;
import io.weft.launcher.impl.DisabledCommand;
import io.weft.launcher.impl.EnableCommand;
import io.weft.launcher.impl.EventsCommand;
import io.weft.launcher.impl.RunCommand;
import io.weft.launcher.impl.StatusCommand;
import io.weft.launcher.impl.TokenCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command: run a mesh from a config, call it, benchmark it, disable parts of it. */
@Command(name = "weft", mixinStandardHelpOptions = true, version = "weft 0.1.0",
    description = "Weft: a Vert.x event mesh for realtime backends.",
    subcommands = {RunCommand.class, CallCommand.class, BenchCommand.class, DisableCommand.class,
        EnableCommand.class, DisabledCommand.class, TokenCommand.class, ListenCommand.class,
        EchoServerCommand.class, BenchReportCommand.class, EventsCommand.class,
        StatusCommand.class})
public final class Weft implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Before any Vert.x class loads: everything logs through SLF4J to Logback (logback.xml until
    // `weft run` applies the config's logging section), java.util.logging included.
    defaultProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    LogSetup.bridgeJul();
    defaultProperty("java.awt.headless", "true");
    CommandLine commandLine = new CommandLine(new Weft());
    int exitCode = commandLine.execute(args);
    CommandLine.ParseResult parsed = commandLine.getParseResult();
    boolean meshRunning = exitCode == 0 && parsed != null && parsed.subcommand() != null
        && parsed.subcommand().commandSpec().userObject() instanceof RunCommand;
    if (!meshRunning) {
      // Every other command is done; Vert.x threads must not keep the JVM alive.
      System.exit(exitCode);
    }
  }

  private static void defaultProperty(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
