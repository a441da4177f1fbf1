package io.leadscoring.connect;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The outcome of every handoff of one delivered batch, in batch order. */
public record DeliveryResult(List<RecordOutcome> outcomes) {

    /** One handoff and what happened to it. */
    public record RecordOutcome(Handoff handoff, Outcome outcome) {
    }

    public DeliveryResult {
        outcomes = List.copyOf(outcomes);
    }

    public boolean allDelivered() {
        return outcomes.stream().allMatch(o -> o.outcome().kind() == Outcome.Kind.DELIVERED);
    }

    public List<RecordOutcome> withKind(Outcome.Kind kind) {
        return outcomes.stream().filter(o -> o.outcome().kind() == kind).toList();
    }

    /** The longest Retry-After among the transient failures, if any server sent one. */
    public Optional<Duration> longestRetryAfter() {
        return outcomes.stream()
                .map(RecordOutcome::outcome)
                .filter(o -> o instanceof Outcome.Transient)
                .map(o -> ((Outcome.Transient) o).retryAfter())
                .flatMap(Optional::stream)
                .max(Duration::compareTo);
    }
}
