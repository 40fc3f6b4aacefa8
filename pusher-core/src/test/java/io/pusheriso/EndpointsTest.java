package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.spi.TransportKind;
import org.junit.jupiter.api.Test;

class EndpointsTest {

  @Test
  void clientVersion_isTheFilteredProjectVersion() {
    assertThat(Endpoints.clientVersion()).isNotBlank().doesNotContain("${");
  }

  @Test
  void uris_followPusherJsSchemes() {
    PusherOptions o = PusherOptions.builder("app-key").cluster("eu").wsPath("/ws").httpPath("/sockjs").build();
    assertThat(Endpoints.uri(o, TransportKind.WEBSOCKET, true, "1.0").toString())
        .isEqualTo("wss://ws-eu.pusher.com:443/ws/app/app-key?protocol=7&client=java&version=1.0&flash=false");
    assertThat(Endpoints.uri(o, TransportKind.WEBSOCKET, false, "1.0").toString())
        .isEqualTo("ws://ws-eu.pusher.com:80/ws/app/app-key?protocol=7&client=java&version=1.0&flash=false");
    assertThat(Endpoints.uri(o, TransportKind.XHR_POLLING, true, "1.0").toString())
        .isEqualTo("https://sockjs-eu.pusher.com:443/sockjs/app/app-key?protocol=7&client=java&version=1.0");
    assertThat(Endpoints.uri(o, TransportKind.XHR_STREAMING, false, "1.0").toString())
        .isEqualTo("http://sockjs-eu.pusher.com:80/sockjs/app/app-key?protocol=7&client=java&version=1.0");
  }
}
