/**
 * The Pusher connection state machine: the behaviour of pusher-js 8.6's
 * {@code ConnectionManager}, {@code Connection}, {@code Handshake} and the close-code policy of
 * {@code Protocol}, as a pure function of inputs and time.
 *
 * <p>{@link io.pusheriso.protocol.state.ConnectionStateMachine} owns no thread, socket, clock or
 * timer. Its owner reports what happened (connect requested, transport open, frame received,
 * transport closed, timer fired) with the current time, and the machine answers synchronously
 * through {@link io.pusheriso.protocol.state.ConnectionEffects} (open or close a transport, send
 * a frame, arm or cancel a {@link io.pusheriso.protocol.state.ConnectionTimer}, report a state
 * change, an error or a message). This keeps the policy testable in microseconds with a fake
 * time, and lets every runtime stack share it.
 *
 * <p>The machine is not thread-safe: the owner calls it from one serial lane.
 */
package io.pusheriso.protocol.state;
