package io.pusheriso;

import io.pusheriso.spi.TransportFactory;
import io.pusheriso.spi.TransportKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses one factory per allowed transport kind: the factories named in the options win; else
 * those found by {@link ServiceLoader}. Discovered kinds may come from different factories (Netty's
 * {@code ws} with HttpClient's {@code xhr_streaming} and {@code xhr_polling}, say).
 *
 * <p>The system property {@value #PROPERTY} narrows discovery to a comma-separated list of factory
 * names, in order of preference: {@code -Dio.pusheriso.transport=netty,httpclient} uses Netty for
 * what it offers and HttpClient for the rest, and ignores any other factory on the class path.
 * Blanks around names are ignored. Factories given in the options are used as they are; the
 * property does not apply to them.
 *
 * <p>When several factories offer a kind, the first explicit one wins; among discovered ones, the
 * first in the property's list, else the first by name; the choice is logged with how to change
 * it.
 *
 * <p>Immutable once built; thread-safe.
 */
final class TransportSelection {

  /** System property: comma-separated names of the factories to use among those on the class path. */
  static final String PROPERTY = "io.pusheriso.transport";

  private static final Logger LOG = LoggerFactory.getLogger(TransportSelection.class);

  private final Map<TransportKind, TransportFactory> byKind;
  private final List<TransportFactory> owned;

  private TransportSelection(Map<TransportKind, TransportFactory> byKind, List<TransportFactory> owned) {
    this.byKind = byKind;
    this.owned = owned;
  }

  /**
   * Resolves the factories for {@code options}.
   *
   * @throws PusherException when no allowed kind has a factory, naming the artifacts to add
   */
  static TransportSelection resolve(PusherOptions options) {
    List<TransportFactory> candidates;
    boolean discovered = options.transportFactories().isEmpty();
    if (discovered) {
      List<String> wanted = parseNames(System.getProperty(PROPERTY));
      candidates = discover(wanted);
      Comparator<TransportFactory> byName = Comparator.comparing(TransportFactory::name);
      candidates.sort(
          wanted.isEmpty() ? byName : Comparator.comparingInt((TransportFactory f) -> wanted.indexOf(f.name())).thenComparing(byName));
    } else {
      candidates = options.transportFactories();
    }
    Map<TransportKind, TransportFactory> byKind = new EnumMap<>(TransportKind.class);
    for (TransportFactory factory : candidates) {
      for (TransportKind kind : factory.kinds()) {
        if (!options.isTransportAllowed(kind)) {
          continue;
        }
        TransportFactory chosen = byKind.putIfAbsent(kind, factory);
        if (chosen != null && chosen != factory && discovered) {
          LOG.info(
              "Both '{}' and '{}' offer {}; using '{}'. Choose with -D{}=<names, comma-separated, preferred first> or"
                  + " PusherOptions.builder(..).transportFactory(..)",
              chosen.name(), factory.name(), kind, chosen.name(), PROPERTY, kind);
        }
      }
    }
    List<TransportFactory> owned = new ArrayList<>();
    if (discovered) {
      for (TransportFactory factory : candidates) {
        if (byKind.containsValue(factory)) {
          owned.add(factory);
        } else {
          factory.close();
        }
      }
    }
    if (byKind.isEmpty()) {
      throw new PusherException(
          "No transport found for "
              + describeAllowed(options)
              + (discovered
                  ? " on the class path or module path"
                      + (System.getProperty(PROPERTY) != null
                          ? " with -D" + PROPERTY + "=" + System.getProperty(PROPERTY)
                          : "")
                  : " among the factories given in the options")
              + ". Add one of the artifacts io.pusheriso:transport-netty, io.pusheriso:transport-jetty"
              + " (WebSocket) or io.pusheriso:transport-httpclient-fallback (xhr_streaming,"
              + " xhr_polling), or pass a factory with PusherOptions.builder(..).transportFactory(..)");
    }
    return new TransportSelection(byKind, owned);
  }

  /** The names in the property's value, in order; empty when unset or blank (no narrowing). */
  static List<String> parseNames(String property) {
    List<String> names = new ArrayList<>();
    if (property != null) {
      for (String part : property.split(",")) {
        String name = part.strip();
        if (!name.isEmpty() && !names.contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
  }

  private static List<TransportFactory> discover(List<String> wanted) {
    List<TransportFactory> found = new ArrayList<>();
    ServiceLoader<TransportFactory> loader = ServiceLoader.load(TransportFactory.class);
    var it = loader.iterator();
    while (true) {
      TransportFactory factory;
      try {
        if (!it.hasNext()) {
          break;
        }
        factory = it.next();
      } catch (ServiceConfigurationError e) {
        LOG.warn("Skipping a transport provider that cannot be loaded", e);
        continue;
      }
      if (wanted.isEmpty() || wanted.contains(factory.name())) {
        found.add(factory);
      } else {
        factory.close();
      }
    }
    return found;
  }

  private static String describeAllowed(PusherOptions options) {
    List<String> names = new ArrayList<>();
    for (TransportKind kind : TransportKind.values()) {
      if (options.isTransportAllowed(kind)) {
        names.add(kind.wireName());
      }
    }
    return String.join(", ", names);
  }

  /** The factory for {@code kind}, or null when that kind is unavailable. */
  TransportFactory factory(TransportKind kind) {
    return byKind.get(kind);
  }

  /** Closes the factories found by ServiceLoader (never those the user passed in). */
  void closeOwned() {
    for (TransportFactory factory : owned) {
      try {
        factory.close();
      } catch (RuntimeException e) {
        LOG.warn("Closing transport factory '{}' failed", factory.name(), e);
      }
    }
  }
}
