package io.leadscoring.app;

import io.leadscoring.scoring.RuleSet;
import io.leadscoring.scoring.Source;
import io.leadscoring.scoring.Stage;
import io.leadscoring.scoring.rules.BehaviorRule;
import io.leadscoring.streams.ScoringMetrics;
import io.leadscoring.streams.StateStoreSizes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The domain metrics of the scoring application in a Micrometer registry (served as Prometheus text at
 * {@code /metrics}; names below as Prometheus shows them). Every meter the event path touches is made here, before
 * the first record: per source and type, per rule, per stage and per dead-letter reason, so a call is an array or
 * hash lookup and an increment, without allocation, and every series exists (at 0) from the start.
 */
public final class MicrometerScoringMetrics implements ScoringMetrics {

    /** Score histogram buckets: 10 to 200 by 10 (Micrometer's boundaries must be positive; see {@link #evaluated}). */
    static final double[] SCORE_BUCKETS = scoreBuckets();
    /** Handoff latency buckets: the live pipeline's sub-second latency up to a week-late event or backlog. */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
        Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(7)};

    private final MeterRegistry registry;
    /** [source ordinal][type ordinal]: a source's types are one enum ({@link ScoringMetrics#eventTypes}). */
    private final Counter[][] events;
    private final Counter[] duplicates;
    private final Map<String, RuleMeters> rules;
    private final Counter[] stageChanges;
    private final Counter handoffs;
    private final DistributionSummary scores;
    private final Timer handoffLatency;
    private final Map<String, Counter> deadLetters = new ConcurrentHashMap<>();
    private final Counter erasures;

    /** The points and awards counters of one behaviour rule; {@code sign} tells penalties from rewards. */
    private record RuleMeters(Counter points, Counter awards) {
    }

    public MicrometerScoringMetrics(MeterRegistry registry, RuleSet ruleSet) {
        this.registry = registry;
        Source[] sources = Source.values();
        this.events = new Counter[sources.length][];
        this.duplicates = new Counter[sources.length];
        for (Source source : sources) {
            Enum<?>[] types = ScoringMetrics.eventTypes(source);
            events[source.ordinal()] = new Counter[types.length];
            for (Enum<?> type : types) {
                events[source.ordinal()][type.ordinal()] = eventCounter(source, type.name());
            }
            duplicates[source.ordinal()] = Counter.builder("leadscoring.duplicate.events")
                    .description("Events ignored as duplicates (same event id for the lead within 7 days)")
                    .tag("source", source.yamlName()).register(registry);
        }

        Map<String, RuleMeters> byRule = new HashMap<>();
        for (BehaviorRule rule : ruleSet.behaviorRules()) {
            byRule.put(rule.name(), ruleMeters(rule.name(), rule.points() < 0));
        }
        this.rules = Map.copyOf(byRule);

        this.stageChanges = new Counter[Stage.values().length];
        for (Stage stage : new Stage[] {Stage.MQL, Stage.SQL}) {
            stageChanges[stage.ordinal()] = Counter.builder("leadscoring.stage.changes")
                    .description("Leads that moved to a stage").tag("stage", stage.name()).register(registry);
        }
        this.handoffs = Counter.builder("leadscoring.handoffs")
                .description("SQL handoffs emitted to the CRM topic").register(registry);
        this.scores = DistributionSummary.builder("leadscoring.lead.score")
                .description("A lead's score after each evaluation (event or profile change); below 0 counts as 0")
                .serviceLevelObjectives(SCORE_BUCKETS).register(registry);
        this.handoffLatency = Timer.builder("leadscoring.handoff.latency")
                .description("Wall clock at an SQL handoff's emission minus the event time of the record that "
                        + "caused it")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        for (String reason : ScoringMetrics.deadLetterReasons()) {
            deadLetters.put(reason, deadLetterCounter(reason));
        }
        this.erasures = Counter.builder("leadscoring.erasures")
                .description("Erasure requests (GDPR) carried out: the lead's state deleted, its score tombstoned")
                .register(registry);
        Gauge.builder("leadscoring.rule.set.info", () -> 1)
                .description("The rule set in use: its name and version as labels, value 1")
                .tags("name", ruleSet.name(), "version", ruleSet.version()).register(registry);
    }

    /**
     * One gauge per state store, {@code leadscoring_state_store_entries{store}}: its approximate number of entries on
     * this instance, read on scrape from {@code sizes} (which caches), never on the event path.
     */
    public void bindStateStores(StateStoreSizes sizes) {
        for (String store : StateStoreSizes.STORES) {
            Gauge.builder("leadscoring.state.store.entries", sizes, s -> s.entries(store))
                    .description("Approximate entries of a state store in this instance's active tasks")
                    .tag("store", store).strongReference(true).register(registry);
        }
    }

    @Override
    public void event(Source source, Enum<?> type) {
        Counter[] bySource = events[source.ordinal()];
        int i = type == null ? -1 : type.ordinal();
        if (i >= 0 && i < bySource.length && bySource[i] != null) {
            bySource[i].increment();
        } else {
            // Not one of the schema's types (cannot happen with generated classes); the registry finds the meter.
            eventCounter(source, type == null ? "UNKNOWN" : type.name()).increment();
        }
    }

    @Override
    public void duplicate(Source source) {
        duplicates[source.ordinal()].increment();
    }

    @Override
    public void awarded(String rule, double points) {
        RuleMeters meters = rules.get(rule);
        if (meters == null) {
            meters = ruleMeters(rule, points < 0); // not in the rule set given at start-up: rare, looked up
        }
        // A counter cannot go down: a penalty counts its magnitude, under sign="negative".
        meters.points().increment(Math.abs(points));
        meters.awards().increment();
    }

    /** Negative scores are recorded as 0: Micrometer's histograms drop negative values, which would hide them. */
    @Override
    public void evaluated(double score) {
        scores.record(score > 0 ? score : 0);
    }

    @Override
    public void stageChanged(Stage stage) {
        Counter counter = stageChanges[stage.ordinal()];
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void handoff(long latencyMillis) {
        handoffs.increment();
        // An event time ahead of this machine's clock (skew) counts as no latency rather than being dropped.
        handoffLatency.record(Math.max(latencyMillis, 0), TimeUnit.MILLISECONDS);
    }

    @Override
    public void erased() {
        erasures.increment();
    }

    @Override
    public void deadLetter(String reason) {
        Counter counter = deadLetters.get(reason);
        if (counter == null) {
            counter = deadLetters.computeIfAbsent(reason, this::deadLetterCounter);
        }
        counter.increment();
    }

    private Counter eventCounter(Source source, String type) {
        return Counter.builder("leadscoring.events")
                .description("Events scored, by source and type (web: action, email: type, download: assetType)")
                .tags("source", source.yamlName(), "type", type).register(registry);
    }

    private RuleMeters ruleMeters(String rule, boolean penalty) {
        String sign = penalty ? "negative" : "positive";
        return new RuleMeters(
                Counter.builder("leadscoring.points.awarded")
                        .description("Points awarded by a behaviour rule after caps, as a magnitude (see sign)")
                        .tags("rule", rule, "sign", sign).register(registry),
                Counter.builder("leadscoring.awards")
                        .description("Awards of a behaviour rule with non-zero points after caps")
                        .tags("rule", rule).register(registry));
    }

    private Counter deadLetterCounter(String reason) {
        return Counter.builder("leadscoring.dead.letters")
                .description("Records sent to the dead-letter topic, by their dlq.reason")
                .tag("reason", reason).register(registry);
    }

    private static double[] scoreBuckets() {
        double[] buckets = new double[20];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = 10.0 * (i + 1);
        }
        return buckets;
    }
}
