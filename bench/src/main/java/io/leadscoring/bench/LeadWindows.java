package io.leadscoring.bench;

import io.leadscoring.scoring.WindowedState;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link WindowedState} for the core benchmark: one small object per lead, found once per record (every call of a
 * record is for the same lead), so the figure is the scoring core's and not the cost of hashing composite keys over
 * one big map (the core's {@code InMemoryWindowedState} is built for tests, and hashes a record key per call). Nothing
 * expires: the benchmark drops all state when its cycle of records starts over. It also counts the reads a
 * store-backed implementation turns into store lookups.
 */
final class LeadWindows implements WindowedState {

    /** Store lookups per kind, as {@code StoreWindowedState} makes them (see {@link #previousOccurrence}). */
    long seenLookups;
    long capLookups;
    long activityLookups;

    private final Map<String, Lead> leads = new HashMap<>();
    private String lastLeadId;
    private Lead last;

    private static final class Lead {
        final Map<String, Long> seen = new HashMap<>();
        final Map<String, Double> caps = new HashMap<>();
        final Map<Long, long[]> weeks = new HashMap<>();
    }

    private Lead lead(String leadId) {
        if (leadId != lastLeadId) { // identity: the same String object for every call of a record
            last = leads.computeIfAbsent(leadId, id -> new Lead());
            lastLeadId = leadId;
        }
        return last;
    }

    @Override
    public Long previousOccurrence(String leadId, String eventId, long from, long to) {
        // The store keeps ids in week buckets and reads every bucket of [from, to]: three for the 14-day window.
        seenLookups += 3;
        Long t = lead(leadId).seen.get(eventId);
        return t != null && t >= from && t <= to ? t : null;
    }

    @Override
    public void rememberEvent(String leadId, String eventId, long occurredAt) {
        lead(leadId).seen.put(eventId, occurredAt);
    }

    @Override
    public double capUsed(String leadId, String rule, long windowStart) {
        capLookups++;
        Double used = lead(leadId).caps.get(rule + '@' + windowStart);
        return used == null ? 0 : used;
    }

    @Override
    public void setCapUsed(String leadId, String rule, long windowStart, double used) {
        lead(leadId).caps.put(rule + '@' + windowStart, used);
    }

    @Override
    public long[] activityWeek(String leadId, long weekStart) {
        activityLookups++;
        return lead(leadId).weeks.get(weekStart);
    }

    @Override
    public void setActivityWeek(String leadId, long weekStart, long[] latestTimes) {
        lead(leadId).weeks.put(weekStart, latestTimes);
    }
}
