package io.leadscoring.connect.fake;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An in-house CRM's webhook endpoint, played by WireMock, with the idempotency semantics of a well-behaved API
 * (Stripe's): the first request with an {@code Idempotency-Key} creates the record (201); a repeat with the same key
 * and the same body creates nothing and answers 200; the same key with a different body is refused (422). It checks
 * the HMAC-SHA256 signature when a secret is set (401 otherwise).
 *
 * <p>Faults: {@link #failNext} (status and Retry-After), {@link #delayNext} (for client timeouts: the record is
 * stored before the delay, as when a response is lost), {@link #rejectKey} (a validation error for one key).
 * Observations: {@link #records()}, {@link #requestsFor}, {@link #requests()}.
 */
public final class FakeWebhookCrm implements AutoCloseable {

    public static final String PATH = "/hooks/handoffs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Fault(int status, Integer retryAfterSeconds, Duration delay) {
    }

    private final WireMockServer server;
    private final String secret;
    private final String signatureHeader;
    private final Map<String, String> bodyByKey = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> records = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requestsByKey = new ConcurrentHashMap<>();
    private final Map<String, Integer> rejected = new ConcurrentHashMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger conflicts = new AtomicInteger();

    public FakeWebhookCrm(String secret) {
        this(secret, "X-Signature-SHA256");
    }

    public FakeWebhookCrm(String secret, String signatureHeader) {
        this.secret = secret;
        this.signatureHeader = signatureHeader;
        this.server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(32).extensions(new Transformer()));
        server.start();
        server.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(500)));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.port() + PATH);
    }

    /** The next {@code n} requests fail with {@code status} (and a Retry-After in seconds when not null). */
    public synchronized void failNext(int n, int status, Integer retryAfterSeconds) {
        for (int i = 0; i < n; i++) {
            faults.add(new Fault(status, retryAfterSeconds, null));
        }
    }

    /** The next {@code n} requests are processed, but answered only after {@code delay}. */
    public synchronized void delayNext(int n, Duration delay) {
        for (int i = 0; i < n; i++) {
            faults.add(new Fault(0, null, delay));
        }
    }

    /** Every request with this idempotency key is refused with {@code status} (e.g. 400, 422) and a reason. */
    public void rejectKey(String key, int status) {
        rejected.put(key, status);
    }

    /** Accepted records by idempotency key: each created exactly once, whatever the number of requests. */
    public Map<String, JsonNode> records() {
        return Map.copyOf(records);
    }

    /** How many requests carried this key (retries and redeliveries included). */
    public int requestsFor(String key) {
        AtomicInteger n = requestsByKey.get(key);
        return n == null ? 0 : n.get();
    }

    public Map<String, Integer> requestsByKey() {
        Map<String, Integer> out = new LinkedHashMap<>();
        requestsByKey.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public int requests() {
        return requests.get();
    }

    /** Requests that reused a key with a different body: a client bug, never expected. */
    public int conflicts() {
        return conflicts.get();
    }

    @Override
    public void close() {
        server.stop();
    }

    private synchronized Fault nextFault() {
        return faults.poll();
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return "fake-webhook-crm";
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Request request = event.getRequest();
            requests.incrementAndGet();
            String key = request.getHeader("Idempotency-Key");
            if (key != null) {
                requestsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
            Fault fault = nextFault();
            if (fault != null && fault.delay == null) {
                ResponseDefinitionBuilder b = json(fault.status, "{\"error\":\"injected fault\"}");
                if (fault.retryAfterSeconds != null) {
                    b.withHeader("Retry-After", String.valueOf(fault.retryAfterSeconds));
                }
                return b.build();
            }
            ResponseDefinitionBuilder answer = handle(request, key);
            if (fault != null) {
                answer.withFixedDelay((int) fault.delay.toMillis());
            }
            return answer.build();
        }

        private ResponseDefinitionBuilder handle(Request request, String key) {
            if (key == null || key.isBlank()) {
                return json(400, "{\"error\":\"Idempotency-Key header is required\"}");
            }
            byte[] body = request.getBody();
            if (secret != null && !validSignature(body, request.getHeader(signatureHeader))) {
                return json(401, "{\"error\":\"invalid signature\"}");
            }
            Integer rejectStatus = rejected.get(key);
            if (rejectStatus != null) {
                return json(rejectStatus, "{\"error\":\"validation failed\",\"field\":\"email\"}");
            }
            JsonNode doc;
            try {
                doc = JSON.readTree(body);
            } catch (IOException e) {
                return json(400, "{\"error\":\"body is not JSON\"}");
            }
            String text = new String(body, StandardCharsets.UTF_8);
            String previous = bodyByKey.putIfAbsent(key, text);
            if (previous == null) {
                records.put(key, doc);
                return json(201, "{\"status\":\"created\",\"id\":\"" + key + "\"}");
            }
            if (!previous.equals(text)) {
                conflicts.incrementAndGet();
                return json(422, "{\"error\":\"Idempotency-Key reused with a different body\"}");
            }
            return json(200, "{\"status\":\"duplicate\",\"id\":\"" + key + "\"}");
        }

        private boolean validSignature(byte[] body, String header) {
            if (header == null || !header.startsWith("sha256=")) {
                return false;
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                byte[] expected = mac.doFinal(body);
                byte[] given = HexFormat.of().parseHex(header.substring("sha256=".length()));
                return MessageDigest.isEqual(expected, given);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                return false;
            }
        }

        private ResponseDefinitionBuilder json(int status, String body) {
            return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
        }
    }
}
