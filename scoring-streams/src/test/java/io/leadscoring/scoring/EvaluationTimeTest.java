package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.T0;
import static io.leadscoring.scoring.TestSupport.behaviorRules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EvaluationTimeTest {

    static final String RULES = "  - { name: any, when: { source: web }, points: 16 }\n";

    @Test
    void tIsTheLargestTimeOfAllProcessedRecords() {
        Lead lead = new Lead(behaviorRules(1000, 2000, "7d", RULES));
        assertThat(lead.state.hasRecords()).isFalse();
        assertThat(lead.state.evaluationTime()).isEqualTo(LeadState.NO_TIME);
        assertThat(lead.web(T0 + 5 * DAY, "https://x/").at()).isEqualTo(T0 + 5 * DAY);
        assertThat(lead.web(T0 + 2 * DAY, "https://x/").at()).isEqualTo(T0 + 5 * DAY);
        assertThat(lead.profile(lead.newProfile(T0 + 12 * DAY).build()).at()).isEqualTo(T0 + 12 * DAY);
        assertThat(lead.profile(lead.newProfile(T0 + 1 * DAY).build()).at()).isEqualTo(T0 + 12 * DAY);
        assertThat(lead.web(T0 + 3 * DAY, "https://x/").at()).isEqualTo(T0 + 12 * DAY);
        assertThat(lead.state.evaluationTime()).isEqualTo(T0 + 12 * DAY);
    }

    @Test
    void aProfileUpdateMovesTAndDecaysEngagement() {
        Lead lead = new Lead(behaviorRules(1000, 2000, "7d", RULES));
        lead.web(T0, "https://x/");
        Evaluation e = lead.profile(lead.newProfile(T0 + 14 * DAY).build());
        assertThat(e.engagement()).isEqualTo(4.0);
        assertThat(e.awards()).isEmpty();
    }

    @Test
    void lateEventsAreDecayedToT() {
        Lead lead = new Lead(behaviorRules(1000, 2000, "7d", RULES));
        lead.profile(lead.newProfile(T0 + 21 * DAY).build());
        Evaluation late = lead.web(T0 + 7 * DAY, "https://x/");
        assertThat(late.at()).isEqualTo(T0 + 21 * DAY);
        assertThat(late.engagement()).isEqualTo(4.0);
        assertThat(late.awards()).containsExactly(new Award("any", 16.0));
        assertThat(late.reasons()).containsExactly(new Reason("any", 4.0));
    }

    @Test
    void recordsOfAnotherLeadAreRejected() {
        Scorer scorer = new Scorer(behaviorRules(1000, 2000, "7d", RULES));
        LeadState state = LeadState.empty("a");
        InMemoryWindowedState windows = new InMemoryWindowedState();
        assertThatThrownBy(() -> scorer.onEvent(state, MapScoringEvent.web("b", "e", T0, "https://x/", "CLICK"), null,
                windows)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scorer.onProfile(state, MapProfileView.builder("b", T0).build(), windows))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LeadState.empty("")).isInstanceOf(IllegalArgumentException.class);
    }
}
