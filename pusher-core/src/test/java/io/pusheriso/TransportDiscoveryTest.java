package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transports found with ServiceLoader (through the context class loader, as on the class path). */
class TransportDiscoveryTest {

  @TempDir Path dir;

  private URLClassLoader loaderWithProvider() throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve("io.pusheriso.spi.TransportFactory"), ServiceLoadedFactory.class.getName() + "\n");
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
  }

  private static <T> T withContextLoader(ClassLoader loader, java.util.function.Supplier<T> action) {
    Thread t = Thread.currentThread();
    ClassLoader previous = t.getContextClassLoader();
    t.setContextClassLoader(loader);
    try {
      return action.get();
    } finally {
      t.setContextClassLoader(previous);
    }
  }

  @Test
  void discoveredFactory_isUsed_andClosedWithTheClient() throws IOException {
    ServiceLoadedFactory.INSTANCES.clear();
    try (URLClassLoader loader = loaderWithProvider()) {
      Pusher pusher = withContextLoader(loader, () -> new Pusher(PusherOptions.builder("k").host("127.0.0.1")
          .callbackExecutor(Runnable::run).scheduler(new FakeScheduler()).build()));
      pusher.connect();
      assertThat(ServiceLoadedFactory.INSTANCES).singleElement().satisfies(f -> assertThat(f.closed).isFalse());
      pusher.close();
      assertThat(ServiceLoadedFactory.INSTANCES.get(0).closed).as("a factory the client found is its own to close").isTrue();
    }
  }

  @Test
  void systemProperty_narrowsTheChoice_andNamesItselfWhenNothingMatches() throws IOException {
    try (URLClassLoader loader = loaderWithProvider()) {
      System.setProperty(TransportSelection.PROPERTY, "netty");
      try {
        assertThatThrownBy(() -> withContextLoader(loader, () -> new Pusher(PusherOptions.builder("k").host("h").build())))
            .isInstanceOf(PusherException.class)
            .hasMessageContaining("-D" + TransportSelection.PROPERTY + "=netty");
      } finally {
        System.clearProperty(TransportSelection.PROPERTY);
      }
    }
  }
}
