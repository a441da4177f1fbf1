package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.HOUR;
import static io.leadscoring.scoring.TestSupport.T0;
import static io.leadscoring.scoring.TestSupport.WEEK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.leadscoring.scoring.rules.BehaviorRule;
import io.leadscoring.scoring.rules.FitRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares the scorer (O(1) state per lead) with a literal transcription of SCORING.md that keeps every accepted
 * event, on random, out-of-order streams with duplicates, caps, decay, negative points and profile changes.
 */
class RandomizedModelTest {

    static final String RULES = """
            name: random
            version: 7
            halfLife: 10d
            thresholds: { mql: 60, sql: 150 }
            fit:
              rules:
                - { name: exec, when: { seniority: exec }, points: 20 }
                - { name: tiny, when: { companySize: { max: 10 } }, points: -15 }
                - { name: plan, when: { attributes.plan: enterprise }, points: 30 }
            behavior:
              - { name: view, when: { source: web, action: PAGE_VIEW }, points: 3, cap: { points: 9, per: 1d } }
              - { name: blog, when: { source: web, path: { glob: "/blog/**" } }, points: 5, halfLife: 3d }
              - { name: form, when: { source: web, action: FORM_SUBMIT }, points: 25, halfLife: none }
              - { name: open, when: { source: email, type: OPENED }, points: 2, cap: { points: 5, per: 12h } }
              - { name: unsub, when: { source: email, type: UNSUBSCRIBED }, points: -30, cap: { points: 45, per: 1w } }
              - { name: asset, when: { source: download }, points: 15, cap: { points: 20, per: 1w }, halfLife: 20d }
              - { name: any, points: 0.5 }
            """;

    /** SCORING.md, literally: every accepted event is kept. */
    static final class Reference {
        record Accepted(long t, String eventId, Map<String, Double> awards) {}

        final RuleSet rules;
        final String leadId;
        final List<Accepted> accepted = new ArrayList<>();
        final Map<String, Double> capUsed = new HashMap<>();
        long T = Long.MIN_VALUE;
        Stage stage = Stage.NEW;
        ProfileView profile;

        Reference(RuleSet rules, String leadId) {
            this.rules = rules;
            this.leadId = leadId;
        }

        record Result(long at, double engagement, double fit, Stage stage, Stage changedTo, Activity activity,
                Map<String, Double> contributions) {}

        Result onEvent(ScoringEvent e) {
            long t = e.occurredAt();
            for (Accepted a : accepted) {
                if (a.eventId().equals(e.eventId()) && Math.abs(a.t() - t) <= 7 * DAY) {
                    return null;
                }
            }
            Map<String, Double> awards = new HashMap<>();
            for (BehaviorRule r : rules.behaviorRules()) {
                if (!r.matches(e)) {
                    continue;
                }
                double p = r.points();
                if (r.capped()) {
                    String key = r.name() + "|" + Math.floorDiv(t, r.capPerMillis());
                    double used = capUsed.getOrDefault(key, 0.0);
                    p = Math.signum(p) * Math.min(Math.abs(p), r.capPoints() - used);
                    capUsed.put(key, used + Math.abs(p));
                }
                awards.put(r.name(), p);
            }
            accepted.add(new Accepted(t, e.eventId(), awards));
            T = Math.max(T, t);
            return evaluate();
        }

        Result onProfile(ProfileView p) {
            profile = p;
            T = Math.max(T, p.updatedAt());
            return evaluate();
        }

