package io.pusheriso;

import io.pusheriso.protocol.state.ConnectionState;
import java.util.Objects;

/**
 * A change of the connection state, as pusher-js's {@code state_change} event.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param previous the state before the change
 * @param current the state after it
 */
public record ConnectionStateChange(ConnectionState previous, ConnectionState current) {

  /** Checks the arguments. */
  public ConnectionStateChange {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(current, "current");
  }
}
