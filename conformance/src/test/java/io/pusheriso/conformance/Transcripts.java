package io.pusheriso.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Normalisation and comparison of {@code listen} transcripts. Only what differs from run to run, or what
 * neither client controls, is normalised; everything else must be equal line for line. Stateless and
 * thread-safe.
 */
final class Transcripts {

  /**
   * A socket id as soketi makes them ({@code 1234567890.123456789}); also found inside the default user ids
   * of the auth server ({@code user-<socket id>}) and their names. Digits only on both sides, not touching a
   * word character or a dot, so event data such as {@code "v1.2.3"} is left alone.
   */
  private static final Pattern SOCKET_ID = Pattern.compile("(?<![\\w.])\\d{1,20}\\.\\d{1,20}(?![\\w.])");

  // Key order inside a JSON object carries no meaning; printing with sorted keys compares values, not layout.
  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Transcripts() {}

  /**
   * Returns the transcript in comparable form.
   *
   * @param lines the printed lines
   * @param runToken the token the harness put into this side's channel and user names; it becomes
   *     {@code <run>}, so both sides' names read the same
   */
  static List<String> normalise(List<String> lines, String runToken) {
    // Stable grouping by stream: connection lines, then each channel in name order, then the user's events.
    // Within a stream the order is kept and compared. Across streams it is not: which of two channels (or
    // the sign-in) completes first depends on the auth server's and soketi's response times, which neither
    // client controls, and the protocol promises no order between channels.
    Map<String, List<JsonNode>> streams = new TreeMap<>();
    List<String> notJson = new ArrayList<>();
    for (String line : lines) {
      Optional<JsonNode> parsed = ListenProcess.parse(line);
      if (parsed.isEmpty()) {
        notJson.add("NOT A JSON OBJECT: " + line);
        continue;
      }
      JsonNode record = replaceStrings(parsed.get(), text -> runToken.isEmpty() ? text : text.replace(runToken, "<run>"));
      streams.computeIfAbsent(streamOf(record), k -> new ArrayList<>()).add(record);
    }
    // Socket ids are numbered in that grouped order, so the numbering does not depend on timing either.
    Map<String, String> socketIds = new LinkedHashMap<>();
    List<String> result = new ArrayList<>(notJson);
    for (List<JsonNode> stream : streams.values()) {
      for (JsonNode record : stream) {
        JsonNode replaced = replaceStrings(record, text -> replaceSocketIds(text, socketIds));
        sortPresenceIds(replaced);
        result.add(canonical(replaced));
      }
    }
    return result;
  }

  /**
   * Keeps one of each run of identical consecutive error lines in a normalised transcript. Only for a server
   * restart: while soketi is closing it refuses every connection with 4200, which means "reconnect at once"
   * for both clients, so how many refusals fit into its grace period measures the speed of the retry loop,
   * not behaviour. Every distinct error line, and every other line, is still compared.
   */
  static List<String> collapseRepeatedErrors(List<String> normalised) {
    List<String> result = new ArrayList<>();
    for (String line : normalised) {
      boolean repeated = !result.isEmpty() && result.get(result.size() - 1).equals(line);
      if (!(repeated && line.contains("\"type\":\"error\""))) {
        result.add(line);
      }
    }
    return result;
  }

  private static String streamOf(JsonNode record) {
    if (!"event".equals(record.path("type").asText())) {
      return "0"; // state, connected and error lines: the connection's own stream
    }
    JsonNode channel = record.get("channel");
    return channel == null || channel.isNull() ? "2" : "1 " + channel.asText();
  }

  private static JsonNode replaceStrings(JsonNode node, UnaryOperator<String> replace) {
    if (node.isTextual()) {
      return TextNode.valueOf(replace.apply(node.asText()));
    }
    if (node.isObject()) {
      ObjectNode copy = ((ObjectNode) node).objectNode();
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        copy.set(replace.apply(field.getKey()), replaceStrings(field.getValue(), replace));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = ((ArrayNode) node).arrayNode();
      node.forEach(element -> copy.add(replaceStrings(element, replace)));
      return copy;
    }
    return node;
  }

  private static String replaceSocketIds(String text, Map<String, String> socketIds) {
    Matcher matcher = SOCKET_ID.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      // Numbered by first appearance, so "the same socket" stays recognisable across lines and sides.
      String placeholder = socketIds.computeIfAbsent(matcher.group(), id -> "<socket-" + (socketIds.size() + 1) + ">");
      matcher.appendReplacement(out, Matcher.quoteReplacement(placeholder));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /**
   * Both clients print the member ids of a presence subscription sorted; sorted by their real values, which
   * are random socket ids, so after the ids are replaced the order must be sorted again.
   */
  private static void sortPresenceIds(JsonNode record) {
    JsonNode ids = record.path("data").get("ids");
    if (ids instanceof ArrayNode && "pusher:subscription_succeeded".equals(record.path("event").asText())) {
      List<JsonNode> sorted = new ArrayList<>();
      ids.forEach(sorted::add);
      sorted.sort((a, b) -> a.toString().compareTo(b.toString()));
      ArrayNode array = (ArrayNode) ids;
      array.removeAll();
      sorted.forEach(array::add);
    }
  }

  private static String canonical(JsonNode record) {
    try {
      Object tree = CANONICAL.treeToValue(record, Object.class);
      return CANONICAL.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot re-print a parsed JSON line", e);
    }
  }

  /**
   * A line diff (longest common subsequence), or an empty string when the two are equal. Lines only in
   * {@code ours} start with {@code -}, lines only in {@code reference} with {@code +}.
   */
  static String diff(List<String> ours, List<String> reference) {
    if (ours.equals(reference)) {
      return "";
    }
    int n = ours.size();
    int m = reference.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] = ours.get(i).equals(reference.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && ours.get(i).equals(reference.get(j))) {
        out.append("    ").append(ours.get(i++)).append('\n');
        j++;
      } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
        out.append("  + ").append(reference.get(j++)).append('\n');
      } else {
        out.append("  - ").append(ours.get(i++)).append('\n');
      }
    }
    return out.toString();
  }
}
