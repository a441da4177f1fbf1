package io.leadscoring.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.Reason;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.streams.DeadLetterHandler;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.ScoringTopology;
import io.leadscoring.streams.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * SCORING.md's Replay: recorded JSON Lines through the production topology in a {@link TopologyTestDriver}, the
 * emitted stage changes printed as JSON Lines, in emission order.
 */
final class Replay implements AutoCloseable {

    /** Replay holds a whole recording: keep every window, whatever order the file is in. */
    static final Duration REPLAY_HORIZON = Duration.ofDays(365L * 100);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;
    private final String registryScope = "replay-" + UUID.randomUUID();
    private final ScoringSerdes serdes;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, WebEvent> web;
    private final TestInputTopic<String, EmailEvent> email;
    private final TestInputTopic<String, DownloadEvent> download;
    private final TestInputTopic<String, LeadProfile> profiles;
    private final TestInputTopic<String, String> erasures;
    private final TestOutputTopic<String, StageChange> changes;
    private final TestOutputTopic<byte[], byte[]> scores;
    private final TestOutputTopic<byte[], byte[]> deadLetters;
    private final String stageChangesTopic;
    private final String scoresTopic;
    private final String deadLetterTopic;

    private final long startedNanos = System.nanoTime();
    private long records;
    private long skipped;
    private long deadLettered;
    private long stageChanges;
    private long handoffs;
    private long erased;

    Replay(RuleSet rules, PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        Topics topics = Topics.defaults();
        this.stageChangesTopic = topics.stageChanges();
        this.scoresTopic = topics.scores();
        this.deadLetterTopic = topics.deadLetter();
        this.serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + registryScope));
        // In memory, and no changelogs: a replay has nothing to restore.
        var settings = new ScoringTopology.Settings(topics, rules, REPLAY_HORIZON, true, false);
        this.driver = new TopologyTestDriver(ScoringTopology.build(settings, serdes), properties(topics));
        StringSerializer keys = new StringSerializer();
        this.web = driver.createInputTopic(topics.webEvents(), keys, serdes.webEvent().serializer());
        this.email = driver.createInputTopic(topics.emailEvents(), keys, serdes.emailEvent().serializer());
        this.download = driver.createInputTopic(topics.downloadEvents(), keys, serdes.downloadEvent().serializer());
        this.profiles = driver.createInputTopic(topics.profiles(), keys, serdes.profile().serializer());
        this.erasures = driver.createInputTopic(topics.erasures(), keys, keys);
        this.changes = driver.createOutputTopic(topics.stageChanges(), new StringDeserializer(),
                serdes.stageChange().deserializer());
        this.scores = driver.createOutputTopic(topics.scores(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.deadLetters = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private static Properties properties(Topics topics) {
        Properties props = ScoringTopology.streamsDefaults(topics);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lead-scoring-replay");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay.invalid:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        // A test driver cannot crash, so exactly-once buys nothing; under it the driver drops the dead letters that
        // the deserialization handler sends (they stay in an open mock transaction).
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // The driver processes each record as it is piped, so there is never a partition to wait for; waiting
        // logic would only format log messages per record.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        return props;
    }

    /** Replays one file in order; returns the number of its lines that were skipped. */
    long replay(Path file) throws IOException {
        long fileSkipped = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + ":" + number;
                try {
                    pipe(JsonRecords.parse(JSON.readTree(line)));
                    records++;
                } catch (JsonProcessingException e) {
                    skip(where, "not valid JSON: " + e.getOriginalMessage());
                    fileSkipped++;
                    continue;
                } catch (JsonRecords.BadRecordException e) {
                    skip(where, e.getMessage());
                    fileSkipped++;
                    continue;
                }
                drain(where);
            }
        }
        return fileSkipped;
    }

    private void pipe(JsonRecords.Parsed record) {
        switch (record.kind()) {
            case WEB -> web.pipeInput(record.leadId(), (WebEvent) record.value());
            case EMAIL -> email.pipeInput(record.leadId(), (EmailEvent) record.value());
            case DOWNLOAD -> download.pipeInput(record.leadId(), (DownloadEvent) record.value());
            case PROFILE -> profiles.pipeInput(record.leadId(), (LeadProfile) record.value());
            case ERASURE -> erasures.pipeInput(record.leadId(), record.leadId());
            default -> throw new IllegalStateException("unknown kind " + record.kind());
        }
    }

    private void skip(String where, String reason) {
        skipped++;
        err.println(where + ": skipped: " + reason);
    }

    private void drain(String where) {
        while (driver.producedTopicNames().contains(stageChangesTopic) && !changes.isEmpty()) {
            StageChange change = changes.readValue();
            stageChanges++;
            if (change.getStage() == io.leadscoring.events.Stage.SQL) {
                handoffs++;
            }
            out.println(toJson(change));
        }
        while (driver.producedTopicNames().contains(deadLetterTopic) && !deadLetters.isEmpty()) {
            TestRecord<byte[], byte[]> record = deadLetters.readRecord();
            deadLettered++;
            skipped++;
            err.println(where + ": skipped: dead-lettered as the live pipeline would: "
                    + header(record, DeadLetterHandler.HEADER_REASON) + " ("
                    + header(record, DeadLetterHandler.HEADER_ERROR) + ")");
        }
        // Scores are the compacted current view; replay prints only stage changes, and counts the erasures'
        // tombstones.
        if (driver.producedTopicNames().contains(scoresTopic) && !scores.isEmpty()) {
            for (TestRecord<byte[], byte[]> score : scores.readRecordsToList()) {
                if (score.value() == null) {
                    erased++;
                }
            }
        }
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Exactly the fields of SCORING.md's Stages section. */
    static String toJson(StageChange change) {
        ObjectNode json = JSON.createObjectNode();
        json.put("leadId", change.getLeadId());
        json.put("stage", change.getStage().name());
        json.put("previousStage", change.getPreviousStage().name());
        json.put("at", change.getAt().toEpochMilli());
        json.put("score", change.getScore());
        json.put("engagement", change.getEngagement());
        json.put("fit", change.getFit());
        json.put("fitGrade", change.getFitGrade().name());
        json.put("ruleSet", change.getRuleSet());
        ArrayNode reasons = json.putArray("reasons");
        for (Reason reason : change.getReasons()) {
            reasons.addObject().put("rule", reason.getRule()).put("points", reason.getPoints());
        }
        return json.toString();
    }

    String summary() {
        double seconds = Math.max(1, System.nanoTime() - startedNanos) / 1e9;
        return String.format(java.util.Locale.ROOT,
                "replay: %d records, %d skipped (%d dead-lettered), %d stage changes, %d SQL handoffs, "
                        + "%d erasures; %.1f s, %.0f records/s",
                records, skipped, deadLettered, stageChanges, handoffs, erased, seconds,
                (records + skipped - deadLettered) / seconds);
    }

    @Override
    public void close() {
        driver.close();
        serdes.close();
        MockSchemaRegistry.dropScope(registryScope);
    }
}
