package io.pusheriso;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bindings by event name plus global bindings, with pusher-js's unbind combinations. Global
 * listeners are called first, then those of the event's name, as pusher-js's dispatcher does. The
 * same listener may be bound twice and is then called twice; unbinding removes every occurrence.
 *
 * <p>Listeners are kept in copy-on-write arrays: binding is rare, emitting is the per-message path
 * and allocates nothing (one map lookup and two array walks).
 *
 * <p>Thread-safe: binding from any thread takes effect for the next event emitted; emitting
 * happens on the event lane. A listener that throws is logged and the others still run.
 */
final class ListenerRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(ListenerRegistry.class);
  private static final PusherEventListener[] NONE = new PusherEventListener[0];

  private final Map<String, PusherEventListener[]> byName = new ConcurrentHashMap<>();
  private volatile PusherEventListener[] global = NONE;

  PusherEventListener bind(String eventName, PusherEventListener listener) {
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(listener, "listener");
    byName.merge(eventName, new PusherEventListener[] {listener}, ListenerRegistry::concat);
    return listener;
  }

  void unbind(String eventName) {
    byName.remove(Objects.requireNonNull(eventName, "eventName"));
  }

  void unbind(String eventName, PusherEventListener listener) {
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(listener, "listener");
    byName.computeIfPresent(eventName, (k, list) -> without(list, listener));
  }

  void unbind(PusherEventListener listener) {
    Objects.requireNonNull(listener, "listener");
    for (String name : byName.keySet()) {
      byName.computeIfPresent(name, (k, list) -> without(list, listener));
    }
  }

  PusherEventListener bindGlobal(PusherEventListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (this) {
      global = concat(global, new PusherEventListener[] {listener});
    }
    return listener;
  }

  void unbindGlobal(PusherEventListener listener) {
    Objects.requireNonNull(listener, "listener");
    synchronized (this) {
      PusherEventListener[] rest = without(global, listener);
      global = rest == null ? NONE : rest;
    }
  }

  void unbindGlobal() {
    global = NONE;
  }

  void unbindAll() {
    byName.clear();
    global = NONE;
  }

  void emit(PusherEvent event) {
    PusherEventListener[] all = global;
    for (int i = 0; i < all.length; i++) {
      call(all[i], event);
    }
    PusherEventListener[] named = byName.get(event.eventName());
    if (named != null) {
      for (int i = 0; i < named.length; i++) {
        call(named[i], event);
      }
    }
  }

  private static PusherEventListener[] concat(PusherEventListener[] a, PusherEventListener[] b) {
    PusherEventListener[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The array without {@code listener}; null (which removes a map entry) when nothing is left. */
  private static PusherEventListener[] without(PusherEventListener[] list, PusherEventListener listener) {
    int kept = 0;
    PusherEventListener[] out = new PusherEventListener[list.length];
    for (PusherEventListener l : list) {
      if (l != listener) {
        out[kept++] = l;
      }
    }
    return kept == 0 ? null : Arrays.copyOf(out, kept);
  }

  private static void call(PusherEventListener listener, PusherEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException | AssertionError e) {
      LOG.warn("Listener {} threw on {}; other listeners still get it", listener, event, e);
    }
  }
}
