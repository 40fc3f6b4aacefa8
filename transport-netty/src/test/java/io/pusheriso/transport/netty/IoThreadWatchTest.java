package io.pusheriso.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultChannelPipeline;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.pusheriso.tck.IoThreadWatch;
import org.junit.jupiter.api.Test;

/** The watch the hostile-input tests rely on does see what escapes to a thread. */
class IoThreadWatchTest {

  @Test
  void seesAnUncaughtExceptionAndNettysReportOfAnUnhandledOne() throws Exception {
    try (IoThreadWatch watch = IoThreadWatch.start()) {
      assertThat(watch.problems()).isEmpty();

      Thread t =
          new Thread(
              () -> {
                throw new IllegalStateException("escaped-on-purpose");
              },
              "watch-self-test");
      t.start();
      t.join();
      assertThat(watch.problems()).anyMatch(p -> p.contains("escaped-on-purpose"));

      // What Netty's pipeline logs, through its own logger, for an exception nobody handled.
      InternalLoggerFactory.getInstance(DefaultChannelPipeline.class)
          .warn(
              "An exceptionCaught() event was fired, and it reached at the tail of the pipeline.",
              new IllegalStateException("unhandled-on-purpose"));
      assertThat(watch.problems()).anyMatch(p -> p.contains("reached at the tail of the pipeline"));
    }
  }
}
