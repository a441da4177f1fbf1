package io.leadscoring.connect;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one handoff in a delivery: {@link Delivered}, {@link Transient} (retry later, possibly not
 * before the server's Retry-After) or {@link Permanent} (retrying cannot help: report or fail).
 */
public sealed interface Outcome permits Outcome.Delivered, Outcome.Transient, Outcome.Permanent {

    enum Kind { DELIVERED, TRANSIENT, PERMANENT }

    Kind kind();

    static Outcome delivered() {
        return Delivered.INSTANCE;
    }

    static Outcome transientFailure(String reason, Duration retryAfter) {
        return new Transient(reason, Optional.ofNullable(retryAfter));
    }

    static Outcome permanentFailure(String reason) {
        return new Permanent(reason);
    }

    /** The CRM accepted the handoff (an upsert: a re-delivery is harmless). */
    record Delivered() implements Outcome {
        static final Delivered INSTANCE = new Delivered();

        @Override
        public Kind kind() {
            return Kind.DELIVERED;
        }
    }

    /** A failure that may go away: I/O error, timeout, 408, 429, 5xx. */
    record Transient(String reason, Optional<Duration> retryAfter) implements Outcome {
        public Transient {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(retryAfter, "retryAfter");
        }

        @Override
        public Kind kind() {
            return Kind.TRANSIENT;
        }
    }

    /** A failure that retrying cannot fix: another 4xx, an unmappable record, a missing e-mail. */
    record Permanent(String reason) implements Outcome {
        public Permanent {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Kind kind() {
            return Kind.PERMANENT;
        }
    }
}
