package io.leadscoring.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The approximate number of entries of each of the topology's state stores in this instance's active tasks, for a
 * metrics gauge: measured on demand (a scrape), at most once per {@code maxAge}, never on the event path.
 *
 * <ul>
 *   <li>RocksDB stores: the {@code estimate-num-keys} metric Kafka Streams keeps per store and task (RocksDB's
 *       {@code rocksdb.estimate-num-keys}, summed over a window store's segments), summed over the active tasks.
 *       An estimate: overwritten and deleted keys not yet compacted may count.
 *   <li>In-memory stores: interactive queries; {@code approximateNumEntries()} of a key-value store is exact, a
 *       window store is counted by iterating it (O(entries), hence the cache).
 * </ul>
 *
 * A store that cannot be measured (a rebalance moves it) keeps its previous value; before a first value it is NaN.
 */
public final class StateStoreSizes {

    /** Every store of the topology, the {@code store} label's values. */
    public static final List<String> STORES = List.of(Names.LEAD_STATE_STORE, Names.PROFILES_STORE,
            Names.SEEN_EVENTS_STORE, Names.RULE_CAPS_STORE, Names.ACTIVITY_STORE);
    private static final Set<String> WINDOW_STORES = Set.of(Names.SEEN_EVENTS_STORE, Names.RULE_CAPS_STORE,
            Names.ACTIVITY_STORE);
    static final String ROCKSDB_METRICS_GROUP = "stream-state-metrics";
    static final String ROCKSDB_ESTIMATE_NUM_KEYS = "estimate-num-keys";

    private static final Logger log = LoggerFactory.getLogger(StateStoreSizes.class);

    private final ToLongFunction<String> measure;
    private final LongSupplier nanoClock;
    private final long maxAgeNanos;
    private final Map<String, Long> last = new HashMap<>();
    private long measuredAt;
    private boolean measured;

    /**
     * @param inMemoryStores whether the topology was built with in-memory stores ({@link ScoringTopology.Settings})
     * @param maxAge how long a measurement is served before the next one
     */
    public StateStoreSizes(KafkaStreams streams, boolean inMemoryStores, Duration maxAge) {
        this(store -> inMemoryStores ? queried(streams, store) : rocksDbEstimate(streams, store), System::nanoTime,
                maxAge);
    }

    /**
     * Sizes from any measurement (tests, other stores).
     *
     * @param measure a store's entries by its name; it may throw when the store cannot be measured now
     */
    public StateStoreSizes(ToLongFunction<String> measure, LongSupplier nanoClock, Duration maxAge) {
        this.measure = measure;
        this.nanoClock = nanoClock;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** The store's approximate entries, measured at most {@code maxAge} ago; NaN while it never could be. */
    public synchronized double entries(String store) {
        long now = nanoClock.getAsLong();
        if (!measured || now - measuredAt >= maxAgeNanos) {
            measured = true;
            measuredAt = now;
            for (String s : STORES) {
                try {
                    last.put(s, measure.applyAsLong(s));
                } catch (RuntimeException e) {
                    log.debug("Cannot measure state store {} now (keeping its last size): {}", s, e.toString());
                }
            }
        }
        Long entries = last.get(store);
        return entries == null ? Double.NaN : entries;
    }

    /** Sum of Kafka Streams' RocksDB {@code estimate-num-keys} of {@code store} over the active tasks. */
    static long rocksDbEstimate(KafkaStreams streams, String store) {
        Set<String> activeTasks = new HashSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                activeTasks.add(task.taskId().toString());
            }
        }
        long sum = 0;
        for (Metric metric : streams.metrics().values()) {
            MetricName name = metric.metricName();
            if (ROCKSDB_METRICS_GROUP.equals(name.group()) && ROCKSDB_ESTIMATE_NUM_KEYS.equals(name.name())
                    && store.equals(storeOf(name)) && activeTasks.contains(name.tags().get("task-id"))
                    && metric.metricValue() instanceof Number value) {
                sum += value.longValue();
            }
        }
        return sum;
    }

    /** The store a state metric is about: its tag {@code rocksdb-state-id}, {@code rocksdb-window-state-id}, .... */
    static String storeOf(MetricName name) {
        for (Map.Entry<String, String> tag : name.tags().entrySet()) {
            if (tag.getKey().endsWith("-state-id")) {
                return tag.getValue();
            }
        }
        return null;
    }

    private static long queried(KafkaStreams streams, String store) {
        if (!WINDOW_STORES.contains(store)) {
            return streams.store(StoreQueryParameters.fromNameAndType(store,
                    QueryableStoreTypes.<String, Object>keyValueStore())).approximateNumEntries();
        }
        ReadOnlyWindowStore<String, Object> windows = streams.store(StoreQueryParameters.fromNameAndType(store,
                QueryableStoreTypes.<String, Object>windowStore()));
        long n = 0;
        try (KeyValueIterator<Windowed<String>, Object> all = windows.all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }
}
