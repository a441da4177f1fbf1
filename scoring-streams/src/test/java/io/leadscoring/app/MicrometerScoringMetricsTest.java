package io.leadscoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.events.AssetType;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.WebAction;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.scoring.Source;
import io.leadscoring.scoring.Stage;
import io.leadscoring.streams.StateStoreSizes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The Micrometer implementation: Prometheus names, labels, buckets and values. */
class MicrometerScoringMetricsTest {

    private static final String RULES = """
            name: metrics-test
            version: 4
            thresholds: { mql: 50, sql: 100 }
            behavior:
              - name: pricing-page
                when: { source: web, path: /pricing }
                points: 30
              - name: unsubscribe
                when: { source: email, type: UNSUBSCRIBED }
                points: -25
              - name: marker
                when: { source: download }
                points: 0
            """;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MicrometerScoringMetrics metrics;

    MicrometerScoringMetricsTest() throws Exception {
        RuleSet rules = RuleFileLoader.parse(RULES, "metrics-test.yaml");
        metrics = new MicrometerScoringMetrics(registry, rules);
    }

    @Test
    void erasuresAreCountedFromZero() {
        assertThat(registry.scrape()).contains("leadscoring_erasures_total 0.0");
        metrics.erased();
        metrics.erased();
        assertThat(registry.scrape()).contains("leadscoring_erasures_total 2.0");
        assertThat(registry.get("leadscoring.erasures").counter().count()).isEqualTo(2.0);
    }

    @Test
    void everySeriesExistsAtZeroBeforeTheFirstRecord() {
        String text = registry.scrape();
        for (Source source : Source.values()) {
            assertThat(text).contains("leadscoring_duplicate_events_total{source=\"" + source.yamlName() + "\"} 0");
        }
        for (WebAction a : WebAction.values()) {
            assertThat(text).contains("leadscoring_events_total{source=\"web\",type=\"" + a + "\"} 0");
        }
        for (EmailEventType t : EmailEventType.values()) {
            assertThat(text).contains("leadscoring_events_total{source=\"email\",type=\"" + t + "\"} 0");
        }
        for (AssetType t : AssetType.values()) {
            assertThat(text).contains("leadscoring_events_total{source=\"download\",type=\"" + t + "\"} 0");
        }
        assertThat(text).contains(
                "leadscoring_points_awarded_total{rule=\"pricing-page\",sign=\"positive\"} 0",
                "leadscoring_points_awarded_total{rule=\"unsubscribe\",sign=\"negative\"} 0",
                "leadscoring_points_awarded_total{rule=\"marker\",sign=\"positive\"} 0",
                "leadscoring_awards_total{rule=\"pricing-page\"} 0",
                "leadscoring_stage_changes_total{stage=\"MQL\"} 0",
                "leadscoring_stage_changes_total{stage=\"SQL\"} 0",
                "leadscoring_handoffs_total 0",
                "leadscoring_lead_score_count 0",
                "leadscoring_handoff_latency_seconds_count 0",
                "leadscoring_rule_set_info{name=\"metrics-test\",version=\"4\"} 1");
        assertThat(text).doesNotContain("stage=\"NEW\"");
        for (String reason : List.of("NO_MAGIC_BYTE", "TRUNCATED", "UNKNOWN_SCHEMA_ID", "INVALID_AVRO",
                "UNKNOWN_READER_CLASS", "INCOMPATIBLE_SCHEMA", "UNREADABLE", "INVALID_RECORD")) {
            assertThat(text).contains("leadscoring_dead_letters_total{reason=\"" + reason + "\"} 0");
        }
    }

