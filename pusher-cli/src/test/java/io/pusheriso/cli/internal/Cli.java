package io.pusheriso.cli.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs the command line in-process with captured stdout and stderr (test helper). */
final class Cli {

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final StopSignal stop = new StopSignal();

  /** Runs to completion on this thread; returns the exit code. */
  int run(String... args) {
    return PusherCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), stop).execute(args);
  }

  /** Starts on another thread; the future completes with the exit code. */
  CompletableFuture<Integer> start(String... args) {
    return CompletableFuture.supplyAsync(() -> run(args), r -> new Thread(r, "cli-under-test").start());
  }

  List<String> outLines() {
    String s = out.toString();
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
  }

  List<String> errLines() {
    String s = err.toString();
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
  }
}
