package io.pusheriso.cli.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Objects;

/**
 * The JSON-lines transcript of {@code listen}, one record per line with the fields in the order the
 * reference client's {@code JSON.stringify} writes them.
 *
 * <p>Thread-safe: lines are written whole, one at a time, and flushed at once.
 */
final class Transcript {

  private final PrintWriter out;

  Transcript(PrintWriter out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /** {@code {"type":"state","previous":..,"current":..}}. */
  void state(String previous, String current) {
    ObjectNode r = JsJson.object();
    r.put("type", "state");
    r.put("previous", previous);
    r.put("current", current);
    write(r);
  }

  /** {@code {"type":"connected","socket_id":..}}. */
  void connected(String socketId) {
    ObjectNode r = JsJson.object();
    r.put("type", "connected");
    r.put("socket_id", socketId);
    write(r);
  }

  /** {@code {"type":"error","error":..}}. */
  void error(JsonNode error) {
    ObjectNode r = JsJson.object();
    r.put("type", "error");
    r.set("error", error);
    write(r);
  }

  /**
   * {@code {"type":"event","channel":..,"event":..,"data":..[,"user":true]}}; {@code data} is left
   * out when null, {@code channel} is JSON null when null.
   */
  void event(String channel, String event, JsonNode data, boolean user) {
    ObjectNode r = JsJson.object();
    r.put("type", "event");
    r.put("channel", channel);
    r.put("event", event);
    if (data != null) {
      r.set("data", data);
    }
    if (user) {
      r.put("user", true);
    }
    write(r);
  }

  private void write(ObjectNode record) {
    String line = JsJson.stringify(record);
    synchronized (this) {
      out.print(line);
      out.print('\n');
      out.flush();
    }
  }
}
