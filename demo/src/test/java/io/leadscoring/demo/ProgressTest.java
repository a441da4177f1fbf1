package io.leadscoring.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static final Progress.Snapshot SNAPSHOT = new Progress.Snapshot(Duration.ofSeconds(83), 49.6, 4150, 512,
            61, 17, 17, 17, 2, 0, 3, 0);

    @Test
    void theProgressLineFitsAnEightyColumnTerminal() {
        String line = Progress.line(SNAPSHOT);
        assertThat(line).isEqualTo("1:23 | 50 ev/s | 4150 events | 512 leads | MQL 61 | SQL 17 | CRM 17 | DLQ 3");
        assertThat(line.length()).isLessThan(80);
    }

    @Test
    void aHandoffShowsWhoThenScoreGradeAndTopThreeReasons() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("handoffId", "h-1");
        document.put("leadId", "lead-000042");
        document.put("score", 145.28108345516245);
        document.put("fitGrade", "A");
        document.put("reasons", List.of(Map.of("rule", "demo-request", "points", 50.0),
                Map.of("rule", "decision-maker", "points", 25), Map.of("rule", "pricing-page", "points", 19.96),
                Map.of("rule", "blog-read", "points", 10)));
        document.put("email", "ana@acme.example");
        document.put("firstName", "Ana");
        document.put("lastName", "Kowalska");
        document.put("company", "Acme Logistics");
        String text = Progress.handoff(InboxHandoff.of(document, "h-1", Instant.EPOCH));
        assertThat(text.lines()).containsExactly(
                "  SQL -> CRM  lead-000042  Ana Kowalska, Acme Logistics <ana@acme.example>",
                "               score 145.3, fit A: demo-request +50, decision-maker +25, pricing-page +20");
    }

    @Test
    void aHandoffWithoutProfileFieldsStillReads() {
        String text = Progress.handoff(InboxHandoff.of(Map.of("leadId", "lead-7", "reasons", List.of()), "h-7",
                Instant.EPOCH));
        assertThat(text.lines()).containsExactly("  SQL -> CRM  lead-7", "               score ?");
    }

    @Test
    void theSummaryNamesEveryCount() {
        List<String> summary = Progress.summary(SNAPSHOT, Duration.ofMillis(9400), 140L << 20, 1024L << 20);
        assertThat(summary).containsExactly(
                "Summary after 1:23:",
                "  events published  4150 (512 leads)",
                "  MQLs              61",
                "  SQLs              17 (17 handoffs on leads.sql-handoffs)",
                "  CRM deliveries    17 new in the inbox, 2 duplicates refused by idempotency key",
                "  dead letters      3 on leads.dead-letter, 0 from the CRM connector",
                "  first handoff     9.4 s after ready",
                "  heap              peak 140 MiB of 1024 MiB");
        assertThat(Progress.summary(SNAPSHOT, null, 0, 0)).contains("  first handoff     none");
    }

    @Test
    void formatsClocksAndNumbers() {
        assertThat(Progress.clock(Duration.ofSeconds(5))).isEqualTo("0:05");
        assertThat(Progress.clock(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
        assertThat(Progress.clock(Duration.ofSeconds(-3))).isEqualTo("0:00");
        assertThat(Progress.number(145.0)).isEqualTo("145");
        assertThat(Progress.number(0.25)).isEqualTo("0.2");
        assertThat(Progress.signed(-10)).isEqualTo("-10");
        assertThat(Progress.signed(19.96)).isEqualTo("+20");
    }

    @Test
    void onATerminalTheProgressLineIsRewrittenAndOtherOutputGoesAboveIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        console.progress("one");
        console.progress("two");
        console.println("handoff");
        console.endProgress();
        String nl = System.lineSeparator();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("\rone\u001b[K" + "\rtwo\u001b[K"
                + "\r\u001b[K" + "handoff" + nl + "two\u001b[K" + nl);
    }

    @Test
    void withoutATerminalEveryProgressLineIsALine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        console.progress("one");
        console.println("handoff");
        console.endProgress();
        String nl = System.lineSeparator();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("one" + nl + "handoff" + nl);
    }
}
