package io.pusheriso.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoTest {

  @Test
  void demo_passesOverEveryTransport_andPrintsItsTable() {
    Cli cli = new Cli();

    int code = cli.run("demo");

    assertThat(code).as(cli.out + "\n" + cli.err).isZero();
    String table = cli.out.toString();
    assertThat(table).contains("transport", "connect", "event rtt", "client event", "result");
    for (String transport : new String[] {"ws (netty)", "ws (jetty)", "wss (netty)", "xhr_streaming", "xhr_polling"}) {
      assertThat(table).contains(transport);
    }
    assertThat(table.lines().filter(l -> l.endsWith("  pass"))).hasSize(20);
    assertThat(table).contains("20 of 20 checks passed").doesNotContain("FAIL");
  }

  @Test
  void demo_withChecksThatCannotPass_exitsNonZero_andSaysWhy() {
    Cli cli = new Cli();

    int code = cli.run("demo", "--check-timeout-ms", "1");

    assertThat(code).isEqualTo(1);
    assertThat(cli.out.toString()).contains("FAIL: connect: no answer within 1 ms").doesNotContain("20 of 20");
  }
}