        Result evaluate() {
            Map<String, Double> contributions = new HashMap<>();
            double engagement = 0;
            for (Accepted a : accepted) {
                for (Map.Entry<String, Double> award : a.awards().entrySet()) {
                    long h = rules.behaviorRule(award.getKey()).halfLifeMillis();
                    double v = h == 0 ? award.getValue() : award.getValue() * Math.pow(2, -(T - a.t()) / (double) h);
                    engagement += v;
                    contributions.merge(award.getKey(), v, Double::sum);
                }
            }
            double rawFit = 0;
            if (profile != null) {
                for (FitRule f : rules.fitRules()) {
                    if (f.matches(profile)) {
                        rawFit += f.points();
                        contributions.put(f.name(), f.points());
                    }
                }
            }
            double fit = Math.min(rawFit, rules.fitMaxPoints());
            double score = engagement + fit;
            Stage before = stage;
            if (stage == Stage.NEW && score >= rules.sqlThreshold() - 1e-9) {
                stage = Stage.SQL;
            } else if (stage == Stage.NEW && score >= rules.mqlThreshold() - 1e-9) {
                stage = Stage.MQL;
            } else if (stage == Stage.MQL && score >= rules.sqlThreshold() - 1e-9) {
                stage = Stage.SQL;
            }
            contributions.values().removeIf(v -> v == 0);
            return new Result(T, engagement, fit, stage, stage == before ? null : stage, activity(), contributions);
        }

        Activity activity() {
            int recent = 0;
            Set<Long> weeks = new HashSet<>();
            long w = Math.floorDiv(T, WEEK);
            for (Accepted a : accepted) {
                if (a.t() >= T - 7 * DAY && a.t() <= T) {
                    recent++;
                }
                long aw = Math.floorDiv(a.t(), WEEK);
                if (aw >= w - 11 && aw <= w) {
                    weeks.add(aw);
                }
            }
            return recent >= 3 ? Activity.ACTIVE : weeks.size() >= 3 ? Activity.LATENT : Activity.DORMANT;
        }
    }

