package io.leadscoring.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.Evaluation;
import io.leadscoring.scoring.InMemoryWindowedState;
import io.leadscoring.scoring.LeadState;
import io.leadscoring.scoring.MapScoringEvent;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.scoring.Scorer;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million events for one lead (1.9 years of history, one a minute, every tenth a re-sent id) through the
 * production topology in a TopologyTestDriver: the cost per event must not grow with the lead's history. Asserted:
 * the lead's state stays the same size however long its history (what keeps the cost flat), every event is scored
 * or ignored as a duplicate, and the final score is the scoring core's for the same events. Printed, never asserted:
 * the throughput of each 100,000 (docs/RELIABILITY.md takes the figures).
 *
 * <p>Why not the broker: one lead is one partition, one task, one thread; at the end-to-end rate of this machine
 * (docs/BENCHMARKS.md, about 12,000 records a second over six partitions) a million would take minutes. Why in-memory
 * stores: the driver commits after every record, and a commit flushes every store, which for RocksDB writes a file
 * per store per record; that measures the driver's flushing (and slows as RocksDB's level 0 fills), not the
 * topology. The stores hold the same data under the same retention. Without changelogs, as {@code replay} runs: the
 * driver would hand four changelog records per event to its mock producer and keep them, which is the driver's
 * cost, and the test's time on a shared CI machine matters.
 */
class MillionEventsOneLeadTest {

    private static final int EVENTS = 1_000_000;
    private static final int CHUNK = 100_000;
    private static final long STEP_MS = 60_000; // an event a minute: 1.9 years of history
    private static final String LEAD = "lead-busy";
    private static final String RULES = """
            name: million
            version: 1
            halfLife: 14d
            thresholds: { mql: 50, sql: 100 }
            behavior:
              - name: blog-read
                when: { source: web, path: { glob: "/blog/**" } }
                points: 5
                cap: { points: 30, per: 1d }
              - name: pricing-page
                when: { source: web, path: /pricing }
                points: 10
                halfLife: 7d
              - name: email-open
                when: { source: email, type: OPENED }
                points: 1
                cap: { points: 5, per: 7d }
            """;

    @TempDir
    Path stateDir;

    private static void drainChangelogs(TopologyTestDriver driver,
            Map<String, TestOutputTopic<byte[], byte[]>> changelogs) {
        for (String topic : driver.producedTopicNames()) {
            if (topic.endsWith("-changelog")) {
                changelogs.computeIfAbsent(topic, t -> driver.createOutputTopic(t,
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer())).readRecordsToList();
            }
        }
    }

