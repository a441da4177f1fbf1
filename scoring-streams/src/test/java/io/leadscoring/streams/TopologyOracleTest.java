package io.leadscoring.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.events.AssetType;
import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole topology (TopologyTestDriver, Avro serdes, state stores) against a literal reading of SCORING.md and
 * docs/SCORING-NOTES.md: an oracle that keeps every accepted event of every lead in a list and recomputes everything
 * from it on every record. It shares no code with the scoring core: it interprets its own description of the rules,
 * and the same description is written out as YAML for {@link RuleFileLoader} to build the topology.
 *
 * <p>Every scenario draws a rule set (caps, half-lives, negative points, fit rules, maxPoints) and thousands of
 * records (late events, re-sent event ids inside and just outside 7 days, ids reused by other leads, profile
 * changes, older and identical profiles) from its seed; every record's {@link LeadScore}, every {@link StageChange}
 * and every lead's final score must agree with the oracle.
 */
class TopologyOracleTest {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long WEEK = 7 * DAY;
    /** The contract's threshold tolerance (notes, Stages). */
    private static final double EPS = 1e-9;
    private static final long NO_DECAY = 0;
    private static final Duration FOREVER = Duration.ofDays(365L * 100);

    /**
     * @param maxLateness how far behind the newest record an event may arrive
     * @param horizon the topology's late-event horizon; when bounded, records stay inside it (notes: later records
     *     lose their windows by design, which a literal oracle does not model)
     */
    record Scenario(long seed, int leads, int records, long maxLateness, boolean rocksDb, Duration horizon,
            boolean tenths) {
        Scenario(long seed, int leads, int records, long maxLateness, boolean rocksDb, Duration horizon) {
            this(seed, leads, records, maxLateness, rocksDb, horizon, false);
        }

        @Override
        public String toString() {
            return "seed " + seed + (tenths ? " (0.1 a touch, thresholds 0.8 and 1.0)" : "") + ": " + leads
                    + " leads, " + records + " records, lateness <= " + maxLateness / DAY + "d, " + (rocksDb ? "RocksDB" : "in-memory") + " stores, horizon "
                    + (horizon.equals(FOREVER) ? "unbounded" : horizon.toDays() + "d");
        }
    }

