package io.pusheriso.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HTTP helpers for tests: the auth endpoints and a signed events API call, written independently of the server. */
final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static HttpResponse<String> postForm(URI uri, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Authorizes a channel through the server's auth endpoint and returns the JSON answer. */
    static JsonNode authorize(PusherTestServer server, String socketId, String channel) {
        HttpResponse<String> r = postForm(server.authEndpoint(), Map.of("socket_id", socketId, "channel_name", channel));
        if (r.statusCode() != 200) {
            throw new AssertionError("auth endpoint answered " + r.statusCode() + " " + r.body());
        }
        return WsClient.parse(r.body());
    }

    /** POSTs to the events API with Pusher's signed query. */
    static HttpResponse<String> postEvents(PusherTestServer server, String secret, String body) {
        return postSigned(server, "/apps/" + server.appId() + "/events", secret, body, System.currentTimeMillis() / 1000);
    }

    static HttpResponse<String> postSigned(PusherTestServer server, String path, String secret, String body, long timestamp) {
        TreeMap<String, String> params = new TreeMap<>();
        params.put("auth_key", server.appKey());
        params.put("auth_timestamp", Long.toString(timestamp));
        params.put("auth_version", "1.0");
        params.put("body_md5", hex(digest("MD5", body.getBytes(StandardCharsets.UTF_8))));
        String query = params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        String signature = hex(hmac(secret, "POST\n" + path + "\n" + query));
        URI uri = URI.create("http://127.0.0.1:" + server.port() + path + "?" + query + "&auth_signature=" + signature);
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** key:hex(HMAC) the way the auth signature docs define it. */
    static String sign(PusherTestServer server, String stringToSign) {
        return server.appKey() + ":" + hex(hmac(server.appSecret(), stringToSign));
    }
}
