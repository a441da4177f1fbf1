package io.leadscoring.scoring;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/** {@link WindowedState} on plain maps, for tests, benchmarks and tools. Not thread-safe; nothing expires. */
public final class InMemoryWindowedState implements WindowedState {
    private record IdKey(String leadId, String eventId) {}

    private record WindowKey(String leadId, String name, long windowStart) {}

    private final Map<IdKey, NavigableSet<Long>> events = new HashMap<>();
    private final Map<WindowKey, Double> caps = new HashMap<>();
    private final Map<WindowKey, long[]> weeks = new HashMap<>();

    @Override
    public Long previousOccurrence(String leadId, String eventId, long from, long to) {
        NavigableSet<Long> times = events.get(new IdKey(leadId, eventId));
        if (times == null) {
            return null;
        }
        Long t = times.ceiling(from);
        return t != null && t <= to ? t : null;
    }

    @Override
    public void rememberEvent(String leadId, String eventId, long occurredAt) {
        events.computeIfAbsent(new IdKey(leadId, eventId), k -> new TreeSet<>()).add(occurredAt);
    }

    @Override
    public double capUsed(String leadId, String rule, long windowStart) {
        Double used = caps.get(new WindowKey(leadId, rule, windowStart));
        return used == null ? 0 : used;
    }

    @Override
    public void setCapUsed(String leadId, String rule, long windowStart, double used) {
        caps.put(new WindowKey(leadId, rule, windowStart), used);
    }

    @Override
    public long[] activityWeek(String leadId, long weekStart) {
        return weeks.get(new WindowKey(leadId, "", weekStart));
    }

    @Override
    public void setActivityWeek(String leadId, long weekStart, long[] latestTimes) {
        weeks.put(new WindowKey(leadId, "", weekStart), latestTimes.clone());
    }

    /** Number of stored entries (event ids, cap windows, activity weeks), for tests and benchmarks. */
    public int size() {
        int ids = 0;
        for (NavigableSet<Long> s : events.values()) {
            ids += s.size();
        }
        return ids + caps.size() + weeks.size();
    }
}
