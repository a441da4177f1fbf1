package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LeadStateTest {

    @Test
    void anEmptyStateRoundTrips() {
        LeadState s = LeadState.empty("lead-1");
        byte[] bytes = s.toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 1);
        LeadState back = LeadState.fromBytes(bytes);
        assertThat(back).isEqualTo(s);
        assertThat(back.leadId()).isEqualTo("lead-1");
        assertThat(back.stage()).isEqualTo(Stage.NEW);
        assertThat(back.evaluationTime()).isEqualTo(LeadState.NO_TIME);
        assertThat(back.decayedSums()).isEmpty();
    }

    @Test
    void aScoredStateRoundTripsExactly() {
        Scorer scorer = new Scorer(TestSupport.exampleRules());
        LeadState s = LeadState.empty("Łukasz-ü-1");
        InMemoryWindowedState w = new InMemoryWindowedState();
        scorer.onEvent(s, MapScoringEvent.web(s.leadId(), "1", T0, "https://x/blog/a", "PAGE_VIEW"), null, w);
        scorer.onEvent(s, MapScoringEvent.web(s.leadId(), "2", T0 + DAY / 3, "https://x/pricing", "PAGE_VIEW"), null, w);
        scorer.onEvent(s, MapScoringEvent.web(s.leadId(), "3", T0 + DAY, "https://x/demo", "FORM_SUBMIT"), null, w);
        scorer.onEvent(s, MapScoringEvent.email(s.leadId(), "4", T0 - DAY, "UNSUBSCRIBED"), null, w);
        assertThat(s.stage()).isEqualTo(Stage.MQL);
        LeadState back = LeadState.fromBytes(s.toBytes());
        assertThat(back).isEqualTo(s);
        assertThat(back.toBytes()).isEqualTo(s.toBytes());
        assertThat(back.stage()).isEqualTo(Stage.MQL);
        assertThat(back.evaluationTime()).isEqualTo(T0 + DAY);
        assertThat(back.decayedSums()).containsOnlyKeys("blog-read", "pricing-page", "demo-request", "unsubscribe");
        assertThat(back.decayedSum("blog-read")).isEqualTo(10.0);
        assertThat(back.referenceTime("blog-read")).isEqualTo(T0);
        assertThat(back.decayedSum("unsubscribe")).isEqualTo(-25.0);
        assertThat(back.referenceTime("unsubscribe")).isEqualTo(T0 - DAY);
        assertThat(back.decayedSum("ebook")).isZero();
        assertThat(back.referenceTime("ebook")).isEqualTo(LeadState.NO_TIME);
    }

    @Test
    void scoringFromARoundTrippedStateGivesTheSameResults() {
        RuleSet rules = TestSupport.exampleRules();
        Scorer scorer = new Scorer(rules);
        LeadState kept = LeadState.empty("l");
        Lead roundTripped = new Lead("l", scorer, new InMemoryWindowedState());
        InMemoryWindowedState w = new InMemoryWindowedState();
        long[] times = {T0, T0 + 3 * DAY, T0 + DAY, T0 + 9 * DAY, T0 + 2 * DAY};
        String[] urls = {"https://x/blog/1", "https://x/pricing", "https://x/blog/2", "https://x/demo", "https://x/blog/3"};
        for (int i = 0; i < times.length; i++) {
            MapScoringEvent e = MapScoringEvent.web("l", "id" + i, times[i], urls[i], "FORM_SUBMIT");
            Evaluation a = scorer.onEvent(kept, e, null, w);
            Evaluation b = roundTripped.event(e);
            assertThat(b).isEqualTo(a);
        }
        assertThat(roundTripped.state).isEqualTo(kept);
    }

    @Test
    void theStateIsBoundedByTheRulesNotByTheEvents() {
        Lead lead = new Lead(TestSupport.exampleRules());
        lead.web(T0, "https://x/pricing");
        int size = lead.state.toBytes().length;
        for (int i = 1; i < 1000; i++) {
            lead.web(T0 + i * 60_000L, "https://x/pricing");
        }
        assertThat(lead.state.toBytes()).hasSize(size);
        assertThat(size).isLessThan(64);
    }

    @Test
    void sumsAreKeptByRuleNameAcrossRuleFileVersions() {
        RuleSet v1 = TestSupport.rules("name: t\nversion: 1\nthresholds: { mql: 50, sql: 100 }\nbehavior:\n"
                + "  - { name: old, when: { source: web, path: /old }, points: 7 }\n"
                + "  - { name: kept, when: { source: web, path: /kept }, points: 11 }\n");
        RuleSet v2 = TestSupport.rules("name: t\nversion: 2\nthresholds: { mql: 50, sql: 100 }\nbehavior:\n"
                + "  - { name: new, when: { source: web, path: /new }, points: 3 }\n"
                + "  - { name: kept, when: { source: web, path: /kept }, points: 11 }\n");
        InMemoryWindowedState w = new InMemoryWindowedState();
        LeadState s = LeadState.empty("l");
        new Scorer(v1).onEvent(s, MapScoringEvent.web("l", "1", T0, "https://x/old", "CLICK"), null, w);
        new Scorer(v1).onEvent(s, MapScoringEvent.web("l", "2", T0, "https://x/kept", "CLICK"), null, w);
        LeadState stored = LeadState.fromBytes(s.toBytes());
        assertThat(stored.decayedSums()).containsOnlyKeys("old", "kept");

        Evaluation e = new Scorer(v2).onEvent(stored, MapScoringEvent.web("l", "3", T0 + 1, "https://x/new", "CLICK"),
                null, w);
        assertThat(e.ruleSet()).isEqualTo("t@2");
        assertThat(e.engagement()).isEqualTo(14.0);
        assertThat(e.reasons()).containsExactly(new Reason("kept", 11.0), new Reason("new", 3.0));
        LeadState rewritten = LeadState.fromBytes(stored.toBytes());
        assertThat(rewritten.decayedSums()).containsOnlyKeys("new", "kept");
        assertThat(rewritten.decayedSum("kept")).isEqualTo(11.0);
        assertThat(rewritten.stage()).isEqualTo(Stage.NEW);
    }

    @Test
    void badBytesAreRefused() {
        byte[] good = LeadState.empty("lead").toBytes();
        byte[] badVersion = good.clone();
        badVersion[0] = 9;
        assertThatThrownBy(() -> LeadState.fromBytes(badVersion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        assertThatThrownBy(() -> LeadState.fromBytes(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeadState.fromBytes(Arrays.copyOf(good, good.length + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trailing");
        assertThatThrownBy(() -> LeadState.fromBytes(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        byte[] badStage = good.clone();
        badStage[1 + 1 + 4] = 7; // version, length, "lead"
        assertThatThrownBy(() -> LeadState.fromBytes(badStage)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stage");
    }
}
