package io.leadscoring.streams;

import io.leadscoring.events.AssetType;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.WebAction;
import io.leadscoring.scoring.Source;
import io.leadscoring.scoring.Stage;
import io.leadscoring.serde.AvroSerializationException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the topology reports about the records it processes: the domain metrics of the scoring application. The
 * topology calls it on the event path (stream threads, concurrently), so an implementation must be thread-safe and
 * cheap: O(1) and allocation-free per call, with its meters resolved before the first record. Every method is a
 * no-op by default; {@link #NONE} is what replay and tests use.
 *
 * <p>Calls count processing, not committed output: under exactly-once a task that fails before its commit
 * processes its records again, and they are counted again.
 */
public interface ScoringMetrics {

    /** Records nothing. */
    ScoringMetrics NONE = new ScoringMetrics() {
        @Override
        public String toString() {
            return "ScoringMetrics.NONE";
        }
    };

    /**
     * An event that met the input contract and was scored (not a duplicate).
     *
     * @param type the event's own type: a web event's {@code action} ({@link WebAction}), an email event's
     *     {@code type} ({@link EmailEventType}), a download's {@code assetType} ({@link AssetType}); one of
     *     {@link #eventTypes(Source)}
     */
    default void event(Source source, Enum<?> type) {
    }

    /** An event ignored as a duplicate (same event id for the same lead within 7 days). */
    default void duplicate(Source source) {
    }

    /** One non-zero award of a behaviour rule to one event, after its cap; negative for penalties. */
    default void awarded(String rule, double points) {
    }

    /** A lead's score after one record (event or profile change). */
    default void evaluated(double score) {
    }

    /** A lead moved to {@code stage} (MQL or SQL). */
    default void stageChanged(Stage stage) {
    }

    /**
     * An SQL handoff was emitted.
     *
     * @param latencyMillis wall clock at emission minus the event time of the record that caused it
     */
    default void handoff(long latencyMillis) {
    }

    /** A lead's state was erased on request (GDPR; one call per valid erasure record, known lead or not). */
    default void erased() {
    }

    /** A record went to the dead-letter topic; {@code reason} is its {@code dlq.reason} header. */
    default void deadLetter(String reason) {
    }

    /** The types an event of this source can carry, indexed by their ordinal. */
    static Enum<?>[] eventTypes(Source source) {
        return switch (source) {
            case WEB -> WebAction.values();
            case EMAIL -> EmailEventType.values();
            case DOWNLOAD -> AssetType.values();
        };
    }

    /** Every {@code dlq.reason} {@link DeadLetterHandler} writes: a bounded set, so meters can be made up front. */
    static List<String> deadLetterReasons() {
        List<String> reasons = new ArrayList<>();
        for (AvroSerializationException.Reason r : AvroSerializationException.Reason.values()) {
            reasons.add(r.name());
        }
        reasons.add(DeadLetterHandler.REASON_UNREADABLE);
        reasons.add(DeadLetterHandler.REASON_INVALID_RECORD);
        return List.copyOf(reasons);
    }
}
