package io.leadscoring.streams;

import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.scoring.LeadState;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * An erasure request (GDPR, docs/ERASURE.md): deletes everything the scoring task stores for one lead and forwards a
 * tombstone for {@code leads.scores}. It runs in the scoring task, on the same stores as {@link ScoreProcessor}
 * (the erasure topic is co-partitioned with the inputs), so under exactly-once the deletes, their changelog
 * tombstones and the score tombstone commit together with the request's offset.
 *
 * <p>A request is keyed by the lead id and carries the same id as its value; anything else is an invalid record
 * and goes to the dead-letter topic. A lead with nothing stored still gets its tombstone: erasing twice is harmless.
 */
final class LeadErasure implements Processor<String, String, String, LeadScore> {

    /** The stores an erasure clears: every store of the scoring task. */
    static final String[] STORES = {Names.LEAD_STATE_STORE, Names.PROFILES_STORE, Names.SEEN_EVENTS_STORE,
        Names.RULE_CAPS_STORE, Names.ACTIVITY_STORE};

    private final ScoringMetrics metrics;
    private ProcessorContext<String, LeadScore> context;
    private KeyValueStore<String, LeadState> leads;
    private TimestampedKeyValueStore<String, LeadProfile> profiles;
    private WindowStore<String, Long> seenEvents;
    private WindowStore<String, Double> ruleCaps;
    private WindowStore<String, long[]> activity;

    LeadErasure(ScoringMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, LeadScore> context) {
        this.context = context;
        this.leads = context.getStateStore(Names.LEAD_STATE_STORE);
        this.profiles = context.getStateStore(Names.PROFILES_STORE);
        this.seenEvents = context.getStateStore(Names.SEEN_EVENTS_STORE);
        this.ruleCaps = context.getStateStore(Names.RULE_CAPS_STORE);
        this.activity = context.getStateStore(Names.ACTIVITY_STORE);
    }

    @Override
    public void process(Record<String, String> record) {
        String leadId = record.key();
        validate(leadId, record.value());
        erase(leadId);
        metrics.erased();
        context.forward(record.withValue((LeadScore) null));
    }

    /** Deletes the lead from every store; returns how many entries were deleted. */
    int erase(String leadId) {
        int deleted = 0;
        if (leads.delete(leadId) != null) {
            deleted++;
        }
        if (profiles.delete(leadId) != null) {
            deleted++;
        }
        deleted += deleteParts(seenEvents, leadId);
        deleted += deleteParts(ruleCaps, leadId);
        deleted += deleteWindows(activity, leadId);
        return deleted;
    }

    static void validate(String key, String leadId) {
        if (key == null || key.isBlank()) {
            throw new InvalidRecordException("erasure request: the record key, the lead id, is empty");
        }
        if (leadId == null || leadId.isBlank()) {
            throw new InvalidRecordException("erasure request: the value, the lead id, is empty");
        }
        if (!key.equals(leadId)) {
            throw new InvalidRecordException("erasure request: key '" + key + "' differs from the value '" + leadId
                    + "'");
        }
    }

    /**
     * Every window of every key {@code leadId + separator + part} ({@link StoreWindowedState#key}), over the whole
     * retention: one key-range fetch from the lead's prefix to the next prefix, then a delete (a null put) per window.
     * Keys are ordered by their UTF-8 bytes, which is code-point order, so the range holds every key with the prefix.
     */
    private static <V> int deleteParts(WindowStore<String, V> store, String leadId) {
        String prefix = StoreWindowedState.key(leadId, "");
        char last = prefix.charAt(prefix.length() - 1);
        String upper = prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
        List<KeyValue<String, Long>> found = new ArrayList<>();
        try (KeyValueIterator<Windowed<String>, V> it = store.fetch(prefix, upper, 0L, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                KeyValue<Windowed<String>, V> entry = it.next();
                // The range's upper end itself is no key of this lead.
                if (entry.key.key().startsWith(prefix)) {
                    found.add(KeyValue.pair(entry.key.key(), entry.key.window().start()));
                }
            }
        }
        // Deleted after the iterator is closed: a store need not support writes under an open iterator.
        for (KeyValue<String, Long> window : found) {
            store.put(window.key, null, window.value);
        }
        return found.size();
    }

    /** Every window of the key {@code leadId} itself, over the whole retention. */
    private static <V> int deleteWindows(WindowStore<String, V> store, String leadId) {
        List<Long> starts = new ArrayList<>();
        try (WindowStoreIterator<V> it = store.fetch(leadId, 0L, Long.MAX_VALUE)) {
            while (it.hasNext()) {
                starts.add(it.next().key);
            }
        }
        for (long start : starts) {
            store.put(leadId, null, start);
        }
        return starts.size();
    }
}
