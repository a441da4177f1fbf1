package io.leadscoring.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadscoring.cli.ReplayAccess;
import io.leadscoring.events.AssetType;
import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.Reason;
import io.leadscoring.events.Stage;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.streams.DeadLetterHandler;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.ScoringTopology;
import io.leadscoring.streams.Topics;
import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live pipeline end to end: {@link ScoringApplication} on a real broker with exactly-once, fed through the
 * project's Avro serializer, against {@code replay} (and the same topology under TopologyTestDriver) as the reference.
 *
 * <p>Kafka Streams picks, within a task, the buffered record with the smallest timestamp across the four input
 * topics. So that the live per-lead order is the replay order, records a lead has in several topics are produced
 * before the application reads them, in event-time order (profiles first); records produced while it runs keep
 * each lead to one topic per batch, where the offset order is the order.
 *
 * <p>Output records carry event time (a lead's T) as their timestamp, and the broker applies {@code segment.ms} and
 * {@code retention.ms} (7 days by default) to those timestamps: records older than a week roll a segment per append,
 * so the compacted scores topic is compacted while the test reads it, and delete-policy topics may drop them. Tests
 * with recorded (old) data therefore create their topics with no time-based rolling or retention; tests whose topics
 * the application provisions use event times of the last few days. Scores are compared as the compacted topic
 * promises: the latest value per lead.
 */
@EmbeddedKafka
class ScoringPipelineIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final Duration QUIET = Duration.ofMillis(1500);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final int PARTITIONS = 3;

    private final KafkaBroker broker;
    private final List<ScoringApplication> running = new ArrayList<>();
    private final String scope = "pipeline-it-" + UUID.randomUUID();
    private final ScoringSerdes serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + scope));

    @TempDir
    Path tmp;

    ScoringPipelineIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @AfterEach
    void closeApplications() {
        running.forEach(ScoringApplication::close);
    }

    // ---- a. events in, exactly replay's handoffs out

    @Test
    void handoffsAreExactlyWhatReplayPrints() throws Exception {
        Path samples = samplesDir();
        Path rulesFile = samples.resolve("rules.yaml");
        RuleSet rules = RuleFileLoader.load(rulesFile);

        // The samples plus generated leads, as JSON Lines: profiles first, then every event in event-time order.
        List<String> profileLines = new ArrayList<>(Files.readAllLines(samples.resolve("profiles.jsonl")));
        List<TimedLine> eventLines = new ArrayList<>();
        for (String line : Files.readAllLines(samples.resolve("events.jsonl"))) {
            eventLines.add(new TimedLine(timeOf(line), eventLines.size(), line));
        }
        generateLeads(new Random(42), 30, profileLines, eventLines);
        eventLines.sort(Comparator.comparingLong(TimedLine::time).thenComparingInt(TimedLine::order));
        Path profilesFile = Files.write(tmp.resolve("profiles.jsonl"), profileLines, StandardCharsets.UTF_8);
        Path eventsFile = Files.write(tmp.resolve("events.jsonl"),
                eventLines.stream().map(TimedLine::line).toList(), StandardCharsets.UTF_8);

        List<ReplayAccess.Input> inputs = new ArrayList<>(ReplayAccess.readReadable(profilesFile));
        inputs.addAll(ReplayAccess.readReadable(eventsFile));
        ReplayAccess.Output replay = ReplayAccess.replay(rules, profilesFile, eventsFile);
        Reference reference = Reference.of(rules, List.of(inputs));
        List<StageChange> expectedHandoffs = reference.handoffs(0);
        assertThat(expectedHandoffs).as("the data is meant to produce handoffs").hasSizeGreaterThan(8);

        // Topics exist before the application starts (topics.create=false), with the backlog already in them.
        Topics topics = uniqueTopics("a");
        createTopics(topics);
        produce(topics, inputs);
        Map<String, Object> config = config("handoffs", topics, rulesFile, tmp.resolve("state"));
        config.put("topics.create", "false");
        ScoringApplication app = start(config);

        assertLatestScores(topics, reference, 0);
        List<StageChange> handoffs = readAll(topics.sqlHandoffs(), expectedHandoffs.size());
        List<StageChange> changes = readAll(topics.stageChanges(), reference.changes(0).size());

        // Live vs replay's standard output: the same SQL handoffs, field by field.
        List<JsonNode> replayHandoffs = new ArrayList<>();
        for (String line : replay.stdout()) {
            JsonNode json = JSON.readTree(line);
            if (json.get("stage").asText().equals("SQL")) {
                replayHandoffs.add(json);
            }
        }
        assertThat(replay.stdout()).hasSize(reference.changes(0).size());
        assertSameChanges(byLead(handoffs), byLeadJson(replayHandoffs));
        // ... and against the TopologyTestDriver reference, which also carries the handoff ids.
        assertSameChanges(byLead(handoffs), byLead(expectedHandoffs));
        assertSameChanges(byLead(changes), byLead(reference.changes(0)));
        for (StageChange handoff : handoffs) {
            assertThat(handoff.getHandoffId()).isEqualTo(handoffId(handoff, rules));
        }
        assertThat(handoffs.stream().map(StageChange::getHandoffId).distinct()).hasSameSizeAs(handoffs);
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    // ---- b. restart, with and without local state: nothing re-emitted, duplicates still ignored

    @Test
    void restartedApplicationResumesFromItsStateAndReEmitsNothing() throws Exception {
        Path rulesFile = samplesDir().resolve("rules.yaml");
        RuleSet rules = RuleFileLoader.load(rulesFile);
        Topics topics = uniqueTopics("b");
        Path stateDir = tmp.resolve("state");
        Map<String, Object> config = config("restart", topics, rulesFile, stateDir);

        // 09:00 UTC, four to six days ago: the data spans under three days, all in the past and inside a week.
        long t0 = Math.floorDiv(System.currentTimeMillis() - 5 * DAY, DAY) * DAY + 9 * HOUR;
        List<List<ReplayAccess.Input>> batches = restartBatches(t0);
        Reference reference = Reference.of(rules, batches);
        for (int b = 0; b < batches.size(); b++) {
            assertThat(reference.handoffs(b)).as("new handoffs in batch %d", b + 1).isNotEmpty();
        }
        assertThat(reference.ignoredDuplicates(1)).as("duplicates re-sent after the first restart").isPositive();
        assertThat(reference.ignoredDuplicates(2)).as("duplicates re-sent after the wiped restart").isPositive();

        // Batch 1 on a fresh application, which provisions the topics.
        ScoringApplication first = start(config);
        AppTestSupport.awaitRunning(first, TIMEOUT);
        produce(topics, batches.get(0));
        assertOutputsUpTo(topics, reference, 0);
        stop(first);

        // Batch 2 on a new instance with the same application.id and state.dir.
        ScoringApplication second = start(config);
        AppTestSupport.awaitRunning(second, TIMEOUT);
        produce(topics, batches.get(1));
        assertOutputsUpTo(topics, reference, 1);
        stop(second);

        // Batch 3 after the local state is wiped: everything is restored from the changelogs.
        deleteRecursively(stateDir);
        assertThat(stateDir).doesNotExist();
        ScoringApplication third = start(config);
        AppTestSupport.awaitRunning(third, TIMEOUT);
        produce(topics, batches.get(2));
        assertOutputsUpTo(topics, reference, 2);
        assertThat(third.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
    }

    /**
     * After batch {@code last}: the stage changes and handoffs so far, each exactly once; every lead's latest score;
     * and no LeadScore that the reference did not emit as often (a record processed twice would add one; the
     * compacted topic may hold fewer).
     */
    private void assertOutputsUpTo(Topics topics, Reference reference, int last) {
        List<StageChange> expectedChanges = new ArrayList<>();
        List<StageChange> expectedHandoffs = new ArrayList<>();
        Map<String, Integer> expectedScoreCounts = new TreeMap<>();
        for (int b = 0; b <= last; b++) {
            expectedChanges.addAll(reference.changes(b));
            expectedHandoffs.addAll(reference.handoffs(b));
            reference.scores(b).forEach(s -> expectedScoreCounts.merge(scoreKey(s), 1, Integer::sum));
        }
        List<LeadScore> scores = assertLatestScores(topics, reference, last);
        List<StageChange> changes = readAll(topics.stageChanges(), expectedChanges.size());
        List<StageChange> handoffs = readAll(topics.sqlHandoffs(), expectedHandoffs.size());

        assertThat(changes).as("stage changes after batch %d", last + 1).hasSameSizeAs(expectedChanges);
        assertSameChanges(byLead(changes), byLead(expectedChanges));
        assertThat(handoffs).as("SQL handoffs after batch %d", last + 1).hasSameSizeAs(expectedHandoffs);
        assertSameChanges(byLead(handoffs), byLead(expectedHandoffs));
        assertThat(handoffs.stream().map(StageChange::getHandoffId).distinct().count())
                .as("every handoff id once").isEqualTo(handoffs.size());
        Map<String, Integer> scoreCounts = new TreeMap<>();
        scores.forEach(s -> scoreCounts.merge(scoreKey(s), 1, Integer::sum));
        scoreCounts.forEach((key, count) -> assertThat(count)
                .as("LeadScore %s after batch %d: emitted at most as often as by the reference", key, last + 1)
                .isLessThanOrEqualTo(expectedScoreCounts.getOrDefault(key, 0)));
    }

    /**
     * The committed stage changes of a topic: waits for {@code expected} of them, then reads once more for a while
     * to see any that should not be there.
     */
    private List<StageChange> readAll(String topic, int expected) {
        List<StageChange> first = values(broker.consume(topic, new StringDeserializer(),
                serdes.stageChange().deserializer(), expected, TIMEOUT));
        List<StageChange> again = values(broker.consumeFor(topic, new StringDeserializer(),
                serdes.stageChange().deserializer(), QUIET));
        return again.size() >= first.size() ? again : first;
    }

    private static String scoreKey(LeadScore s) {
        return s.getLeadId() + "@" + s.getAsOf().toEpochMilli() + "=" + s.getScore() + "/" + s.getStage();
    }

    /**
     * Waits until every lead's latest LeadScore is the reference's latest after batch {@code last} (as of, score,
     * stage, labels, reasons), and asserts it; returns what the scores topic held then.
     */
    private List<LeadScore> assertLatestScores(Topics topics, Reference reference, int last) {
        Map<String, LeadScore> expected = new TreeMap<>();
        for (int b = 0; b <= last; b++) {
            reference.scores(b).forEach(s -> expected.put(s.getLeadId(), s));
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<LeadScore> scores;
        Map<String, LeadScore> latest;
        do {
            scores = values(broker.consumeFor(topics.scores(), new StringDeserializer(),
                    serdes.leadScore().deserializer(), QUIET));
            latest = new TreeMap<>();
            for (LeadScore s : scores) {
                latest.put(s.getLeadId(), s);
            }
        } while (!sameLatest(latest, expected) && System.nanoTime() - deadline < 0);

        assertThat(latest.keySet()).as("leads with a score").isEqualTo(expected.keySet());
        for (var entry : latest.entrySet()) {
            String lead = entry.getKey();
            LeadScore score = entry.getValue();
            LeadScore e = expected.get(lead);
            assertThat(score.getAsOf()).as("asOf of %s", lead).isEqualTo(e.getAsOf());
            assertThat(score.getScore()).as("score of %s", lead).isCloseTo(e.getScore(), within(1e-9));
            assertThat(score.getEngagement()).as("engagement of %s", lead).isCloseTo(e.getEngagement(), within(1e-9));
            assertThat(score.getFit()).as("fit of %s", lead).isCloseTo(e.getFit(), within(1e-9));
            assertThat(score.getStage()).as("stage of %s", lead).isEqualTo(e.getStage());
            assertThat(score.getFitGrade()).as("fitGrade of %s", lead).isEqualTo(e.getFitGrade());
            assertThat(score.getTemperature()).as("temperature of %s", lead).isEqualTo(e.getTemperature());
            assertThat(score.getActivity()).as("activity of %s", lead).isEqualTo(e.getActivity());
            assertThat(score.getRuleSet()).as("ruleSet of %s", lead).isEqualTo(e.getRuleSet());
            assertThat(reasons(score.getReasons())).as("reasons of %s", lead).isEqualTo(reasons(e.getReasons()));
        }
        return scores;
    }

    private static boolean sameLatest(Map<String, LeadScore> latest, Map<String, LeadScore> expected) {
        if (!latest.keySet().equals(expected.keySet())) {
            return false;
        }
        for (var entry : expected.entrySet()) {
            LeadScore actual = latest.get(entry.getKey());
            if (!actual.getAsOf().equals(entry.getValue().getAsOf())
                    || Math.abs(actual.getScore() - entry.getValue().getScore()) > 1e-9) {
                return false;
            }
        }
        return true;
    }

    /**
     * Three batches over the samples' rule file; within a batch a lead uses one input topic. Thresholds cross in
     * every batch, some only with the state kept from earlier batches, and ids of earlier batches are re-sent.
     */
    private static List<List<ReplayAccess.Input>> restartBatches(long t0) {
        Batches b = new Batches();
        // r-a: SQL in batch 1; more events later give no second handoff (SQL is terminal).
        b.web(0, "r-a", "a1", t0, "/demo", WebAction.FORM_SUBMIT);
        b.web(0, "r-a", "a2", t0 + HOUR, "/contact", WebAction.FORM_SUBMIT);
        b.web(0, "r-a", "a3", t0 + 2 * HOUR, "/pricing", WebAction.PAGE_VIEW);
        b.web(1, "r-a", "a4", t0 + 3 * DAY, "/demo", WebAction.FORM_SUBMIT);
        b.email(2, "r-a", "a5", t0 + 2 * DAY, EmailEventType.OPENED, "nurture");
        // r-b: MQL in batch 1 (demo 50), SQL in batch 2 only with batch 1's demo remembered.
        b.web(0, "r-b", "b1", t0 + 10 * HOUR, "/demo", WebAction.FORM_SUBMIT);
        b.web(1, "r-b", "b2", t0 + DAY, "/contact", WebAction.FORM_SUBMIT);
        b.web(1, "r-b", "b1", t0 + 10 * HOUR, "/demo", WebAction.FORM_SUBMIT); // re-sent: ignored
        b.web(1, "r-b", "b3", t0 + DAY + HOUR, "/pricing", WebAction.PAGE_VIEW);
        // r-c: blog reads up to the daily cap, re-sent across both restarts, SQL after the wiped restart.
        b.web(0, "r-c", "c1", t0 + HOUR, "/blog/a", WebAction.PAGE_VIEW);
        b.web(0, "r-c", "c2", t0 + 2 * HOUR, "/blog/b", WebAction.PAGE_VIEW);
        b.web(0, "r-c", "c3", t0 + 3 * HOUR, "/blog/c", WebAction.PAGE_VIEW);
        b.web(1, "r-c", "c4", t0 + 4 * HOUR, "/blog/d", WebAction.PAGE_VIEW); // capped out: 30 a day
        b.web(1, "r-c", "c2", t0 + 2 * HOUR, "/blog/b", WebAction.PAGE_VIEW); // re-sent: ignored
        b.web(1, "r-c", "c5", t0 + 5 * HOUR, "/pricing", WebAction.PAGE_VIEW); // 50: MQL
        b.web(2, "r-c", "c3", t0 + 3 * HOUR, "/blog/c", WebAction.PAGE_VIEW); // re-sent after the wipe
        b.web(2, "r-c", "c6", t0 + 6 * HOUR, "/blog/e", WebAction.PAGE_VIEW); // still capped: same day
        b.web(2, "r-c", "c7", t0 + 7 * HOUR, "/demo", WebAction.FORM_SUBMIT); // 100: SQL
        // r-d: email opens capped at 15 a week across all three runs; clicks on offers.
        b.email(0, "r-d", "d1", t0, EmailEventType.OPENED, "offer");
        b.email(0, "r-d", "d2", t0 + HOUR, EmailEventType.OPENED, "offer");
        b.email(0, "r-d", "d3", t0 + 2 * HOUR, EmailEventType.CLICKED, "offer");
        b.email(1, "r-d", "d4", t0 + 3 * HOUR, EmailEventType.OPENED, "offer");
        b.email(1, "r-d", "d5", t0 + 4 * HOUR, EmailEventType.OPENED, "offer"); // capped out
        b.email(1, "r-d", "d3", t0 + 2 * HOUR, EmailEventType.CLICKED, "offer"); // re-sent: ignored
        b.email(2, "r-d", "d6", t0 + 5 * HOUR, EmailEventType.CLICKED, "product");
        b.email(2, "r-d", "d4", t0 + 3 * HOUR, EmailEventType.OPENED, "offer"); // re-sent: ignored
        // r-e: downloads; its profile arrives alone in batch 2 and makes it an MQL; a price list in batch 3 an SQL.
        b.download(0, "r-e", "e1", t0 + HOUR, AssetType.WHITEPAPER);
        b.download(0, "r-e", "e2", t0 + 2 * HOUR, AssetType.WEBINAR);
        b.profile(1, "r-e", t0 + 3 * HOUR, "VP Engineering", 400, "software");
        b.download(2, "r-e", "e3", t0 + 4 * HOUR, AssetType.PRICE_LIST);
        b.download(2, "r-e", "e1", t0 + HOUR, AssetType.WHITEPAPER); // re-sent: ignored
        // Filler leads, for volume across the partitions.
        Random random = new Random(7);
        String[] paths = {"/blog/x", "/pricing", "/customers/acme", "/careers", "/demo"};
        for (int lead = 0; lead < 18; lead++) {
            String id = "r-fill-" + lead;
            long t = t0 + lead * HOUR;
            for (int batch = 0; batch < 3; batch++) {
                int events = 1 + random.nextInt(3);
                for (int e = 0; e < events; e++) {
                    t += HOUR + random.nextInt(4) * HOUR;
                    String path = paths[random.nextInt(paths.length)];
                    b.web(batch, id, id + "-" + batch + "-" + e, t, path,
                            path.equals("/demo") ? WebAction.FORM_SUBMIT : WebAction.PAGE_VIEW);
                }
            }
        }
        return b.batches;
    }

    // ---- c. dead letters

    @Test
    void unreadableAndInvalidRecordsGoToTheDeadLetterTopicAndProcessingGoesOn() throws Exception {
        Path rulesFile = samplesDir().resolve("rules.yaml");
        Topics topics = uniqueTopics("c");
        ScoringApplication app = start(config("dead-letters", topics, rulesFile, tmp.resolve("state")));
        AppTestSupport.awaitRunning(app, TIMEOUT);
        Set<String> threads = AppTestSupport.threadNames(app);

        Random random = new Random(3);
        byte[] noise = new byte[64];
        random.nextBytes(noise);
        noise[0] = 0x7f; // not the magic byte
        byte[] unknownSchema = new byte[40];
        random.nextBytes(unknownSchema);
        unknownSchema[0] = 0;
        unknownSchema[1] = 0x7f; // schema id 0x7f...: not registered
        long t = System.currentTimeMillis() - 2 * HOUR;
        byte[] noKey = avro(topics.emailEvents(), EmailEvent.newBuilder().setEventId("x1").setLeadId("")
                .setOccurredAt(Instant.ofEpochMilli(t)).setType(EmailEventType.OPENED).build());
        byte[] emptyLeadId = avro(topics.webEvents(), web("", "x2", t, "/demo", WebAction.FORM_SUBMIT));
        byte[] profileOfNobody = avro(topics.profiles(), LeadProfile.newBuilder().setLeadId("")
                .setUpdatedAt(Instant.ofEpochMilli(t)).setJobTitle("CEO").build());
        byte[] profileNoise = new byte[16];
        random.nextBytes(profileNoise);
        profileNoise[0] = 0x01;

        record Sent(String reason, RecordMetadata where, byte[] value) {
        }
        List<Sent> bad = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.producerConfig(),
                new StringSerializer(), new ByteArraySerializer())) {
            bad.add(new Sent("NO_MAGIC_BYTE", send(producer, topics.webEvents(), "dlq-1", noise), noise));
            bad.add(new Sent("UNKNOWN_SCHEMA_ID",
                    send(producer, topics.downloadEvents(), "dlq-1", unknownSchema), unknownSchema));
            bad.add(new Sent(DeadLetterHandler.REASON_INVALID_RECORD,
                    send(producer, topics.emailEvents(), "", noKey), noKey));
            bad.add(new Sent(DeadLetterHandler.REASON_INVALID_RECORD,
                    send(producer, topics.webEvents(), "dlq-2", emptyLeadId), emptyLeadId));
            bad.add(new Sent(DeadLetterHandler.REASON_INVALID_RECORD,
                    send(producer, topics.profiles(), "dlq-3", profileOfNobody), profileOfNobody));
            bad.add(new Sent("NO_MAGIC_BYTE", send(producer, topics.profiles(), "dlq-3", profileNoise), profileNoise));
            // Good records after the bad ones, on the same keys (so the same partitions).
            send(producer, topics.webEvents(), "dlq-1",
                    avro(topics.webEvents(), web("dlq-1", "ok-1", t + HOUR, "/demo", WebAction.FORM_SUBMIT)));
            send(producer, topics.webEvents(), "dlq-3",
                    avro(topics.webEvents(), web("dlq-3", "ok-2", t + HOUR, "/pricing", WebAction.PAGE_VIEW)));
            send(producer, topics.emailEvents(), "dlq-2", avro(topics.emailEvents(), EmailEvent.newBuilder()
                    .setEventId("ok-3").setLeadId("dlq-2").setOccurredAt(Instant.ofEpochMilli(t + HOUR))
                    .setType(EmailEventType.OPENED).build()));
        }

        List<ConsumerRecord<byte[], byte[]>> deadLetters = broker.consume(topics.deadLetter(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer(), bad.size(), TIMEOUT);
        List<LeadScore> scores = values(broker.consume(topics.scores(), new StringDeserializer(),
                serdes.leadScore().deserializer(), 3, TIMEOUT));
        List<ConsumerRecord<byte[], byte[]>> again = broker.consumeFor(topics.deadLetter(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer(), QUIET);
        deadLetters = again.size() >= deadLetters.size() ? again : deadLetters;

        assertThat(deadLetters).hasSize(bad.size());
        for (Sent sent : bad) {
            String where = sent.where().topic() + "-" + sent.where().partition() + "@" + sent.where().offset();
            ConsumerRecord<byte[], byte[]> letter = deadLetters.stream()
                    .filter(r -> header(r, DeadLetterHandler.HEADER_TOPIC).equals(sent.where().topic())
                            && header(r, DeadLetterHandler.HEADER_OFFSET).equals(
                                    Long.toString(sent.where().offset()))
                            && header(r, DeadLetterHandler.HEADER_PARTITION).equals(
                                    Integer.toString(sent.where().partition())))
                    .findFirst().orElseThrow(() -> new AssertionError("no dead letter for " + where));
            assertThat(header(letter, DeadLetterHandler.HEADER_REASON)).as("reason of %s", where)
                    .isEqualTo(sent.reason());
            assertThat(header(letter, DeadLetterHandler.HEADER_ERROR)).as("error of %s", where).isNotBlank();
            assertThat(letter.value()).as("original bytes of %s", where).isEqualTo(sent.value());
        }
        assertThat(deadLetters.stream().filter(r -> header(r, DeadLetterHandler.HEADER_REASON)
                .equals(DeadLetterHandler.REASON_INVALID_RECORD)).map(r -> header(r, DeadLetterHandler.HEADER_ERROR)))
                .hasSize(3)
                .allSatisfy(error -> assertThat(error).containsIgnoringCase("empty"));

        // Processing went on: the good records were scored; the dead-lettered profile plays no part in dlq-3's fit.
        assertThat(scores).extracting(LeadScore::getLeadId).containsExactlyInAnyOrder("dlq-1", "dlq-2", "dlq-3");
        LeadScore dlq3 = scores.stream().filter(s -> s.getLeadId().equals("dlq-3")).findFirst().orElseThrow();
        assertThat(dlq3.getFit()).isEqualTo(0.0);
        assertThat(reasons(dlq3.getReasons())).containsExactly("pricing-page=20.0");
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        assertThat(AppTestSupport.threadNames(app)).as("no stream thread died and was replaced").isEqualTo(threads);
    }

    // ---- d. topic provisioning through start()

    @Test
    void startCreatesTheMissingTopicsWithProfilesAndScoresCompacted() throws Exception {
        Topics topics = uniqueTopics("d");
        ScoringApplication app = start(config("provision", topics, samplesDir().resolve("rules.yaml"),
                tmp.resolve("state")));

        List<String> all = Stream.concat(topics.coPartitioned().stream(), topics.outputs().stream()).toList();
        Map<String, TopicDescription> described = broker.admin().describeTopics(all).allTopicNames()
                .get(30, TimeUnit.SECONDS);
        assertThat(described.keySet()).containsExactlyInAnyOrderElementsOf(all);
        described.forEach((name, d) -> assertThat(d.partitions()).as("partitions of %s", name).hasSize(PARTITIONS));
        List<ConfigResource> resources = all.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        Map<ConfigResource, Config> configs = broker.admin().describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        Map<String, String> policies = new TreeMap<>();
        configs.forEach((r, c) -> policies.put(r.name(), c.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()));
        Map<String, String> expected = new TreeMap<>();
        all.forEach(n -> expected.put(n, TopicConfig.CLEANUP_POLICY_DELETE));
        expected.put(topics.profiles(), TopicConfig.CLEANUP_POLICY_COMPACT);
        expected.put(topics.scores(), TopicConfig.CLEANUP_POLICY_COMPACT);
        assertThat(policies).isEqualTo(expected);
        assertThat(app.streams()).isNotNull();
    }

    @Test
    void withoutTopicCreationAMissingTopicStopsStartNamingTheTopics() throws Exception {
        Topics topics = uniqueTopics("d");
        createTopics(List.of(topics.webEvents(), topics.emailEvents(), topics.downloadEvents(), topics.profiles(),
                topics.erasures(), topics.scores()), PARTITIONS);
        Map<String, Object> config = config("no-create", topics, samplesDir().resolve("rules.yaml"),
                tmp.resolve("state"));
        config.put("topics.create", "false");
        ScoringApplication app = track(new ScoringApplication(config));

        assertThatThrownBy(app::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Missing topics " + List.of(topics.stageChanges(), topics.sqlHandoffs(),
                        topics.deadLetter()))
                .hasMessageContaining("topics.create=false");
        assertThat(app.streams()).as("Kafka Streams is not started").isNull();
        Set<String> existing = broker.admin().listTopics().names().get(30, TimeUnit.SECONDS);
        assertThat(existing).doesNotContain(topics.stageChanges(), topics.sqlHandoffs(), topics.deadLetter());
    }

    @Test
    void inputsWithDifferentPartitionCountsStopStart() throws Exception {
        Topics topics = uniqueTopics("d");
        createTopics(List.of(topics.webEvents(), topics.profiles()), PARTITIONS);
        createTopics(List.of(topics.emailEvents()), 2);
        ScoringApplication app = track(new ScoringApplication(config("partitions", topics,
                samplesDir().resolve("rules.yaml"), tmp.resolve("state"))));

        assertThatThrownBy(app::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not co-partitioned")
                .hasMessageContaining(topics.webEvents() + "=3")
                .hasMessageContaining(topics.emailEvents() + "=2")
                .hasMessageContaining(topics.downloadEvents() + "=3") // created by start(), with topics.partitions
                .hasMessageContaining(topics.profiles() + "=3");
        assertThat(app.streams()).isNull();
    }

    // ---- the reference: the same topology under TopologyTestDriver, batch by batch

    /** Per batch: the LeadScores, stage changes and handoffs that the production topology emits for it. */
    record Reference(List<List<LeadScore>> scoresByBatch, List<List<StageChange>> changesByBatch,
            List<Integer> duplicatesByBatch) {

        static Reference of(RuleSet rules, List<List<ReplayAccess.Input>> batches) {
            String scope = "reference-" + UUID.randomUUID();
            ScoringSerdes serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + scope));
            Topics topics = Topics.defaults();
            Properties props = ScoringTopology.streamsDefaults(topics);
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "reference");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "reference.invalid:9092");
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE); // as Replay does
            var settings = new ScoringTopology.Settings(topics, rules, Duration.ofDays(30), true);
            List<List<LeadScore>> scores = new ArrayList<>();
            List<List<StageChange>> changes = new ArrayList<>();
            List<Integer> duplicates = new ArrayList<>();
            try (TopologyTestDriver driver = new TopologyTestDriver(ScoringTopology.build(settings, serdes), props)) {
                StringSerializer keys = new StringSerializer();
                Map<ReplayAccess.Kind, TestInputTopic<String, SpecificRecord>> in = new HashMap<>();
                in.put(ReplayAccess.Kind.WEB, input(driver, topics.webEvents(), keys, serdes.webEvent()));
                in.put(ReplayAccess.Kind.EMAIL, input(driver, topics.emailEvents(), keys, serdes.emailEvent()));
                in.put(ReplayAccess.Kind.DOWNLOAD,
                        input(driver, topics.downloadEvents(), keys, serdes.downloadEvent()));
                in.put(ReplayAccess.Kind.PROFILE, input(driver, topics.profiles(), keys, serdes.profile()));
                var scoreOut = driver.createOutputTopic(topics.scores(), new StringDeserializer(),
                        serdes.leadScore().deserializer());
                var changeOut = driver.createOutputTopic(topics.stageChanges(), new StringDeserializer(),
                        serdes.stageChange().deserializer());
                for (List<ReplayAccess.Input> batch : batches) {
                    batch.forEach(i -> in.get(i.kind()).pipeInput(i.leadId(), i.value()));
                    scores.add(scoreOut.readValuesToList());
                    changes.add(changeOut.readValuesToList());
                    duplicates.add(batch.size() - scores.get(scores.size() - 1).size());
                }
            } finally {
                io.leadscoring.serde.registry.MockSchemaRegistry.dropScope(scope);
            }
            return new Reference(scores, changes, duplicates);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static TestInputTopic<String, SpecificRecord> input(TopologyTestDriver driver, String topic,
                StringSerializer keys, org.apache.kafka.common.serialization.Serde<?> serde) {
            return driver.createInputTopic(topic, keys, (org.apache.kafka.common.serialization.Serializer) serde
                    .serializer());
        }

        List<LeadScore> scores(int batch) {
            return scoresByBatch.get(batch);
        }

        List<StageChange> changes(int batch) {
            return changesByBatch.get(batch);
        }

        List<StageChange> handoffs(int batch) {
            return changesByBatch.get(batch).stream().filter(c -> c.getStage() == Stage.SQL).toList();
        }

        /** Records of the batch that emitted nothing: only re-sent event ids do that. */
        int ignoredDuplicates(int batch) {
            return duplicatesByBatch.get(batch);
        }
    }

    // ---- comparison

    /** One lead's stage changes, comparable between live, TopologyTestDriver and replay's JSON. */
    record Change(String leadId, String stage, String previousStage, long at, double score, double engagement,
            double fit, String fitGrade, String ruleSet, List<String> reasonNames, List<Double> reasonPoints,
            String handoffId) {
    }

    private static Map<String, List<Change>> byLead(List<StageChange> changes) {
        Map<String, List<Change>> byLead = new TreeMap<>();
        for (StageChange c : changes) {
            byLead.computeIfAbsent(c.getLeadId(), k -> new ArrayList<>()).add(new Change(c.getLeadId(),
                    c.getStage().name(), c.getPreviousStage().name(), c.getAt().toEpochMilli(), c.getScore(),
                    c.getEngagement(), c.getFit(), c.getFitGrade().name(), c.getRuleSet(),
                    c.getReasons().stream().map(Reason::getRule).toList(),
                    c.getReasons().stream().map(Reason::getPoints).toList(), c.getHandoffId()));
        }
        return byLead;
    }

    private static Map<String, List<Change>> byLeadJson(List<JsonNode> changes) {
        Map<String, List<Change>> byLead = new TreeMap<>();
        for (JsonNode c : changes) {
            List<String> names = new ArrayList<>();
            List<Double> points = new ArrayList<>();
            c.get("reasons").forEach(r -> {
                names.add(r.get("rule").asText());
                points.add(r.get("points").asDouble());
            });
            byLead.computeIfAbsent(c.get("leadId").asText(), k -> new ArrayList<>()).add(new Change(
                    c.get("leadId").asText(), c.get("stage").asText(), c.get("previousStage").asText(),
                    c.get("at").asLong(), c.get("score").asDouble(), c.get("engagement").asDouble(),
                    c.get("fit").asDouble(), c.get("fitGrade").asText(), c.get("ruleSet").asText(), names, points,
                    null));
        }
        return byLead;
    }

    /** Same leads, and per lead the same changes in the same order; numbers within 1e-9; ids where both have one. */
    private static void assertSameChanges(Map<String, List<Change>> actual, Map<String, List<Change>> expected) {
        assertThat(actual.keySet()).as("leads with changes").isEqualTo(expected.keySet());
        expected.forEach((lead, expectedChanges) -> {
            List<Change> actualChanges = actual.get(lead);
            assertThat(actualChanges).as("changes of %s", lead).hasSameSizeAs(expectedChanges);
            for (int i = 0; i < expectedChanges.size(); i++) {
                Change a = actualChanges.get(i);
                Change e = expectedChanges.get(i);
                String what = lead + " change " + i;
                assertThat(a.stage()).as("stage of %s", what).isEqualTo(e.stage());
                assertThat(a.previousStage()).as("previousStage of %s", what).isEqualTo(e.previousStage());
                assertThat(a.at()).as("at of %s", what).isEqualTo(e.at());
                assertThat(a.score()).as("score of %s", what).isCloseTo(e.score(), within(1e-9));
                assertThat(a.engagement()).as("engagement of %s", what).isCloseTo(e.engagement(), within(1e-9));
                assertThat(a.fit()).as("fit of %s", what).isCloseTo(e.fit(), within(1e-9));
                assertThat(a.fitGrade()).as("fitGrade of %s", what).isEqualTo(e.fitGrade());
                assertThat(a.ruleSet()).as("ruleSet of %s", what).isEqualTo(e.ruleSet());
                assertThat(a.reasonNames()).as("reasons of %s", what).isEqualTo(e.reasonNames());
                for (int r = 0; r < e.reasonPoints().size(); r++) {
                    assertThat(a.reasonPoints().get(r)).as("points of reason %d of %s", r, what)
                            .isCloseTo(e.reasonPoints().get(r), within(1e-9));
                }
                if (a.handoffId() != null && e.handoffId() != null) {
                    assertThat(a.handoffId()).as("handoffId of %s", what).isEqualTo(e.handoffId());
                }
            }
        });
    }

    /** docs/SCORING-NOTES.md, Stages: the handoff id is a name-based UUID of lead, stage, T and rule set. */
    private static String handoffId(StageChange change, RuleSet rules) {
        String key = "lead-scoring|" + change.getLeadId() + "|" + change.getStage() + "|"
                + change.getAt().toEpochMilli() + "|" + rules.id();
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static List<String> reasons(List<Reason> reasons) {
        return reasons.stream().map(r -> r.getRule() + "=" + r.getPoints()).toList();
    }

    // ---- data

    record TimedLine(long time, int order, String line) {
    }

    private static long timeOf(String line) {
        try {
            JsonNode json = JSON.readTree(line);
            JsonNode at = json.has("occurredAt") ? json.get("occurredAt") : json.get("updatedAt");
            if (at == null) {
                return Long.MAX_VALUE;
            }
            if (at.isNumber()) {
                return at.asLong();
            }
            return Instant.parse(at.asText()).toEpochMilli();
        } catch (Exception unreadable) {
            return Long.MAX_VALUE; // replay skips it wherever it is
        }
    }

    /**
     * Generated leads over the samples' rules: a profile each before any event, a few weeks of web, email and
     * download events (some re-sent), and for some a profile change mid-way. Every record of a lead has its own
     * millisecond, so no two topics tie for a lead.
     */
    private static void generateLeads(Random random, int leads, List<String> profileLines, List<TimedLine> lines) {
        long start = Instant.parse("2026-10-01T06:00:00Z").toEpochMilli();
        String[] titles = {"CEO", "Head of Sales", "Software Engineer", "Student", "VP Marketing", "Analyst"};
        String[] domains = {"acme.example", "gmail.com", "rival.example", "nordisk.example"};
        String[] industries = {"software", "food", "saas", "fintech", "retail"};
        String[] authorities = {"DECISION_MAKER", "USER", "INFLUENCER"};
        int unique = 0;
        for (int l = 0; l < leads; l++) {
            String lead = String.format("gen-%02d", l);
            ObjectNode profile = profile(random, lead, start + l, titles, domains, industries, authorities);
            profileLines.add(profile.toString());
            long t = Instant.parse("2026-10-01T12:00:00Z").toEpochMilli() + l * 7919L;
            int events = 10 + random.nextInt(14);
            List<ObjectNode> sent = new ArrayList<>();
            for (int e = 0; e < events; e++) {
                t += (1 + random.nextInt(40)) * HOUR + (unique++);
                ObjectNode event = JSON.createObjectNode();
                int kind = random.nextInt(14);
                String id = lead + "-e" + e;
                if (kind < 6) {
                    String[] paths = {"/blog/a", "/blog/b", "/pricing", "/pricing/enterprise", "/customers/acme",
                            "/careers/dev"};
                    event.put("source", "web").put("eventId", id).put("leadId", lead)
                            .put("url", "https://www.example.com" + paths[random.nextInt(paths.length)])
                            .put("action", "PAGE_VIEW");
                } else if (kind < 8) {
                    String[] forms = {"/demo", "/contact", "/newsletter"};
                    event.put("source", "web").put("eventId", id).put("leadId", lead)
                            .put("url", "https://www.example.com" + forms[random.nextInt(forms.length)])
                            .put("action", "FORM_SUBMIT");
                } else if (kind < 11) {
                    String[] types = {"OPENED", "OPENED", "CLICKED", "UNSUBSCRIBED", "DELIVERED"};
                    String[] kinds = {"offer", "nurture", "newsletter"};
                    event.put("source", "email").put("eventId", id).put("leadId", lead)
                            .put("type", types[random.nextInt(types.length)])
                            .put("emailKind", kinds[random.nextInt(kinds.length)]).put("campaignId", "oct");
                } else if (kind < 13) {
                    String[] assets = {"WHITEPAPER", "EBOOK", "WEBINAR", "PRICE_LIST", "DATASHEET"};
                    event.put("source", "download").put("eventId", id).put("leadId", lead)
                            .put("assetId", "asset-" + random.nextInt(5))
                            .put("assetType", assets[random.nextInt(assets.length)]);
                } else {
                    ObjectNode change = profile(random, lead, t, titles, domains, industries, authorities);
                    lines.add(new TimedLine(t, lines.size(), change.toString()));
                    continue;
                }
                if (random.nextBoolean()) {
                    event.put("occurredAt", Instant.ofEpochMilli(t).toString());
                } else {
                    event.put("occurredAt", t);
                }
                lines.add(new TimedLine(t, lines.size(), event.toString()));
                sent.add(event);
                if (random.nextInt(8) == 0) {
                    // The same event id again, two days later (inside 7 days: a duplicate).
                    long again = t + 2 * DAY + (unique++);
                    ObjectNode copy = event.deepCopy().put("occurredAt", again);
                    lines.add(new TimedLine(again, lines.size(), copy.toString()));
                }
            }
        }
    }

    private static ObjectNode profile(Random random, String lead, long updatedAt, String[] titles, String[] domains,
            String[] industries, String[] authorities) {
        ObjectNode p = JSON.createObjectNode();
        p.put("source", "profile").put("leadId", lead).put("updatedAt", Instant.ofEpochMilli(updatedAt).toString())
                .put("email", "someone@" + domains[random.nextInt(domains.length)])
                .put("firstName", "First" + lead).put("lastName", "Last").put("company", "Co " + lead)
                .put("jobTitle", titles[random.nextInt(titles.length)])
                .put("companySize", 10 + random.nextInt(3000))
                .put("industry", industries[random.nextInt(industries.length)])
                .put("authority", authorities[random.nextInt(authorities.length)])
                .put("timeline", random.nextBoolean() ? "WITHIN_3_MONTHS" : "NONE");
        return p;
    }

    /** Records by batch, built from Avro directly; the key is the lead id. */
    static final class Batches {
        final List<List<ReplayAccess.Input>> batches = List.of(new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());

        void web(int batch, String lead, String id, long t, String path, WebAction action) {
            batches.get(batch).add(new ReplayAccess.Input(ReplayAccess.Kind.WEB, lead,
                    ScoringPipelineIT.web(lead, id, t, path, action)));
        }

        void email(int batch, String lead, String id, long t, EmailEventType type, String kind) {
            batches.get(batch).add(new ReplayAccess.Input(ReplayAccess.Kind.EMAIL, lead, EmailEvent.newBuilder()
                    .setEventId(id).setLeadId(lead).setOccurredAt(Instant.ofEpochMilli(t)).setType(type)
                    .setEmailKind(kind).setCampaignId("nov").build()));
        }

        void download(int batch, String lead, String id, long t, AssetType type) {
            batches.get(batch).add(new ReplayAccess.Input(ReplayAccess.Kind.DOWNLOAD, lead, DownloadEvent
                    .newBuilder().setEventId(id).setLeadId(lead).setOccurredAt(Instant.ofEpochMilli(t))
                    .setAssetId(id).setAssetType(type).build()));
        }

        void profile(int batch, String lead, long t, String title, int size, String industry) {
            batches.get(batch).add(new ReplayAccess.Input(ReplayAccess.Kind.PROFILE, lead, LeadProfile.newBuilder()
                    .setLeadId(lead).setUpdatedAt(Instant.ofEpochMilli(t)).setJobTitle(title).setCompanySize(size)
                    .setIndustry(industry).setEmail(lead + "@acme.example").build()));
        }
    }

    private static WebEvent web(String lead, String id, long t, String path, WebAction action) {
        return WebEvent.newBuilder().setEventId(id).setLeadId(lead).setOccurredAt(Instant.ofEpochMilli(t))
                .setUrl("https://www.example.com" + path).setAction(action).build();
    }

    // ---- plumbing

    private Topics uniqueTopics(String test) {
        return new Topics(broker.uniqueTopic(test + "-web"), broker.uniqueTopic(test + "-email"),
                broker.uniqueTopic(test + "-download"), broker.uniqueTopic(test + "-profiles"),
                broker.uniqueTopic(test + "-scores"), broker.uniqueTopic(test + "-stage-changes"),
                broker.uniqueTopic(test + "-sql-handoffs"), broker.uniqueTopic(test + "-dead-letter"),
                broker.uniqueTopic(test + "-erasures"));
    }

    private Map<String, Object> config(String name, Topics topics, Path rulesFile, Path stateDir) {
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, broker.uniqueGroupId("scoring-" + name));
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        // KafkaStreams.close() keeps the member in the group (as Kafka Streams does by default), so a restarted
        // instance waits for the old member's session to expire: 6 s (the broker's minimum) instead of 45 s.
        config.put("session.timeout.ms", "6000");
        config.put("heartbeat.interval.ms", "1000");
        config.put("schema.registry.url", "mock://" + scope);
        config.put("rules.file", rulesFile.toString());
        AppTestSupport.putTopics(config, topics);
        config.put("topics.partitions", Integer.toString(PARTITIONS));
        config.put("topics.replication.factor", "1");
        config.put("http.port", "0"); // the HTTP API on any free port: tests never collide on 8080
        return config;
    }

    private ScoringApplication track(ScoringApplication app) {
        running.add(app);
        return app;
    }

    private ScoringApplication start(Map<String, Object> config) throws Exception {
        ScoringApplication app = track(new ScoringApplication(config));
        app.start();
        return app;
    }

    private void stop(ScoringApplication app) {
        app.close();
        running.remove(app);
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    }

    /**
     * Every topic of the pipeline, as TopicProvisioner would create it, but for recorded data: no segment rolls on
     * event-time age (so no compaction while the test reads) and no time-based retention.
     */
    private void createTopics(Topics topics) throws Exception {
        List<NewTopic> all = new ArrayList<>();
        List<String> names = Stream.concat(topics.coPartitioned().stream(), topics.outputs().stream()).toList();
        for (String name : names) {
            Map<String, String> configs = new HashMap<>();
            configs.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofDays(3650).toMillis()));
            if (topics.isCompacted(name)) {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            } else {
                configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
            }
            all.add(new NewTopic(name, PARTITIONS, (short) 1).configs(configs));
        }
        broker.admin().createTopics(all).all().get(30, TimeUnit.SECONDS);
        awaitVisible(names);
    }

    private void createTopics(List<String> names, int partitions) throws Exception {
        broker.admin().createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all()
                .get(30, TimeUnit.SECONDS);
        awaitVisible(names);
    }

    /** A created topic shows in the broker's metadata, with a leader for every partition, a moment later. */
    private void awaitVisible(List<String> names) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!leadersKnown(names)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("topics not ready: " + names);
            }
            Thread.sleep(50);
        }
    }

    private boolean leadersKnown(List<String> names) throws Exception {
        if (!broker.admin().listTopics().names().get(30, TimeUnit.SECONDS).containsAll(names)) {
            return false;
        }
        return broker.admin().describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && p.leader().id() >= 0);
    }

    /** In list order, with the project's Avro serializer; the key is the lead id, so a lead keeps its partition. */
    private void produce(Topics topics, List<ReplayAccess.Input> inputs) throws Exception {
        Map<ReplayAccess.Kind, String> topicOf = Map.of(ReplayAccess.Kind.WEB, topics.webEvents(),
                ReplayAccess.Kind.EMAIL, topics.emailEvents(), ReplayAccess.Kind.DOWNLOAD, topics.downloadEvents(),
                ReplayAccess.Kind.PROFILE, topics.profiles());
        KafkaAvroSerializer values = new KafkaAvroSerializer();
        values.configure(Map.of("schema.registry.url", "mock://" + scope), false);
        Map<String, Object> config = broker.producerConfig();
        // One batch in flight: a retried first batch (a partition that has just got its leader answers
        // NOT_LEADER_OR_FOLLOWER once) can never be overtaken by the next ones.
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(), values)) {
            for (ReplayAccess.Input input : inputs) {
                sent.add(producer.send(new ProducerRecord<>(topicOf.get(input.kind()), input.leadId(),
                        input.value())));
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS); // every record made it, or the test says so
            }
        }
    }

    private byte[] avro(String topic, SpecificRecord record) {
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer()) {
            serializer.configure(Map.of("schema.registry.url", "mock://" + scope), false);
            return serializer.serialize(topic, record);
        }
    }

    private static RecordMetadata send(KafkaProducer<String, byte[]> producer, String topic, String key,
            byte[] value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path samplesDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path samples = p.resolve("samples");
            if (Files.isRegularFile(samples.resolve("rules.yaml"))) {
                return samples;
            }
        }
        throw new AssertionError("samples/ not found above " + Path.of("").toAbsolutePath());
    }

}