    @Test
    void eventsCountBySourceAndTypeAndDuplicatesBySource() {
        metrics.event(Source.WEB, WebAction.PAGE_VIEW);
        metrics.event(Source.WEB, WebAction.PAGE_VIEW);
        metrics.event(Source.WEB, WebAction.FORM_SUBMIT);
        metrics.event(Source.EMAIL, EmailEventType.OPENED);
        metrics.event(Source.DOWNLOAD, AssetType.PRICE_LIST);
        metrics.duplicate(Source.EMAIL);

        assertThat(counter("leadscoring.events", "source", "web", "type", "PAGE_VIEW")).isEqualTo(2.0);
        assertThat(counter("leadscoring.events", "source", "web", "type", "FORM_SUBMIT")).isEqualTo(1.0);
        assertThat(counter("leadscoring.events", "source", "web", "type", "CLICK")).isEqualTo(0.0);
        assertThat(counter("leadscoring.events", "source", "email", "type", "OPENED")).isEqualTo(1.0);
        assertThat(counter("leadscoring.events", "source", "download", "type", "PRICE_LIST")).isEqualTo(1.0);
        assertThat(counter("leadscoring.duplicate.events", "source", "email")).isEqualTo(1.0);
        assertThat(counter("leadscoring.duplicate.events", "source", "web")).isEqualTo(0.0);
        assertThat(registry.scrape()).contains("leadscoring_events_total{source=\"web\",type=\"PAGE_VIEW\"} 2");
    }

    @Test
    void pointsCountAsMagnitudesWithTheRulesSignAndAwardsCount() {
        metrics.awarded("pricing-page", 30);
        metrics.awarded("pricing-page", 12.5); // what a cap left
        metrics.awarded("unsubscribe", -25);

        assertThat(counter("leadscoring.points.awarded", "rule", "pricing-page", "sign", "positive")).isEqualTo(42.5);
        assertThat(counter("leadscoring.points.awarded", "rule", "unsubscribe", "sign", "negative")).isEqualTo(25.0);
        assertThat(counter("leadscoring.awards", "rule", "pricing-page")).isEqualTo(2.0);
        assertThat(counter("leadscoring.awards", "rule", "unsubscribe")).isEqualTo(1.0);
        assertThat(counter("leadscoring.awards", "rule", "marker")).isEqualTo(0.0);
        assertThat(registry.scrape()).contains(
                "leadscoring_points_awarded_total{rule=\"pricing-page\",sign=\"positive\"} 42.5",
                "leadscoring_points_awarded_total{rule=\"unsubscribe\",sign=\"negative\"} 25");
    }

    @Test
    void stageChangesHandoffsAndTheirLatencyHistogram() {
        metrics.stageChanged(Stage.MQL);
        metrics.stageChanged(Stage.SQL);
        metrics.handoff(1_500);
        metrics.handoff(-20); // event time ahead of the clock: no latency

        assertThat(counter("leadscoring.stage.changes", "stage", "MQL")).isEqualTo(1.0);
        assertThat(counter("leadscoring.stage.changes", "stage", "SQL")).isEqualTo(1.0);
        assertThat(registry.get("leadscoring.handoffs").counter().count()).isEqualTo(2.0);
        var latency = registry.get("leadscoring.handoff.latency").timer();
        assertThat(latency.count()).isEqualTo(2);
        assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1_500.0);