    static ScoringEvent randomEvent(Random rnd, String leadId, String eventId, long t) {
        return switch (rnd.nextInt(3)) {
            case 0 -> {
                String[] paths = {"/", "/blog/a", "/blog/2024/b", "/pricing", "/demo"};
                String[] actions = {"PAGE_VIEW", "PAGE_VIEW", "FORM_SUBMIT", "CLICK"};
                yield MapScoringEvent.web(leadId, eventId, t, "https://acme.example" + paths[rnd.nextInt(paths.length)],
                        actions[rnd.nextInt(actions.length)]);
            }
            case 1 -> {
                String[] types = {"OPENED", "OPENED", "CLICKED", "UNSUBSCRIBED", "DELIVERED"};
                yield MapScoringEvent.email(leadId, eventId, t, types[rnd.nextInt(types.length)]);
            }
            default -> MapScoringEvent.download(leadId, eventId, t, rnd.nextBoolean() ? "EBOOK" : "WEBINAR");
        };
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
    void theScorerAgreesWithTheLiteralModel(long seed) {
        Random rnd = new Random(seed);
        RuleSet rules = TestSupport.rules(RULES);
        Lead lead = new Lead(rules);
        Reference ref = new Reference(rules, lead.id);
        List<long[]> seen = new ArrayList<>(); // {time, id number}
        long clock = T0;
        int nextId = 0;
        int duplicates = 0;
        int transitions = 0;
        for (int step = 0; step < 220; step++) {
            clock += (long) (rnd.nextDouble() * 14 * HOUR);
            if (rnd.nextInt(25) == 0) {
                clock += (long) (rnd.nextDouble() * 40 * DAY); // a gap: lets activity and decay move
            }
            if (rnd.nextInt(12) == 0) {
                MapProfileView.Builder p = lead.newProfile(clock - (long) (rnd.nextDouble() * 5 * DAY));
                if (rnd.nextBoolean()) {
                    p.set("seniority", "Exec");
                }
                p.set("companySize", rnd.nextInt(30));
                if (rnd.nextInt(3) == 0) {
                    p.attribute("plan", "ENTERPRISE");
                }
                MapProfileView profile = p.build();
                Evaluation actual = lead.profile(profile);
                compare(actual, ref.onProfile(profile));
                continue;
            }
            long t = rnd.nextInt(4) == 0 ? clock - (long) (rnd.nextDouble() * 20 * DAY) : clock; // late events
            String eventId;
            if (!seen.isEmpty() && rnd.nextInt(6) == 0) {
                long[] old = seen.get(rnd.nextInt(seen.size()));
                eventId = "id" + old[1];
                t = old[0] + (long) ((rnd.nextDouble() * 2 - 1) * 10 * DAY); // within or beyond the 7 days
            } else {
                eventId = "id" + (++nextId);
            }
            seen.add(new long[] {t, Long.parseLong(eventId.substring(2))});
            ScoringEvent e = randomEvent(rnd, lead.id, eventId, t);
            Evaluation actual = lead.event(e);
            Reference.Result expected = ref.onEvent(e);
            if (expected == null) {
                duplicates++;
                assertThat(actual).as("step %d: duplicate %s", step, e).isNull();
                continue;
            }
            assertThat(actual).as("step %d: accepted %s", step, e).isNotNull();
            compare(actual, expected);
            if (actual.transition() != null) {
                transitions++;
            }
        }
        assertThat(duplicates).as("the stream should exercise duplicates").isGreaterThan(0);
        assertThat(lead.evaluations).extracting(Evaluation::activity).contains(Activity.ACTIVE);
        assertThat(transitions).isLessThanOrEqualTo(2);
    }

    private static void compare(Evaluation actual, Reference.Result expected) {
        double tolerance = 1e-9 * Math.max(1, Math.abs(expected.engagement()));
        assertThat(actual.at()).isEqualTo(expected.at());
        assertThat(actual.engagement()).isCloseTo(expected.engagement(), within(tolerance));
        assertThat(actual.fit()).isEqualTo(expected.fit());
        assertThat(actual.score()).isCloseTo(expected.engagement() + expected.fit(), within(tolerance));
        assertThat(actual.stage()).isEqualTo(expected.stage());
        assertThat(actual.transition() == null ? null : actual.transition().to()).isEqualTo(expected.changedTo());
        assertThat(actual.activity()).isEqualTo(expected.activity());
        List<Map.Entry<String, Double>> sorted = new ArrayList<>(expected.contributions().entrySet());
        sorted.sort((a, b) -> {
            int c = Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue()));
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        List<Map.Entry<String, Double>> top = sorted.subList(0, Math.min(10, sorted.size()));
        assertThat(actual.reasons()).hasSameSizeAs(top);
        for (int i = 0; i < top.size(); i++) {
            assertThat(actual.reasons().get(i).points()).isCloseTo(top.get(i).getValue(), within(1e-9));
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25})
    void withoutCapsOrDuplicatesTheOrderOfArrivalDoesNotMatter(long seed) {
        RuleSet rules = TestSupport.rules(RULES.replaceAll(", cap: \\{[^}]*\\}", ""));
        assertThat(rules.behaviorRules()).noneMatch(BehaviorRule::capped);
        Random rnd = new Random(seed);
        List<ScoringEvent> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            events.add(randomEvent(rnd, "lead-1", "id" + i, T0 + (long) (rnd.nextDouble() * 90 * DAY)));
        }
        Evaluation inOrder = null;
        Lead a = new Lead(rules);
        List<ScoringEvent> sorted = new ArrayList<>(events);
        sorted.sort((x, y) -> Long.compare(x.occurredAt(), y.occurredAt()));
        for (ScoringEvent e : sorted) {
            inOrder = a.event(e);
        }
        Evaluation shuffled = null;
        Lead b = new Lead(rules);
        Collections.shuffle(events, rnd);
        for (ScoringEvent e : events) {
            shuffled = b.event(e);
        }
        assertThat(shuffled.at()).isEqualTo(inOrder.at());
        assertThat(shuffled.engagement()).isCloseTo(inOrder.engagement(), within(1e-9));
        assertThat(shuffled.activity()).isEqualTo(inOrder.activity());
        assertThat(shuffled.reasons()).extracting(Reason::rule)
                .containsExactlyElementsOf(inOrder.reasons().stream().map(Reason::rule).toList());
    }
}
