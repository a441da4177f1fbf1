package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebhookCrmClient against a local fake CRM on 127.0.0.1 (JDK HttpServer). */
class WebhookCrmClientTest {

    static final String SECRET = "whsec-test-secret";

    /** What the fake CRM received. */
    record Received(String method, String path, Headers headers, byte[] body) {
    }

    /** What the fake CRM answers, per handoff id (default 200). */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<String, Answer> answers = new ConcurrentHashMap<>();
    URI url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/sql", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders(), body));
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            Answer a = answers.getOrDefault(key == null ? "" : key, new Answer(200, Map.of(), "{\"ok\":true}"));
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
            exchange.close();
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/sql");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    WebhookCrmClient client(Password secret) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Source", "lead-scoring");
        headers.put("X-Tenant", "acme");
        return new WebhookCrmClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), url,
                secret, "X-Signature-SHA256", headers, Duration.ofSeconds(5), Clock.systemUTC());
    }

    static Handoff handoff(String id) {
        return new Handoff(id, "lead-" + id, "SQL", "MQL", Instant.ofEpochMilli(1_772_360_130_123L), 112.5, 72.5,
                40.0, "A", "HOT", "ACTIVE", "default@3",
                List.of(new Handoff.Reason("pricing-page", 30.25), new Handoff.Reason("unsubscribed", -10.0)),
                "ada@example.com", "Ada", "Lovelace", "Analytical Engines");
    }

    /** Independent HMAC computation, as the CRM would verify it. */
    static String expectedSignature(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void postsOneSignedJsonDocumentPerHandoff() throws Exception {
        DeliveryResult result = client(new Password(SECRET)).deliver(List.of(handoff("h-1"), handoff("h-2")));

        assertThat(result.allDelivered()).isTrue();
        assertThat(result.outcomes()).extracting(o -> o.handoff().handoffId()).containsExactly("h-1", "h-2");
        assertThat(received).hasSize(2);
        for (Received r : received) {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/hooks/sql");
            Headers h = r.headers();
            assertThat(h.getFirst("Content-Type")).isEqualTo("application/json");
            assertThat(h.getFirst("X-Source")).isEqualTo("lead-scoring");
            assertThat(h.getFirst("X-Tenant")).isEqualTo("acme");
            assertThat(h.getFirst("X-Signature-SHA256")).isEqualTo(expectedSignature(r.body()));

            JsonNode json = new ObjectMapper().readTree(r.body());
            String id = h.getFirst("Idempotency-Key");
            assertThat(json.get("handoffId").asText()).isEqualTo(id);
            assertThat(json.get("leadId").asText()).isEqualTo("lead-" + id);
            assertThat(json.get("at").asLong()).isEqualTo(1_772_360_130_123L);
            assertThat(json.get("score").asDouble()).isEqualTo(112.5);
            assertThat(json.get("stage").asText()).isEqualTo("SQL");
            assertThat(json.get("reasons").get(1).get("rule").asText()).isEqualTo("unsubscribed");
            assertThat(json.get("reasons").get(1).get("points").asDouble()).isEqualTo(-10.0);
            assertThat(json.get("email").asText()).isEqualTo("ada@example.com");
        }
        assertThat(received).extracting(r -> r.headers().getFirst("Idempotency-Key"))
                .containsExactlyInAnyOrder("h-1", "h-2");
    }

    @Test
    void withoutSecretNoSignatureIsSent() {
        assertThat(client(null).deliver(List.of(handoff("h-1"))).allDelivered()).isTrue();
        assertThat(received.get(0).headers().containsKey("X-Signature-SHA256")).isFalse();
    }

    @Test
    void classifiesEachRecordOfABatch() {
        answers.put("busy", new Answer(429, Map.of("Retry-After", "17"), "slow down"));
        answers.put("down", new Answer(503, Map.of(), ""));
        answers.put("bad", new Answer(400, Map.of(), "{\"error\":\"invalid email\"}"));
        answers.put("late", new Answer(408, Map.of("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"), ""));

        DeliveryResult result = client(new Password(SECRET)).deliver(
                List.of(handoff("ok"), handoff("busy"), handoff("down"), handoff("bad"), handoff("late")));

        assertThat(result.outcomes()).extracting(o -> o.outcome().kind()).containsExactly(
                Outcome.Kind.DELIVERED, Outcome.Kind.TRANSIENT, Outcome.Kind.TRANSIENT, Outcome.Kind.PERMANENT,
                Outcome.Kind.TRANSIENT);
        assertThat(result.outcomes().get(1).outcome())
                .isEqualTo(new Outcome.Transient("HTTP 429: slow down", Optional.of(Duration.ofSeconds(17))));
        assertThat(result.outcomes().get(2).outcome())
                .isEqualTo(new Outcome.Transient("HTTP 503", Optional.empty()));
        assertThat(result.outcomes().get(3).outcome())
                .isEqualTo(new Outcome.Permanent("HTTP 400: {\"error\":\"invalid email\"}"));
        // an HTTP-date in the past means "retry now"
        assertThat(result.outcomes().get(4).outcome())
                .isEqualTo(new Outcome.Transient("HTTP 408", Optional.of(Duration.ZERO)));
        assertThat(result.allDelivered()).isFalse();
        assertThat(result.withKind(Outcome.Kind.PERMANENT)).hasSize(1);
        assertThat(result.longestRetryAfter()).contains(Duration.ofSeconds(17));
    }

    @Test
    void connectionRefusedIsTransient() {
        server.stop(0);
        DeliveryResult result = client(null).deliver(List.of(handoff("h-1")));
        assertThat(result.outcomes().get(0).outcome().kind()).isEqualTo(Outcome.Kind.TRANSIENT);
    }

    @Test
    void requestTimeoutIsTransient() throws IOException {
        server.stop(0);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks/sql", exchange -> {
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/sql");
        WebhookCrmClient c = new WebhookCrmClient(HttpClient.newHttpClient(), url, null, "X-Sig", Map.of(),
                Duration.ofMillis(300), Clock.systemUTC());
        Outcome o = c.deliver(List.of(handoff("h-1"))).outcomes().get(0).outcome();
        assertThat(o).isInstanceOf(Outcome.Transient.class);
        assertThat(((Outcome.Transient) o).reason()).startsWith("timeout");
    }

    @Test
    void fromConfigUsesConfiguredHeadersAndSecret() throws Exception {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("webhook.url", url.toString());
        props.put("webhook.secret", SECRET);
        props.put("webhook.signature.header", "X-Hub-Signature");
        props.put("webhook.headers", "X-Source:lead-scoring");
        try (WebhookCrmClient c = WebhookCrmClient.fromConfig(new CrmSinkConfig(props), CrmMetrics.NONE)) {
            assertThat(c.deliver(List.of(handoff("h-9"))).allDelivered()).isTrue();
        }
        Received r = received.get(0);
        assertThat(r.headers().getFirst("X-Hub-Signature")).isEqualTo(expectedSignature(r.body()));
        assertThat(r.headers().getFirst("X-Source")).isEqualTo("lead-scoring");
    }

    @Test
    void recordsEveryRequestWithItsOutcomeStatusAndLatency() {
        answers.put("h-503", new Answer(503, Map.of("Retry-After", "1"), ""));
        answers.put("h-429", new Answer(429, Map.of(), ""));
        answers.put("h-400", new Answer(400, Map.of(), "{\"error\":\"bad\"}"));
        RecordingCrmMetrics metrics = new RecordingCrmMetrics();
        WebhookCrmClient c = new WebhookCrmClient(HttpClient.newHttpClient(), url, null, "X-Signature-SHA256",
                Map.of(), Duration.ofSeconds(5), Clock.systemUTC(), 1, metrics);

        c.deliver(List.of(handoff("h-ok"), handoff("h-503"), handoff("h-429"), handoff("h-400")));

        assertThat(metrics.outcomesAndStatuses()).containsExactly("success 200", "retriable 503",
                "rate_limited 429", "rejected 400");
        assertThat(metrics.requests).allSatisfy(r -> assertThat(r.latency()).isPositive());
    }

    @Test
    void recordsARequestThatGotNoAnswer() {
        server.stop(0); // nothing listens on the port any more
        RecordingCrmMetrics metrics = new RecordingCrmMetrics();
        WebhookCrmClient c = new WebhookCrmClient(HttpClient.newHttpClient(), url, null, "X-Signature-SHA256",
                Map.of(), Duration.ofSeconds(5), Clock.systemUTC(), 1, metrics);

        c.deliver(List.of(handoff("h-1")));

        assertThat(metrics.outcomesAndStatuses()).containsExactly("retriable io_error");
    }
}
