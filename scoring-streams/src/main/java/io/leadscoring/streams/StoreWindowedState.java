package io.leadscoring.streams;

import io.leadscoring.scoring.WindowedState;
import org.apache.kafka.streams.state.WindowStore;

/** The core's windowed facts on Kafka window stores. */
final class StoreWindowedState implements WindowedState {

    private static final char SEPARATOR = '\u001f';

    /**
     * Event ids are stored in week buckets, their exact time as the value: a window-store range fetch costs one
     * lookup per distinct window start in the range (in memory) or per segment (RocksDB), so millisecond starts
     * would make each duplicate check scan every event of two weeks; week buckets make it three lookups at most, two
     * for an on-time event (the core looks no later than the lead's newest event).
     */
    static final long SEEN_BUCKET_MS = 7L * 24 * 60 * 60 * 1000;

    private final WindowStore<String, Long> seenEvents;
    private final WindowStore<String, Double> ruleCaps;
    private final WindowStore<String, long[]> activity;
    private String writtenLead;
    private long writtenWeek;
    private long[] writtenTimes;

    StoreWindowedState(WindowStore<String, Long> seenEvents, WindowStore<String, Double> ruleCaps,
            WindowStore<String, long[]> activity) {
        this.seenEvents = seenEvents;
        this.ruleCaps = ruleCaps;
        this.activity = activity;
    }

    @Override
    public Long previousOccurrence(String leadId, String eventId, long from, long to) {
        String key = key(leadId, eventId);
        // Point lookups: one occurrence per bucket at most, since a second one within 7 days is a duplicate.
        for (long bucket = bucket(from); bucket <= to; bucket += SEEN_BUCKET_MS) {
            Long occurredAt = seenEvents.fetch(key, bucket);
            if (occurredAt != null && occurredAt >= from && occurredAt <= to) {
                return occurredAt;
            }
        }
        return null;
    }

    @Override
    public void rememberEvent(String leadId, String eventId, long occurredAt) {
        seenEvents.put(key(leadId, eventId), occurredAt, bucket(occurredAt));
    }

    static long bucket(long time) {
        return Math.floorDiv(time, SEEN_BUCKET_MS) * SEEN_BUCKET_MS;
    }

    @Override
    public double capUsed(String leadId, String rule, long windowStart) {
        Double used = ruleCaps.fetch(key(leadId, rule), windowStart);
        return used == null ? 0.0 : used;
    }

    @Override
    public void setCapUsed(String leadId, String rule, long windowStart, double used) {
        ruleCaps.put(key(leadId, rule), used, windowStart);
    }

    @Override
    public long[] activityWeek(String leadId, long weekStart) {
        if (weekStart == writtenWeek && leadId.equals(writtenLead)) {
            return writtenTimes;
        }
        return activity.fetch(leadId, weekStart);
    }

    @Override
    public void setActivityWeek(String leadId, long weekStart, long[] latestTimes) {
        activity.put(leadId, latestTimes, weekStart);
        writtenLead = leadId;
        writtenWeek = weekStart;
        writtenTimes = latestTimes;
    }

    /** Called before each record: the week a record writes is usually the first one its evaluation reads. */
    void startRecord() {
        writtenLead = null;
        writtenTimes = null;
    }

    static String key(String leadId, String part) {
        return leadId + SEPARATOR + part;
    }
}
