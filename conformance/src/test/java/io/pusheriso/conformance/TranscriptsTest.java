package io.pusheriso.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The normalisation must hide only run-to-run noise, and the diff must show every real difference. */
class TranscriptsTest {

  @Test
  void socketIdsAndRunTokensBecomePlaceholdersNumberedByFirstAppearance() {
    List<String> lines = List.of(
        "{\"type\":\"connected\",\"socket_id\":\"123.456\"}",
        "{\"type\":\"event\",\"channel\":\"presence-x-tok-o\",\"event\":\"pusher:subscription_succeeded\","
            + "\"data\":{\"count\":2,\"me\":\"user-123.456\",\"ids\":[\"user-999.1\",\"user-123.456\"]}}",
        "{\"type\":\"event\",\"channel\":\"presence-x-tok-o\",\"event\":\"pusher:member_removed\","
            + "\"data\":{\"id\":\"user-999.1\",\"info\":{\"name\":\"User 999.1\"}}}");

    assertThat(Transcripts.normalise(lines, "tok-o")).containsExactly(
        "{\"socket_id\":\"<socket-1>\",\"type\":\"connected\"}",
        "{\"channel\":\"presence-x-<run>\",\"data\":{\"count\":2,\"ids\":[\"user-<socket-1>\",\"user-<socket-2>\"],"
            + "\"me\":\"user-<socket-1>\"},\"event\":\"pusher:subscription_succeeded\",\"type\":\"event\"}",
        "{\"channel\":\"presence-x-<run>\",\"data\":{\"id\":\"user-<socket-2>\",\"info\":{\"name\":\"User <socket-2>\"}},"
            + "\"event\":\"pusher:member_removed\",\"type\":\"event\"}");
  }

  @Test
  void dataThatOnlyLooksNumericIsKept() {
    List<String> lines = List.of("{\"type\":\"event\",\"channel\":\"c\",\"event\":\"e\",\"data\":{\"v\":\"v1.2.3\",\"n\":1.5}}");

    assertThat(Transcripts.normalise(lines, "tok"))
        .containsExactly("{\"channel\":\"c\",\"data\":{\"n\":1.5,\"v\":\"v1.2.3\"},\"event\":\"e\",\"type\":\"event\"}");
  }

  @Test
  void orderAcrossChannelsIsNotComparedButOrderWithinAChannelIs() {
    List<String> a = List.of(
        "{\"type\":\"event\",\"channel\":\"b\",\"event\":\"1\"}",
        "{\"type\":\"event\",\"channel\":\"a\",\"event\":\"1\"}",
        "{\"type\":\"event\",\"channel\":\"a\",\"event\":\"2\"}");
    List<String> crossChannelSwap = List.of(a.get(1), a.get(0), a.get(2));
    List<String> inChannelSwap = List.of(a.get(0), a.get(2), a.get(1));

    assertThat(Transcripts.normalise(crossChannelSwap, "")).isEqualTo(Transcripts.normalise(a, ""));
    assertThat(Transcripts.normalise(inChannelSwap, "")).isNotEqualTo(Transcripts.normalise(a, ""));
  }

  @Test
  void missingDataAndNullChannelAreDifferencesNotNoise() {
    String withData = "{\"type\":\"event\",\"channel\":null,\"event\":\"pusher:signin_success\",\"data\":{}}";
    String withoutData = "{\"type\":\"event\",\"channel\":null,\"event\":\"pusher:signin_success\"}";
    String absentChannel = "{\"type\":\"event\",\"event\":\"pusher:signin_success\"}";

    assertThat(Transcripts.normalise(List.of(withData), "")).isNotEqualTo(Transcripts.normalise(List.of(withoutData), ""));
    assertThat(Transcripts.normalise(List.of(absentChannel), ""))
        .isNotEqualTo(Transcripts.normalise(List.of(withoutData), ""));
  }

  @Test
  void aLineThatIsNotJsonIsKeptAndShown() {
    assertThat(Transcripts.normalise(List.of("Exception in thread main"), ""))
        .containsExactly("NOT A JSON OBJECT: Exception in thread main");
  }

  @Test
  void diffMarksLinesOnlyInOneTranscript() {
    List<String> ours = List.of("a", "b", "c");
    List<String> reference = List.of("a", "x", "c", "d");

    assertThat(Transcripts.diff(ours, ours)).isEmpty();
    assertThat(Transcripts.diff(ours, reference)).isEqualTo("    a\n  + x\n  - b\n    c\n  + d\n");
  }

  @Test
  void onlyRepeatedErrorLinesAreCollapsed() {
    String error = "{\"error\":{\"code\":4200},\"type\":\"error\"}";
    String state = "{\"current\":\"connecting\",\"previous\":\"connected\",\"type\":\"state\"}";

    assertThat(Transcripts.collapseRepeatedErrors(List.of(state, state, error, error, error, state, error)))
        .containsExactly(state, state, error, state, error);
  }
}