    static Stream<Scenario> scenarios() {
        return Stream.of(
                new Scenario(1, 40, 4000, 60 * DAY, false, FOREVER),
                new Scenario(2, 120, 5000, 20 * DAY, false, FOREVER),
                new Scenario(3, 8, 3000, 30 * DAY, false, FOREVER),
                new Scenario(4, 60, 3000, 10 * DAY, true, Duration.ofDays(30)),
                new Scenario(5, 300, 4000, 5 * DAY, false, FOREVER),
                new Scenario(6, 25, 3000, 40 * DAY, true, FOREVER),
                new Scenario(7, 50, 4000, 14 * DAY, false, Duration.ofDays(30)),
                // Sums of 0.1 that land a rounding error below a threshold (notes: S >= threshold - 1e-9).
                new Scenario(8, 60, 3000, 10 * DAY, false, FOREVER, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyScoreAndStageChangeAgreesWithTheContract(Scenario scenario, @TempDir Path stateDir) throws Exception {
        Random random = new Random(scenario.seed());
        Rules rules = Rules.random(random, scenario.seed(), scenario.tenths());
        List<Input> inputs = new Generator(random, scenario).generate();
        RuleSet ruleSet = RuleFileLoader.parse(rules.yaml(), "oracle-" + scenario.seed() + ".yaml");
        assertThat(ruleSet.id()).isEqualTo(rules.id());

        Oracle oracle = new Oracle(rules);
        inputs.forEach(oracle::apply);

        Topics topics = Topics.defaults();
        String scope = "oracle-" + scenario.seed() + "-" + UUID.randomUUID();
        ScoringSerdes serdes = ScoringSerdes.avro(Map.of("schema.registry.url", "mock://" + scope));
        Properties props = ScoringTopology.streamsDefaults(topics);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "oracle-" + scenario.seed());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "oracle.invalid:9092");
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // As Replay does: under exactly-once the test driver keeps dead letters in an open mock transaction.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        var settings = new ScoringTopology.Settings(topics, ruleSet, scenario.horizon(), !scenario.rocksDb());
        List<LeadScore> scores;
        List<StageChange> changes;
        List<StageChange> handoffs;
        long deadLetters;
        try (TopologyTestDriver driver = new TopologyTestDriver(ScoringTopology.build(settings, serdes), props)) {
            StringSerializer keys = new StringSerializer();
            TestInputTopic<String, WebEvent> web =
                    driver.createInputTopic(topics.webEvents(), keys, serdes.webEvent().serializer());
            TestInputTopic<String, EmailEvent> email =
                    driver.createInputTopic(topics.emailEvents(), keys, serdes.emailEvent().serializer());
            TestInputTopic<String, DownloadEvent> download =
                    driver.createInputTopic(topics.downloadEvents(), keys, serdes.downloadEvent().serializer());
            TestInputTopic<String, LeadProfile> profiles =
                    driver.createInputTopic(topics.profiles(), keys, serdes.profile().serializer());
            for (Input input : inputs) {
                if (input instanceof ProfileIn p) {
                    profiles.pipeInput(p.leadId(), p.avro());
                } else {
                    EventIn e = (EventIn) input;
                    if (e.avro() instanceof WebEvent w) {
                        web.pipeInput(e.leadId(), w);
                    } else if (e.avro() instanceof EmailEvent m) {
                        email.pipeInput(e.leadId(), m);
                    } else {
                        download.pipeInput(e.leadId(), (DownloadEvent) e.avro());
                    }
                }
            }
            StringDeserializer keyDeserializer = new StringDeserializer();
            scores = driver.createOutputTopic(topics.scores(), keyDeserializer, serdes.leadScore().deserializer())
                    .readValuesToList();
            changes = driver.createOutputTopic(topics.stageChanges(), keyDeserializer,
                    serdes.stageChange().deserializer()).readValuesToList();
            handoffs = driver.createOutputTopic(topics.sqlHandoffs(), keyDeserializer,
                    serdes.stageChange().deserializer()).readValuesToList();
            deadLetters = driver.createOutputTopic(topics.deadLetter(), keyDeserializer, keyDeserializer)
                    .readRecordsToList().size();
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }

        assertThat(deadLetters).as("dead letters").isZero();
        String context = scenario + ", rule file:\n" + rules.yaml();

        // Every processed record (accepted event or profile) gives exactly one LeadScore, in processing order.
        assertThat(scores).as("number of LeadScores; %s", context).hasSize(oracle.scores.size());
        for (int i = 0; i < scores.size(); i++) {
            Expected expected = oracle.scores.get(i);
            assertScore("LeadScore #" + i + " (input #" + expected.input + ", lead " + expected.leadId + ")",
                    scores.get(i), expected, oracle, context);
        }

        // Every stage change, MQL and SQL, in order; the SQL ones are exactly the handoffs.
        assertThat(changes.stream().map(c -> c.getLeadId() + ":" + c.getPreviousStage() + "->" + c.getStage()
                + "@" + c.getAt().toEpochMilli()).toList())
                .as("stage changes; %s", context)
                .containsExactlyElementsOf(oracle.changes.stream().map(e -> e.leadId + ":" + e.previousStage + "->"
                        + e.stage + "@" + e.at).toList());
        for (int i = 0; i < changes.size(); i++) {
            assertChange("StageChange #" + i, changes.get(i), oracle.changes.get(i), oracle, context);
        }
        assertThat(handoffs).as("SQL handoffs").containsExactlyElementsOf(
                changes.stream().filter(c -> c.getStage() == io.leadscoring.events.Stage.SQL).toList());

        // The scores topic is compacted: its latest value per lead is the lead's current score.
        Map<String, LeadScore> latest = new LinkedHashMap<>();
        scores.forEach(s -> latest.put(s.getLeadId(), s));
        assertThat(latest.keySet()).isEqualTo(oracle.finalScores.keySet());
        oracle.finalScores.forEach((leadId, expected) ->
                assertScore("final LeadScore of " + leadId, latest.get(leadId), expected, oracle, context));

        // The scenario exercised what it is meant to.
        Map<String, Integer> required = new LinkedHashMap<>(oracle.stats);
        if (rules.behavior().stream().noneMatch(r -> r.cap() != null)) {
            required.remove("capped awards");
        }
        if (rules.mql() == rules.sql()) {
            required.remove("MQL changes");
        }
        assertThat(required).as("coverage of %s", scenario)
                .allSatisfy((what, count) -> assertThat(count).as(what).isPositive());
        System.err.printf(Locale.ROOT, "%s: %s%n", scenario, oracle.stats);
    }

    // ---- comparison

    private static void assertScore(String what, LeadScore actual, Expected expected, Oracle oracle, String context) {
        String where = what + " in " + context + "\nlead history:\n" + oracle.history(expected.leadId);
        assertThat(actual.getLeadId()).as("leadId of %s", where).isEqualTo(expected.leadId);
        assertThat(actual.getAsOf().toEpochMilli()).as("asOf of %s", where).isEqualTo(expected.at);
        assertClose("engagement of " + where, actual.getEngagement(), expected.engagement);
        assertClose("fit of " + where, actual.getFit(), expected.fit);
        assertClose("score of " + where, actual.getScore(), expected.score);
        assertThat(actual.getStage().name()).as("stage of %s", where).isEqualTo(expected.stage);
        assertThat(actual.getFitGrade().name()).as("fitGrade of %s", where).isEqualTo(expected.fitGrade);
        assertThat(actual.getTemperature().name()).as("temperature of %s", where).isEqualTo(expected.temperature);
        assertThat(actual.getActivity().name()).as("activity of %s", where).isEqualTo(expected.activity);
        assertThat(actual.getRuleSet()).as("ruleSet of %s", where).isEqualTo(oracle.rules.id());
        assertReasons("reasons of " + where, actual.getReasons(), expected.reasons);
    }

    private static void assertChange(String what, StageChange actual, Expected expected, Oracle oracle,
            String context) {
        String where = what + " (lead " + expected.leadId + ") in " + context + "\nlead history:\n"
                + oracle.history(expected.leadId);
        assertThat(actual.getLeadId()).as("leadId of %s", where).isEqualTo(expected.leadId);
        assertThat(actual.getStage().name()).as("stage of %s", where).isEqualTo(expected.stage);
        assertThat(actual.getPreviousStage().name()).as("previousStage of %s", where)
                .isEqualTo(expected.previousStage);
        assertThat(actual.getAt().toEpochMilli()).as("at of %s", where).isEqualTo(expected.at);
        assertClose("engagement of " + where, actual.getEngagement(), expected.engagement);
        assertClose("fit of " + where, actual.getFit(), expected.fit);
        assertClose("score of " + where, actual.getScore(), expected.score);
        assertThat(actual.getFitGrade().name()).as("fitGrade of %s", where).isEqualTo(expected.fitGrade);
        assertThat(actual.getTemperature().name()).as("temperature of %s", where).isEqualTo(expected.temperature);
        assertThat(actual.getActivity().name()).as("activity of %s", where).isEqualTo(expected.activity);
        assertThat(actual.getRuleSet()).as("ruleSet of %s", where).isEqualTo(oracle.rules.id());
        assertThat(actual.getHandoffId()).as("handoffId of %s", where).isEqualTo(expected.handoffId);
        assertReasons("reasons of " + where, actual.getReasons(), expected.reasons);
        Profile p = expected.profile;
        assertThat(actual.getEmail()).as("email of %s", where).isEqualTo(p == null ? null : p.email);
        assertThat(actual.getFirstName()).as("firstName of %s", where).isEqualTo(p == null ? null : p.firstName);
        assertThat(actual.getLastName()).as("lastName of %s", where).isEqualTo(p == null ? null : p.lastName);
        assertThat(actual.getCompany()).as("company of %s", where).isEqualTo(p == null ? null : p.company);
    }

    private static boolean close(double actual, double expected) {
        return Math.abs(actual - expected) <= 1e-6 * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-9;
    }

    private static void assertClose(String what, double actual, double expected) {
        if (!close(actual, expected)) {
            throw new AssertionError(what + ": expected " + expected + " but was " + actual);
        }
    }

    /**
     * Names and points of the top 10, largest magnitude first, ties by name (checked on the emitted numbers). Where
     * two contributions differ by floating-point rounding only (the core sums decayed awards incrementally, the
     * oracle from scratch), the oracle's order may differ from the emitted one, and so may the one at the cut-off.
     */
    private static void assertReasons(String what, List<io.leadscoring.events.Reason> actual,
            List<Contribution> expected) {
        int n = Math.min(10, expected.size());
        String detail = what + "\n  actual:   " + actual.stream().map(r -> r.getRule() + "=" + r.getPoints()).toList()
                + "\n  expected: " + expected.stream().map(Contribution::toString).toList();
        if (actual.size() != n) {
            throw new AssertionError("number of " + detail);
        }
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < n; i++) {
            // The contract's order on the topology's own numbers: exact ties strictly by name.
            var before = actual.get(i - 1);
            var after = actual.get(i);
            double b = Math.abs(before.getPoints());
            double c = Math.abs(after.getPoints());
            if (b < c || (b == c && before.getRule().compareTo(after.getRule()) >= 0)) {
                throw new AssertionError("order at position " + i + " of " + detail);
            }
        }
        for (int i = 0; i < n; i++) {
            var a = actual.get(i);
            Contribution e = expected.get(i);
            if (!seen.add(a.getRule())) {
                throw new AssertionError("repeated rule " + a.getRule() + " in " + detail);
            }
            if (a.getRule().equals(e.rule())) {
                if (!close(a.getPoints(), e.points())) {
                    throw new AssertionError("points of " + a.getRule() + " in " + detail);
                }
                continue;
            }
            Contribution same = expected.stream().filter(c -> c.rule().equals(a.getRule())).findFirst().orElse(null);
            if (same == null || !close(a.getPoints(), same.points())
                    || !close(Math.abs(a.getPoints()), Math.abs(e.points()))) {
                throw new AssertionError("rule at position " + i + " of " + detail);
            }
        }
    }

