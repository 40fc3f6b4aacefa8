package io.pusheriso.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the Maven project version, written into {@code version.properties} at build
 * time.
 *
 * <p>Stateless and thread-safe.
 */
final class VersionProvider implements IVersionProvider {

  /** The project version, or {@code unknown} when the build did not record it. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version", "unknown");
  }

  @Override
  public String[] getVersion() {
    return new String[] {"pusher-cli " + version()};
  }
}
