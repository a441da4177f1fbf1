package io.leadscoring.streams;

import static io.leadscoring.streams.TopologyHarness.day;
import static io.leadscoring.streams.TopologyHarness.downloadEvent;
import static io.leadscoring.streams.TopologyHarness.emailEvent;
import static io.leadscoring.streams.TopologyHarness.pageView;
import static io.leadscoring.streams.TopologyHarness.profile;
import static io.leadscoring.streams.TopologyHarness.webEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.leadscoring.events.AssetType;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.Source;
import io.leadscoring.scoring.Stage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics the topology reports, counted exactly over a worked example with a recording {@link ScoringMetrics}. */
class ScoringMetricsTopologyTest {

    /** No decay: every score below is a plain sum. */
    private static final String RULES = """
            name: metrics-example
            version: 2
            thresholds: { mql: 50, sql: 100 }
            fit:
              rules:
                - name: decision-maker
                  when: { jobTitle: { regex: "(?i)\\\\bceo\\\\b" } }
                  points: 25
            behavior:
              - name: blog-read
                when: { source: web, path: { glob: "/blog/**" } }
                points: 10
                cap: { points: 20, per: 1d }
              - name: pricing-page
                when: { source: web, path: /pricing }
                points: 30
              - name: demo-request
                when: { source: web, action: FORM_SUBMIT, path: /demo }
                points: 50
              - name: email-open
                when: { source: email, type: OPENED }
                points: 5
              - name: unsubscribe
                when: { source: email, type: UNSUBSCRIBED }
                points: -25
              - name: ebook
                when: { source: download, assetType: EBOOK }
                points: 20
            """;

    @Test
    void eventsPointsStageChangesHandoffsAndDeadLettersAreCountedExactly() {
        RecordingScoringMetrics metrics = new RecordingScoringMetrics();
        try (var t = new TopologyHarness(RULES, Duration.ofDays(30), metrics)) {
            // Lead a: two blog reads and a third one the cap leaves at 0, an ebook, an open, pricing (MQL at 75),
            // pricing re-sent (a duplicate), and a demo request (SQL at 125) half a day before the clock.
            t.send(pageView("a", "a1", day(0), "/blog/one"));
            t.send(pageView("a", "a2", day(0.1), "/blog/two"));
            t.send(pageView("a", "a3", day(0.2), "/blog/three"));
            t.send(downloadEvent("a", "a4", day(0.3), AssetType.EBOOK));
            t.send(emailEvent("a", "a5", day(0.4), EmailEventType.OPENED));
            WebEvent pricing = pageView("a", "a6", day(0.5), "/pricing");
            t.send(pricing);
            t.send(pricing);
            t.driver.advanceWallClockTime(Duration.ofDays(1).plusHours(2)); // the clock: day 1 + 2 h
            t.send(webEvent("a", "a7", day(0.6), "/demo", WebAction.FORM_SUBMIT));
            // Lead b: a CEO's profile (25), an unsubscribe (0) and an open (5).
            t.send(profile("b", day(0)).setJobTitle("CEO").build());
            t.send(emailEvent("b", "b1", day(0.1), EmailEventType.UNSUBSCRIBED));
            t.send(emailEvent("b", "b2", day(0.2), EmailEventType.OPENED));
            // Dead letters: bytes without the magic byte, a truncated profile, two contract breaches.
            byte[] key = "a".getBytes(StandardCharsets.UTF_8);
            t.rawWeb.pipeInput(key, "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8), day(1));
            t.rawProfiles.pipeInput(key, new byte[] {0, 0, 0}, day(1));
            t.web.pipeInput("other-key", pageView("a", "a8", day(1), "/pricing"), day(1));
            t.send(pageView("a", "", day(1), "/pricing"));

            assertThat(t.latestScores()).extractingByKeys("a", "b").extracting(LeadScore::getScore)
                    .containsExactly(125.0, 5.0);
            assertThat(t.deadLetterRecords()).hasSize(4);
        }

        assertThat(metrics.events).containsExactly(
                entry("download/EBOOK", 1),
                entry("email/OPENED", 2),
                entry("email/UNSUBSCRIBED", 1),
                entry("web/FORM_SUBMIT", 1),
                entry("web/PAGE_VIEW", 4));
        assertThat(metrics.duplicates).containsExactly(entry(Source.WEB, 1));
        assertThat(metrics.points).containsExactly(
                entry("blog-read", 20.0),
                entry("demo-request", 50.0),
                entry("ebook", 20.0),
                entry("email-open", 10.0),
                entry("pricing-page", 30.0),
                entry("unsubscribe", -25.0));
        assertThat(metrics.awards).containsExactly(
                entry("blog-read", 2),
                entry("demo-request", 1),
                entry("ebook", 1),
                entry("email-open", 2),
                entry("pricing-page", 1),
                entry("unsubscribe", 1));
        // One score per evaluation: 9 events and 1 profile change, in processing order.
        assertThat(metrics.scores).containsExactly(10.0, 20.0, 20.0, 40.0, 45.0, 75.0, 125.0, 25.0, 0.0, 5.0);
        assertThat(metrics.stageChanges).containsExactly(entry(Stage.MQL, 1), entry(Stage.SQL, 1));
        // The clock (day 1 + 2 h) minus the demo request's event time (day 0.6).
        long latency = day(1).plus(Duration.ofHours(2)).toEpochMilli() - day(0.6).toEpochMilli();
        assertThat(metrics.handoffLatencies).containsExactly(latency);
        assertThat(metrics.deadLetters).isEqualTo(Map.of(
                "NO_MAGIC_BYTE", 1, "TRUNCATED", 1, DeadLetterHandler.REASON_INVALID_RECORD, 2));
    }

    @Test
    void aHandoffCausedByAProfileChangeIsTimedFromTheProfilesUpdate() {
        RecordingScoringMetrics metrics = new RecordingScoringMetrics();
        try (var t = new TopologyHarness(RULES, Duration.ofDays(30), metrics)) {
            t.send(webEvent("p", "p1", day(0), "/demo", WebAction.FORM_SUBMIT));
            t.send(pageView("p", "p2", day(0.1), "/pricing")); // 80: MQL
            t.driver.advanceWallClockTime(Duration.ofHours(5));
            t.send(profile("p", day(0.125)).setJobTitle("CEO").build()); // 105 at 3 h: SQL
        }
        assertThat(metrics.stageChanges).containsExactly(entry(Stage.MQL, 1), entry(Stage.SQL, 1));
        assertThat(metrics.handoffLatencies).containsExactly(Duration.ofHours(2).toMillis());
        assertThat(metrics.scores).containsExactly(50.0, 80.0, 105.0);
    }

    @Test
    void withoutMetricsTheTopologyRecordsNothingAndRuns() {
        try (var t = new TopologyHarness(RULES)) {
            t.send(webEvent("n", "n1", day(0), "/demo", WebAction.FORM_SUBMIT));
            t.rawWeb.pipeInput("n".getBytes(StandardCharsets.UTF_8), new byte[] {1}, day(0));
            assertThat(t.latestScores()).containsOnlyKeys("n");
            assertThat(t.deadLetterRecords()).hasSize(1);
        }
    }
}
