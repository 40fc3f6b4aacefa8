package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pusheriso.spi.TransportKind;
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

  /** A class loader whose ServiceLoader finds three factories: ws, the HTTP kinds, and all kinds. */
  private URLClassLoader loaderWithThreeProviders() throws IOException {
    Path services = dir.resolve("three/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve("io.pusheriso.spi.TransportFactory"),
        ServiceLoadedFactory.class.getName() + "\n"
            + ServiceLoadedHttpFactory.class.getName() + "\n"
            + ServiceLoadedAllFactory.class.getName() + "\n");
    return new URLClassLoader(new URL[] {dir.resolve("three").toUri().toURL()}, getClass().getClassLoader());
  }

  private static TransportSelection resolveWith(ClassLoader loader, String property) {
    System.setProperty(TransportSelection.PROPERTY, property);
    try {
      return withContextLoader(loader, () -> TransportSelection.resolve(PusherOptions.builder("k").host("h").build()));
    } finally {
      System.clearProperty(TransportSelection.PROPERTY);
    }
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

  @Test
  void systemProperty_listsSeveralFactories_eachKindFromTheFirstThatOffersIt() throws IOException {
    ServiceLoadedFactory.INSTANCES.clear();
    ServiceLoadedHttpFactory.INSTANCES.clear();
    ServiceLoadedAllFactory.INSTANCES.clear();
    try (URLClassLoader loader = loaderWithThreeProviders()) {
      TransportSelection sel = resolveWith(loader, "service-loaded,service-loaded-http");
      assertThat(sel.factory(TransportKind.WEBSOCKET).name()).isEqualTo("service-loaded");
      assertThat(sel.factory(TransportKind.XHR_STREAMING).name()).isEqualTo("service-loaded-http");
      assertThat(sel.factory(TransportKind.XHR_POLLING).name()).isEqualTo("service-loaded-http");
      assertThat(ServiceLoadedAllFactory.INSTANCES).as("a factory not listed is closed at once")
          .allSatisfy(f -> assertThat(f.closed).isTrue());
      sel.closeOwned();
      assertThat(ServiceLoadedHttpFactory.INSTANCES).allSatisfy(f -> assertThat(f.closed).isTrue());

      TransportSelection preferred = resolveWith(loader, " service-loaded-http , aaa-all ");
      assertThat(preferred.factory(TransportKind.XHR_STREAMING).name()).as("listed first, preferred").isEqualTo("service-loaded-http");
      assertThat(preferred.factory(TransportKind.WEBSOCKET).name()).isEqualTo("aaa-all");
      preferred.closeOwned();

      TransportSelection unnarrowed = resolveWith(loader, " , ");
      assertThat(unnarrowed.factory(TransportKind.WEBSOCKET).name()).as("blank: no narrowing, first by name").isEqualTo("aaa-all");
      unnarrowed.closeOwned();
    }
  }

  @Test
  void systemProperty_doesNotApplyToFactoriesGivenInTheOptions() throws IOException {
    try (URLClassLoader loader = loaderWithThreeProviders()) {
      System.setProperty(TransportSelection.PROPERTY, "service-loaded");
      try {
        FakeTransportFactory given = new FakeTransportFactory("given", TransportKind.XHR_POLLING);
        TransportSelection sel = withContextLoader(loader, () -> TransportSelection.resolve(
            PusherOptions.builder("k").host("h").transportFactory(given).build()));
        assertThat(sel.factory(TransportKind.XHR_POLLING)).isSameAs(given);
        assertThat(sel.factory(TransportKind.WEBSOCKET)).isNull();
      } finally {
        System.clearProperty(TransportSelection.PROPERTY);
      }
    }
  }

  @Test
  void parseNames_splitsOnCommasAndTrims() {
    assertThat(TransportSelection.parseNames(null)).isEmpty();
    assertThat(TransportSelection.parseNames("netty")).containsExactly("netty");
    assertThat(TransportSelection.parseNames(" netty, httpclient ,,netty")).containsExactly("netty", "httpclient");
  }
}
