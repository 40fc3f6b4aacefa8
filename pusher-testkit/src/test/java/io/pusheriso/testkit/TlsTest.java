package io.pusheriso.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TlsTest {
    @RegisterExtension
    static final PusherTestServerExtension SERVER = new PusherTestServerExtension();

    @Test
    void wssWorksWithTheClientContext() {
        HttpClient http = HttpClient.newBuilder().sslContext(SERVER.server().clientSslContext()).build();
        try (WsClient client = WsClient.connect(http, SERVER.server().wssUri())) {
            client.awaitEvent("pusher:connection_established", null);
            client.subscribe("secure", null, null);
            client.awaitEvent("pusher_internal:subscription_succeeded", "secure");
            SERVER.server().trigger("secure", "e", "{}");
            client.awaitEvent("e", "secure");
        }
    }

    @Test
    void wssWithTheDefaultJdkTrustFailsTheHandshake() {
        assertThatThrownBy(() -> WsClient.connect(HttpClient.newHttpClient(), SERVER.server().wssUri()))
                .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof SSLHandshakeException))
                .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof java.security.cert.CertPathBuilderException));
    }

    @Test
    void httpsEndpointsWorkAndTheCertificateNamesLocalhostAndLoopback() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(SERVER.server().clientSslContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            URI uri = URI.create("https://" + host + ":" + SERVER.server().tlsPort() + "/pusher/auth");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("socket_id=1.1&channel_name=private-x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void caMaterialIsConsistent() throws Exception {
        PusherTestServer s = SERVER.server();
        String pem = s.caCertificatePem();
        assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("-----END CERTIFICATE-----\n");
        assertThat(Files.readString(s.caCertificateFile(), StandardCharsets.US_ASCII)).isEqualTo(pem);
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(Collections.list(s.trustStore().aliases())).hasSize(1);
        assertThat(s.trustStore().getCertificate(Collections.list(s.trustStore().aliases()).get(0))).isEqualTo(ca);
    }

    @Test
    void caFileIsDeletedOnClose() {
        PusherTestServer s = PusherTestServer.start();
        assertThat(s.caCertificateFile()).exists();
        s.close();
        assertThat(s.caCertificateFile()).doesNotExist();
    }

    private static java.util.List<Throwable> causes(Throwable t) {
        java.util.List<Throwable> out = new java.util.ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.add(c);
        }
        return out;
    }
}
