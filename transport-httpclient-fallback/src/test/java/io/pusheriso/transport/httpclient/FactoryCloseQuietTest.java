package io.pusheriso.transport.httpclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.spi.TransportListener;
import io.pusheriso.spi.TransportRequest;
import io.pusheriso.tck.IoThreadWatch;
import io.pusheriso.tck.RecordingTransportListener;
import io.pusheriso.testkit.PusherTestServer;
import io.pusheriso.testkit.PusherTestServerExtension;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Closing a factory with live transports (open, mid-send, still connecting) is quiet: HttpClient's
 * I/O reactor must not report a closed selector or a concurrent modification, at ERROR (its
 * default callback, logger {@code org.apache.hc.client5.http.impl.async}) or through ours, and no
 * thread may die of an uncaught exception. The log goes to stderr (slf4j-simple), which the test
 * captures across many open-then-close cycles with pusher-transport-tck's {@link IoThreadWatch}
 * (which also takes the uncaught exceptions).
 */
class FactoryCloseQuietTest {
  private static final Duration STEP = Duration.ofSeconds(10);
  private static final int CYCLES = 25;
  private static final Pattern NOISE =
      Pattern.compile(
          "ERROR|WARN|ClosedSelectorException|ConcurrentModificationException|Exception in thread"
              + "|I/O reactor failed");

  @RegisterExtension static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

  private IoThreadWatch watch;

  @BeforeEach
  void captureStderr() {
    watch = IoThreadWatch.start();
  }

  @AfterEach
  void restoreStderr() {
    watch.close();
  }

  /** Noisy log lines, and the uncaught exceptions (the JVM would have logged them). */
  private List<String> noisyLines() {
    return Stream.concat(
            watch.uncaught().stream().map(u -> "Exception in thread " + u),
            watch.log().lines().filter(l -> NOISE.matcher(l).find()))
        .toList();
  }

  private static TransportRequest request(TransportKind kind) {
    return new TransportRequest(kind, SERVER.server().httpBaseUri(), STEP, 1 << 20);
  }

  @Test
  void openThenCloseCycles_logNoReactorErrors() {
    PusherTestServer server = SERVER.server();
    for (int i = 0; i < CYCLES; i++) {
      HttpClientTransportFactory factory = new HttpClientTransportFactory();
      RecordingTransportListener streaming = new RecordingTransportListener();
      RecordingTransportListener polling = new RecordingTransportListener();
      RecordingTransportListener connecting = new RecordingTransportListener();
      Transport s = factory.open(request(TransportKind.XHR_STREAMING), streaming);
      Transport p = factory.open(request(TransportKind.XHR_POLLING), polling);
      streaming.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
      polling.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
      // Requests in every phase when the factory closes: receiving, sending, still connecting.
      for (int n = 0; n < 5; n++) {
        s.send("{\"event\":\"pusher:ping\",\"data\":{}}");
        p.send("{\"event\":\"pusher:ping\",\"data\":{}}");
      }
      factory.open(request(i % 2 == 0 ? TransportKind.XHR_STREAMING : TransportKind.XHR_POLLING), connecting);
      if (i % 3 == 0) {
        server.trigger("quiet", "e", "{}");
      }
      factory.close();
      assertThat(streaming.awaitTerminal(STEP).code()).isEqualTo(1001);
      assertThat(polling.awaitTerminal(STEP).code()).isEqualTo(1001);
      connecting.awaitTerminal(STEP);
    }
    assertThat(noisyLines()).as("log lines at close").isEmpty();
  }

  @Test
  void closeFromInsideAListenerCallback_isQuietToo() {
    for (int i = 0; i < 10; i++) {
      HttpClientTransportFactory factory = new HttpClientTransportFactory();
      RecordingTransportListener listener = new RecordingTransportListener();
      Transport t = factory.open(request(TransportKind.XHR_STREAMING), listener);
      listener.awaitMessage(m -> m.contains("pusher:connection_established"), STEP);
      // A client that shuts down when it hears something: close() on HttpClient's own I/O thread.
      RecordingTransportListener closer = new RecordingTransportListener();
      TransportListener closing =
          new TransportListener() {
            @Override
            public void onOpen(Transport transport) {
              closer.onOpen(transport);
              factory.close();
            }

            @Override
            public void onMessage(Transport transport, ByteBuffer utf8) {
              closer.onMessage(transport, utf8);
            }

            @Override
            public void onMessage(Transport transport, String text) {
              closer.onMessage(transport, text);
            }

            @Override
            public void onClose(Transport transport, int code, String reason) {
              closer.onClose(transport, code, reason);
            }

            @Override
            public void onError(Transport transport, Throwable error) {
              closer.onError(transport, error);
            }
          };
      factory.open(request(TransportKind.XHR_POLLING), closing);
      closer.awaitTerminal(STEP);
      listener.awaitTerminal(STEP);
      t.close(1000, "done");
    }
    assertThat(noisyLines()).as("log lines at close").isEmpty();
  }
}
