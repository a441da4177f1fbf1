package io.leadscoring.app.http;

/**
 * What the HTTP API serves, behind the routing, validation and authentication of {@link HttpApi}:
 * {@link StreamsApiBackend} on a running Kafka Streams application; tests use their own.
 */
public interface ApiBackend {

    /** {@code GET /health}: 200 while the instance processes (or rebalances), 503 otherwise. */
    Reply health();

    /** {@code GET /metrics}: Prometheus text format. */
    Reply metrics();

    /**
     * {@code GET /leads/{id}}.
     *
     * @param forwardedBy the instance that forwarded this request, or null when it comes from a client
     */
    Reply lead(String leadId, String forwardedBy);

    /** {@code GET /leads/top?n=}: the n hottest leads of the whole application. */
    Reply top(int n);

    /** {@code GET /internal/leads/top?n=&at=}: this instance's own n hottest leads, decayed to {@code at}. */
    Reply localTop(int n, long at);

    /** {@code GET /handoffs?limit=}: the newest SQL handoffs, newest first, and how many there were. */
    default Reply handoffs(int limit) {
        return Reply.error(404, "no handoff feed on this instance");
    }
}
