package io.pusheriso;

import io.pusheriso.protocol.ChannelKind;
import io.pusheriso.protocol.ClientEvents;
import io.pusheriso.protocol.FrameCodec;
import io.pusheriso.protocol.ProtocolException;
import java.util.Objects;

/**
 * A {@code private-} channel; the base of presence channels. Thread-safe like {@link ChannelImpl}.
 */
class PrivateChannelImpl extends ChannelImpl implements PrivateChannel {

  PrivateChannelImpl(ClientCore core, String name, ChannelKind kind) {
    super(core, name, kind);
  }

  @Override
  public final void trigger(String eventName, String jsonData) {
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(jsonData, "jsonData");
    ClientEvents.validate(name, eventName, jsonData);
    String frame;
    try {
      frame = FrameCodec.clientEvent(name, eventName, jsonData);
    } catch (ProtocolException e) {
      throw new IllegalArgumentException(
          "jsonData of client event '" + eventName + "' must be one well-formed JSON value: " + e.getMessage(), e);
    }
    String socketId = core.socketId();
    if (socketId == null || !canTrigger()) {
      throw new IllegalStateException(
          "Cannot trigger '"
              + eventName
              + "' on '"
              + name
              + "': the subscription has not succeeded on the current connection; wait for"
              + " channel.subscription() or pusher:subscription_succeeded");
    }
    core.sendClientEvent(this, socketId, frame, "Client event '" + eventName + "' on '" + name + "'");
  }
}
