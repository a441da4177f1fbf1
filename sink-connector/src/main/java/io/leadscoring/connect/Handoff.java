package io.leadscoring.connect;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One SQL handoff as read from {@code leads.sql-handoffs} (Avro {@code io.leadscoring.events.StageChange}),
 * independent of Connect and Avro.
 *
 * <p>{@code handoffId} and {@code leadId} are always present and non-blank: the handoff id is the idempotency
 * key of every CRM request. The other fields are {@code null} when the record did not carry them (schemaless
 * JSON may be partial); enum fields ({@code stage}, {@code fitGrade}, ...) are kept as their symbol names.
 */
public record Handoff(
        String handoffId,
        String leadId,
        String stage,
        String previousStage,
        Instant at,
        Double score,
        Double engagement,
        Double fit,
        String fitGrade,
        String temperature,
        String activity,
        String ruleSet,
        List<Reason> reasons,
        String email,
        String firstName,
        String lastName,
        String company) {

    /** One rule behind the score and its (decayed) contribution. */
    public record Reason(String rule, double points) {
        public Reason {
            Objects.requireNonNull(rule, "rule");
        }
    }

    public Handoff {
        if (handoffId == null || handoffId.isBlank()) {
            throw new IllegalArgumentException("handoffId must be non-blank");
        }
        if (leadId == null || leadId.isBlank()) {
            throw new IllegalArgumentException("leadId must be non-blank");
        }
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
    }

    /** True when the handoff carries a non-blank e-mail address (HubSpot upserts by e-mail). */
    public boolean hasEmail() {
        return email != null && !email.isBlank();
    }
}
