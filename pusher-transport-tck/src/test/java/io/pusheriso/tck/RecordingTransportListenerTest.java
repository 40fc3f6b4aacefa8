package io.pusheriso.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pusheriso.spi.Transport;
import io.pusheriso.spi.TransportKind;
import io.pusheriso.tck.RecordingTransportListener.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The recorder must catch every kind of contract breach, or the TCK could pass a broken transport.
 */
class RecordingTransportListenerTest {

  private static final class FakeTransport implements Transport {
    @Override
    public TransportKind kind() {
      return TransportKind.WEBSOCKET;
    }

    @Override
    public boolean send(String text) {
      return false;
    }

    @Override
    public void close(int code, String reason) {}
  }

  private final Transport t = new FakeTransport();
  private final RecordingTransportListener l = new RecordingTransportListener();

  @Test
  void wellBehavedSequence_keepsTheContract() {
    l.onOpen(t);
    l.onMessage(t, ByteBuffer.wrap("{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8)));
    l.onMessage(t, "two");
    l.onActivity(t);
    l.onClose(t, 4200, "x");

    l.assertContractKept();
    assertThat(l.messages()).containsExactly("{\"a\":\"\u00e9\"}", "two");
    assertThat(l.terminal().code()).isEqualTo(4200);
    assertThat(l.terminal().reason()).isEqualTo("x");
    assertThat(l.events())
        .extracting(RecordingTransportListener.Event::kind)
        .containsExactly(Kind.OPEN, Kind.MESSAGE, Kind.MESSAGE, Kind.ACTIVITY, Kind.CLOSE);
  }

  @Test
  void secondOpen_messageBeforeOpen_callAfterTerminal_secondTerminal_allFlagged() {
    l.onMessage(t, "early");
    l.onOpen(t);
    l.onOpen(t);
    l.onClose(t, 1000, "");
    l.onMessage(t, "late");
    l.onError(t, new RuntimeException("again"));

    assertThat(l.violations())
        .anyMatch(v -> v.contains("before onOpen"))
        .anyMatch(v -> v.contains("more than once"))
        .anyMatch(v -> v.contains("after the terminal"));
    assertThat(l.terminalCount()).isEqualTo(2);
    assertThatThrownBy(l::assertContractKept).isInstanceOf(AssertionError.class);
  }

  @Test
  void differentTransports_flagged() {
    l.onOpen(t);
    l.onMessage(new FakeTransport(), "x");

    assertThat(l.violations()).anyMatch(v -> v.contains("different transports"));
  }

  @Test
  void invalidUtf8_flagged() {
    l.onOpen(t);
    l.onMessage(t, ByteBuffer.wrap(new byte[] {'{', (byte) 0xC3, '}'}));

    assertThat(l.violations()).anyMatch(v -> v.contains("not UTF-8"));
  }

  @Test
  void overlappingCalls_flagged() throws Exception {
    CountDownLatch firstInside = new CountDownLatch(1);
    CountDownLatch secondDone = new CountDownLatch(1);
    RecordingTransportListener slow =
        new RecordingTransportListener(
            () -> {
              if (Thread.currentThread().getName().equals("first-caller")) {
                firstInside.countDown();
                await(secondDone);
              }
            });
    Thread first = new Thread(() -> slow.onActivity(t), "first-caller");
    first.start();
    await(firstInside);

    slow.onActivity(t);
    secondDone.countDown();
    first.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(first.isAlive()).isFalse();
    assertThat(slow.violations()).anyMatch(v -> v.contains("overlap"));
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
