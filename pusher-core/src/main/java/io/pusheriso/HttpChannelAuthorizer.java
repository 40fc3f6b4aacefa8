package io.pusheriso;

import io.pusheriso.spi.ChannelAuthorization;
import io.pusheriso.spi.ChannelAuthorizationRequest;
import io.pusheriso.spi.ChannelAuthorizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Authorizes channel subscriptions by asking the application's auth endpoint, as pusher-js's
 * {@code channelAuthorization} with the {@code ajax} transport does.
 *
 * <p>Each call POSTs an {@code application/x-www-form-urlencoded} form of {@code socket_id},
 * {@code channel_name}, the configured {@link Builder#param params} and the entries of the
 * {@link Builder#paramsProvider params provider}, with the configured headers and those of the
 * {@link Builder#headersProvider headers provider}, through {@link HttpClient#sendAsync}. Only a 200
 * answer whose body is a JSON object with a string {@code auth} (and optionally
 * {@code channel_data} and {@code shared_secret}) is accepted. Every failure fails the returned
 * stage with a {@link PusherAuthorizationException}: the HTTP status for a refusal or a 200 that is
 * not a valid authorization, -1 when there was no answer (timeout, connection refused). Redirects
 * are not followed unless the supplied {@link HttpClient} follows them.
 *
 * <p>{@link #toString()} shows the endpoint without its query, never header or parameter values.
 * Instances are immutable and thread-safe; the providers are called on the thread that calls
 * {@link #authorize} and must be quick and thread-safe.
 *
 * <pre>{@code
 * ChannelAuthorizer authorizer = HttpChannelAuthorizer.builder(URI.create("https://example.com/pusher/auth"))
 *     .headersProvider(() -> Map.of("Authorization", "Bearer " + session.token()))
 *     .build();
 * }</pre>
 */
public final class HttpChannelAuthorizer implements ChannelAuthorizer {

  /** The default time allowed for one request, connection included: 10 seconds. */
  public static final Duration DEFAULT_TIMEOUT = HttpAuthEndpoint.DEFAULT_TIMEOUT;

  private static final String[] FIELDS = {"auth", "channel_data", "shared_secret"};

  private final HttpAuthEndpoint endpoint;

  private HttpChannelAuthorizer(HttpAuthEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * Starts a builder for the endpoint, for example {@code https://example.com/pusher/auth}.
   *
   * @throws IllegalArgumentException if the URI is not an absolute http or https URI with a host
   */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  /**
   * Starts the request and returns at once. The stage completes on a thread of the
   * {@link HttpClient}'s executor.
   */
  @Override
  public CompletionStage<ChannelAuthorization> authorize(ChannelAuthorizationRequest request) {
    Objects.requireNonNull(request, "request");
    return endpoint.post(
        HttpAuthEndpoint.Kind.CHANNEL,
        request.socketId(),
        request.channelName(),
        FIELDS,
        1,
        values -> new ChannelAuthorization(values[0], values[1], values[2]));
  }

  @Override
  public String toString() {
    return "HttpChannelAuthorizer[endpoint=" + endpoint.displayEndpoint() + "]";
  }

  /** Configures an {@link HttpChannelAuthorizer}. Not thread-safe. */
  public static final class Builder {
    private final HttpAuthEndpoint.Config config;

    private Builder(URI endpoint) {
      this.config = new HttpAuthEndpoint.Config(endpoint);
    }

    /** Adds a form field sent with every request; a second call with the same name replaces it. */
    public Builder param(String name, String value) {
      config.param(name, value);
      return this;
    }

    /**
     * Adds a request header; a second call with the same name replaces it.
     *
     * @throws IllegalArgumentException for headers {@code java.net.http} does not allow to set
     *     ({@code Host}, {@code Content-Length}, ...) or an invalid name or value
     */
    public Builder header(String name, String value) {
      config.header(name, value);
      return this;
    }

    /**
     * Supplies more form fields, called for every request (for a token that changes). A null map
     * adds nothing; a provider that throws fails that request's stage.
     */
    public Builder paramsProvider(Supplier<Map<String, String>> provider) {
      config.paramsProvider(provider);
      return this;
    }

    /**
     * Supplies more headers, called for every request; they replace configured headers of the same
     * name. A null map adds nothing; a provider that throws fails that request's stage.
     */
    public Builder headersProvider(Supplier<Map<String, String>> provider) {
      config.headersProvider(provider);
      return this;
    }

    /**
     * How long one request may take until the answer's headers arrive, connecting included;
     * {@link #DEFAULT_TIMEOUT} when not set. Also the connect timeout of the client this authorizer
     * creates when none is given.
     */
    public Builder timeout(Duration timeout) {
      config.timeout(timeout);
      return this;
    }

    /**
     * The client to send requests with (to share its connections, or for a proxy or TLS setup).
     * When not set, the authorizer creates its own HTTP/1.1 client.
     */
    public Builder httpClient(HttpClient client) {
      config.httpClient(client);
      return this;
    }

    /** Creates the authorizer. */
    public HttpChannelAuthorizer build() {
      return new HttpChannelAuthorizer(config.build());
    }
  }
}