    // ---- the rules, as the oracle understands them

    enum Src { WEB, EMAIL, DOWNLOAD }

    /** A matcher of SCORING.md's table, interpreted here, and written out as YAML. */
    interface Cond {
        boolean holds(Object value);

        String yaml();
    }

    /** A scalar (one value) or a list: text equal ignoring case; {@code numeric}: unquoted YAML number. */
    record Eq(List<String> values, boolean list, boolean quoted) implements Cond {
        static Eq of(String... values) {
            return new Eq(List.of(values), values.length > 1, true);
        }

        static Eq unquoted(String... values) {
            return new Eq(List.of(values), values.length > 1, false);
        }

        @Override
        public boolean holds(Object value) {
            if (value == null) {
                return false;
            }
            String text = text(value);
            for (String v : values) {
                if (v.equalsIgnoreCase(text)) {
                    return true;
                }
                // notes: a text field equals an unquoted YAML number when it spells the same number
                if (!quoted && isNumber(v) && isNumber(text.trim())
                        && Double.parseDouble(v) == Double.parseDouble(text.trim())) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String yaml() {
            List<String> shown = values.stream().map(v -> quoted ? "'" + v + "'" : v).toList();
            return list ? "[" + String.join(", ", shown) + "]" : shown.get(0);
        }
    }

    record Glob(String glob) implements Cond {
        @Override
        public boolean holds(Object value) {
            if (value == null) {
                return false;
            }
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else if (c == '*') {
                    regex.append("[^/]*");
                } else if (c == '?') {
                    regex.append('.');
                } else {
                    regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL)
                    .matcher(text(value)).matches();
        }

        @Override
        public String yaml() {
            return "{ glob: '" + glob + "' }";
        }
    }

    record Regex(String regex) implements Cond {
        @Override
        public boolean holds(Object value) {
            return value != null && Pattern.compile(regex).matcher(text(value)).find();
        }

        @Override
        public String yaml() {
            return "{ regex: '" + regex + "' }";
        }
    }

    record Range(Double min, Double max) implements Cond {
        @Override
        public boolean holds(Object value) {
            double v;
            if (value instanceof Number n) {
                v = n.doubleValue();
            } else if (value instanceof String s && isNumber(s.trim())) {
                v = Double.parseDouble(s.trim());
            } else {
                return false;
            }
            return (min == null || v >= min) && (max == null || v <= max);
        }

        @Override
        public String yaml() {
            List<String> parts = new ArrayList<>();
            if (min != null) {
                parts.add("min: " + number(min));
            }
            if (max != null) {
                parts.add("max: " + number(max));
            }
            return "{ " + String.join(", ", parts) + " }";
        }
    }

    record Exists(boolean exists) implements Cond {
        @Override
        public boolean holds(Object value) {
            return (value != null) == exists;
        }

        @Override
        public String yaml() {
            return "{ exists: " + exists + " }";
        }
    }

    record Cap(double points, String per, long perMillis) {
    }

    /**
     * @param sources empty: every source
     * @param halfLife null: the rule set's; {@code "none"}: no decay
     */
    record BehaviorRule(String name, Set<Src> sources, Map<String, Cond> when, double points, String halfLife,
            long halfLifeMillis, Cap cap) {

        boolean matches(EventIn event) {
            if (!sources.isEmpty() && !sources.contains(event.src())) {
                return false;
            }
            for (var condition : when.entrySet()) {
                // a field the event's source does not have reads as null
                if (!condition.getValue().holds(event.fields().get(condition.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    record FitRule(String name, Map<String, Cond> when, double points) {
        boolean matches(Profile profile) {
            for (var condition : when.entrySet()) {
                if (!condition.getValue().holds(profile.fields.get(condition.getKey()))) {
                    return false;
                }
            }
            return true;
        }
    }

    record Rules(String name, String version, String halfLife, long halfLifeMillis, double mql, double sql,
            Double maxPoints, List<FitRule> fit, List<BehaviorRule> behavior) {

        String id() {
            return name + "@" + version;
        }

        double effectiveMaxPoints() {
            return maxPoints != null ? maxPoints : sql / 2;
        }

        long halfLifeOf(BehaviorRule rule) {
            if (rule.halfLife() == null) {
                return halfLifeMillis;
            }
            return rule.halfLifeMillis();
        }

        String yaml() {
            StringBuilder y = new StringBuilder();
            y.append("name: ").append(name).append('\n');
            y.append("version: ").append(version).append('\n');
            y.append("description: generated by TopologyOracleTest\n");
            if (halfLife != null) {
                y.append("halfLife: ").append(halfLife).append('\n');
            }
            y.append("thresholds: { mql: ").append(number(mql)).append(", sql: ").append(number(sql)).append(" }\n");
            if (!fit.isEmpty() || maxPoints != null) {
                y.append("fit:\n");
                if (maxPoints != null) {
                    y.append("  maxPoints: ").append(number(maxPoints)).append('\n');
                }
                y.append("  rules:\n");
                for (FitRule r : fit) {
                    y.append("    - name: ").append(r.name()).append('\n');
                    y.append("      when: ").append(when(r.when(), Set.of())).append('\n');
                    y.append("      points: ").append(number(r.points())).append('\n');
                }
            }
            y.append("behavior:\n");
            for (BehaviorRule r : behavior) {
                y.append("  - name: ").append(r.name()).append('\n');
                if (!r.when().isEmpty() || !r.sources().isEmpty()) {
                    y.append("    when: ").append(when(r.when(), r.sources())).append('\n');
                }
                y.append("    points: ").append(number(r.points())).append('\n');
                if (r.halfLife() != null) {
                    y.append("    halfLife: ").append(r.halfLife()).append('\n');
                }
                if (r.cap() != null) {
                    y.append("    cap: { points: ").append(number(r.cap().points())).append(", per: ")
                            .append(r.cap().per()).append(" }\n");
                }
            }
            return y.toString();
        }

        private static String when(Map<String, Cond> when, Set<Src> sources) {
            List<String> entries = new ArrayList<>();
            if (sources.size() == 1) {
                entries.add("source: " + sources.iterator().next().name().toLowerCase(Locale.ROOT));
            } else if (!sources.isEmpty()) {
                entries.add("source: [" + sources.stream().map(s -> s.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")) + "]");
            }
            when.forEach((field, cond) -> entries.add(field + ": " + cond.yaml()));
            return "{ " + String.join(", ", entries) + " }";
        }

        /** A random rule set over the templates below; the seed decides everything. */
        static Rules random(Random random, long seed, boolean tenths) {
            if (tenths) {
                // One rule of 0.1 a touch, no decay: the 8th touch sums to 0.7999999999999999, the 10th to
                // 0.9999999999999999; the notes' tolerance must make them an MQL and an SQL.
                BehaviorRule touch = new BehaviorRule("touch", EnumSet.noneOf(Src.class), Map.of(), 0.1, null,
                        NO_DECAY, null);
                return new Rules("oracle-" + seed, "" + seed, null, NO_DECAY, 0.8, 1.0, null, List.of(),
                        List.of(touch));
            }
            String[][] halfLives = {{"7d", "" + 7 * DAY}, {"14d", "" + 14 * DAY}, {"36h", "" + 36 * HOUR},
                    {"P10D", "" + 10 * DAY}, {"12h", "" + 12 * HOUR}, {"2w", "" + 14 * DAY}, {"PT60H", "" + 60 * HOUR}};
            String[][] capPeriods = {{"12h", "" + 12 * HOUR}, {"1d", "" + DAY}, {"3d", "" + 3 * DAY},
                    {"7d", "" + 7 * DAY}, {"P2D", "" + 2 * DAY}};
            double[] fractions = {0.1, 0.25, 2.5, 7.5, 12.5, 33.3};

            List<BehaviorRule> behavior = new ArrayList<>();
            List<Template> templates = new ArrayList<>(BEHAVIOR_TEMPLATES);
            java.util.Collections.shuffle(templates, random);
            int count = 6 + random.nextInt(templates.size() - 5);
            for (int i = 0; i < count; i++) {
                Template t = templates.get(i);
                double points;
                int kind = random.nextInt(10);
                if (kind == 0) {
                    points = 0;
                } else if (kind <= 2) {
                    points = fractions[random.nextInt(fractions.length)];
                } else {
                    points = 5 * (1 + random.nextInt(12));
                }
                if (t.negative() || random.nextInt(12) == 0) {
                    points = -Math.abs(points == 0 ? 10 : points);
                }
                String halfLife = null;
                long halfLifeMillis = NO_DECAY;
                int h = random.nextInt(20);
                if (h < 3) {
                    halfLife = "none";
                } else if (h < 10) {
                    String[] pick = halfLives[random.nextInt(halfLives.length)];
                    halfLife = pick[0];
                    halfLifeMillis = Long.parseLong(pick[1]);
                }
                Cap cap = null;
                if (random.nextInt(10) < 4) {
                    String[] per = capPeriods[random.nextInt(capPeriods.length)];
                    double[] capPoints = {5, 10, 15, 25, 30, 12.5, 40};
                    cap = new Cap(capPoints[random.nextInt(capPoints.length)], per[0], Long.parseLong(per[1]));
                }
                behavior.add(new BehaviorRule(t.name() + "-" + i, t.sources(), t.when(), points, halfLife,
                        halfLifeMillis, cap));
            }

            List<FitRule> fit = new ArrayList<>();
            List<FitTemplate> fitTemplates = new ArrayList<>(FIT_TEMPLATES);
            java.util.Collections.shuffle(fitTemplates, random);
            int fitCount = random.nextInt(fitTemplates.size() + 1);
            for (int i = 0; i < fitCount; i++) {
                FitTemplate t = fitTemplates.get(i);
                double points = t.points() != 0 ? t.points() : 5 * (1 + random.nextInt(6));
                fit.add(new FitRule(t.name(), t.when(), points));
            }

            String halfLife = null;
            long halfLifeMillis = NO_DECAY;
            int h = random.nextInt(3);
            if (h == 1) {
                halfLife = "14d";
                halfLifeMillis = 14 * DAY;
            } else if (h == 2) {
                halfLife = "7d";
                halfLifeMillis = 7 * DAY;
            }
            double mql = random.nextInt(5) == 0 ? 45.5 : 20 + 10 * random.nextInt(7);
            double[] gaps = {0, 10, 25, 40, 60, 100};
            double sql = mql + gaps[random.nextInt(gaps.length)];
            Double maxPoints = random.nextBoolean() ? null : (double) (20 + 10 * random.nextInt(5));
            return new Rules("oracle-" + seed, random.nextBoolean() ? "" + seed : seed + ".10", halfLife,
                    halfLifeMillis, mql, sql, maxPoints, fit, behavior);
        }
    }

    record Template(String name, Set<Src> sources, Map<String, Cond> when, boolean negative) {
    }

    record FitTemplate(String name, Map<String, Cond> when, double points) {
    }

    private static final List<Template> BEHAVIOR_TEMPLATES = List.of(
            new Template("blog-read", EnumSet.of(Src.WEB), Map.of("path", new Glob("/blog/**")), false),
            new Template("pricing", EnumSet.of(Src.WEB), Map.of("path", new Regex("^/pricing(/|$)")), false),
            new Template("demo-request", EnumSet.of(Src.WEB),
                    ordered("action", Eq.of("FORM_SUBMIT"), "path", Eq.of("/demo")), false),
            new Template("sales-form", EnumSet.of(Src.WEB),
                    ordered("action", Eq.of("form_submit"), "path", Eq.of("/contact", "/demo")), false),
            new Template("docs", EnumSet.of(Src.WEB), Map.of("host", new Glob("docs.*")), false),
            new Template("referred", EnumSet.of(Src.WEB), Map.of("referrer", new Exists(true)), false),
            new Template("careers", EnumSet.of(Src.WEB), Map.of("path", new Glob("/careers/*")), true),
            new Template("in-session", EnumSet.of(Src.WEB),
                    ordered("sessionId", new Exists(true), "action", Eq.of("PAGE_VIEW", "CLICK")), false),
            new Template("email-open", EnumSet.of(Src.EMAIL), Map.of("type", Eq.of("OPENED")), false),
            new Template("email-click", EnumSet.of(Src.EMAIL),
                    ordered("type", Eq.of("CLICKED"), "emailKind", Eq.of("offer", "Nurture")), false),
            new Template("opt-out", EnumSet.of(Src.EMAIL), Map.of("type", Eq.of("UNSUBSCRIBED", "SPAM_REPORTED")),
                    true),
            new Template("campaign", EnumSet.of(Src.EMAIL), Map.of("campaignId", new Glob("q?-*")), false),
            new Template("no-link", EnumSet.of(Src.EMAIL), Map.of("url", new Exists(false)), false),
            new Template("content", EnumSet.of(Src.DOWNLOAD), Map.of("assetType", Eq.of("WHITEPAPER", "ebook",
                    "CASE_STUDY")), false),
            new Template("price-list", EnumSet.of(Src.DOWNLOAD), Map.of("assetType", Eq.of("PRICE_LIST")), false),
            new Template("any-touch", EnumSet.noneOf(Src.class), Map.of(), false),
            new Template("site-url", EnumSet.noneOf(Src.class),
                    Map.of("url", new Glob("https://www.example.com/**")), false),
            new Template("offer-link", EnumSet.of(Src.EMAIL, Src.DOWNLOAD), Map.of("url", new Regex("offer")),
                    false),
            new Template("no-path", EnumSet.noneOf(Src.class), Map.of("path", new Exists(false)), false));

    private static final List<FitTemplate> FIT_TEMPLATES = List.of(
            new FitTemplate("decision-maker", Map.of("jobTitle", new Regex("(?i)\\b(ceo|cto|vp|head|director)\\b")),
                    25),
            new FitTemplate("target-size", Map.of("companySize", new Range(50.0, 5000.0)), 15),
            new FitTemplate("enterprise", Map.of("companySize", new Range(1000.0, null)), 10),
            new FitTemplate("tiny", Map.of("companySize", new Range(null, 20.0)), -10),
            new FitTemplate("target-industry", Map.of("industry", Eq.of("software", "saas", "fintech")), 10),
            new FitTemplate("buying-soon", Map.of("timeline", Eq.of("WITHIN_3_MONTHS", "WITHIN_6_MONTHS")), 10),
            new FitTemplate("end-user-only", Map.of("authority", Eq.of("USER")), -20),
            new FitTemplate("free-mail", Map.of("emailDomain", Eq.of("gmail.com", "yahoo.com")), -15),
            new FitTemplate("competitor", Map.of("emailDomain", Eq.of("rival.example")), -500),
            new FitTemplate("budget", Map.of("budget", Eq.of("CONFIRMED")), 0),
            new FitTemplate("seats", Map.of("attributes.seats", Eq.unquoted("50")), 0),
            new FitTemplate("no-industry", Map.of("industry", new Exists(false)), -5),
            new FitTemplate("nordic", Map.of("country", Eq.unquoted("NO", "SE", "DK")), 0),
            new FitTemplate("revenue", Map.of("annualRevenue", new Range(1_000_000.0, null)), 0),
            new FitTemplate("engineer", Map.of("jobTitle", new Glob("*engineer*")), -5),
            new FitTemplate("decision-role", ordered("authority", Eq.of("DECISION_MAKER"),
                    "seniority", new Exists(true)), 0));

    private static Map<String, Cond> ordered(String f1, Cond c1, String f2, Cond c2) {
        Map<String, Cond> map = new LinkedHashMap<>();
        map.put(f1, c1);
        map.put(f2, c2);
        return map;
    }

    // ---- inputs

    sealed interface Input permits EventIn, ProfileIn {
    }

    /** An event: its Avro record, and the fields rules read (only its own source's fields). */
    record EventIn(int index, Src src, String leadId, String eventId, long t, Map<String, Object> fields,
            Object avro) implements Input {
        @Override
        public String toString() {
            return "#" + index + " " + src + " " + eventId + " t=" + Instant.ofEpochMilli(t) + " " + fields;
        }
    }

    record ProfileIn(int index, Profile profile, LeadProfile avro) implements Input {
        String leadId() {
            return profile.leadId;
        }

        @Override
        public String toString() {
            return "#" + index + " profile updatedAt=" + Instant.ofEpochMilli(profile.updatedAt) + " "
                    + profile.fields;
        }
    }

    static final class Profile {
        final String leadId;
        final long updatedAt;
        final Map<String, Object> fields = new HashMap<>();
        String email;
        String firstName;
        String lastName;
        String company;

        Profile(String leadId, long updatedAt) {
            this.leadId = leadId;
            this.updatedAt = updatedAt;
        }
    }

    /** Draws the records of a scenario: a global clock, lead activity skewed towards a few leads, and noise. */
    static final class Generator {
        private final Random random;
        private final Scenario scenario;
        private final List<Input> inputs = new ArrayList<>();
        private final Map<String, List<EventIn>> eventsByLead = new HashMap<>();
        private final Map<String, ProfileIn> lastProfile = new HashMap<>();
        private final List<EventIn> allEvents = new ArrayList<>();
        private long now;
        private int ids;

        Generator(Random random, Scenario scenario) {
            this.random = random;
            this.scenario = scenario;
            this.now = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli() + scenario.seed() * 12_345_678L;
        }

        List<Input> generate() {
            long step = Math.max(MINUTE, 150 * DAY / scenario.records());
            for (int i = 0; i < scenario.records(); i++) {
                now += (long) (random.nextDouble() * 2 * step);
                String leadId = lead();
                int kind = random.nextInt(100);
                if (kind < 7 || (kind < 12 && !lastProfile.containsKey(leadId))) {
                    profile(leadId);
                } else if (kind < 8 && lastProfile.containsKey(leadId)) {
                    ProfileIn same = lastProfile.get(leadId);
                    add(new ProfileIn(inputs.size(), same.profile(), same.avro())); // re-sent as it was
                } else if (kind < 15 && eventsByLead.containsKey(leadId)) {
                    resend(leadId);
                } else {
                    String eventId = "e-" + (ids++);
                    if (kind < 17 && !allEvents.isEmpty()) {
                        eventId = allEvents.get(random.nextInt(allEvents.size())).eventId(); // another lead's id
                    }
                    event(leadId, eventId, eventTime());
                }
            }
            return inputs;
        }

        private String lead() {
            double r = random.nextDouble();
            return String.format(Locale.ROOT, "lead-%04d", (int) (scenario.leads() * r * r));
        }

        private long eventTime() {
            int r = random.nextInt(100);
            if (r < 20) {
                return now - (long) (random.nextDouble() * scenario.maxLateness()); // late
            } else if (r < 24) {
                return Math.floorDiv(now, DAY) * DAY; // exactly on a cap window / day boundary
            } else if (r < 27) {
                return Math.floorDiv(now, WEEK) * WEEK - (r == 26 ? 1 : 0); // on / just before a week boundary
            } else if (r < 29) {
                return Math.floorDiv(now, 12 * HOUR) * 12 * HOUR - 1;
            }
            return now;
        }

        /** A re-sent event id: the same time, exactly 7 days off (a duplicate), 7 days and 1 ms off (not), or near. */
        private void resend(String leadId) {
            List<EventIn> candidates = eventsByLead.get(leadId).stream()
                    .filter(e -> e.t() >= now - scenario.maxLateness())
                    .toList();
            if (candidates.isEmpty()) {
                event(leadId, "e-" + (ids++), now);
                return;
            }
            EventIn original = candidates.get(random.nextInt(candidates.size()));
            long[] offsets = {0, 0, 7 * DAY, -7 * DAY, 7 * DAY + 1, -7 * DAY - 1, HOUR, -3 * DAY,
                    (long) ((random.nextDouble() - 0.5) * 20 * DAY)};
            long t = original.t() + offsets[random.nextInt(offsets.length)];
            t = Math.min(t, now); // never ahead of the clock
            add(new EventIn(inputs.size(), original.src(), leadId, original.eventId(), t,
                    withTime(original.fields(), t), withTime(original.avro(), t)));
        }

        private void event(String leadId, String eventId, long t) {
            int s = random.nextInt(10);
            Src src = s < 5 ? Src.WEB : s < 8 ? Src.EMAIL : Src.DOWNLOAD;
            Map<String, Object> f = new HashMap<>();
            f.put("eventId", eventId);
            f.put("leadId", leadId);
            f.put("occurredAt", t);
            Object avro;
            switch (src) {
                case WEB -> {
                    String host = pick("www.example.com", "www.example.com", "docs.example.com", "Docs.Example.com",
                            "shop.example.org");
                    String path = pick("/blog/a", "/blog/2025/routing", "/blog", "/Blog/Upper", "/pricing",
                            "/pricing/", "/pricing/enterprise", "/pricingx", "/demo", "/demo", "/contact",
                            "/careers/backend", "/careers/x/y", "/customers/acme", "/");
                    String url = "https://" + host + path + (random.nextInt(5) == 0 ? "?utm_source=ads" : "");
                    String action = pick("PAGE_VIEW", "PAGE_VIEW", "PAGE_VIEW", "FORM_SUBMIT", "FORM_SUBMIT", "CLICK");
                    String referrer = random.nextInt(5) < 2 ? "https://search.example/q" : null;
                    String session = random.nextInt(10) < 7 ? "s-" + random.nextInt(1000) : null;
                    f.put("url", url);
                    f.put("path", path);
                    f.put("host", host.toLowerCase(Locale.ROOT));
                    f.put("action", action);
                    put(f, "referrer", referrer);
                    put(f, "sessionId", session);
                    avro = WebEvent.newBuilder().setEventId(eventId).setLeadId(leadId)
                            .setOccurredAt(Instant.ofEpochMilli(t)).setUrl(url).setAction(WebAction.valueOf(action))
                            .setReferrer(referrer).setSessionId(session).build();
                }
                case EMAIL -> {
                    String type = pick("DELIVERED", "OPENED", "OPENED", "OPENED", "CLICKED", "CLICKED", "BOUNCED",
                            "UNSUBSCRIBED", "SPAM_REPORTED");
                    String campaign = pick(null, "q1-news", "q2-offer", "promo", "q10-x");
                    String kind = pick(null, "newsletter", "offer", "nurture", "product");
                    String url = pick(null, null, "https://www.example.com/offer/spring", "https://links.example.net/c/1");
                    f.put("type", type);
                    put(f, "campaignId", campaign);
                    put(f, "emailKind", kind);
                    put(f, "url", url);
                    avro = EmailEvent.newBuilder().setEventId(eventId).setLeadId(leadId)
                            .setOccurredAt(Instant.ofEpochMilli(t)).setType(EmailEventType.valueOf(type))
                            .setCampaignId(campaign).setEmailKind(kind).setUrl(url).build();
                }
                default -> {
                    String assetType = pick("WHITEPAPER", "EBOOK", "CASE_STUDY", "DATASHEET", "WEBINAR",
                            "PRICE_LIST", "OTHER");
                    String assetId = "asset-" + random.nextInt(20);
                    String title = pick(null, "Cutting costs", "Routing 101");
                    String url = pick(null, "https://www.example.com/assets/offer.pdf", "https://cdn.example.net/a.pdf");
                    f.put("assetId", assetId);
                    f.put("assetType", assetType);
                    put(f, "title", title);
                    put(f, "url", url);
                    avro = DownloadEvent.newBuilder().setEventId(eventId).setLeadId(leadId)
                            .setOccurredAt(Instant.ofEpochMilli(t)).setAssetId(assetId)
                            .setAssetType(AssetType.valueOf(assetType)).setTitle(title).setUrl(url).build();
                }
            }
            add(new EventIn(inputs.size(), src, leadId, eventId, t, f, avro));
        }

        private void profile(String leadId) {
            long updatedAt = random.nextInt(4) == 0 ? now - (long) (random.nextDouble() * scenario.maxLateness()) : now;
            Profile p = new Profile(leadId, updatedAt);
            String domain = pick("acme.example", "gmail.com", "rival.example", "corp.example", "Yahoo.com");
            p.email = random.nextInt(10) == 0 ? null : "someone@" + domain;
            p.firstName = pick(null, "Ana", "Tom");
            p.lastName = pick(null, "Kowalska", "Berg");
            p.company = pick(null, "Acme", "Nordisk Data");
            String jobTitle = pick(null, "CEO", "VP Sales", "Head of Operations", "Software Engineer", "Student",
                    "Director of IT", "Vice President");
            Integer size = pick(null, 5, 20, 21, 50, 420, 1000, 5000, 5001, 12000);
            String industry = pick(null, "software", "SaaS", "food", "fintech");
            String authority = pick(null, "USER", "DECISION_MAKER", "INFLUENCER");
            String timeline = pick(null, "WITHIN_3_MONTHS", "WITHIN_6_MONTHS", "NONE");
            String budget = pick(null, "CONFIRMED", "UNKNOWN", "confirmed");
            String country = pick(null, "NO", "SE", "DE", "no", "US");
            Long revenue = pick(null, 500_000L, 1_000_000L, 60_000_000L);
            String seniority = pick(null, "DIRECTOR", "IC");
            String seats = pick(null, "50", "50.0", " 50 ", "10", "many");
            Map<String, String> attributes = new HashMap<>();
            if (seats != null) {
                attributes.put("seats", seats);
            }
            put(p.fields, "leadId", leadId);
            put(p.fields, "updatedAt", updatedAt);
            put(p.fields, "email", p.email);
            put(p.fields, "emailDomain", p.email == null ? null : domain.toLowerCase(Locale.ROOT));
            put(p.fields, "jobTitle", jobTitle);
            put(p.fields, "companySize", size);
            put(p.fields, "industry", industry);
            put(p.fields, "authority", authority);
            put(p.fields, "timeline", timeline);
            put(p.fields, "budget", budget);
            put(p.fields, "country", country);
            put(p.fields, "annualRevenue", revenue);
            put(p.fields, "seniority", seniority);
            put(p.fields, "company", p.company);
            put(p.fields, "attributes.seats", seats);
            LeadProfile avro = LeadProfile.newBuilder().setLeadId(leadId).setUpdatedAt(Instant.ofEpochMilli(updatedAt))
                    .setEmail(p.email).setFirstName(p.firstName).setLastName(p.lastName).setCompany(p.company)
                    .setJobTitle(jobTitle).setCompanySize(size).setIndustry(industry).setAuthority(authority)
                    .setTimeline(timeline).setBudget(budget).setCountry(country).setAnnualRevenue(revenue)
                    .setSeniority(seniority).setAttributes(attributes).build();
            ProfileIn in = new ProfileIn(inputs.size(), p, avro);
            lastProfile.put(leadId, in);
            add(in);
        }

        private void add(Input input) {
            inputs.add(input);
            if (input instanceof EventIn e) {
                eventsByLead.computeIfAbsent(e.leadId(), k -> new ArrayList<>()).add(e);
                allEvents.add(e);
            }
        }

        private static Map<String, Object> withTime(Map<String, Object> fields, long t) {
            Map<String, Object> copy = new HashMap<>(fields);
            copy.put("occurredAt", t);
            return copy;
        }

        private static Object withTime(Object avro, long t) {
            Instant at = Instant.ofEpochMilli(t);
            if (avro instanceof WebEvent w) {
                return WebEvent.newBuilder(w).setOccurredAt(at).build();
            } else if (avro instanceof EmailEvent m) {
                return EmailEvent.newBuilder(m).setOccurredAt(at).build();
            }
            return DownloadEvent.newBuilder((DownloadEvent) avro).setOccurredAt(at).build();
        }

        @SafeVarargs
        private <T> T pick(T... values) {
            return values[random.nextInt(values.length)];
        }

        private static void put(Map<String, Object> fields, String name, Object value) {
            if (value != null) {
                fields.put(name, value);
            }
        }
    }

    // ---- the oracle

    record Contribution(String rule, double points) {
        @Override
        public String toString() {
            return rule + "=" + points;
        }
    }

    /** What the contract says one evaluation must report. */
    static final class Expected {
        int input;
        String leadId;
        long at;
        double engagement;
        double fit;
        double score;
        String stage;
        String previousStage;
        String fitGrade;
        String temperature;
        String activity;
        String handoffId;
        List<Contribution> reasons;
        Profile profile;
    }

    record Accepted(EventIn event, double[] awards) {
    }

    static final class Lead {
        final String id;
        final List<Accepted> accepted = new ArrayList<>();
        final Map<String, Double> capUsed = new HashMap<>();
        final List<String> history = new ArrayList<>();
        String stage = "NEW";
        boolean hasRecords;
        long T;
        Profile profile;

        Lead(String id) {
            this.id = id;
        }
    }

    static final class Oracle {
        final Rules rules;
        final Map<String, Lead> leads = new HashMap<>();
        final List<Expected> scores = new ArrayList<>();
        final List<Expected> changes = new ArrayList<>();
        final Map<String, Expected> finalScores = new LinkedHashMap<>();
        final Map<String, Integer> stats = new LinkedHashMap<>();

        Oracle(Rules rules) {
            this.rules = rules;
            for (String s : List.of("accepted events", "duplicates ignored", "ids reused after 7 days",
                    "late events", "capped awards", "profile updates", "MQL changes", "SQL changes")) {
                stats.put(s, 0);
            }
        }

        void apply(Input input) {
            if (input instanceof EventIn e) {
                onEvent(e);
            } else {
                onProfile((ProfileIn) input);
            }
        }

        private void count(String what) {
            stats.merge(what, 1, Integer::sum);
        }

        private void onEvent(EventIn e) {
            Lead lead = leads.computeIfAbsent(e.leadId(), Lead::new);
            boolean seenBefore = false;
            for (Accepted a : lead.accepted) {
                if (a.event().eventId().equals(e.eventId())) {
                    seenBefore = true;
                    if (Math.abs(a.event().t() - e.t()) <= 7 * DAY) {
                        count("duplicates ignored");
                        lead.history.add("  " + e + " -> duplicate of #" + a.event().index());
                        return;
                    }
                }
            }
            if (seenBefore) {
                count("ids reused after 7 days");
            }
            if (lead.hasRecords && e.t() < lead.T) {
                count("late events");
            }
            count("accepted events");
            double[] awards = new double[rules.behavior().size()];
            for (int i = 0; i < awards.length; i++) {
                BehaviorRule rule = rules.behavior().get(i);
                if (!rule.matches(e)) {
                    continue;
                }
                double p = rule.points();
                double award = p;
                if (rule.cap() != null) {
                    long window = Math.floorDiv(e.t(), rule.cap().perMillis()) * rule.cap().perMillis();
                    String key = rule.name() + "@" + window;
                    double used = lead.capUsed.getOrDefault(key, 0.0);
                    double magnitude = Math.max(0, Math.min(Math.abs(p), rule.cap().points() - used));
                    award = Math.signum(p) * magnitude;
                    lead.capUsed.put(key, used + magnitude);
                    if (magnitude < Math.abs(p)) {
                        count("capped awards");
                    }
                }
                awards[i] = award;
            }
            lead.accepted.add(new Accepted(e, awards));
            lead.T = lead.hasRecords ? Math.max(lead.T, e.t()) : e.t();
            lead.hasRecords = true;
            evaluate(lead, e.index(), e.toString());
        }

        private void onProfile(ProfileIn p) {
            count("profile updates");
            Lead lead = leads.computeIfAbsent(p.leadId(), Lead::new);
            lead.profile = p.profile();
            lead.T = lead.hasRecords ? Math.max(lead.T, p.profile().updatedAt) : p.profile().updatedAt;
            lead.hasRecords = true;
            evaluate(lead, p.index(), p.toString());
        }

        private void evaluate(Lead lead, int input, String description) {
            long T = lead.T;
            List<Contribution> reasons = new ArrayList<>();
            double engagement = 0;
            for (int i = 0; i < rules.behavior().size(); i++) {
                BehaviorRule rule = rules.behavior().get(i);
                long h = rules.halfLifeOf(rule);
                double contribution = 0;
                boolean awarded = false;
                for (Accepted a : lead.accepted) {
                    double p = a.awards()[i];
                    if (p != 0) {
                        awarded = true;
                        contribution += h > 0 ? p * Math.pow(2, -(T - a.event().t()) / (double) h) : p;
                    }
                }
                engagement += contribution;
                if (awarded) {
                    reasons.add(new Contribution(rule.name(), contribution));
                }
            }
            double rawFit = 0;
            if (lead.profile != null) {
                for (FitRule rule : rules.fit()) {
                    if (rule.matches(lead.profile)) {
                        rawFit += rule.points();
                        if (rule.points() != 0) {
                            reasons.add(new Contribution(rule.name(), rule.points()));
                        }
                    }
                }
            }
            double max = rules.effectiveMaxPoints();
            double fit = Math.min(rawFit, max);
            double score = engagement + fit;
            reasons.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.points()))
                    .thenComparing(Contribution::rule));

            String from = lead.stage;
            boolean sql = score >= rules.sql() - EPS;
            boolean mql = score >= rules.mql() - EPS;
            String to = switch (from) {
                case "NEW" -> sql ? "SQL" : mql ? "MQL" : "NEW";
                case "MQL" -> sql ? "SQL" : "MQL";
                default -> "SQL";
            };
            lead.stage = to;

            Expected x = new Expected();
            x.input = input;
            x.leadId = lead.id;
            x.at = T;
            x.engagement = engagement;
            x.fit = fit;
            x.score = score;
            x.stage = to;
            x.previousStage = from;
            x.fitGrade = fit >= 0.75 * max - EPS ? "A" : fit >= 0.5 * max - EPS ? "B" : fit >= 0.25 * max - EPS
                    ? "C" : "D";
            x.temperature = sql ? "HOT" : mql ? "WARM" : "COLD";
            x.activity = activity(lead, T);
            x.reasons = reasons;
            x.profile = lead.profile;
            scores.add(x);
            finalScores.put(lead.id, x);
            lead.history.add(String.format(Locale.ROOT, "  %s -> T=%s S=%.6f E=%.6f F=%.2f %s%s", description,
                    Instant.ofEpochMilli(T), score, engagement, fit, to, from.equals(to) ? "" : " (from " + from + ")"));
            if (!from.equals(to)) {
                x.handoffId = UUID.nameUUIDFromBytes(("lead-scoring|" + lead.id + "|" + to + "|" + T + "|"
                        + rules.id()).getBytes(StandardCharsets.UTF_8)).toString();
                changes.add(x);
                count(to + " changes");
            }
        }

        /** ACTIVE: 3+ accepted events in [T-7d, T]; LATENT: events in 3+ of the epoch weeks W-11..W. */
        private static String activity(Lead lead, long T) {
            int recent = 0;
            Set<Long> weeks = new HashSet<>();
            long w = Math.floorDiv(T, WEEK);
            for (Accepted a : lead.accepted) {
                long t = a.event().t();
                if (t >= T - 7 * DAY && t <= T) {
                    recent++;
                }
                long week = Math.floorDiv(t, WEEK);
                if (week >= w - 11 && week <= w) {
                    weeks.add(week);
                }
            }
            return recent >= 3 ? "ACTIVE" : weeks.size() >= 3 ? "LATENT" : "DORMANT";
        }

        String history(String leadId) {
            Lead lead = leads.get(leadId);
            if (lead == null) {
                return "  (none)";
            }
            List<String> h = lead.history;
            return String.join("\n", h.size() > 40 ? h.subList(h.size() - 40, h.size()) : h);
        }
    }

    // ---- helpers

    static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        return String.valueOf(value); // Integer "50", Long "1000000", Double "50.0"
    }

    static boolean isNumber(String s) {
        return s.matches("[+-]?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
    }

    static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
