package io.leadscoring.streams;

import io.leadscoring.events.AssetType;
import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.LeadState;
import io.leadscoring.scoring.RuleFileException;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;

/** The production topology in a {@link TopologyTestDriver}, with typed topics, stores and record builders. */
final class TopologyHarness implements AutoCloseable {

    /** A Monday at midnight UTC: day and cap windows start on it. */
    static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    final Topics topics = Topics.defaults();
    final Topology topology;
    final TopologyTestDriver driver;
    final TestInputTopic<String, WebEvent> web;
    final TestInputTopic<String, EmailEvent> email;
    final TestInputTopic<String, DownloadEvent> download;
    final TestInputTopic<String, LeadProfile> profiles;
    final TestInputTopic<byte[], byte[]> rawWeb;
    final TestInputTopic<byte[], byte[]> rawProfiles;
    final TestInputTopic<String, String> erasures;
    final TestOutputTopic<String, LeadScore> scores;
    final TestOutputTopic<String, StageChange> stageChanges;
    final TestOutputTopic<String, StageChange> handoffs;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private final String scope = "topology-test-" + UUID.randomUUID();
    final ScoringSerdes serdes;

    TopologyHarness(String rulesYaml) {
        this(rulesYaml, Duration.ofDays(30));
    }

    TopologyHarness(String rulesYaml, Duration lateEventHorizon) {
        this(rulesYaml, lateEventHorizon, ScoringMetrics.NONE);
    }

    TopologyHarness(String rulesYaml, Duration lateEventHorizon, ScoringMetrics metrics) {
        this(rulesYaml, lateEventHorizon, metrics, true);
    }

    TopologyHarness(String rulesYaml, Duration lateEventHorizon, ScoringMetrics metrics, boolean inMemoryStores) {
        this(rulesYaml, lateEventHorizon, metrics, inMemoryStores, new Properties());
    }

    TopologyHarness(String rulesYaml, Duration lateEventHorizon, ScoringMetrics metrics, Properties extra) {
        this(rulesYaml, lateEventHorizon, metrics, true, extra);
    }

    /** @param extra Kafka Streams properties on top of the topology's defaults (e.g. a producer's size limit) */
    TopologyHarness(String rulesYaml, Duration lateEventHorizon, ScoringMetrics metrics, boolean inMemoryStores,
            Properties extra) {
        try {
            serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + scope));
            var settings = new ScoringTopology.Settings(topics, RuleFileLoader.parse(rulesYaml, "test-rules.yaml"),
                    lateEventHorizon, inMemoryStores);
            topology = ScoringTopology.build(settings, serdes, metrics);
        } catch (RuleFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Properties props = ScoringTopology.streamsDefaults(topics, metrics);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        // A test driver cannot crash, so exactly-once buys nothing here; and under it the driver drops the
        // dead letters its deserialization handler sends (they stay in an open mock transaction).
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.putAll(extra);
        driver = new TopologyTestDriver(topology, props, T0);
        StringSerializer keys = new StringSerializer();
        web = driver.createInputTopic(topics.webEvents(), keys, serdes.webEvent().serializer());
        email = driver.createInputTopic(topics.emailEvents(), keys, serdes.emailEvent().serializer());
        download = driver.createInputTopic(topics.downloadEvents(), keys, serdes.downloadEvent().serializer());
        profiles = driver.createInputTopic(topics.profiles(), keys, serdes.profile().serializer());
        rawWeb = driver.createInputTopic(topics.webEvents(), new ByteArraySerializer(), new ByteArraySerializer());
        rawProfiles = driver.createInputTopic(topics.profiles(), new ByteArraySerializer(),
                new ByteArraySerializer());
        erasures = driver.createInputTopic(topics.erasures(), keys, keys);
        StringDeserializer keyReader = new StringDeserializer();
        scores = driver.createOutputTopic(topics.scores(), keyReader, serdes.leadScore().deserializer());
        stageChanges = driver.createOutputTopic(topics.stageChanges(), keyReader,
                serdes.stageChange().deserializer());
        handoffs = driver.createOutputTopic(topics.sqlHandoffs(), keyReader, serdes.stageChange().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    static Instant day(double days) {
        return T0.plusMillis(Math.round(days * 86_400_000L));
    }

    void send(WebEvent e) {
        web.pipeInput(e.getLeadId(), e, e.getOccurredAt());
    }

    void send(EmailEvent e) {
        email.pipeInput(e.getLeadId(), e, e.getOccurredAt());
    }

    void send(DownloadEvent e) {
        download.pipeInput(e.getLeadId(), e, e.getOccurredAt());
    }

    void send(LeadProfile p) {
        profiles.pipeInput(p.getLeadId(), p, p.getUpdatedAt());
    }

    /** An erasure request as {@code bin/lead-scoring erase} writes it: key and value the lead id. */
    void erase(String leadId, Instant at) {
        erasures.pipeInput(leadId, leadId, at);
    }

    static WebEvent pageView(String lead, String eventId, Instant at, String path) {
        return webEvent(lead, eventId, at, path, WebAction.PAGE_VIEW);
    }

    static WebEvent webEvent(String lead, String eventId, Instant at, String path, WebAction action) {
        return WebEvent.newBuilder().setEventId(eventId).setLeadId(lead).setOccurredAt(at)
                .setUrl("https://www.example.com" + path).setAction(action).build();
    }

    static EmailEvent emailEvent(String lead, String eventId, Instant at, EmailEventType type) {
        return EmailEvent.newBuilder().setEventId(eventId).setLeadId(lead).setOccurredAt(at).setType(type)
                .setCampaignId("c-1").setEmailKind("newsletter").build();
    }

    static DownloadEvent downloadEvent(String lead, String eventId, Instant at, AssetType type) {
        return DownloadEvent.newBuilder().setEventId(eventId).setLeadId(lead).setOccurredAt(at)
                .setAssetId("asset-" + eventId).setAssetType(type).build();
    }

    static LeadProfile.Builder profile(String lead, Instant updatedAt) {
        return LeadProfile.newBuilder().setLeadId(lead).setUpdatedAt(updatedAt)
                .setAttributes(new LinkedHashMap<>());
    }

    List<StageChange> changes() {
        return stageChanges.readValuesToList();
    }

    /** The latest score per lead, as a compacted topic would keep it. */
    Map<String, LeadScore> latestScores() {
        Map<String, LeadScore> latest = new LinkedHashMap<>();
        for (var kv : scores.readKeyValuesToList()) {
            latest.put(kv.key, kv.value);
        }
        return latest;
    }

    List<TestRecord<byte[], byte[]>> deadLetterRecords() {
        if (!driver.producedTopicNames().contains(topics.deadLetter())) {
            return List.of();
        }
        return deadLetters.readRecordsToList();
    }

    KeyValueStore<String, LeadState> leadStates() {
        return driver.getKeyValueStore(Names.LEAD_STATE_STORE);
    }

    WindowStore<String, Long> seenEvents() {
        return driver.getWindowStore(Names.SEEN_EVENTS_STORE);
    }

    WindowStore<String, Double> ruleCaps() {
        return driver.getWindowStore(Names.RULE_CAPS_STORE);
    }

    WindowStore<String, long[]> activity() {
        return driver.getWindowStore(Names.ACTIVITY_STORE);
    }

    @Override
    public void close() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
    }
}
