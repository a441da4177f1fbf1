package io.leadscoring.connect;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the CRM clients record, for tests of what a client reports per request. */
final class RecordingCrmMetrics implements CrmMetrics {

    record Request(RequestOutcome outcome, String status, Duration latency) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();

    @Override
    public void request(RequestOutcome outcome, String status, Duration latency) {
        requests.add(new Request(outcome, status, latency));
    }

    @Override
    public void handoff(Outcome.Kind kind) {
        throw new AssertionError("a CRM client does not count handoffs: the task does");
    }

    @Override
    public void retry() {
        throw new AssertionError("a CRM client does not count retries: the task does");
    }

    @Override
    public void deadLettered(DeadLetterReason reason) {
        throw new AssertionError("a CRM client does not dead-letter: the task does");
    }

    /** "outcome status" per request, in completion order. */
    List<String> outcomesAndStatuses() {
        return requests.stream().map(r -> r.outcome().label() + " " + r.status()).toList();
    }
}
