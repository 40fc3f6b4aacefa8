/**
 * pusher-cli: {@code listen} (a transcript of what the client sees, comparable with pusher-js) and
 * {@code demo} (every transport against the embedded server). An application: it exports nothing.
 * The executable jar ({@code target/pusher-cli.jar}) is a class-path application and leaves this
 * descriptor out.
 */
module io.pusheriso.cli {
  requires io.pusheriso.core;
  requires io.pusheriso.transport.netty;
  requires io.pusheriso.transport.jetty;
  requires io.pusheriso.transport.httpclient;
  requires io.pusheriso.testkit;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  // picocli fills the commands' option fields reflectively.
  opens io.pusheriso.cli.internal to info.picocli;
}
