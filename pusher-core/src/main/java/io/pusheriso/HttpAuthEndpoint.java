package io.pusheriso;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP exchange shared by {@link HttpChannelAuthorizer} and {@link HttpUserAuthenticator}: a form
 * POST to the endpoint, as pusher-js's {@code xhr_auth} does, and a streaming read of the JSON
 * answer. Immutable and thread-safe; the providers are called on the thread that starts a request.
 */
final class HttpAuthEndpoint {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The largest answer read; an authorization is a few hundred bytes. */
  static final int MAX_RESPONSE_BYTES = 1 << 20;

  /** How much of a refusal's body goes into the exception message. */
  static final int MAX_ERROR_EXCERPT_CHARS = 200;

  private static final String FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** What is requested, with pusher-js's names for the log messages. */
  enum Kind {
    CHANNEL(
        "channel-authorization",
        " Clients must be authorized to join private or presence channels."),
    USER("user-authentication", "");

    private final String label;
    private final String hint;

    Kind(String label, String hint) {
      this.label = label;
      this.hint = hint;
    }
  }

  private final URI endpoint;
  private final String displayEndpoint;
  private final List<Map.Entry<String, String>> params;
  private final List<Map.Entry<String, String>> headers;
  private final Supplier<Map<String, String>> paramsProvider;
  private final Supplier<Map<String, String>> headersProvider;
  private final Duration timeout;
  private final HttpClient client;

