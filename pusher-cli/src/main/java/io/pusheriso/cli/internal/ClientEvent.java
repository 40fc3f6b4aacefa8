package io.pusheriso.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A {@code --client-event CHANNEL:EVENT:JSON}: sent on {@code channel} each time its subscription
 * succeeds.
 *
 * <p>Immutable and thread-safe.
 *
 * @param channel the channel name
 * @param event the event name, starting with {@code client-}
 * @param data the JSON value to send
 */
record ClientEvent(String channel, String event, JsonNode data) {

  ClientEvent {
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(data, "data");
  }

  /**
   * Reads {@code CHANNEL:EVENT:JSON} as the reference client does (the JSON is everything after the
   * second colon, colons included).
   *
   * @throws IllegalArgumentException with a one-line message when it is not of that form
   */
  static ClientEvent parse(String spec) {
    int first = spec.indexOf(':');
    int second = first < 0 ? -1 : spec.indexOf(':', first + 1);
    if (first <= 0 || second < 0 || second == first + 1) {
      throw new IllegalArgumentException(
          "malformed --client-event '" + spec + "': expected CHANNEL:EVENT:JSON, for example private-chat:client-typing:{\"who\":\"me\"}");
    }
    String channel = spec.substring(0, first);
    String event = spec.substring(first + 1, second);
    String json = spec.substring(second + 1);
    if (!event.startsWith("client-")) {
      throw new IllegalArgumentException(
          "malformed --client-event '" + spec + "': the event name '" + event + "' must start with client-");
    }
    JsonNode data =
        JsJson.parse(json)
            .orElseThrow(
                () -> new IllegalArgumentException(
                    "malformed --client-event '" + spec + "': '" + json + "' is not a JSON value"));
    return new ClientEvent(channel, event, data);
  }
}
