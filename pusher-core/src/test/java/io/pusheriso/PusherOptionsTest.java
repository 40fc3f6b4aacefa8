package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.TransportKind;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PusherOptionsTest {

  @Test
  void defaults_matchPusherJs() {
    PusherOptions o = PusherOptions.builder("key").cluster("eu").build();
    assertThat(o.activityTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(o.pongTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.unavailableTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.connectTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(o.tlsEnabled()).isTrue();
    assertThat(o.wsHost()).isEqualTo("ws-eu.pusher.com");
    assertThat(o.httpHost()).isEqualTo("sockjs-eu.pusher.com");
    assertThat(o.wsPort()).isEqualTo(80);
    assertThat(o.wssPort()).isEqualTo(443);
    assertThat(o.httpPort()).isEqualTo(80);
    assertThat(o.httpsPort()).isEqualTo(443);
    assertThat(o.httpPath()).isEqualTo("/pusher");
    assertThat(o.wsPath()).isEmpty();
    assertThat(o.maxFrameBytes()).isEqualTo(1_048_576);
    assertThat(o.enabledTransports()).isEmpty();
    for (TransportKind k : TransportKind.values()) {
      assertThat(o.isTransportAllowed(k)).isTrue();
    }
  }

  @Test
  void customHost_isAlsoTheFallbackHost_unlessHttpHostIsSet() {
    PusherOptions o = PusherOptions.builder("key").host("push.example.com").build();
    assertThat(o.wsHost()).isEqualTo("push.example.com");
    assertThat(o.httpHost()).isEqualTo("push.example.com");
    assertThat(o.toBuilder().httpHost("sockjs.example.com").build().httpHost()).isEqualTo("sockjs.example.com");
  }

  @Test
  void toBuilder_copiesEverything() {
    PusherOptions o = PusherOptions.builder("key").cluster("mt1").tls(false).wsPort(6001)
        .activityTimeout(Duration.ofSeconds(5)).disabledTransports(TransportKind.XHR_POLLING).build();
    PusherOptions copy = o.toBuilder().build();
    assertThat(copy.toString()).isEqualTo(o.toString());
    assertThat(copy.disabledTransports()).containsExactly(TransportKind.XHR_POLLING);
  }

  @Test
  void enabledAndDisabled_disabledWins() {
    PusherOptions o = PusherOptions.builder("key").cluster("mt1")
        .enabledTransports(TransportKind.WEBSOCKET, TransportKind.XHR_STREAMING)
        .disabledTransports(TransportKind.XHR_STREAMING).build();
    assertThat(o.isTransportAllowed(TransportKind.WEBSOCKET)).isTrue();
    assertThat(o.isTransportAllowed(TransportKind.XHR_STREAMING)).isFalse();
    assertThat(o.isTransportAllowed(TransportKind.XHR_POLLING)).isFalse();
  }

  @Test
  void build_refusesBadCombinations_withFixItMessages() {
    assertThatThrownBy(() -> PusherOptions.builder("key").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cluster").hasMessageContaining("host");
    assertThatThrownBy(() -> PusherOptions.builder(" ").cluster("eu").build()).hasMessageContaining("appKey");
    assertThatThrownBy(() -> PusherOptions.builder("key").host("wss://x.com").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bare host name");
    assertThatThrownBy(() -> PusherOptions.builder("key").host("x.com:6001").build()).hasMessageContaining("wsPort");
    assertThatThrownBy(() -> PusherOptions.builder("key").cluster("eu").wsPort(0).build()).hasMessageContaining("1..65535");
    assertThatThrownBy(() -> PusherOptions.builder("key").cluster("eu").wsPath("ws/").build()).hasMessageContaining("wsPath");
    assertThatThrownBy(() -> PusherOptions.builder("key").cluster("eu").pongTimeout(Duration.ZERO).build())
        .hasMessageContaining("pongTimeout must be positive");
    assertThatThrownBy(() -> PusherOptions.builder("key").cluster("eu").maxFrameBytes(10).build()).hasMessageContaining("maxFrameBytes");
    assertThatThrownBy(() -> PusherOptions.builder("key").cluster("eu").disabledTransports(TransportKind.values()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Every transport is disabled");
    assertThatThrownBy(() -> PusherOptions.builder("key").cluster("eu").enabledTransports(TransportKind.XHR_POLLING)
        .disabledTransports(TransportKind.XHR_POLLING).build()).hasMessageContaining("disabled");
    assertThatThrownBy(() -> PusherOptions.builder(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toString_showsNoSecrets() {
    PusherOptions o = PusherOptions.builder("key").cluster("eu")
        .channelAuthorizer(req -> CompletableFuture.completedFuture(ChannelAuthorization.of("key:secret-signature")))
        .build();
    assertThat(o.toString()).contains("appKey=key").doesNotContain("secret-signature");
  }
}
