package io.pusheriso;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J 2 binding of core's test JVM: prints INFO and above to standard error, like
 * slf4j-simple's defaults, and, while a {@link Capture} is open, prints nothing but enables every level down to TRACE
 * for every logger and records each event fully rendered (message with its arguments, every
 * argument's {@code toString()}, markers, key-value pairs, the throwable's whole stack trace with
 * causes), so that a test can search everything a real backend could have written.
 *
 * <p>Selected with the {@code slf4j.provider} system property (set in pusher-core's surefire
 * configuration) and also registered as a service for runs outside Maven. Thread-safe.
 */
// Public only because SLF4J instantiates it reflectively; the exported-package lint does not apply to tests.
@SuppressWarnings("exports")
public final class CapturingLogProvider implements SLF4JServiceProvider {

  private static final PrintStream OUT = System.err;
  private static volatile Capture active;

  private final ILoggerFactory loggerFactory = new Factory();
  private final IMarkerFactory markerFactory = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();

  /** Public, with no argument: SLF4J instantiates providers reflectively. */
  public CapturingLogProvider() {}

  /** One event as a backend would have seen it. */
  record Entry(String logger, Level level, String thread, String text) {}

  /** Records every event of every logger at every level until closed. Thread-safe. */
  static final class Capture implements AutoCloseable {
    private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final Level threshold;

    private Capture(Level threshold) {
      this.threshold = threshold;
    }

    List<Entry> entries() {
      return new ArrayList<>(entries);
    }

    @Override
    public void close() {
      synchronized (CapturingLogProvider.class) {
        if (active == this) {
          active = null;
        }
      }
    }
  }

  /**
   * Starts capturing. Fails when SLF4J is bound to another provider, which would make any check of
   * the captured text vacuous.
   */
  static Capture capture() {
    return capture(Level.TRACE);
  }

  /** Starts capturing the events at {@code threshold} and above (enabling those levels). */
  static Capture capture(Level threshold) {
    ILoggerFactory bound = org.slf4j.LoggerFactory.getILoggerFactory();
    if (!(bound instanceof Factory)) {
      throw new IllegalStateException(
          "SLF4J is bound to "
              + bound.getClass().getName()
              + ", not the capturing test provider: run with -Dslf4j.provider="
              + CapturingLogProvider.class.getName());
    }
    synchronized (CapturingLogProvider.class) {
      if (active != null) {
        throw new IllegalStateException("a capture is already open");
      }
      Capture c = new Capture(threshold);
      active = c;
      return c;
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markerFactory;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class Factory implements ILoggerFactory {
    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
      return loggers.computeIfAbsent(name, RecordingLogger::new);
    }
  }

  private static final class RecordingLogger extends AbstractLogger implements LoggingEventAware {
    private static final long serialVersionUID = 1L;

    RecordingLogger(String name) {
      this.name = name;
    }

    private static boolean enabled(Level level) {
      Capture c = active;
      return level.toInt() >= Level.INFO.toInt() || (c != null && level.toInt() >= c.threshold.toInt());
    }

    @Override
    public boolean isTraceEnabled() {
      return enabled(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
      return enabled(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
      return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return enabled(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
      return enabled(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
      record(level, marker == null ? List.of() : List.of(marker), messagePattern, arguments, List.of(), throwable);
    }

    @Override
    public void log(LoggingEvent event) {
      Object[] args = event.getArgumentArray();
      List<KeyValuePair> kvs = event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs();
      List<Marker> markers = event.getMarkers() == null ? List.of() : event.getMarkers();
      record(event.getLevel(), markers, event.getMessage(), args, kvs, event.getThrowable());
    }

    private void record(
        Level level, List<Marker> markers, String pattern, Object[] args, List<KeyValuePair> kvs, Throwable throwable) {
      if (!enabled(level)) {
        return;
      }
      String thread = Thread.currentThread().getName();
      Capture c = active;
      if (c != null && level.toInt() >= c.threshold.toInt()) {
        c.entries.add(new Entry(name, level, thread, render(markers, pattern, args, kvs, throwable)));
      }
      if (c == null && level.toInt() >= Level.INFO.toInt()) {
        // What slf4j-simple prints by default; a capture keeps what it records off the console.
        OUT.println("[" + thread + "] " + level + " " + name + " - " + MessageFormatter.basicArrayFormat(pattern, args));
        if (throwable != null) {
          throwable.printStackTrace(OUT);
        }
      }
    }

    private static String render(
        List<Marker> markers, String pattern, Object[] args, List<KeyValuePair> kvs, Throwable throwable) {
      StringBuilder out = new StringBuilder();
      for (Marker m : markers) {
        out.append('[').append(m).append("] ");
      }
      out.append(MessageFormatter.basicArrayFormat(pattern, args));
      if (args != null && args.length > 0) {
        // Every argument, even one no placeholder consumed: another backend may print it.
        out.append(" {args:");
        for (Object a : args) {
          out.append(' ').append(a);
        }
        out.append('}');
      }
      for (KeyValuePair kv : kvs) {
        out.append(' ').append(kv.key).append('=').append(kv.value);
      }
      if (throwable != null) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        out.append(System.lineSeparator()).append(trace);
      }
      return out.toString();
    }
  }
}
