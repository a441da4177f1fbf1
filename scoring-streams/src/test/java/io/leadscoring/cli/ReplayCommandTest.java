package io.leadscoring.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lead-scoring replay} in-process, as a user runs it: SCORING.md's Replay section (input format, output
 * fields, skipped lines, --profiles first) and the rule-file error contract.
 */
class ReplayCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHANGE_FIELDS = List.of(
            "leadId", "stage", "previousStage", "at", "score", "engagement", "fit", "fitGrade", "ruleSet", "reasons");
    private static final long DAY = Duration.ofDays(1).toMillis();

    /** SCORING.md worked example 1: blog-read 5, ebook 20, demo-request 50, no decay, sql 70. */
    private static final String EXAMPLE_1_RULES = """
            name: worked-example-1
            version: 1
            thresholds: { mql: 50, sql: 70 }
            behavior:
              - name: blog-read
                when: { source: web, path: { glob: "/blog/**" } }
                points: 5
              - name: ebook
                when: { source: download, assetType: EBOOK }
                points: 20
              - name: demo-request
                when: { source: web, action: FORM_SUBMIT, path: /demo }
                points: 50
            """;

    @TempDir
    Path dir;

    record Run(int exitCode, List<String> stdout, String stderr) {
    }

    @Test
    void samplesPrintExactlyTheStageChangesWithTheContractFields() throws Exception {
        Path samples = samplesDir();
        Run run = replay("--rules", samples.resolve("rules.yaml").toString(),
                "--events", samples.resolve("events.jsonl").toString(),
                "--profiles", samples.resolve("profiles.jsonl").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).hasSize(2);
        List<JsonNode> changes = parseAll(run.stdout());
        changes.forEach(ReplayCommandTest::assertContractShape);

        // lead-ana's profile alone (fit 70, capped at maxPoints 50) makes her an MQL at the profile's time.
        JsonNode mql = changes.get(0);
        assertThat(mql.get("leadId").asText()).isEqualTo("lead-ana");
        assertThat(mql.get("stage").asText()).isEqualTo("MQL");
        assertThat(mql.get("previousStage").asText()).isEqualTo("NEW");
        assertThat(mql.get("at").asLong()).isEqualTo(Instant.parse("2026-10-01T08:00:00Z").toEpochMilli());
        assertThat(mql.get("score").asDouble()).isEqualTo(50.0);
        assertThat(mql.get("engagement").asDouble()).isEqualTo(0.0);
        assertThat(mql.get("fit").asDouble()).isEqualTo(50.0);
        assertThat(mql.get("fitGrade").asText()).isEqualTo("A");
        assertThat(mql.get("ruleSet").asText()).isEqualTo("b2b-default@1");
        assertThat(reasons(mql)).containsExactly("decision-maker=25.0", "target-size=15.0", "budget-holder=10.0",
                "buying-soon=10.0", "target-industry=10.0");

        // The demo request makes her an SQL; every award decayed to T by hand (halfLife 14d, pricing 7d).
        long t = Instant.parse("2026-10-09T11:00:00Z").toEpochMilli();
        double blog = 10 * decay(t, "2026-10-02T09:10:00Z", 14);
        double emailOpen = 5 * decay(t, "2026-10-03T07:30:00Z", 14);
        double whitepaper = 20 * decay(t, "2026-10-05T14:00:00Z", 14); // its duplicate (line 24) is ignored
        double pricing = 20 * decay(t, "2026-10-08T10:00:00Z", 7);
        double engagement = blog + emailOpen + whitepaper + pricing + 50;
        JsonNode sql = changes.get(1);
        assertThat(sql.get("leadId").asText()).isEqualTo("lead-ana");
        assertThat(sql.get("stage").asText()).isEqualTo("SQL");
        assertThat(sql.get("previousStage").asText()).isEqualTo("MQL");
        assertThat(sql.get("at").asLong()).isEqualTo(t);
        assertThat(sql.get("engagement").asDouble()).isCloseTo(engagement, within(1e-9));
        assertThat(sql.get("fit").asDouble()).isEqualTo(50.0);
        assertThat(sql.get("score").asDouble()).isCloseTo(engagement + 50, within(1e-9));
        assertThat(sql.get("fitGrade").asText()).isEqualTo("A");
        List<String> names = new ArrayList<>();
        sql.get("reasons").forEach(r -> names.add(r.get("rule").asText()));
        assertThat(names).containsExactly("demo-request", "decision-maker", "pricing-page", "whitepaper",
                "target-size", "budget-holder", "buying-soon", "target-industry", "blog-read", "email-open");
        assertThat(points(sql, "pricing-page")).isCloseTo(pricing, within(1e-9));
        assertThat(points(sql, "whitepaper")).isCloseTo(whitepaper, within(1e-9));
        assertThat(points(sql, "blog-read")).isCloseTo(blog, within(1e-9));
        assertThat(points(sql, "email-open")).isCloseTo(emailOpen, within(1e-9));

        // The last sample line has no eventId and an unreadable time: reported with its line number, skipped.
        assertThat(run.stderr()).contains(samples.resolve("events.jsonl") + ":25: skipped:");
        assertThat(run.stderr()).contains("replay: 29 records, 1 skipped");
    }

    @Test
    void workedExampleOneGivesOneNewToSqlChangeWithIsoTimes() throws Exception {
        Path rules = write("example-1.yaml", EXAMPLE_1_RULES);
        Path events = write("example-1.jsonl", """
                {"source":"web","eventId":"e1","leadId":"lead-1","occurredAt":"2026-03-02T10:00:00Z","url":"https://www.example.com/blog/why-routing","action":"PAGE_VIEW"}
                {"source":"download","eventId":"e2","leadId":"lead-1","occurredAt":"2026-03-03T10:00:00Z","assetId":"eb-1","assetType":"EBOOK"}
                {"source":"web","eventId":"e3","leadId":"lead-1","occurredAt":"2026-03-04T10:00:00Z","url":"https://www.example.com/demo","action":"FORM_SUBMIT"}
                """);

        Run run = replay("--rules", rules.toString(), "--events", events.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).hasSize(1);
        JsonNode change = JSON.readTree(run.stdout().get(0));
        assertContractShape(change);
        assertThat(change.get("leadId").asText()).isEqualTo("lead-1");
        assertThat(change.get("stage").asText()).isEqualTo("SQL");
        assertThat(change.get("previousStage").asText()).isEqualTo("NEW");
        assertThat(change.get("at").asLong()).isEqualTo(Instant.parse("2026-03-04T10:00:00Z").toEpochMilli());
        assertThat(change.get("score").asDouble()).isEqualTo(75.0);
        assertThat(change.get("engagement").asDouble()).isEqualTo(75.0);
        assertThat(change.get("fit").asDouble()).isEqualTo(0.0);
        assertThat(change.get("fitGrade").asText()).isEqualTo("D");
        assertThat(change.get("ruleSet").asText()).isEqualTo("worked-example-1@1");
        assertThat(reasons(change)).containsExactly("demo-request=50.0", "ebook=20.0", "blog-read=5.0");
    }

    @Test
    void epochMillisAndIsoTimesGiveTheSameOutput() throws Exception {
        Path rules = write("example-1.yaml", EXAMPLE_1_RULES);
        long day0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
        Path iso = write("iso.jsonl", """
                {"source":"web","eventId":"e1","leadId":"lead-1","occurredAt":"2026-03-02T10:00:00Z","url":"https://www.example.com/blog/a","action":"PAGE_VIEW"}
                {"source":"download","eventId":"e2","leadId":"lead-1","occurredAt":"2026-03-03T12:00:00+02:00","assetId":"eb-1","assetType":"EBOOK"}
                {"source":"web","eventId":"e3","leadId":"lead-1","occurredAt":"2026-03-04T10:00:00.000Z","url":"https://www.example.com/demo","action":"FORM_SUBMIT"}
                """);
        Path epoch = write("epoch.jsonl", String.format("""
                {"source":"web","eventId":"e1","leadId":"lead-1","occurredAt":%d,"url":"https://www.example.com/blog/a","action":"PAGE_VIEW"}
                {"source":"download","eventId":"e2","leadId":"lead-1","occurredAt":"%d","assetId":"eb-1","assetType":"EBOOK"}
                {"source":"web","eventId":"e3","leadId":"lead-1","occurredAt":%d,"url":"https://www.example.com/demo","action":"FORM_SUBMIT"}
                """, day0, day0 + DAY, day0 + 2 * DAY));

        Run isoRun = replay("--rules", rules.toString(), "--events", iso.toString());
        Run epochRun = replay("--rules", rules.toString(), "--events", epoch.toString());

        assertThat(isoRun.exitCode()).isZero();
        assertThat(epochRun.exitCode()).isZero();
        assertThat(isoRun.stdout()).hasSize(1);
        assertThat(epochRun.stdout()).isEqualTo(isoRun.stdout());
        assertThat(JSON.readTree(epochRun.stdout().get(0)).get("at").asLong()).isEqualTo(day0 + 2 * DAY);
        assertThat(isoRun.stderr()).doesNotContain(": skipped:");
        assertThat(epochRun.stderr()).doesNotContain(": skipped:");
    }

    @Test
    void malformedLinesAreReportedWithTheirLineNumberAndSkipped() throws Exception {
        Path rules = write("example-1.yaml", EXAMPLE_1_RULES);
        Path events = write("bad-lines.jsonl", """
                {"source":"web","eventId":"e1","leadId":"lead-1","occurredAt":"2026-03-02T10:00:00Z","url":"https://www.example.com/blog/a","action":"PAGE_VIEW"}
                {"source":"web","eventId":"e2","leadId":"lead-1","occurredAt":
                {"source":"fax","eventId":"e3","leadId":"lead-1","occurredAt":"2026-03-02T11:00:00Z"}

                {"source":"download","eventId":"e4","leadId":"lead-1","occurredAt":"yesterday","assetType":"EBOOK"}
                {"source":"download","eventId":"e5","leadId":"lead-1","occurredAt":"2026-03-03T10:00:00Z","assetId":"eb-1","assetType":"EBOOK"}
                {"source":"email","eventId":"e6","leadId":"lead-1","occurredAt":"2026-03-03T11:00:00Z","type":"READ"}
                {"source":"web","eventId":"e7","leadId":"lead-1","occurredAt":"2026-03-04T10:00:00Z","url":"https://www.example.com/demo","action":"FORM_SUBMIT"}
                """);

        Run run = replay("--rules", rules.toString(), "--events", events.toString());

        assertThat(run.exitCode()).isZero();
        String file = events.toString();
        assertThat(run.stderr()).contains(file + ":2: skipped: not valid JSON");
        assertThat(run.stderr()).contains(file + ":3: skipped: unknown source 'fax'");
        assertThat(run.stderr()).contains(file + ":5: skipped: \"occurredAt\" is neither epoch milliseconds nor ISO-8601");
        assertThat(run.stderr()).contains(file + ":7: skipped: \"type\" has unknown value 'READ'");
        assertThat(run.stderr()).doesNotContain(file + ":1:", file + ":4:", file + ":6:", file + ":8:");
        assertThat(run.stderr()).contains("replay: 3 records, 4 skipped (0 dead-lettered), 1 stage changes, 1 SQL handoffs");
        // Processing went on after the bad lines: the same single change as worked example 1.
        assertThat(run.stdout()).hasSize(1);
        JsonNode change = JSON.readTree(run.stdout().get(0));
        assertThat(change.get("stage").asText()).isEqualTo("SQL");
        assertThat(reasons(change)).containsExactly("demo-request=50.0", "ebook=20.0", "blog-read=5.0");
    }

    @Test
    void recordsTheLivePipelineWouldDeadLetterAreReportedAndSkipped() throws Exception {
        Path rules = write("example-1.yaml", EXAMPLE_1_RULES);
        Path events = write("dead-letters.jsonl", """
                {"source":"web","eventId":"e1","leadId":"","occurredAt":"2026-03-02T10:00:00Z","url":"https://www.example.com/blog/a"}
                {"source":"web","eventId":"e2","leadId":"lead-1","occurredAt":"2026-03-04T10:00:00Z","url":"https://www.example.com/demo","action":"FORM_SUBMIT"}
                """);

        Run run = replay("--rules", rules.toString(), "--events", events.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr()).contains(events + ":1: skipped: dead-lettered as the live pipeline would: INVALID_RECORD");
        assertThat(run.stderr()).doesNotContain(events + ":2:");
        // The next record is scored as usual: the demo request alone (50) reaches the MQL threshold.
        assertThat(run.stdout()).hasSize(1);
        JsonNode change = JSON.readTree(run.stdout().get(0));
        assertThat(change.get("leadId").asText()).isEqualTo("lead-1");
        assertThat(change.get("stage").asText()).isEqualTo("MQL");
        assertThat(run.stderr()).contains("replay: 2 records, 1 skipped (1 dead-lettered), 1 stage changes, 0 SQL handoffs");
    }

    @Test
    void anErasureRecordMakesTheLeadStartFromScratchAsLive() throws Exception {
        Path rules = write("example-1.yaml", EXAMPLE_1_RULES);
        Path events = write("erasure.jsonl", """
                {"source":"web","eventId":"e1","leadId":"lead-1","occurredAt":"2026-03-02T10:00:00Z","url":"https://www.example.com/blog/a"}
                {"source":"web","eventId":"f1","leadId":"lead-2","occurredAt":"2026-03-02T11:00:00Z","url":"https://www.example.com/blog/a"}
                {"source":"download","eventId":"e2","leadId":"lead-1","occurredAt":"2026-03-03T10:00:00Z","assetId":"eb-1","assetType":"EBOOK"}
                {"source":"download","eventId":"f2","leadId":"lead-2","occurredAt":"2026-03-03T11:00:00Z","assetId":"eb-1","assetType":"EBOOK"}
                {"source":"web","eventId":"e3","leadId":"lead-1","occurredAt":"2026-03-04T10:00:00Z","url":"https://www.example.com/demo","action":"FORM_SUBMIT"}
                {"source":"erasure","leadId":"lead-1"}
                {"source":"erasure","leadId":""}
                {"source":"web","eventId":"e3","leadId":"lead-1","occurredAt":"2026-03-07T10:00:00Z","url":"https://www.example.com/demo","action":"FORM_SUBMIT"}
                {"source":"web","eventId":"f3","leadId":"lead-2","occurredAt":"2026-03-08T10:00:00Z","url":"https://www.example.com/demo","action":"FORM_SUBMIT"}
                """);

        Run run = replay("--rules", rules.toString(), "--events", events.toString());

        assertThat(run.exitCode()).isZero();
        List<JsonNode> changes = parseAll(run.stdout());
        changes.forEach(ReplayCommandTest::assertContractShape);
        assertThat(changes).extracting(c -> c.get("leadId").asText() + " " + c.get("previousStage").asText() + "->"
                + c.get("stage").asText() + " " + c.get("score").asDouble()).containsExactly(
                        "lead-1 NEW->SQL 75.0",
                        // Erased: the demo request alone, the same event id counted again, and NEW again.
                        "lead-1 NEW->MQL 50.0",
                        // Untouched: its blog read and e-book still count.
                        "lead-2 NEW->SQL 75.0");
        assertThat(reasons(changes.get(1))).containsExactly("demo-request=50.0");
        assertThat(run.stderr()).contains(events + ":7: skipped: dead-lettered as the live pipeline would: "
                + "INVALID_RECORD (erasure request: the record key, the lead id, is empty)");
        assertThat(run.stderr()).contains("replay: 9 records, 1 skipped (1 dead-lettered), 3 stage changes, "
                + "2 SQL handoffs, 1 erasures");
    }

    @Test
    void aBadRuleFileExitsWithTwoAndNamesFileLineAndRule() throws Exception {
        Path rules = write("broken.yaml", """
                name: broken
                version: 1
                thresholds: { mql: 50, sql: 100 }
                behavior:
                  - name: blog-read
                    when: { source: web, path: { glob: "/blog/**" } }
                    points: 10
                  - name: ebook
                    when: { source: download, asset_type: EBOOK }
                    points: 20
                """);
        Path events = write("events.jsonl", """
                {"source":"web","eventId":"e1","leadId":"lead-1","occurredAt":1,"url":"https://www.example.com/blog/a"}
                """);

        Run run = replay("--rules", rules.toString(), "--events", events.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains(rules + ":9: rule 'ebook': ");
        assertThat(run.stderr()).contains("asset_type");
    }

    @Test
    void aRuleFileWithSeveralProblemsReportsEachWithItsLine() throws Exception {
        Path rules = write("twice.yaml", """
                name: twice
                version: 1
                thresholds: { mql: 50, sql: 100 }
                behavior:
                  - name: blog-read
                    when: { source: web, path: { glob: "/blog/**" } }
                    points: 10
                  - name: blog-read
                    when: { source: web, path: /blog }
                    points: 5
                """);
        Path events = write("events.jsonl", "");

        Run run = replay("--rules", rules.toString(), "--events", events.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains(rules + ":8: rule 'blog-read': ");
    }

    @Test
    void profilesAreReplayedBeforeTheEvents() throws Exception {
        // SCORING.md worked example 3: 80 behaviour points, a fit rule {authority: USER} -> -40: score 40 < 50.
        Path rules = write("example-3.yaml", """
                name: worked-example-3
                version: 1
                thresholds: { mql: 50, sql: 100 }
                fit:
                  rules:
                    - name: end-user-only
                      when: { authority: USER }
                      points: -40
                behavior:
                  - name: demo-request
                    when: { source: web, action: FORM_SUBMIT, path: /demo }
                    points: 50
                  - name: pricing-page
                    when: { source: web, path: /pricing }
                    points: 30
                """);
        String profile = "{\"source\":\"profile\",\"leadId\":\"lead-3\",\"updatedAt\":\"2026-03-10T00:00:00Z\","
                + "\"email\":\"u@corp.example\",\"authority\":\"USER\"}\n";
        String events = """
                {"source":"web","eventId":"e1","leadId":"lead-3","occurredAt":"2026-03-02T10:00:00Z","url":"https://www.example.com/demo","action":"FORM_SUBMIT"}
                {"source":"web","eventId":"e2","leadId":"lead-3","occurredAt":"2026-03-03T10:00:00Z","url":"https://www.example.com/pricing","action":"PAGE_VIEW"}
                """;
        Path profiles = write("profiles.jsonl", profile);
        Path eventsFile = write("events-3.jsonl", events);
        // --profiles is given after --events on purpose: its records are still processed first.
        Run profilesFirst = replay("--rules", rules.toString(), "--events", eventsFile.toString(),
                "--profiles", profiles.toString());

        assertThat(profilesFirst.exitCode()).isZero();
        assertThat(profilesFirst.stdout()).isEmpty();
        assertThat(profilesFirst.stderr()).contains("replay: 3 records, 0 skipped (0 dead-lettered), 0 stage changes");

        // Control: the same profile after the events (in the events file) comes too late to stop the MQL.
        Path profileLast = write("events-then-profile.jsonl", events + profile);
        Run eventsFirst = replay("--rules", rules.toString(), "--events", profileLast.toString());
        assertThat(eventsFirst.exitCode()).isZero();
        assertThat(eventsFirst.stdout()).hasSize(1);
        JsonNode mql = JSON.readTree(eventsFirst.stdout().get(0));
        assertThat(mql.get("stage").asText()).isEqualTo("MQL");
        assertThat(mql.get("at").asLong()).isEqualTo(Instant.parse("2026-03-02T10:00:00Z").toEpochMilli());
        assertThat(mql.get("score").asDouble()).isEqualTo(50.0);
    }

    // ---- helpers

    private static void assertContractShape(JsonNode change) {
        List<String> fields = new ArrayList<>();
        change.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("fields of %s", change).containsExactlyElementsOf(CHANGE_FIELDS);
        assertThat(change.get("at").isIntegralNumber()).as("at is epoch millis").isTrue();
        assertThat(change.get("score").isNumber()).isTrue();
        assertThat(change.get("engagement").isNumber()).isTrue();
        assertThat(change.get("fit").isNumber()).isTrue();
        assertThat(change.get("reasons").isArray()).isTrue();
        assertThat(change.get("reasons").size()).isLessThanOrEqualTo(10);
        for (JsonNode reason : change.get("reasons")) {
            List<String> reasonFields = new ArrayList<>();
            reason.fieldNames().forEachRemaining(reasonFields::add);
            assertThat(reasonFields).containsExactly("rule", "points");
            assertThat(reason.get("rule").isTextual()).isTrue();
            assertThat(reason.get("points").isNumber()).isTrue();
        }
    }

    private static List<String> reasons(JsonNode change) {
        List<String> reasons = new ArrayList<>();
        for (Iterator<JsonNode> it = change.get("reasons").elements(); it.hasNext(); ) {
            JsonNode r = it.next();
            reasons.add(r.get("rule").asText() + "=" + r.get("points").asDouble());
        }
        return reasons;
    }

    private static double points(JsonNode change, String rule) {
        for (JsonNode r : change.get("reasons")) {
            if (r.get("rule").asText().equals(rule)) {
                return r.get("points").asDouble();
            }
        }
        throw new AssertionError("no reason " + rule + " in " + change);
    }

    private static double decay(long at, String occurredAt, int halfLifeDays) {
        long age = at - Instant.parse(occurredAt).toEpochMilli();
        return Math.pow(2, -age / (double) (halfLifeDays * DAY));
    }

    private static List<JsonNode> parseAll(List<String> lines) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
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

    /** Runs the command with System.out and System.err captured, as a user at a terminal would see them. */
    private static Run replay(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "replay";
        System.arraycopy(args, 0, all, 1, args.length);
        CliRuns.Result run = CliRuns.execute(all);
        if (run.exitCode() != 0 || !run.stderr().isEmpty()) {
            System.err.println("replay " + String.join(" ", args) + " -> exit " + run.exitCode() + "\n" + run.stderr());
        }
        String stdout = run.stdout();
        return new Run(run.exitCode(), stdout.isEmpty() ? List.of() : List.of(stdout.split("\\R")), run.stderr());
    }
}
