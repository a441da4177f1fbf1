package io.leadscoring.streams;

import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.Stage;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.scoring.Scorer;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The scoring pipeline as a pure function of its settings. Events and profile changes of a lead meet in one
 * processor, {@value Names#SCORE_LEADS}, keyed by lead id: the inputs are co-partitioned, so nothing is repartitioned.
 */
public final class ScoringTopology {

    /** SCORING.md: a duplicate is an event id seen for the same lead within 7 days of event time. */
    static final Duration DUPLICATE_WINDOW = Duration.ofDays(7);
    /** SCORING.md: activity looks back 12 epoch-aligned weeks. */
    static final Duration ACTIVITY_LOOKBACK = Duration.ofDays(7 * 12);

    /**
     * @param lateEventHorizon how much later than the newest record already stored a record may arrive and still
     *     find its windows (caps, duplicates, activity); window stores keep this much extra history.
     * @param inMemoryStores in-memory instead of RocksDB stores (replay, tests)
     * @param changelogged whether stores are backed by changelog topics; only a one-shot replay, which has
     *     nothing to restore, turns this off
     */
    public record Settings(Topics topics, RuleSet rules, Duration lateEventHorizon, boolean inMemoryStores,
            boolean changelogged) {

        public Settings(Topics topics, RuleSet rules, Duration lateEventHorizon, boolean inMemoryStores) {
            this(topics, rules, lateEventHorizon, inMemoryStores, true);
        }
    }

    private ScoringTopology() {
    }

    /**
     * The Kafka Streams settings this topology relies on: exactly-once, and bad records to the dead-letter topic
     * through {@link DeadLetterHandler}.
     */
    public static Properties streamsDefaults(Topics topics) {
        return streamsDefaults(topics, ScoringMetrics.NONE);
    }

    /**
     * {@link #streamsDefaults(Topics)}, with the metrics that {@link DeadLetterHandler} counts dead letters in (use
     * the same instance as {@link #build(Settings, ScoringSerdes, ScoringMetrics)}).
     */
    public static Properties streamsDefaults(Topics topics, ScoringMetrics metrics) {
        Properties props = new Properties();
        if (metrics != ScoringMetrics.NONE) {
            props.put(DeadLetterHandler.METRICS_CONFIG, metrics); // an object, not a string: not for a file
        }
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetter());
        return props;
    }

    /** The topology without metrics (replay, tests). */
    public static Topology build(Settings settings, ScoringSerdes serdes) {
        return build(settings, serdes, ScoringMetrics.NONE);
    }

    /** The topology, reporting what it processes to {@code metrics} (called on the stream threads). */
    public static Topology build(Settings settings, ScoringSerdes serdes, ScoringMetrics metrics) {
        Topics topics = settings.topics();
        Scorer scorer = new Scorer(settings.rules());
        StreamsBuilder builder = new StreamsBuilder();

        builder.addStateStore(keyValueStore(settings, Names.LEAD_STATE_STORE, StateSerdes.leadState()));
        builder.addStateStore(windowStore(settings, Names.SEEN_EVENTS_STORE,
                DUPLICATE_WINDOW.plusMillis(StoreWindowedState.SEEN_BUCKET_MS),
                Duration.ofMillis(StoreWindowedState.SEEN_BUCKET_MS), Serdes.Long()));
        Duration longestCap = settings.rules().longestCapPeriod();
        builder.addStateStore(windowStore(settings, Names.RULE_CAPS_STORE,
                longestCap, longestCap, Serdes.Double()));
        builder.addStateStore(windowStore(settings, Names.ACTIVITY_STORE,
                ACTIVITY_LOOKBACK, Duration.ofDays(7), StateSerdes.longArray()));

        // Profiles are checked before the table keeps them: a profile filed under another lead must never be
        // joined to this one's events. A deletion (null) passes through and removes the profile.
        KTable<String, LeadProfile> profiles = builder
                .stream(topics.profiles(), consumed(serdes.profile(), Names.PROFILES_SOURCE))
                .mapValues((leadId, profile) -> {
                    if (profile != null || leadId == null) {
                        ScoreProcessor.validateLeadId(leadId, profile == null ? null : profile.getLeadId());
                    }
                    if (profile != null && profile.getUpdatedAt().toEpochMilli() < 0) {
                        throw new InvalidRecordException("updatedAt is before 1970: " + profile.getUpdatedAt());
                    }
                    if (profile != null) {
                        ScoreProcessor.validateProfileSize(profile);
                    }
                    return profile;
                }, Named.as(Names.VALIDATE_PROFILES))
                .toTable(Named.as(Names.PROFILES_TABLE), profileStore(settings, serdes.profile()));

        KStream<String, ScoringInput> web = builder
                .stream(topics.webEvents(), consumed(serdes.webEvent(), Names.WEB_SOURCE))
                .mapValues(e -> ScoringInput.event(AvroViews.of(present(e)), e.getAction()),
                        Named.as(Names.ADAPT_WEB));
        KStream<String, ScoringInput> email = builder
                .stream(topics.emailEvents(), consumed(serdes.emailEvent(), Names.EMAIL_SOURCE))
                .mapValues(e -> ScoringInput.event(AvroViews.of(present(e)), e.getType()),
                        Named.as(Names.ADAPT_EMAIL));
        KStream<String, ScoringInput> download = builder
                .stream(topics.downloadEvents(), consumed(serdes.downloadEvent(), Names.DOWNLOAD_SOURCE))
                .mapValues(e -> ScoringInput.event(AvroViews.of(present(e)), e.getAssetType()),
                        Named.as(Names.ADAPT_DOWNLOAD));
        KStream<String, ScoringInput> profileChanges = profiles
                .toStream(Named.as(Names.PROFILE_CHANGES))
                .filter((leadId, profile) -> profile != null, Named.as(Names.PROFILE_CHANGES + "-skip-deletes"))
                .mapValues(p -> ScoringInput.profileChange(AvroViews.of(p)), Named.as(Names.ADAPT_PROFILES));

        KStream<String, SpecificRecord> results = web
                .merge(email, Named.as(Names.MERGE_EMAIL))
                .merge(download, Named.as(Names.MERGE_DOWNLOAD))
                .merge(profileChanges, Named.as(Names.MERGE_PROFILES))
                .process(() -> new ScoreProcessor(scorer, metrics, settings.lateEventHorizon()),
                        Named.as(Names.SCORE_LEADS),
                        Names.LEAD_STATE_STORE, Names.PROFILES_STORE, Names.SEEN_EVENTS_STORE,
                        Names.RULE_CAPS_STORE, Names.ACTIVITY_STORE);

        Map<String, KStream<String, SpecificRecord>> routed = results.split(Named.as(Names.ROUTE))
                .branch((leadId, r) -> r instanceof LeadScore, Branched.as(Names.SCORES_BRANCH))
                .branch((leadId, r) -> r instanceof StageChange, Branched.as(Names.CHANGES_BRANCH))
                .noDefaultBranch();

        routed.get(Names.ROUTE + Names.SCORES_BRANCH)
                .mapValues(r -> (LeadScore) r, Named.as(Names.TO_SCORE))
                .to(topics.scores(), Produced.with(Serdes.String(), serdes.leadScore()).withName(Names.SCORES_SINK));
        KStream<String, StageChange> changes = routed.get(Names.ROUTE + Names.CHANGES_BRANCH)
                .mapValues(r -> (StageChange) r, Named.as(Names.TO_CHANGE));
        changes.to(topics.stageChanges(),
                Produced.with(Serdes.String(), serdes.stageChange()).withName(Names.STAGE_CHANGES_SINK));
        changes.filter((leadId, change) -> change.getStage() == Stage.SQL, Named.as(Names.ONLY_SQL))
                .to(topics.sqlHandoffs(),
                        Produced.with(Serdes.String(), serdes.stageChange()).withName(Names.SQL_HANDOFFS_SINK));

        // Erasure requests (GDPR): on the scoring task's own stores, so in the same task as the lead's records.
        builder.stream(topics.erasures(), Consumed.with(Serdes.String(), Serdes.String())
                        .withTimestampExtractor(eventTime()).withName(Names.ERASURES_SOURCE))
                .process(() -> new LeadErasure(metrics), Named.as(Names.ERASE_LEADS), LeadErasure.STORES)
                .to(topics.scores(), Produced.with(Serdes.String(), serdes.leadScore())
                        .withName(Names.ERASURE_TOMBSTONES_SINK));

        return builder.build();
    }

    /** A null value (a tombstone) on an event topic is no event: a contract breach, not a crash of the task. */
    private static <E> E present(E event) {
        if (event == null) {
            throw new InvalidRecordException("the record has no value (a tombstone): not an event");
        }
        return event;
    }

    private static <V extends SpecificRecord> Consumed<String, V> consumed(Serde<V> serde, String name) {
        return Consumed.with(Serdes.String(), serde).withTimestampExtractor(eventTime()).withName(name);
    }

    /**
     * Event time is the record's own occurredAt / updatedAt, not the time it was produced. A time before 1970 is
     * passed on as 0: Kafka Streams would silently drop the record, and the processors dead-letter it instead.
     */
    static TimestampExtractor eventTime() {
        return (record, partitionTime) -> {
            Object value = record.value();
            long time;
            if (value instanceof WebEvent e) {
                time = e.getOccurredAt().toEpochMilli();
            } else if (value instanceof EmailEvent e) {
                time = e.getOccurredAt().toEpochMilli();
            } else if (value instanceof DownloadEvent e) {
                time = e.getOccurredAt().toEpochMilli();
            } else if (value instanceof LeadProfile p) {
                time = p.getUpdatedAt().toEpochMilli();
            } else {
                time = record.timestamp() >= 0 ? record.timestamp() : partitionTime;
            }
            return Math.max(time, 0);
        };
    }

    private static Materialized<String, LeadProfile, KeyValueStore<Bytes, byte[]>> profileStore(Settings settings,
            Serde<LeadProfile> serde) {
        Materialized<String, LeadProfile, KeyValueStore<Bytes, byte[]>> materialized = settings.inMemoryStores()
                ? Materialized.as(Stores.inMemoryKeyValueStore(Names.PROFILES_STORE))
                : Materialized.as(Names.PROFILES_STORE);
        // A profile change must re-evaluate its lead at once, not when the cache flushes.
        materialized = materialized.withKeySerde(Serdes.String()).withValueSerde(serde).withCachingDisabled();
        return settings.changelogged() ? materialized : materialized.withLoggingDisabled();
    }

    // The processor's stores are not cached: measured (docs/BENCHMARKS.md, "Making it fast"), Kafka Streams' record
    // cache costs more CPU per record than the RocksDB reads it saves, and doubles the heap.
    private static <V> StoreBuilder<KeyValueStore<String, V>> keyValueStore(Settings settings, String name,
            Serde<V> serde) {
        KeyValueBytesStoreSupplier supplier = settings.inMemoryStores()
                ? Stores.inMemoryKeyValueStore(name)
                : Stores.persistentKeyValueStore(name);
        return logging(settings, Stores.keyValueStoreBuilder(supplier, Serdes.String(), serde));
    }

    private static <V> StoreBuilder<WindowStore<String, V>> windowStore(Settings settings, String name,
            Duration lookBack, Duration windowSize, Serde<V> serde) {
        Duration retention = lookBack.plus(settings.lateEventHorizon());
        WindowBytesStoreSupplier supplier = settings.inMemoryStores()
                ? Stores.inMemoryWindowStore(name, retention, windowSize, false)
                : Stores.persistentWindowStore(name, retention, windowSize, false);
        return logging(settings, Stores.windowStoreBuilder(supplier, Serdes.String(), serde));
    }

    private static <S extends org.apache.kafka.streams.processor.StateStore> StoreBuilder<S> logging(
            Settings settings, StoreBuilder<S> builder) {
        return settings.changelogged() ? builder : builder.withLoggingDisabled();
    }
}
