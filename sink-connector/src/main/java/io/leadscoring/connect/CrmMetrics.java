package io.leadscoring.connect;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What the CRM sink counts, recorded by the task (handoff outcomes, retries, dead letters) and by the CRM clients
 * (each HTTP request). {@link ConnectCrmMetrics} exports them as the worker's plugin metrics; {@link #NONE} drops
 * them. Implementations must be thread-safe: clients record from the HTTP client's threads.
 */
public interface CrmMetrics {

    /** Why a record went to the dead-letter queue. */
    enum DeadLetterReason {
        /** The CRM refused the handoff permanently (e.g. a 400 for this record, no e-mail for HubSpot). */
        REJECTED,
        /** The record is not a handoff (wrong shape, missing field): it never reached the CRM. */
        UNMAPPABLE
    }

    /** Records nothing. */
    CrmMetrics NONE = new CrmMetrics() {
        @Override
        public void request(RequestOutcome outcome, String status, Duration latency) {
        }

        @Override
        public void handoff(Outcome.Kind kind) {
        }

        @Override
        public void retry() {
        }

        @Override
        public void deadLettered(DeadLetterReason reason) {
        }
    };

    /**
     * One HTTP request to the CRM: what it came to, its status ({@code 201}, {@code 429}, ... or {@code timeout},
     * {@code io_error}, {@code error} without an answer) and how long it took.
     */
    void request(RequestOutcome outcome, String status, Duration latency);

    /** One handoff's outcome in one delivery attempt (a handoff retried twice counts three times). */
    void handoff(Outcome.Kind kind);

    /** A delivery with transient failures was scheduled for another attempt. */
    void retry();

    /** A record was written to the dead-letter queue (the errant record reporter). */
    void deadLettered(DeadLetterReason reason);

    /**
     * Sends through {@code send} and records the request when it completes. The returned future completes after the
     * recording, so a caller that waited for it sees the request counted.
     */
    default <T> CompletableFuture<HttpResponse<T>> timed(Supplier<CompletableFuture<HttpResponse<T>>> send) {
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<T>> sent;
        try {
            sent = send.get();
        } catch (RuntimeException e) {
            request(RequestOutcome.ERROR, RequestOutcome.failureStatus(e), Duration.ofNanos(System.nanoTime() - start));
            throw e;
        }
        return sent.whenComplete((response, failure) -> {
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            if (failure != null) {
                request(RequestOutcome.ofFailure(failure), RequestOutcome.failureStatus(failure), latency);
            } else {
                request(RequestOutcome.of(response.statusCode()), Integer.toString(response.statusCode()), latency);
            }
        });
    }
}