        HistogramSnapshot snapshot = latency.takeSnapshot();
        assertThat(Arrays.stream(snapshot.histogramCounts()).mapToDouble(b -> b.bucket(TimeUnit.SECONDS)).toArray())
                .containsExactly(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400,
                        604800);
        String text = registry.scrape();
        assertThat(text).contains("# TYPE leadscoring_handoff_latency_seconds histogram",
                "leadscoring_handoff_latency_seconds_bucket{le=\"0.05\"} 1",
                "leadscoring_handoff_latency_seconds_bucket{le=\"1.0\"} 1",
                "leadscoring_handoff_latency_seconds_bucket{le=\"2.5\"} 2",
                "leadscoring_handoff_latency_seconds_bucket{le=\"604800.0\"} 2",
                "leadscoring_handoff_latency_seconds_bucket{le=\"+Inf\"} 2",
                "leadscoring_handoff_latency_seconds_count 2",
                "leadscoring_handoff_latency_seconds_sum 1.5");
    }

    @Test
    void scoresFillBucketsOfTenUpTo200AndNegativeScoresCountAsZero() {
        metrics.evaluated(5);
        metrics.evaluated(10);
        metrics.evaluated(145.3);
        metrics.evaluated(-460);
        metrics.evaluated(250);

        var scores = registry.get("leadscoring.lead.score").summary();
        assertThat(scores.count()).isEqualTo(5);
        assertThat(scores.totalAmount()).isEqualTo(5 + 10 + 145.3 + 0 + 250);
        CountAtBucket[] buckets = scores.takeSnapshot().histogramCounts();
        assertThat(Arrays.stream(buckets).mapToDouble(CountAtBucket::bucket).toArray())
                .containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180,
                        190, 200);
        assertThat(buckets[0].count()).isEqualTo(3); // 5, 10 and the negative one
        assertThat(buckets[14].count()).isEqualTo(4); // ≤ 150
        assertThat(buckets[19].count()).isEqualTo(4); // 250 is only in +Inf
        String text = registry.scrape();
        assertThat(text).contains("# TYPE leadscoring_lead_score histogram",
                "leadscoring_lead_score_bucket{le=\"10.0\"} 3",
                "leadscoring_lead_score_bucket{le=\"200.0\"} 4",
                "leadscoring_lead_score_bucket{le=\"+Inf\"} 5",
                "leadscoring_lead_score_count 5");
    }

    @Test
    void deadLettersCountByReasonIncludingOnesNotKnownUpFront() {
        metrics.deadLetter("NO_MAGIC_BYTE");
        metrics.deadLetter("INVALID_RECORD");
        metrics.deadLetter("INVALID_RECORD");
        metrics.deadLetter("SOMETHING_NEW");

        assertThat(counter("leadscoring.dead.letters", "reason", "NO_MAGIC_BYTE")).isEqualTo(1.0);
        assertThat(counter("leadscoring.dead.letters", "reason", "INVALID_RECORD")).isEqualTo(2.0);
        assertThat(counter("leadscoring.dead.letters", "reason", "SOMETHING_NEW")).isEqualTo(1.0);
        assertThat(counter("leadscoring.dead.letters", "reason", "TRUNCATED")).isEqualTo(0.0);
    }

    @Test
    void stateStoreGaugesReadCachedSizesOnScrape() {
        AtomicLong nanos = new AtomicLong();
        AtomicLong measurements = new AtomicLong();
        metrics.bindStateStores(new StateStoreSizes(store -> {
            measurements.incrementAndGet();
            return store.length() * 1000L + measurements.get();
        }, nanos::get, Duration.ofSeconds(10)));

        String text = registry.scrape();
        // One measurement per store for the whole scrape: lead-state is measured first, 10 chars.
        assertThat(text).contains("leadscoring_state_store_entries{store=\"lead-state\"} 10001",
                "leadscoring_state_store_entries{store=\"lead-profiles\"} 13002",
                "leadscoring_state_store_entries{store=\"seen-events\"} 11003",
                "leadscoring_state_store_entries{store=\"rule-caps\"} 9004",
                "leadscoring_state_store_entries{store=\"lead-activity\"} 13005");
        assertThat(registry.find("leadscoring.state.store.entries").gauges()).hasSize(5);
        registry.scrape();
        assertThat(measurements).hasValue(5);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(registry.scrape()).contains("leadscoring_state_store_entries{store=\"lead-state\"} 10006");
        assertThat(measurements).hasValue(10);
    }

    @Test
    void prometheusNamesOfEveryFamily() {
        metrics.handoff(10);
        List<String> names = registry.getMeters().stream().map(Meter::getId).map(id -> id.getName()).distinct()
                .sorted().toList();
        assertThat(names).containsExactly("leadscoring.awards", "leadscoring.dead.letters",
                "leadscoring.duplicate.events", "leadscoring.erasures", "leadscoring.events",
                "leadscoring.handoff.latency",
                "leadscoring.handoffs", "leadscoring.lead.score", "leadscoring.points.awarded",
                "leadscoring.rule.set.info", "leadscoring.stage.changes");
        String text = registry.scrape();
        for (String family : List.of("leadscoring_awards_total", "leadscoring_dead_letters_total",
                "leadscoring_duplicate_events_total", "leadscoring_erasures_total", "leadscoring_events_total",
                "leadscoring_handoff_latency_seconds", "leadscoring_handoffs_total", "leadscoring_lead_score",
                "leadscoring_points_awarded_total", "leadscoring_rule_set_info", "leadscoring_stage_changes_total")) {
            assertThat(text).contains("# HELP " + family + " ");
        }
    }

    private double counter(String name, String... tags) {
        Counter counter = registry.find(name).tags(tags).counter();
        assertThat(counter).as("%s%s", name, Arrays.toString(tags)).isNotNull();
        return counter.count();
    }
}
