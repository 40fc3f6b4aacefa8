package io.pusheriso.conformance;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The two clients whose transcripts are compared: the project's {@code pusher-cli listen} and the official
 * pusher-js client ({@code reference-client.js}). Immutable.
 *
 * <p>Setting {@code -Dconformance.ours=reference} runs the reference client on both sides: that checks the
 * harness itself (reference against reference must pass) without the jar.
 */
enum ClientKind {
  OURS("pusher-cli"),
  REFERENCE("reference");

  private final String label;

  ClientKind(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  /** The suffix that makes this side's channel and user names distinct from the other side's. */
  String side() {
    return name().substring(0, 1).toLowerCase(Locale.ROOT);
  }

  private boolean runsReference() {
    return this == REFERENCE || "reference".equals(System.getProperty("conformance.ours", "cli"));
  }

  List<String> command(List<String> listenOptions) {
    List<String> command = new ArrayList<>();
    if (runsReference() && hostNode().isPresent()) {
      command.add(hostNode().get().toString());
      command.add(Peers.REFERENCE_CLIENT.toString());
    } else if (runsReference()) {
      // No node on this machine (a fresh CI machine has it only inside the peers' root): run the same client
      // with the peers' own node, in their root, as up does (root only, as up).
      command.addAll(List.of("chroot", Peers.HOME.resolve("rootfs").toString(), "/usr/bin/node",
          "/peers/" + Peers.REFERENCE_CLIENT.getFileName()));
    } else {
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // Start-up flags only (a short-lived process on a shared 2-core machine); they change no behaviour.
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-XX:+UseSerialGC");
      command.add("-jar");
      command.add(Peers.cliJar().toString());
      command.add("listen");
    }
    command.addAll(listenOptions);
    return command;
  }

  Map<String, String> environment() {
    if (!runsReference()) {
      return Map.of();
    }
    // up copies the CA into the peers' root as /tls/ca.pem.
    String ca = hostNode().isPresent() ? Peers.CA.toString() : "/tls/ca.pem";
    return Map.of("NODE_EXTRA_CA_CERTS", ca, "NODE_NO_WARNINGS", "1");
  }

  /** {@code -Dconformance.node=PATH} (empty: use the peers' node), or the first {@code node} on the PATH. */
  private static Optional<Path> hostNode() {
    String configured = System.getProperty("conformance.node");
    if (configured != null) {
      return configured.isBlank() ? Optional.empty() : Optional.of(Path.of(configured));
    }
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "node"))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
