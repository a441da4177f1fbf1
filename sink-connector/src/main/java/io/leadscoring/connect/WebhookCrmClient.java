package io.leadscoring.connect;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers handoffs to an HTTP endpoint: <b>one POST per handoff</b>, so that each request carries exactly one
 * idempotency key and gets its own status (no partial-batch ambiguity). The requests of a batch are sent
 * concurrently through {@link ConcurrentDelivery} (bounded, in order per lead) and awaited together.
 *
 * <p>Each request: body = {@link HandoffJson} of the handoff (UTF-8); headers {@code Content-Type:
 * application/json}, {@code Idempotency-Key: <handoffId>}, the configured custom headers and, when a secret is
 * configured, {@code <signature header>: sha256=<hex HMAC-SHA256 of the exact body bytes>}. Responses are
 * classified by {@link HttpOutcomes}.
 */
public final class WebhookCrmClient implements CrmClient {

    private static final Logger log = LoggerFactory.getLogger(WebhookCrmClient.class);
    private static final int MAX_BODY_IN_REASON = 200;

    private final HttpClient http;
    private final URI url;
    private final Password secret;
    private final String signatureHeader;
    private final Map<String, String> headers;
    private final Duration requestTimeout;
    private final Clock clock;
    private final int maxInFlight;
    private final CrmMetrics metrics;

    public WebhookCrmClient(HttpClient http, URI url, Password secret, String signatureHeader,
            Map<String, String> headers, Duration requestTimeout, Clock clock) {
        this(http, url, secret, signatureHeader, headers, requestTimeout, clock, 8);
    }

    public WebhookCrmClient(HttpClient http, URI url, Password secret, String signatureHeader,
            Map<String, String> headers, Duration requestTimeout, Clock clock, int maxInFlight) {
        this(http, url, secret, signatureHeader, headers, requestTimeout, clock, maxInFlight, CrmMetrics.NONE);
    }

    /** @param metrics told of every request (status, latency) */
    public WebhookCrmClient(HttpClient http, URI url, Password secret, String signatureHeader,
            Map<String, String> headers, Duration requestTimeout, Clock clock, int maxInFlight, CrmMetrics metrics) {
        this.http = Objects.requireNonNull(http, "http");
        this.url = Objects.requireNonNull(url, "url");
        this.secret = secret;
        this.signatureHeader = Objects.requireNonNull(signatureHeader, "signatureHeader");
        this.headers = new LinkedHashMap<>(headers);
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxInFlight = maxInFlight;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    public static WebhookCrmClient fromConfig(CrmSinkConfig config, CrmMetrics metrics) {
        if (config.webhookUrl() == null) {
            throw new IllegalArgumentException(CrmSinkConfig.WEBHOOK_URL + " is not set");
        }
        return new WebhookCrmClient(HttpClients.create(config), config.webhookUrl(), config.webhookSecret(),
                config.webhookSignatureHeader(), config.webhookHeaders(), config.httpRequestTimeout(), Clock.systemUTC(),
                config.maxInFlightRequests(), metrics);
    }

    @Override
    public DeliveryResult deliver(List<Handoff> batch) {
        DeliveryResult result = ConcurrentDelivery.deliver(batch, maxInFlight, this::send);
        result.outcomes().stream().filter(o -> o.outcome().kind() != Outcome.Kind.DELIVERED).forEach(o ->
                log.debug("Webhook delivery of handoff {} not delivered: {}", o.handoff().handoffId(), o.outcome()));
        return result;
    }

    /** The request for one handoff (visible for tests). */
    HttpRequest request(Handoff h) {
        byte[] body = HandoffJson.toBytes(h);
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .timeout(requestTimeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        b.header("Content-Type", "application/json");
        b.header("Idempotency-Key", h.handoffId());
        if (secret != null && secret.value() != null && !secret.value().isEmpty()) {
            b.header(signatureHeader,
                    "sha256=" + Signatures.hmacSha256Hex(secret.value().getBytes(StandardCharsets.UTF_8), body));
        }
        return b.build();
    }

    private CompletableFuture<Outcome> send(Handoff h) {
        HttpRequest request;
        try {
            request = request(h);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Outcome.permanentFailure("cannot build request: " + e));
        }
        // The request timeout covers the response headers only; a stalled body must not hang the task.
        return metrics.timed(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                        .orTimeout(requestTimeout.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS))
                .handle((response, failure) -> failure != null
                        ? HttpOutcomes.classify(failure)
                        : HttpOutcomes.classify(response.statusCode(),
                                response.headers().firstValue("Retry-After").orElse(null),
                                HttpOutcomes.abbreviate(response.body(), MAX_BODY_IN_REASON), clock));
    }


    @Override
    public void close() {
        HttpClients.close(http, log);
    }
}
