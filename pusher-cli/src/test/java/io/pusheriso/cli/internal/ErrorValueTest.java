package io.pusheriso.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.PusherConnectionException;
import io.pusheriso.PusherProtocolException;
import org.junit.jupiter.api.Test;

/** How close codes print, as pusher-js's connection error event carries them. */
class ErrorValueTest {

  @Test
  void abnormalClose_overWebSocket_hasNoReason_likeNodeWs() {
    PusherConnectionException e = new PusherConnectionException(1006, "Connection reset by peer");
    assertThat(ListenSession.errorValue(e, false, false).toString()).isEqualTo("{\"code\":1006}");
  }

  @Test
  void abnormalClose_overHttpOnly_keepsTheServersReason() {
    PusherConnectionException e = new PusherConnectionException(1006, "upstream error");
    assertThat(ListenSession.errorValue(e, false, true).toString())
        .isEqualTo("{\"code\":1006,\"message\":\"upstream error\"}");
  }

  @Test
  void otherCodes_keepTheirReason_andAreWrappedDuringTheHandshake() {
    PusherConnectionException e = new PusherConnectionException(4200, "Please reconnect");
    assertThat(ListenSession.errorValue(e, true, false).toString())
        .isEqualTo("{\"type\":\"PusherError\",\"data\":{\"code\":4200,\"message\":\"Please reconnect\"}}");
  }

  @Test
  void undecodableFrame_printsTheRawText_asPusherJsMessageParseErrorCarriesIt() {
    PusherProtocolException e = new PusherProtocolException("Undecodable frame", "not json", null);
    assertThat(ListenSession.errorValue(e, false, false).toString()).isEqualTo("\"not json\"");
  }
}