  private HttpAuthEndpoint(Config config) {
    this.endpoint = config.endpoint;
    this.displayEndpoint = display(config.endpoint);
    // Kept in insertion order: pusher-js sends params in the order they were given.
    this.params = copyInOrder(config.params);
    this.headers = copyInOrder(config.headers);
    this.paramsProvider = config.paramsProvider;
    this.headersProvider = config.headersProvider;
    this.timeout = config.timeout;
    this.client =
        config.client != null
            ? config.client
            : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout)
                .build();
  }

  private static List<Map.Entry<String, String>> copyInOrder(Map<String, String> map) {
    return map.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
  }

  /** The endpoint without user info, query or fragment, which may hold credentials. */
  String displayEndpoint() {
    return displayEndpoint;
  }

  /**
   * Posts the form and maps the answer's string fields ({@code fields}, in that order; the first
   * {@code required} must be present) with {@code mapper}. Never throws: every failure, a provider's
   * included, fails the returned stage with a {@link PusherAuthorizationException}.
   */
  <T> CompletionStage<T> post(
      Kind kind,
      String socketId,
      String channelName,
      String[] fields,
      int required,
      Function<String[], T> mapper) {
    HttpRequest request;
    try {
      request = request(socketId, channelName);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(
          new PusherAuthorizationException(
              "Could not build the " + kind.label + " request for " + displayEndpoint + ": "
                  + e.getMessage(),
              e));
    }
    CompletableFuture<HttpResponse<byte[]>> exchange;
    try {
      exchange = client.sendAsync(request, info -> new LimitedBodySubscriber(MAX_RESPONSE_BYTES));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(transportFailure(kind, e));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    exchange.whenComplete(
        (response, error) -> {
          if (error != null) {
            result.completeExceptionally(transportFailure(kind, error));
            return;
          }
          try {
            result.complete(mapper.apply(read(kind, response, fields, required)));
          } catch (RuntimeException e) {
            result.completeExceptionally(
                e instanceof PusherAuthorizationException
                    ? e
                    : new PusherAuthorizationException(
                        "The " + kind.label + " answer from " + displayEndpoint
                            + " was not accepted: " + e.getMessage(),
                        e));
          }
        });
    // A caller that gives up (its own timeout, an unsubscribe) should not leave the exchange running.
    result.whenComplete(
        (value, error) -> {
          if (error instanceof CancellationException) {
            exchange.cancel(true);
          }
        });
    return result;
  }

  private HttpRequest request(String socketId, String channelName) {
    StringBuilder form = new StringBuilder(128);
    appendField(form, "socket_id", socketId);
    if (channelName != null) {
      appendField(form, "channel_name", channelName);
    }
    for (Map.Entry<String, String> param : params) {
      appendField(form, param.getKey(), param.getValue());
    }
    if (paramsProvider != null) {
      appendAll(form, provided(paramsProvider, "paramsProvider"));
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint)
            .timeout(timeout)
            .header("Content-Type", FORM_CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8));
    for (Map.Entry<String, String> header : headers) {
      builder.setHeader(header.getKey(), header.getValue());
    }
    if (headersProvider != null) {
      for (Map.Entry<String, String> header :
          provided(headersProvider, "headersProvider").entrySet()) {
        setHeader(builder, header.getKey(), header.getValue());
      }
    }
    return builder.build();
  }

  private static Map<String, String> provided(Supplier<Map<String, String>> provider, String name) {
    Map<String, String> values;
    try {
      values = provider.get();
    } catch (RuntimeException e) {
      throw new IllegalStateException(name + " threw " + e.getClass().getName(), e);
    }
    if (values == null) {
      return Map.of();
    }
    for (Map.Entry<String, String> entry : values.entrySet()) {
      if (entry.getKey() == null || entry.getValue() == null) {
        throw new IllegalStateException(
            name + " returned a null name or value (name " + entry.getKey() + ")");
      }
    }
    return values;
  }

  private static void appendAll(StringBuilder form, Map<String, String> values) {
    for (Map.Entry<String, String> entry : values.entrySet()) {
      appendField(form, entry.getKey(), entry.getValue());
    }
  }

  private static void setHeader(HttpRequest.Builder builder, String name, String value) {
    try {
      builder.setHeader(name, value);
    } catch (IllegalArgumentException e) {
      // The JDK's message may quote the value, which can be a token: name the header only.
      throw new IllegalStateException("header '" + name + "' is not allowed or not valid", null);
    }
  }

  /** Checks the status and reads the fields; throws PusherAuthorizationException when refused. */
  private String[] read(Kind kind, HttpResponse<byte[]> response, String[] fields, int required) {
    int status = response.statusCode();
    byte[] body = response.body();
    if (status != 200) {
      throw new PusherAuthorizationException(
          status,
          "Unable to retrieve auth string from " + kind.label + " endpoint - received status: "
              + status + " from " + displayEndpoint + excerpt(body) + "." + kind.hint);
    }
    String[] values;
    try {
      values = stringFields(body, fields);
    } catch (IOException e) {
      // Not echoing the body: a 200 answer may hold a signature or a shared secret.
      throw new PusherAuthorizationException(
          200,
          "JSON returned from " + kind.label + " endpoint " + displayEndpoint
              + " was invalid, yet status code was 200 (" + e.getMessage() + ")");
    }
    for (int i = 0; i < required; i++) {
      if (values[i] == null) {
        throw new PusherAuthorizationException(
            200,
            "The " + kind.label + " endpoint " + displayEndpoint
                + " answered 200 without a string \"" + fields[i] + "\" field");
      }
    }
    return values;
  }

  /**
   * Reads the top-level object of {@code json}, keeping the string values of {@code fields} (null
   * when absent or JSON null) and skipping everything else.
   */
  static String[] stringFields(byte[] json, String[] fields) throws IOException {
    String[] values = new String[fields.length];
    try (JsonParser parser = JSON.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        int index = indexOf(fields, name);
        if (index < 0) {
          parser.skipChildren();
        } else if (value == JsonToken.VALUE_STRING) {
          values[index] = parser.getText();
        } else if (value == JsonToken.VALUE_NULL) {
          values[index] = null;
        } else {
          throw new IOException("\"" + name + "\" is not a string");
        }
      }
      if (parser.nextToken() != null) {
        throw new IOException("content after the JSON object");
      }
    } catch (JsonProcessingException e) {
      // Jackson's message quotes the input, which may be a secret: keep only the position.
      throw new IOException("malformed JSON at " + e.getLocation().offsetDescription(), null);
    }
    return values;
  }

  private static int indexOf(String[] fields, String name) {
    for (int i = 0; i < fields.length; i++) {
      if (fields[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private PusherAuthorizationException transportFailure(Kind kind, Throwable error) {
    Throwable cause = error;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String what;
    if (cause instanceof HttpConnectTimeoutException) {
      what = " could not be connected to within " + timeout.toMillis() + " ms";
    } else if (cause instanceof HttpTimeoutException) {
      what = " did not answer within " + timeout.toMillis() + " ms";
    } else if (cause instanceof ConnectException) {
      what = " could not be reached (connection refused or failed)";
    } else if (cause instanceof ResponseTooLargeException) {
      what = " answered more than " + MAX_RESPONSE_BYTES + " bytes";
    } else {
      what = " failed: " + cause.getClass().getSimpleName();
    }
    return new PusherAuthorizationException(
        "The " + kind.label + " endpoint " + displayEndpoint + what, cause);
  }

  private static String excerpt(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text = new String(body, StandardCharsets.UTF_8);
    boolean truncated = text.length() > MAX_ERROR_EXCERPT_CHARS;
    StringBuilder out = new StringBuilder(": ");
    int end = Math.min(text.length(), MAX_ERROR_EXCERPT_CHARS);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    if (truncated) {
      out.append("...");
    }
    return out.toString();
  }

  /** Appends {@code name=value} encoded as JavaScript's encodeURIComponent does (UTF-8). */
  static void appendField(StringBuilder form, String name, String value) {
    if (form.length() > 0) {
      form.append('&');
    }
    encode(form, name);
    form.append('=');
    encode(form, value);
  }

  private static void encode(StringBuilder out, String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isUnreserved(c)) {
        out.append(c);
      } else {
        int end = i + 1;
        if (Character.isHighSurrogate(c) && end < text.length()
            && Character.isLowSurrogate(text.charAt(end))) {
          end++;
        }
        for (byte b : text.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
        i = end - 1;
      }
    }
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-' || c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\''
        || c == '(' || c == ')';
  }

  private static String display(URI uri) {
    StringBuilder out = new StringBuilder();
    out.append(uri.getScheme()).append("://").append(uri.getHost());
    if (uri.getPort() >= 0) {
      out.append(':').append(uri.getPort());
    }
    if (uri.getRawPath() != null) {
      out.append(uri.getRawPath());
    }
    return out.toString();
  }

  /** The builders' settings; not thread-safe, like the builders that own it. */
  static final class Config {
    private final URI endpoint;
    private final Map<String, String> params = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Supplier<Map<String, String>> paramsProvider;
    private Supplier<Map<String, String>> headersProvider;
    private Duration timeout = DEFAULT_TIMEOUT;
    private HttpClient client;

    Config(URI endpoint) {
      Objects.requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException(
            "The auth endpoint must be an absolute http:// or https:// URI, was "
                + (scheme == null ? "a relative URI" : "a " + scheme + ": URI"));
      }
      if (endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "The auth endpoint must name a host, for example https://example.com/pusher/auth");
      }
      this.endpoint = endpoint;
    }

    void param(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      params.put(name, value);
    }

    void header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      try {
        // The JDK refuses some names (Host, Content-Length...) and malformed values: say so now.
        HttpRequest.newBuilder().header(name, value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Header '" + name + "' cannot be set on an auth request: it is restricted by"
                + " java.net.http or its name or value is not valid",
            null);
      }
      headers.put(name, value);
    }

    void paramsProvider(Supplier<Map<String, String>> provider) {
      this.paramsProvider = Objects.requireNonNull(provider, "provider");
    }

    void headersProvider(Supplier<Map<String, String>> provider) {
      this.headersProvider = Objects.requireNonNull(provider, "provider");
    }

    void timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
    }

    void httpClient(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    HttpAuthEndpoint build() {
      return new HttpAuthEndpoint(this);
    }
  }

  /** Thrown into the exchange when an answer exceeds {@link #MAX_RESPONSE_BYTES}. */
  static final class ResponseTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    ResponseTooLargeException(int limit) {
      super("response body larger than " + limit + " bytes");
    }
  }

  /** Collects a body of at most {@code limit} bytes; a larger one cancels the exchange. */
  private static final class LimitedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private byte[] buffer = new byte[256];
    private int size;
    private Flow.Subscription subscription;

    LimitedBodySubscriber(int limit) {
      this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        int n = item.remaining();
        if (n > limit - size) {
          subscription.cancel();
          body.completeExceptionally(new ResponseTooLargeException(limit));
          return;
        }
        if (size + n > buffer.length) {
          buffer = Arrays.copyOf(buffer, Math.min(limit, Math.max(size + n, buffer.length * 2)));
        }
        item.get(buffer, size, n);
        size += n;
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(Arrays.copyOf(buffer, size));
    }
  }
}
