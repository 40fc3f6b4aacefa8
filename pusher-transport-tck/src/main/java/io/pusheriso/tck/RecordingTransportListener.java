package io.pusheriso.tck;

import static org.awaitility.Awaitility.await;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportListener;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A {@link TransportListener} that records every callback and checks the listener contract while
 * the callbacks happen: calls never overlap, {@code onOpen} at most once and before any message,
 * exactly one terminal call ({@code onClose} or {@code onError}) and nothing after it, the same
 * {@link Transport} in every call, and messages that are valid UTF-8.
 *
 * <p>Breaches are collected, not thrown (a throw would land on the transport's I/O thread); {@link
 * #assertContractKept()} fails the test with all of them. Instances are thread-safe: the transport
 * calls in from its threads while the test reads from its own.
 */
public final class RecordingTransportListener implements TransportListener {

  /** What kind of callback an {@link Event} records. */
  public enum Kind {
    /** {@link TransportListener#onOpen}. */
    OPEN,
    /** Either {@code onMessage} overload. */
    MESSAGE,
    /** {@link TransportListener#onActivity}. */
    ACTIVITY,
    /** {@link TransportListener#onClose}: terminal. */
    CLOSE,
    /** {@link TransportListener#onError}: terminal. */
    ERROR;

    /** True for {@link #CLOSE} and {@link #ERROR}. */
    public boolean terminal() {
      return this == CLOSE || this == ERROR;
    }
  }

  /**
   * One recorded callback.
   *
   * @param kind which callback
   * @param text the message text for {@link Kind#MESSAGE}, else null
   * @param code the close code for {@link Kind#CLOSE}, else 0
   * @param reason the close reason for {@link Kind#CLOSE}, else null
   * @param error the error for {@link Kind#ERROR}, else null
   * @param threadName the thread the callback ran on
   */
  public record Event(
      Kind kind, String text, int code, String reason, Throwable error, String threadName) {

    /**
     * The close reason, the error's messages (its cause chain included) and the error class names,
     * in one string: what a user would read to understand why the connection ended.
     */
    public String describe() {
      StringBuilder sb = new StringBuilder(kind.name());
      if (kind == Kind.CLOSE) {
        sb.append(' ').append(code).append(' ').append(reason);
      }
      for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
        sb.append(" | ").append(t.getClass().getName()).append(": ").append(t.getMessage());
      }
      return sb.toString();
    }

    @Override
    public String toString() {
      return kind == Kind.MESSAGE
          ? "MESSAGE(" + (text.length() > 200 ? text.substring(0, 200) + "..." : text) + ")"
          : describe();
    }
  }

  private static final Duration POLL = Duration.ofMillis(10);

  private final List<Event> events = new ArrayList<>();
  private final List<String> violations = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private Transport seen;

  private final Runnable duringCall;

  /** Creates an empty recorder. */
  public RecordingTransportListener() {
    this(() -> {});
  }

  /** For the recorder's own tests: runs {@code duringCall} inside every callback. */
  RecordingTransportListener(Runnable duringCall) {
    this.duringCall = duringCall;
  }

  @Override
  public void onOpen(Transport transport) {
    enter(transport);
    try {
      synchronized (this) {
        if (count(Kind.OPEN) > 0) {
          violations.add("onOpen called more than once");
        }
        if (count(Kind.MESSAGE) > 0) {
          violations.add("onOpen called after a message");
        }
        record(new Event(Kind.OPEN, null, 0, null, null, Thread.currentThread().getName()));
      }
    } finally {
      exit();
    }
  }

  @Override
  public void onMessage(Transport transport, ByteBuffer utf8) {
    enter(transport);
    try {
      String text;
      try {
        CharBuffer chars =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(utf8.duplicate());
        text = chars.toString();
      } catch (CharacterCodingException e) {
        synchronized (this) {
          violations.add("onMessage(ByteBuffer) got bytes that are not UTF-8: " + e);
        }
        text = StandardCharsets.UTF_8.decode(utf8.duplicate()).toString();
      }
      message(text);
    } finally {
      exit();
    }
  }

  @Override
  public void onMessage(Transport transport, String text) {
    enter(transport);
    try {
      message(text);
    } finally {
      exit();
    }
  }

  @Override
  public void onActivity(Transport transport) {
    enter(transport);
    try {
      synchronized (this) {
        record(new Event(Kind.ACTIVITY, null, 0, null, null, Thread.currentThread().getName()));
      }
    } finally {
      exit();
    }
  }

  @Override
  public void onClose(Transport transport, int code, String reason) {
    enter(transport);
    try {
      synchronized (this) {
        record(new Event(Kind.CLOSE, null, code, reason, null, Thread.currentThread().getName()));
      }
    } finally {
      exit();
    }
  }

  @Override
  public void onError(Transport transport, Throwable error) {
    enter(transport);
    try {
      synchronized (this) {
        if (error == null) {
          violations.add("onError called with a null error");
        }
        record(new Event(Kind.ERROR, null, 0, null, error, Thread.currentThread().getName()));
      }
    } finally {
      exit();
    }
  }

  private void message(String text) {
    synchronized (this) {
      if (count(Kind.OPEN) == 0) {
        violations.add("onMessage before onOpen");
      }
      record(new Event(Kind.MESSAGE, text, 0, null, null, Thread.currentThread().getName()));
    }
  }

  private void enter(Transport transport) {
    int depth = inFlight.incrementAndGet();
    duringCall.run();
    synchronized (this) {
      if (depth > 1) {
        violations.add(
            "callbacks overlap (concurrent or reentrant call) on " + Thread.currentThread());
      }
      if (transport == null) {
        violations.add("callback with a null transport");
      } else if (seen == null) {
        seen = transport;
      } else if (seen != transport) {
        violations.add("callbacks name different transports: " + seen + " and " + transport);
      }
    }
  }

  private void exit() {
    inFlight.decrementAndGet();
  }

  // Called with the monitor held.
  private void record(Event event) {
    if (terminalCountLocked() > 0) {
      violations.add("callback after the terminal one: " + event);
    }
    events.add(event);
  }

  private int count(Kind kind) {
    int n = 0;
    for (Event e : events) {
      if (e.kind() == kind) {
        n++;
      }
    }
    return n;
  }

  private int terminalCountLocked() {
    return count(Kind.CLOSE) + count(Kind.ERROR);
  }

  /** A copy of every callback so far, in order. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** The texts of the messages so far, in order. */
  public synchronized List<String> messages() {
    List<String> out = new ArrayList<>();
    for (Event e : events) {
      if (e.kind() == Kind.MESSAGE) {
        out.add(e.text());
      }
    }
    return out;
  }

  /** The messages so far that satisfy {@code filter}, in order. */
  public List<String> messages(Predicate<String> filter) {
    List<String> out = new ArrayList<>();
    for (String m : messages()) {
      if (filter.test(m)) {
        out.add(m);
      }
    }
    return out;
  }

  /** How many {@code onOpen} calls so far. */
  public synchronized int openCount() {
    return count(Kind.OPEN);
  }

  /** How many {@code onActivity} calls so far. */
  public synchronized int activityCount() {
    return count(Kind.ACTIVITY);
  }

  /** How many terminal calls so far (a correct transport: 0 or 1). */
  public synchronized int terminalCount() {
    return terminalCountLocked();
  }

  /** The terminal callback, or null while there is none. */
  public synchronized Event terminal() {
    for (Event e : events) {
      if (e.kind().terminal()) {
        return e;
      }
    }
    return null;
  }

  /** The contract breaches seen so far. */
  public synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  /** The transport named in the callbacks, or null before the first one. */
  public synchronized Transport transport() {
    return seen;
  }

  /** Waits up to {@code timeout} for {@code onOpen}; fails if a terminal call comes instead. */
  public void awaitOpen(Duration timeout) {
    await("onOpen")
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .atMost(timeout)
        .until(
            () -> {
              Event t = terminal();
              if (t != null && openCount() == 0) {
                throw new AssertionError(
                    "expected onOpen but the transport ended: " + t.describe());
              }
              return openCount() > 0;
            });
  }

  /** Waits up to {@code timeout} for the terminal callback and returns it. */
  public Event awaitTerminal(Duration timeout) {
    await("terminal callback (onClose or onError)")
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .atMost(timeout)
        .until(() -> terminal() != null);
    return terminal();
  }

  /** Waits up to {@code timeout} for a message that satisfies {@code filter} and returns it. */
  public String awaitMessage(Predicate<String> filter, Duration timeout) {
    Objects.requireNonNull(filter, "filter");
    await("a matching message")
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .atMost(timeout)
        .until(
            () -> {
              if (!messages(filter).isEmpty()) {
                return true;
              }
              Event t = terminal();
              if (t != null) {
                throw new AssertionError(
                    "transport ended before the expected message: " + t.describe());
              }
              return false;
            });
    return messages(filter).get(0);
  }

  /** Fails with every contract breach seen, if there was any. */
  public void assertContractKept() {
    List<String> v = violations();
    if (!v.isEmpty()) {
      throw new AssertionError("listener contract broken: " + v + "; events: " + events());
    }
  }

  @Override
  public synchronized String toString() {
    return "RecordingTransportListener" + events;
  }
}
