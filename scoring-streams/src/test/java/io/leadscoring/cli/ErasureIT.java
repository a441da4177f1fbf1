package io.leadscoring.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadscoring.app.ScoringApplication;
import io.leadscoring.events.AssetType;
import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.streams.Names;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.Topics;
import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure (GDPR) end to end: the scoring application on a real broker with exactly-once, {@code bin/lead-scoring
 * erase} as an operator runs it (a separate JVM, the application's properties file), then the lead's tombstone on
 * {@code leads.scores}, tombstones for every key of the lead in every changelog topic, a 404 from the HTTP API, and a
 * lead that starts from scratch when it comes back.
 */
@EmbeddedKafka
class ErasureIT {

    private static final Path ROOT = CliRuns.ROOT;
    private static final Path LAUNCHER = CliRuns.LAUNCHER;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final String ERASED = "erase-me";
    private static final String KEPT = "keep-me";
    private static final List<String> STORES = List.of(Names.LEAD_STATE_STORE, Names.PROFILES_STORE,
            Names.SEEN_EVENTS_STORE, Names.RULE_CAPS_STORE, Names.ACTIVITY_STORE);

    private final KafkaBroker broker;
    private final String scope = "erasure-it-" + UUID.randomUUID();
    private final ScoringSerdes serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + scope));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private ScoringApplication app;

    @TempDir
    Path dir;

    ErasureIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @AfterEach
    void close() {
        if (app != null) {
            app.close();
        }
        serdes.close();
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void eraseDeletesTheLeadEverywhereTombstonesItAndItComesBackFromScratch() throws Exception {
        String prefix = broker.uniqueTopic("erasure");
        Map<String, String> config = config(prefix);
        Topics topics = new Topics(prefix + ".web-events", prefix + ".email-events", prefix + ".download-events",
                prefix + ".profiles", prefix + ".scores", prefix + ".stage-changes", prefix + ".sql-handoffs",
                prefix + ".dead-letter", prefix + ".erasures");
        app = new ScoringApplication(config);
        app.start();
        awaitRunning();
        String api = "http://127.0.0.1:" + app.httpPort();

        // 09:00 UTC two days ago: recent, so no retention or segment roll acts on the records during the test.
        long t0 = Math.floorDiv(System.currentTimeMillis() - 2 * 24 * HOUR, 24 * HOUR) * 24 * HOUR + 9 * HOUR;
        WebEvent firstEvent = web(ERASED, "w1", t0, "/blog/a", WebAction.PAGE_VIEW);
        produce(List.of(new Routed(topics.webEvents(), firstEvent)));
        LeadScore firstScore = awaitScores(topics, ERASED, 1).get(0).value();

        for (String lead : List.of(ERASED, KEPT)) {
            List<Routed> records = new ArrayList<>();
            if (lead.equals(KEPT)) {
                records.add(new Routed(topics.webEvents(), web(lead, "w1", t0, "/blog/a", WebAction.PAGE_VIEW)));
            }
            records.add(new Routed(topics.webEvents(), web(lead, "w2", t0 + HOUR, "/blog/b", WebAction.PAGE_VIEW)));
            records.add(new Routed(topics.webEvents(), web(lead, "w3", t0 + 2 * HOUR, "/pricing",
                    WebAction.PAGE_VIEW)));
            records.add(new Routed(topics.emailEvents(), EmailEvent.newBuilder().setEventId("m1").setLeadId(lead)
                    .setOccurredAt(Instant.ofEpochMilli(t0 + 3 * HOUR)).setType(EmailEventType.OPENED)
                    .setCampaignId("c1").setEmailKind("newsletter").build()));
            records.add(new Routed(topics.downloadEvents(), DownloadEvent.newBuilder().setEventId("d1")
                    .setLeadId(lead).setOccurredAt(Instant.ofEpochMilli(t0 + 4 * HOUR)).setAssetId("wp-1")
                    .setAssetType(AssetType.WHITEPAPER).build()));
            records.add(new Routed(topics.profiles(), LeadProfile.newBuilder().setLeadId(lead)
                    .setUpdatedAt(Instant.ofEpochMilli(t0 + 5 * HOUR)).setJobTitle("VP Marketing")
                    .setEmail(lead + "@acme.example").setCompany("Acme").setAttributes(new LinkedHashMap<>())
                    .build()));
            produce(records);
        }
        awaitScores(topics, ERASED, 6);
        awaitScores(topics, KEPT, 6);
        assertThat(get(api + "/leads/" + ERASED).statusCode()).isEqualTo(200);
        Map<String, Map<Bytes, byte[]>> changelogsBefore = latestChangelogs(config, STORES);
        for (String store : STORES) {
            assertThat(keysOf(changelogsBefore.get(store), ERASED)).as("%s holds the lead", store).isNotEmpty();
        }

        // The operator's command, in its own JVM, with the application's own properties file.
        Path properties = dir.resolve("pipeline.properties");
        Properties props = new Properties();
        props.putAll(config);
        try (var writer = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
            props.store(writer, "ErasureIT");
        }
        ProcessBuilder eraseCommand = new ProcessBuilder(LAUNCHER.toString(), "erase", "--config",
                properties.toString(), ERASED).directory(ROOT.toFile()).redirectErrorStream(true);
        eraseCommand.environment().put("LEAD_SCORING_OPTS", "-Xmx256m");
        Process erase = eraseCommand.start();
        erase.getOutputStream().close();
        String eraseOutput = new String(erase.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(erase.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(erase.exitValue()).as(eraseOutput).isZero();
        assertThat(eraseOutput).contains(ERASED + ": erasure requested at " + topics.erasures() + "-",
                "profile tombstone at " + topics.profiles() + "-");

        // The score's tombstone, committed with the stores' deletes.
        List<ConsumerRecord<String, LeadScore>> afterErase = awaitScores(topics, ERASED, 7);
        assertThat(afterErase.get(6).value()).as("a tombstone").isNull();
        assertThat(get(api + "/leads/" + ERASED).statusCode()).isEqualTo(404);
        assertThat(get(api + "/leads/" + KEPT).statusCode()).isEqualTo(200);
        assertThat(get(api + "/metrics").body()).contains("leadscoring_erasures_total 1.0");

        // Every changelog: each key of the erased lead ends in a tombstone; the other lead keeps its values.
        Map<String, Map<Bytes, byte[]>> changelogs = latestChangelogs(config, STORES);
        for (String store : STORES) {
            Map<Bytes, byte[]> erased = keysOf(changelogs.get(store), ERASED);
            assertThat(erased.keySet()).as("%s: keys of the lead", store)
                    .containsAll(keysOf(changelogsBefore.get(store), ERASED).keySet());
            assertThat(erased.values()).as("%s: every key of the lead tombstoned", store).containsOnlyNulls();
            Map<Bytes, byte[]> kept = keysOf(changelogs.get(store), KEPT);
            assertThat(kept).as("%s: the other lead", store).isNotEmpty();
            assertThat(kept.values()).as("%s: the other lead's values", store).doesNotContainNull();
        }
        // The compacted profiles topic forgets the profile too: its latest record for the lead is a tombstone.
        List<ConsumerRecord<String, byte[]>> profiles = readToEnd(topics.profiles(), new StringDeserializer());
        assertThat(profiles.stream().filter(r -> r.key().equals(ERASED)).reduce((a, b) -> b).orElseThrow().value())
                .isNull();

        // The lead comes back with its very first event: it scores as it did the first time, from scratch.
        produce(List.of(new Routed(topics.webEvents(), firstEvent)));
        List<ConsumerRecord<String, LeadScore>> again = awaitScores(topics, ERASED, 8);
        assertThat(again.get(7).value()).isEqualTo(firstScore);
        assertThat(get(api + "/leads/" + ERASED).statusCode()).isEqualTo(200);
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    @Test
    void eraseRefusesAMissingErasureTopicAndBlankIdsWithoutWritingAnything() throws Exception {
        String prefix = broker.uniqueTopic("erasure-missing");
        Map<String, String> config = config(prefix);
        broker.createTopics(prefix + ".profiles");
        Path properties = dir.resolve("missing.properties");
        Properties props = new Properties();
        props.putAll(config);
        try (var writer = Files.newBufferedWriter(properties, StandardCharsets.UTF_8)) {
            props.store(writer, "ErasureIT");
        }

        CliRuns.Result missing = CliRuns.execute("erase", "--config", properties.toString(), ERASED);
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("lead-scoring erase: missing topics [" + prefix + ".erasures]");
        CliRuns.Result blank = CliRuns.execute("erase", "--config", properties.toString(), ERASED, " ");
        assertThat(blank.exitCode()).isEqualTo(2);
        assertThat(blank.stderr()).contains("lead id #2 is empty; nothing was written");
        // Neither the command nor a producer auto-created the topic.
        assertThat(broker.admin().listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(prefix + ".erasures");
        assertThat(readToEnd(prefix + ".profiles", new StringDeserializer())).isEmpty();
    }

    @Test
    void anErasureTopicWithAnotherPartitionCountStopsStart() throws Exception {
        String prefix = broker.uniqueTopic("erasure-partitions");
        broker.createTopics(prefix + ".erasures"); // one partition; start() creates the inputs with two
        ScoringApplication refused = new ScoringApplication(config(prefix));
        try {
            assertThatThrownBy(refused::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not co-partitioned")
                    .hasMessageContaining(prefix + ".erasures=1")
                    .hasMessageContaining(prefix + ".web-events=2");
            assertThat(refused.streams()).isNull();
        } finally {
            refused.close();
        }
    }

    // ---- plumbing

    private record Routed(String topic, SpecificRecord value) {
    }

    private Map<String, String> config(String prefix) {
        Map<String, String> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, broker.uniqueGroupId("erasure"));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        config.put("session.timeout.ms", "6000");
        config.put("heartbeat.interval.ms", "1000");
        config.put("schema.registry.url", "mock://" + scope);
        config.put("rules.file", ROOT.resolve("samples/rules.yaml").toString());
        for (String topic : new String[] {"web-events", "email-events", "download-events", "profiles", "scores",
                "stage-changes", "sql-handoffs", "dead-letter", "erasures"}) {
            config.put("topic." + topic, prefix + "." + topic);
        }
        config.put("topics.partitions", "2");
        config.put("topics.replication.factor", "1");
        config.put("http.port", "0");
        return config;
    }

    private void awaitRunning() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (app.streams().state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not RUNNING within " + TIMEOUT + ": " + app.streams().state());
            }
            Thread.sleep(50);
        }
    }

    private void produce(List<Routed> records) throws Exception {
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(Map.of("schema.registry.url", "mock://" + scope), false);
        Map<String, Object> producerConfig = broker.producerConfig();
        producerConfig.put("max.in.flight.requests.per.connection", 1);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                values)) {
            for (Routed r : records) {
                String lead = r.value() instanceof LeadProfile p ? p.getLeadId() : leadOf(r.value());
                producer.send(new ProducerRecord<>(r.topic(), lead, r.value())).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static WebEvent web(String lead, String id, long t, String path, WebAction action) {
        return WebEvent.newBuilder().setEventId(id).setLeadId(lead).setOccurredAt(Instant.ofEpochMilli(t))
                .setUrl("https://www.example.com" + path).setAction(action).build();
    }

    private static String leadOf(SpecificRecord record) {
        if (record instanceof WebEvent e) {
            return e.getLeadId();
        }
        if (record instanceof EmailEvent e) {
            return e.getLeadId();
        }
        return ((DownloadEvent) record).getLeadId();
    }

    /** The lead's records on the scores topic, in order, once there are at least {@code count}. */
    private List<ConsumerRecord<String, LeadScore>> awaitScores(Topics topics, String lead, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            List<ConsumerRecord<String, LeadScore>> mine = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : readToEnd(topics.scores(), new StringDeserializer())) {
                if (r.key().equals(lead)) {
                    LeadScore score = r.value() == null ? null
                            : serdes.leadScore().deserializer().deserialize(topics.scores(), r.value());
                    mine.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), score));
                }
            }
            if (mine.size() >= count) {
                return mine;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " scores of " + lead + ", got " + mine.size());
            }
            Thread.sleep(200);
        }
    }

    /** Every store's changelog topic, as the latest value per key (null: a tombstone). */
    private Map<String, Map<Bytes, byte[]>> latestChangelogs(Map<String, String> config, List<String> stores) {
        Map<String, Map<Bytes, byte[]>> latest = new HashMap<>();
        for (String store : stores) {
            String changelog = config.get(StreamsConfig.APPLICATION_ID_CONFIG) + "-" + store + "-changelog";
            Map<Bytes, byte[]> values = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : readToEnd(changelog, new ByteArrayDeserializer())) {
                values.put(Bytes.wrap(r.key()), r.value());
            }
            latest.put(store, values);
        }
        return latest;
    }

    /**
     * The entries whose key is the lead's: a key-value store's key is the lead id; a window store's changelog key is
     * the store key (the lead id, or the lead id, U+001F and a part) followed by 12 bytes of window start and sequence
     * number. The two leads' ids are not prefixes of each other.
     */
    private static Map<Bytes, byte[]> keysOf(Map<Bytes, byte[]> entries, String lead) {
        byte[] id = lead.getBytes(StandardCharsets.UTF_8);
        Map<Bytes, byte[]> mine = new HashMap<>();
        entries.forEach((key, value) -> {
            byte[] k = key.get();
            if (k.length >= id.length && Arrays.equals(k, 0, id.length, id, 0, id.length)) {
                mine.put(key, value);
            }
        });
        return mine;
    }

    /** The committed records of every partition, from the beginning to the end as of now. */
    private <K> List<ConsumerRecord<K, byte[]>> readToEnd(String topic,
            org.apache.kafka.common.serialization.Deserializer<K> keys) {
        Map<String, Object> consumerConfig = broker.consumerConfig(broker.uniqueGroupId("erasure-reader"));
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<K, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<K, byte[]> consumer = new KafkaConsumer<>(consumerConfig, keys,
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not read " + topic + " to " + ends);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
