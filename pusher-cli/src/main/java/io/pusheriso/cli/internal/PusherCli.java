package io.pusheriso.cli.internal;

import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The top-level command, {@code pusher-cli}, with its subcommands {@code listen} and {@code demo},
 * and the error handling every entry point shares: a usage error is one line on stderr and exit
 * code 2; a failure while running is one line on stderr and exit code 1 (the stack trace only at
 * debug level).
 *
 * <p>Not thread-safe: one instance per command line.
 */
@Command(
    name = "pusher-cli",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description = "A Pusher Channels (protocol 7) client on the command line.")
final class PusherCli implements Runnable {

  /** The exit code of a usage error. */
  static final int USAGE = 2;
  /** The exit code of a failure while running. */
  static final int FAILURE = 1;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: use listen or demo");
  }

  /**
   * The whole command line, writing to {@code out} and {@code err}.
   *
   * @param stop how listen is told to stop (a signal handler's, or a test's)
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, StopSignal stop) {
    CommandLine cli = new CommandLine(new PusherCli());
    cli.addSubcommand("listen", new ListenCommand(stop));
    cli.addSubcommand("demo", new DemoCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + oneLine(ex.getMessage())
              + " (see " + c.getCommandSpec().qualifiedName() + " --help)");
          c.getErr().flush();
          return USAGE;
        });
    cli.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          LoggerFactory.getLogger(PusherCli.class).debug("Command failed", ex);
          c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + oneLine(String.valueOf(ex.getMessage())));
          c.getErr().flush();
          return FAILURE;
        });
    return cli;
  }

  static String oneLine(String message) {
    return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
