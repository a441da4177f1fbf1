package io.leadscoring.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadscoring.cli.ReplayLines;
import io.leadscoring.demo.DemoParts;
import io.leadscoring.scoring.Scorer;
import io.leadscoring.scoring.Stage;
import io.leadscoring.streams.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The input every fault test sends, and what {@code replay} makes of it. The demo's personas ({@code TrafficPlan})
 * write it as replay's JSON Lines (profiles in one file, events in another); what goes to Kafka is replay's own
 * reading of those lines, in replay's order (profiles, then events), so live and replay see the same records.
 * {@code lead-scoring replay} runs once per test JVM, in a child JVM, and its SQL lines are the expected handoffs.
 *
 * <p>Event times are the last few days (the broker's 7-day retention applies to them) and {@value #STEP_SECONDS} s
 * apart, so that decay, caps and windows all play.
 */
final class TrafficInput {

    static final long SEED = 8;
    static final int ACTIVE_LEADS = 120;
    static final int RECORDS = Integer.getInteger("reliability.records", 2000);
    static final long STEP_SECONDS = 30;
    static final String REGISTRY_SCOPE = "reliability";
    static final String REGISTRY_URL = "mock://" + REGISTRY_SCOPE;

    /** One input record: its source (web, email, download, profile), key, Avro value (as replay reads it), time. */
    record Record(String source, String leadId, SpecificRecord value, long timestamp) {
    }

    /** A handoff: lead, event time T, and the id (= idempotency key) that follows from them and the rule set. */
    record Handoff(String leadId, long at, String handoffId) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TrafficInput shared;

    final List<Record> records;
    final List<Handoff> expected;
    final int expectedStageChanges;
    final Path rules;
    final Duration replayTime;

    private TrafficInput(List<Record> records, List<Handoff> expected, int expectedStageChanges, Path rules,
            Duration replayTime) {
        this.records = records;
        this.expected = expected;
        this.expectedStageChanges = expectedStageChanges;
        this.rules = rules;
        this.replayTime = replayTime;
    }

    /** The input and its replay, made once per JVM (every test sends the same records to its own topics). */
    static synchronized TrafficInput get() throws Exception {
        if (shared == null) {
            shared = make(Reliability.outDir().resolve("input"));
        }
        return shared;
    }

    private static TrafficInput make(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path rules = Reliability.rulesFile();
        Instant start = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.HOURS);
        List<String> profileLines = new ArrayList<>();
        List<String> eventLines = new ArrayList<>();
        List<Record> profileRecords = new ArrayList<>();
        List<Record> eventRecords = new ArrayList<>();
        Map<String, String> sources = sourcesByTopic(Topics.defaults());
        for (DemoParts.Input input : DemoParts.traffic(SEED, ACTIVE_LEADS, RECORDS, Topics.defaults(), start,
                Duration.ofSeconds(STEP_SECONDS))) {
            String source = sources.get(input.topic());
            String line = jsonLine(source, input.value());
            boolean profile = source.equals("profile");
            (profile ? profileLines : eventLines).add(line);
            (profile ? profileRecords : eventRecords).add(
                    new Record(source, input.leadId(), ReplayLines.parse(line), input.timestamp()));
        }
        // Sent in replay's order: the CRM's profiles first, then the events.
        List<Record> records = new ArrayList<>(profileRecords);
        records.addAll(eventRecords);
        Path profiles = Files.write(dir.resolve("profiles.jsonl"), profileLines, StandardCharsets.UTF_8);
        Path events = Files.write(dir.resolve("events.jsonl"), eventLines, StandardCharsets.UTF_8);

        long begin = System.nanoTime();
        Path out = dir.resolve("replay.jsonl");
        Path log = Reliability.outDir().resolve("logs").resolve("replay.log");
        List<String> args = List.of("replay", "--rules", rules.toString(), "--profiles", profiles.toString(),
                "--events", events.toString());
        Files.createDirectories(log.getParent());
        Process replay = new ProcessBuilder(childCommand(args))
                .redirectOutput(out.toFile())
                .redirectError(log.toFile())
                .start();
        if (!replay.waitFor(5, TimeUnit.MINUTES) || replay.exitValue() != 0) {
            replay.destroyForcibly();
            throw new IllegalStateException("lead-scoring replay failed; see " + log + ":\n" + Files.readString(log));
        }
        Duration replayTime = Duration.ofNanos(System.nanoTime() - begin);

        List<Handoff> expected = new ArrayList<>();
        List<String> changes = Files.readAllLines(out, StandardCharsets.UTF_8);
        for (String line : changes) {
            JsonNode change = JSON.readTree(line);
            if (change.get("stage").asText().equals("SQL")) {
                String lead = change.get("leadId").asText();
                long at = change.get("at").asLong();
                expected.add(new Handoff(lead, at,
                        Scorer.handoffId(lead, Stage.SQL, at, change.get("ruleSet").asText())));
            }
        }
        return new TrafficInput(List.copyOf(records), List.copyOf(expected), changes.size(), rules, replayTime);
    }

    /** {@code java -cp <test class path> io.leadscoring.cli.LeadScoringCli ARGS}: what bin/lead-scoring runs. */
    private static List<String> childCommand(List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                "io.leadscoring.cli.LeadScoringCli"));
        command.addAll(args);
        return command;
    }

    static Map<String, String> sourcesByTopic(Topics topics) {
        Map<String, String> sources = new HashMap<>();
        sources.put(topics.webEvents(), "web");
        sources.put(topics.emailEvents(), "email");
        sources.put(topics.downloadEvents(), "download");
        sources.put(topics.profiles(), "profile");
        return sources;
    }

    static String topicOf(String source, Topics topics) {
        return switch (source) {
            case "web" -> topics.webEvents();
            case "email" -> topics.emailEvents();
            case "download" -> topics.downloadEvents();
            case "profile" -> topics.profiles();
            default -> throw new IllegalArgumentException(source);
        };
    }

    /** An Avro record as a replay JSON line: {@code source}, then its fields (times in epoch ms, enums by name). */
    static String jsonLine(String source, SpecificRecord value) {
        ObjectNode json = JSON.createObjectNode();
        json.put("source", source);
        for (Schema.Field field : value.getSchema().getFields()) {
            Object v = value.get(field.pos());
            if (v == null) {
                continue;
            }
            if (v instanceof Instant instant) {
                json.put(field.name(), instant.toEpochMilli());
            } else if (v instanceof Double || v instanceof Float) {
                json.put(field.name(), ((Number) v).doubleValue());
            } else if (v instanceof Number number) {
                json.put(field.name(), number.longValue());
            } else if (v instanceof Map<?, ?> map) {
                ObjectNode object = json.putObject(field.name());
                new LinkedHashMap<>(map).forEach((k, x) -> object.put(k.toString(), x.toString()));
            } else {
                json.put(field.name(), v.toString());
            }
        }
        return json.toString();
    }

    /** Where the input is cut into batches in which a lead has records in one topic only (see Pipeline#feedUntil). */
    List<Integer> batchStarts() {
        List<Integer> starts = new ArrayList<>();
        Map<String, String> topicOfLead = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            String previous = topicOfLead.get(r.leadId());
            if (i == 0 || (previous != null && !previous.equals(r.source()))) {
                starts.add(i);
                topicOfLead.clear();
            }
            topicOfLead.put(r.leadId(), r.source());
        }
        return starts;
    }
}