    @Test
    void costPerEventDoesNotGrowWithTheLeadsHistory() throws Exception {
        RuleSet rules = RuleFileLoader.parse(RULES, "million.yaml");
        long start = Instant.parse("2024-11-01T00:00:00Z").toEpochMilli();
        long end = start + (EVENTS - 1) * STEP_MS;
        Topics topics = Topics.defaults();
        String scope = "million-" + UUID.randomUUID();
        ScoringSerdes serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + scope));
        var settings = new ScoringTopology.Settings(topics, rules, Duration.ofDays(30), true, false);
        Properties props = ScoringTopology.streamsDefaults(topics);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "million");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

        // The reference: the scoring core alone, on the same events in the same order.
        Scorer core = new Scorer(rules);
        LeadState expected = LeadState.empty(LEAD);
        InMemoryWindowedState coreWindows = new InMemoryWindowedState();
        Evaluation last = null;
        int[] stateSizes = new int[2];

        long[] chunkNanos = new long[EVENTS / CHUNK];
        int scored = 0;
        int duplicates = 0;
        try (TopologyTestDriver driver = new TopologyTestDriver(ScoringTopology.build(settings, serdes), props,
                Instant.ofEpochMilli(end))) {
            TestInputTopic<String, WebEvent> web = driver.createInputTopic(topics.webEvents(),
                    new StringSerializer(), serdes.webEvent().serializer());
            TestInputTopic<String, EmailEvent> email = driver.createInputTopic(topics.emailEvents(),
                    new StringSerializer(), serdes.emailEvent().serializer());
            TestOutputTopic<String, LeadScore> scores = driver.createOutputTopic(topics.scores(),
                    new StringDeserializer(), serdes.leadScore().deserializer());
            KeyValueStore<String, LeadState> leadStates = driver.getKeyValueStore(Names.LEAD_STATE_STORE);
            LeadScore latest = null;
            Map<String, TestOutputTopic<byte[], byte[]>> changelogs = new java.util.HashMap<>();
            for (int c = 0; c < chunkNanos.length; c++) {
                long t0 = System.nanoTime();
                for (int i = c * CHUNK; i < (c + 1) * CHUNK; i++) {
                    long at = start + i * STEP_MS;
                    // Every 10th event re-sends the id of the one before it (a duplicate, within 7 days).
                    String id = i % 10 == 9 ? "e-" + (i - 1) : "e-" + i;
                    int kind = i % 7;
                    MapScoringEvent coreEvent;
                    if (kind < 4) {
                        String path = kind == 3 ? "/pricing" : "/blog/post-" + (i % 50);
                        web.pipeInput(LEAD, WebEvent.newBuilder().setEventId(id).setLeadId(LEAD)
                                .setOccurredAt(Instant.ofEpochMilli(at)).setUrl("https://www.example.com" + path)
                                .setAction(WebAction.PAGE_VIEW).build(), at);
                        coreEvent = MapScoringEvent.web(LEAD, id, at, "https://www.example.com" + path, "PAGE_VIEW");
                    } else {
                        EmailEventType type = kind == 4 ? EmailEventType.DELIVERED : EmailEventType.OPENED;
                        email.pipeInput(LEAD, EmailEvent.newBuilder().setEventId(id).setLeadId(LEAD)
                                .setOccurredAt(Instant.ofEpochMilli(at)).setType(type).build(), at);
                        coreEvent = MapScoringEvent.email(LEAD, id, at, type.name());
                    }
                    Evaluation e = core.onEvent(expected, coreEvent, null, coreWindows);
                    if (e == null) {
                        duplicates++;
                    } else {
                        last = e;
                    }
                    if (i % 1000 == 999) { // the driver keeps every output, changelogs too, until read
                        for (LeadScore s : scores.readValuesToList()) {
                            latest = s;
                            scored++;
                        }
                        drainChangelogs(driver, changelogs);
                    }
                    if (i == 9_999) {
                        stateSizes[0] = leadStates.get(LEAD).toBytes().length;
                    }
                }
                chunkNanos[c] = System.nanoTime() - t0;
            }
            for (LeadScore s : scores.readValuesToList()) {
                latest = s;
                scored++;
            }
            stateSizes[1] = leadStates.get(LEAD).toBytes().length;

            double first = CHUNK / (chunkNanos[0] / 1e9);
            double lastRate = CHUNK / (chunkNanos[chunkNanos.length - 1] / 1e9);
            StringBuilder perChunk = new StringBuilder();
            for (long n : chunkNanos) {
                perChunk.append(String.format(" %.0f", CHUNK / (n / 1e9)));
            }
            System.out.printf("MILLION-EVENTS one lead, TopologyTestDriver, in-memory stores: %d events, "
                    + "%d scored, %d duplicates; "
                    + "events/s first 100k %.0f, last 100k %.0f (per 100k:%s); lead state %d bytes after 10k, "
                    + "%d bytes after 1M%n", EVENTS, scored, duplicates, first, lastRate, perChunk,
                    stateSizes[0], stateSizes[1]);

            assertThat(scored + duplicates).as("every event scored or ignored as a duplicate").isEqualTo(EVENTS);
            assertThat(duplicates).isEqualTo(EVENTS / 10);
            assertThat(stateSizes[1]).as("the lead's state does not grow with its history")
                    .isLessThanOrEqualTo(stateSizes[0]);
            assertThat(latest).isNotNull();
            assertThat(latest.getAsOf().toEpochMilli()).isEqualTo(last.at());
            assertThat(latest.getScore()).as("the scoring core's score").isCloseTo(last.score(), within(1e-9));
            assertThat(latest.getEngagement()).isCloseTo(last.engagement(), within(1e-9));
            assertThat(latest.getReasons()).extracting(r -> r.getRule())
                    .containsExactlyElementsOf(last.reasons().stream().map(r -> r.rule()).toList());
        } finally {
            serdes.close();
            MockSchemaRegistry.dropScope(scope);
        }
    }
}
