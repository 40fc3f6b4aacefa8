package io.pusheriso.transport.netty.leaks;

import io.netty.util.ResourceLeakDetector;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Netty's leak detector, keeping every report for the tests to assert on (besides logging it).
 * Installed for this module's test JVMs by surefire's {@code -Dio.netty.customResourceLeakDetector}
 * (see the pom), which Netty reads before it creates its first detector.
 */
public final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {

  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
  private static volatile boolean installed;

  /** The constructor Netty's default detector factory calls reflectively. */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval) {
    super(resourceType, samplingInterval);
    installed = true;
  }

  /**
   * The constructor Netty's factory tries first; {@code maxActive} is ignored as Netty itself
   * ignores it.
   */
  public RecordingLeakDetector(Class<?> resourceType, int samplingInterval, long maxActive) {
    this(resourceType, samplingInterval);
  }

  /** Every leak reported so far in this JVM, with its access records. */
  public static List<String> leaks() {
    return List.copyOf(LEAKS);
  }

  /**
   * True when Netty created its detectors from this class (the system property was set in time).
   */
  public static boolean installed() {
    return installed;
  }

  // Report even when the logger would not, so that a quiet log configuration cannot hide a leak.
  @Override
  protected boolean needReport() {
    return true;
  }

  @Override
  protected void reportTracedLeak(String resourceType, String records) {
    LEAKS.add(resourceType + " leaked:" + records);
    // The leak test's deliberate canaries are expected: do not alarm whoever reads the build log.
    if (!records.contains("pusher-leak-canary")) {
      super.reportTracedLeak(resourceType, records);
    }
  }

  @Override
  protected void reportUntracedLeak(String resourceType) {
    LEAKS.add(resourceType + " leaked (untraced)");
    super.reportUntracedLeak(resourceType);
  }
}
