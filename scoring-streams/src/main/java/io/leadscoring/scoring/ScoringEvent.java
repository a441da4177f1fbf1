package io.leadscoring.scoring;

/** A behaviour event as rules see it. Adapters over Avro records live in the topology. */
public interface ScoringEvent {
    Source source();

    String leadId();

    String eventId();

    /** Event time, epoch milliseconds. */
    long occurredAt();

    /**
     * Value of a readable field by its SCORING.md name ("url", "path", "host", "action", "referrer", "sessionId",
     * "type", "campaignId", "emailKind", "assetId", "assetType", "title", "eventId", "leadId", ...); enums as their
     * symbol String; null when absent. Strings may also be any {@link CharSequence} (e.g. Avro's Utf8).
     */
    Object get(String field);
}
