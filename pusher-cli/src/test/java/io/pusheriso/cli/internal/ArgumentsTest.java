package io.pusheriso.cli.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "--transport foo                              | unknown transport 'foo'",
        "--transport wss2                             | unknown transport 'wss2'",
        "--client-event nocolons                      | malformed --client-event 'nocolons'",
        "--client-event private-x:client-e:{bad       | is not a JSON value",
        "--client-event private-x:my-event:{}         | must start with client-",
        "--client-event :client-e:{}                  | malformed --client-event",
        "--ca /nonexistent/ca.pem                     | CA file not found: /nonexistent/ca.pem",
        "--auth-endpoint not-a-url                    | --auth-endpoint 'not-a-url' is not an absolute http or https URL",
        "--user-auth-endpoint ftp://h/x               | --user-auth-endpoint 'ftp://h/x' is not an absolute http or https URL",
        "--auth-endpoint http://exa^mple              | --auth-endpoint 'http://exa^mple' is not a URL",
        "--key a --key b                              | option '--key' (KEY) should be specified only once",
        "--tls --tls                                  | option '--tls' should be specified only once",
        "--exit-after-ms 1 --exit-after-ms 2          | should be specified only once",
        "--cluster eu --host h                        | give --cluster or --host, not both",
        "--ws-impl undertow                           | unknown --ws-impl 'undertow'",
        "--ws-port 70000                              | --ws-port must be in 1..65535, was 70000",
        "--ws-port abc                                | 'abc' is not an int",
        "--pong-timeout 0                             | --pong-timeout must be a positive number of milliseconds",
        "--exit-after-ms -5                           | --exit-after-ms must be 0",
        "--auth-param novalue                         | malformed --auth-param 'novalue'",
        "--channel bad*name                           | bad*name",
        "--no-such-option                             | Unknown option: '--no-such-option'",
        "--host a/b                                   | host must be a bare host name",
        "--host 127.0.0.1:6001                        | has a port",
        "--key a/b                                    | appKey 'a/b' contains characters",
        "--cluster e.u                                | cluster 'e.u' is not a cluster name",
      })
  void badArguments_areOneLineUsageErrors(String args, String expected) {
    Cli cli = new Cli();

    int code = cli.run(("listen " + args.trim()).split(" +"));

    assertThat(code).isEqualTo(2);
    assertThat(cli.outLines()).isEmpty();
    assertThat(cli.errLines()).hasSize(1);
    assertThat(cli.errLines().get(0)).startsWith("pusher-cli listen: ").contains(expected);
  }

  @Test
  void noCommand_isAUsageError() {
    Cli cli = new Cli();

    assertThat(cli.run()).isEqualTo(2);
    assertThat(cli.errLines()).singleElement().asString().contains("missing command: use listen or demo");
  }

  @Test
  void help_listsEveryOptionOfTheDesign() {
    Cli cli = new Cli();

    assertThat(cli.run("listen", "--help")).isZero();
    assertThat(cli.out.toString())
        .contains(
            "--key", "--cluster", "--host", "--ws-port", "--wss-port", "--http-port", "--https-port", "--tls",
            "--ca", "--transport", "--ws-impl", "--channel", "--auth-endpoint", "--user-auth-endpoint",
            "--auth-param", "--signin", "--client-event", "--activity-timeout", "--pong-timeout", "--exit-after-ms");
  }

  @Test
  void version_isTheProjectVersion() {
    Cli cli = new Cli();

    assertThat(cli.run("--version")).isZero();
    assertThat(cli.out.toString().trim()).matches("pusher-cli \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }
}
