package io.weft.launcher;

import io.weft.launcher.impl.BenchCommand;
import io.weft.launcher.impl.CallCommand;
import io.weft.launcher.impl.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command: run a mesh from a config, call it, benchmark it. */
@Command(name = "weft", mixinStandardHelpOptions = true, version = "weft 0.1.0",
    description = "Weft: a Vert.x event mesh for realtime backends.",
    subcommands = {RunCommand.class, CallCommand.class, BenchCommand.class})
public final class Weft implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
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

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
