package io.leadscoring.bench;

import io.leadscoring.scoring.RuleSet;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.streams.Names;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.ScoringTopology;
import io.leadscoring.streams.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The production topology in a {@link TopologyTestDriver}, driven as {@code replay} drives it: in-memory stores, no
 * changelogs, no cache, at-least-once; or with the application's stores (RocksDB under a state directory, cached as
 * the application caches them), still without changelogs. Inputs are piped as the bytes a producer would send
 * (serialized before the clock starts); outputs are drained as bytes.
 */
final class TopologyHarness implements AutoCloseable {

    /** The application's default late-event horizon: window stores keep as much history as in production. */
    static final Duration HORIZON = Duration.ofDays(30);
    private static final int DRAIN_EVERY = 1024;

    private final Topics topics = Topics.defaults();
    private final String registryScope = "bench-ttd-" + UUID.randomUUID();
    private final ScoringSerdes serdes;
    private final TopologyTestDriver driver;
    private final Map<String, TestInputTopic<String, byte[]>> inputs = new HashMap<>();
    private final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new HashMap<>();
    private long piped;
    private long produced;

    /** Replay's set-up: in-memory stores. */
    TopologyHarness(RuleSet rules) {
        this(rules, null);
    }

    /** @param rocksDbStateDir null: in-memory stores; else the application's RocksDB stores under this directory */
    TopologyHarness(RuleSet rules, Path rocksDbStateDir) {
        this.serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + registryScope));
        var settings = new ScoringTopology.Settings(topics, rules, HORIZON, rocksDbStateDir == null, false);
        Properties props = properties(topics);
        if (rocksDbStateDir != null) {
            props.put(StreamsConfig.STATE_DIR_CONFIG, rocksDbStateDir.toString());
            // The application's cache size (its default, unless the topology's defaults set one).
            props.remove(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG);
            Object cache = ScoringTopology.streamsDefaults(topics).get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG);
            if (cache != null) {
                props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cache);
            }
        }
        this.driver = new TopologyTestDriver(ScoringTopology.build(settings, serdes), props);
        StringSerializer keys = new StringSerializer();
        for (String topic : topics.inputs()) {
            inputs.put(topic, driver.createInputTopic(topic, keys, new ByteArraySerializer()));
        }
        ByteArrayDeserializer bytes = new ByteArrayDeserializer();
        for (String topic : topics.outputs()) {
            outputs.put(topic, driver.createOutputTopic(topic, bytes, bytes));
        }
    }

    /** Replay's settings (cli.Replay#properties). */
    private static Properties properties(Topics topics) {
        Properties props = ScoringTopology.streamsDefaults(topics);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lead-scoring-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "bench.invalid:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        return props;
    }

    Topics topics() {
        return topics;
    }

    /** Serializes an event as its producer would (Confluent wire format, schema registered in the mock registry). */
    @SuppressWarnings("unchecked")
    Piped serialize(LeadTraffic.Event event) {
        Serializer<Object> serializer = (Serializer<Object>) serializerFor(event.topic());
        return new Piped(event.topic(), event.leadId(), serializer.serialize(event.topic(), event.value()),
                event.timestamp());
    }

    private Serializer<?> serializerFor(String topic) {
        if (topic.equals(topics.webEvents())) {
            return serdes.webEvent().serializer();
        } else if (topic.equals(topics.emailEvents())) {
            return serdes.emailEvent().serializer();
        } else if (topic.equals(topics.downloadEvents())) {
            return serdes.downloadEvent().serializer();
        } else if (topic.equals(topics.profiles())) {
            return serdes.profile().serializer();
        }
        throw new IllegalArgumentException("not an input topic: " + topic);
    }

    /** One serialized input record. */
    record Piped(String topic, String key, byte[] value, long timestamp) {
    }

    void pipe(Piped record) {
        inputs.get(record.topic()).pipeInput(record.key(), record.value(), record.timestamp());
        if (++piped % DRAIN_EVERY == 0) {
            drain();
        }
    }

    /** Reads what the topology produced, so the driver's output queues stay small; returns the total so far. */
    long drain() {
        // Only topics written so far: the driver warns about every read of a topic it has not seen.
        for (String topic : driver.producedTopicNames()) {
            TestOutputTopic<byte[], byte[]> output = outputs.get(topic);
            if (output == null) {
                continue;
            }
            produced += output.getQueueSize();
            while (!output.isEmpty()) {
                output.readRecord();
            }
        }
        return produced;
    }

    long piped() {
        return piped;
    }

    /**
     * Bytes the stores hold, key plus value as serialized, summed over every entry of every store; window-store keys
     * count 12 more bytes (the 8-byte window start and 4-byte sequence number of RocksDB's window key layout). Also
     * the number of leads (entries of the lead-state store).
     */
    StoreSizes storeSizes() {
        Map<String, Long> bytes = new HashMap<>();
        long leads = 0;
        for (StateStore store : driver.getAllStateStores().values()) {
            StateStore inner = innermost(store);
            long total = 0;
            long entries = 0;
            if (inner instanceof KeyValueStore<?, ?> kv) {
                @SuppressWarnings("unchecked")
                var raw = (KeyValueStore<Bytes, byte[]>) kv;
                try (var it = raw.all()) {
                    while (it.hasNext()) {
                        var entry = it.next();
                        total += entry.key.get().length + (entry.value == null ? 0 : entry.value.length);
                        entries++;
                    }
                }
            } else if (inner instanceof WindowStore<?, ?> ws) {
                @SuppressWarnings("unchecked")
                var raw = (WindowStore<Bytes, byte[]>) ws;
                try (var it = raw.all()) {
                    while (it.hasNext()) {
                        var entry = it.next();
                        total += entry.key.key().get().length + 12 + (entry.value == null ? 0 : entry.value.length);
                        entries++;
                    }
                }
            } else {
                throw new IllegalStateException("unexpected store " + inner.getClass());
            }
            bytes.put(store.name(), total);
            if (store.name().equals(Names.LEAD_STATE_STORE)) {
                leads = entries;
            }
        }
        return new StoreSizes(leads, bytes);
    }

    /** Per store, serialized bytes; {@code leads}: leads with a state. */
    record StoreSizes(long leads, Map<String, Long> bytesByStore) {
        long totalBytes() {
            return bytesByStore.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The innermost key-value or window store of the bytes (below metering and cache). */
    private static StateStore innermost(StateStore store) {
        StateStore current = store;
        while (current instanceof WrappedStateStore<?, ?, ?> wrapped
                && (wrapped.wrapped() instanceof KeyValueStore<?, ?> || wrapped.wrapped() instanceof WindowStore<?, ?>)) {
            current = wrapped.wrapped();
        }
        return current;
    }

    /** Writes every store's cache and memtables to disk (RocksDB: SST files). */
    void flushStores() {
        for (StateStore store : driver.getAllStateStores().values()) {
            store.flush();
        }
    }

    @Override
    public void close() {
        driver.close();
        serdes.close();
        MockSchemaRegistry.dropScope(registryScope);
    }
}
