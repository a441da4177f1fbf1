package io.leadscoring.scoring;

/** Windowed per-lead facts, backed by Kafka window stores in the topology and by maps in tests. */
public interface WindowedState {
    /** Event time of an earlier accepted event with this id for this lead whose time lies in [from, to], or null. */
    Long previousOccurrence(String leadId, String eventId, long from, long to);

    void rememberEvent(String leadId, String eventId, long occurredAt);

    /** Magnitude of points a capped rule already awarded to the lead in the cap window starting at windowStart (0 if none). */
    double capUsed(String leadId, String rule, long windowStart);

    void setCapUsed(String leadId, String rule, long windowStart, double used);

    /**
     * Up to 3 latest accepted event times in the epoch-aligned week starting at weekStart (largest first), or null.
     * Callers must not modify the returned array.
     */
    long[] activityWeek(String leadId, long weekStart);

    /** Stores the up to 3 latest accepted event times of the week (largest first); the array is not modified later. */
    void setActivityWeek(String leadId, long weekStart, long[] latestTimes);
}
