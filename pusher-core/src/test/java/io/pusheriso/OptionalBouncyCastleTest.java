package io.pusheriso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bouncy Castle is optional: only encrypted channels need it. */
class OptionalBouncyCastleTest {

  private static URLClassLoader withoutBouncyCastle() throws MalformedURLException {
    String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isEmpty() && !entry.contains("bouncycastle") && !entry.contains("bcprov")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  @Test
  void clientWorksWithoutBouncyCastle_andEncryptedChannelsSayWhatToAdd() throws Exception {
    try (URLClassLoader loader = withoutBouncyCastle()) {
      assertThatThrownBy(() -> loader.loadClass("org.bouncycastle.crypto.engines.XSalsa20Engine"))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> probe = Class.forName("io.pusheriso.NoBouncyCastleProbe", true, loader);
      assertThat(probe.getClassLoader()).isSameAs(loader);
      String result = (String) probe.getMethod("run").invoke(null);
      assertThat(result)
          .startsWith("public=true private=true encrypted=")
          .contains("org.bouncycastle:bcprov-jdk18on");
    }
  }
}
