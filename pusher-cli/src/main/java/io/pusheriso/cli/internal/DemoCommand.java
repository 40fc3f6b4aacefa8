package io.pusheriso.cli.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: starts the embedded server and checks every transport against it (see {@link
 * DemoRunner}). Exit code 0 only when every check passed.
 *
 * <p>Not thread-safe: picocli fills one instance and calls it once.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    header = "Check every transport against the embedded server and print a table.",
    description =
        "%nStarts the embedded Pusher server, then over every transport (Netty ws, Jetty ws, wss,"
            + " xhr_streaming, xhr_polling) connects, subscribes to a public, a private, a presence and an"
            + " encrypted channel, triggers events through the HTTP events API and a client event, and"
            + " prints a table. Exit code 0 only when every check passed.%n")
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--check-timeout-ms",
      paramLabel = "MS",
      description = "How long one check (connect, subscribe, an event) may take (default: 5000).")
  long checkTimeoutMs = 5_000;

  @Override
  public Integer call() {
    if (checkTimeoutMs <= 0) {
      throw new ParameterException(
          spec.commandLine(), "--check-timeout-ms must be positive, was " + checkTimeoutMs);
    }
    return new DemoRunner(spec.commandLine().getOut(), Duration.ofMillis(checkTimeoutMs)).run() ? 0 : PusherCli.FAILURE;
  }
}
