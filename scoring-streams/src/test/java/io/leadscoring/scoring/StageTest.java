package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.T0;
import static io.leadscoring.scoring.TestSupport.behaviorRules;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StageTest {

    static final String RULES = """
              - { name: visit, when: { source: web, path: /v }, points: 30 }
              - { name: demo, when: { source: web, path: /demo }, points: 120 }
              - { name: unsub, when: { source: email, type: UNSUBSCRIBED }, points: -200 }
              - { name: exact, when: { source: web, path: /exact }, points: 0.1 }
            """;

    static Lead lead(String halfLife) {
        return new Lead(behaviorRules(50, 100, halfLife, RULES));
    }

    @Test
    void newToMqlToSql() {
        Lead lead = lead(null);
        assertThat(lead.web(T0, "https://x/v").transition()).isNull();
        Evaluation mql = lead.web(T0 + DAY, "https://x/v");
        assertThat(mql.stage()).isEqualTo(Stage.MQL);
        assertThat(mql.transition().from()).isEqualTo(Stage.NEW);
        assertThat(mql.transition().to()).isEqualTo(Stage.MQL);
        assertThat(mql.transition().handoffId()).isEqualTo(Scorer.handoffId("lead-1", Stage.MQL, T0 + DAY, "t@1"));
        assertThat(lead.web(T0 + 2 * DAY, "https://x/v").transition()).isNull();
        Evaluation sql = lead.web(T0 + 3 * DAY, "https://x/v");
        assertThat(sql.transition()).isEqualTo(new StageTransition(Stage.MQL, Stage.SQL,
                Scorer.handoffId("lead-1", Stage.SQL, T0 + 3 * DAY, "t@1")));
        assertThat(sql.score()).isEqualTo(120.0);
        assertThat(lead.transitions).hasSize(2);
        assertThat(lead.state.stage()).isEqualTo(Stage.SQL);
    }

    @Test
    void bothThresholdsAtOnceIsOneChangeFromNewToSql() {
        Lead lead = lead(null);
        Evaluation e = lead.web(T0, "https://x/demo");
        assertThat(e.transition().from()).isEqualTo(Stage.NEW);
        assertThat(e.transition().to()).isEqualTo(Stage.SQL);
        assertThat(lead.transitions).hasSize(1);
    }

    @Test
    void sqlIsTerminalAndNothingMovesALeadBack() {
        Lead lead = lead("7d");
        lead.web(T0, "https://x/demo");
        Evaluation decayed = lead.profile(lead.newProfile(T0 + 70 * DAY).build());
        assertThat(decayed.score()).isLessThan(1);
        assertThat(decayed.stage()).isEqualTo(Stage.SQL);
        assertThat(decayed.temperature()).isEqualTo(Temperature.COLD);
        assertThat(decayed.transition()).isNull();
        Evaluation penalty = lead.email(T0 + 71 * DAY, "UNSUBSCRIBED");
        assertThat(penalty.stage()).isEqualTo(Stage.SQL);
        assertThat(penalty.transition()).isNull();
        assertThat(lead.web(T0 + 72 * DAY, "https://x/demo").transition()).isNull();
        assertThat(lead.transitions).hasSize(1);
    }

    @Test
    void anMqlStaysMqlWhenTheScoreFalls() {
        Lead lead = lead(null);
        lead.web(T0, "https://x/v");
        lead.web(T0, "https://x/v");
        assertThat(lead.email(T0 + DAY, "UNSUBSCRIBED").stage()).isEqualTo(Stage.MQL);
        assertThat(lead.last().score()).isEqualTo(-140.0);
        assertThat(lead.transitions).hasSize(1);
    }

    @Test
    void reachingTheThresholdExactlyCounts() {
        Lead lead = new Lead(behaviorRules(60, 100, null, RULES));
        lead.web(T0, "https://x/v");
        assertThat(lead.web(T0, "https://x/v").transition().to()).isEqualTo(Stage.MQL);
    }

    @Test
    void floatNoiseJustBelowTheThresholdStillCounts() {
        // 0.1 added eight times is 0.7999999999999999: with the 1e-9 tolerance it reaches a threshold of 0.8
        Lead lead = new Lead(behaviorRules(0.8, 100, null, RULES));
        for (int i = 0; i < 7; i++) {
            lead.web(T0, "https://x/exact");
        }
        assertThat(lead.last().stage()).isEqualTo(Stage.NEW);
        Evaluation eighth = lead.web(T0, "https://x/exact");
        assertThat(eighth.score()).isLessThan(0.8);
        assertThat(eighth.stage()).isEqualTo(Stage.MQL);
        assertThat(eighth.temperature()).isEqualTo(Temperature.WARM);

        // a real shortfall does not
        Lead below = new Lead(behaviorRules(0.8000001, 100, null, RULES));
        for (int i = 0; i < 8; i++) {
            below.web(T0, "https://x/exact");
        }
        assertThat(below.last().stage()).isEqualTo(Stage.NEW);
        assertThat(below.last().temperature()).isEqualTo(Temperature.COLD);
    }

    @Test
    void aProfileChangeCanQualifyALead() {
        Lead lead = new Lead(TestSupport.rules("""
                name: t
                version: 1
                thresholds: { mql: 50, sql: 100 }
                fit:
                  rules:
                    - { name: exec, when: { seniority: exec }, points: 30 }
                behavior:
                  - { name: visit, when: { source: web }, points: 30 }
                """));
        lead.web(T0, "https://x/");
        Evaluation e = lead.profile(lead.newProfile(T0 + DAY).set("seniority", "EXEC").build());
        assertThat(e.transition().to()).isEqualTo(Stage.MQL);
        assertThat(e.at()).isEqualTo(T0 + DAY);
        assertThat(e.score()).isEqualTo(60.0);
    }

    @Test
    void handoffIdsAreDeterministicAndDistinct() {
        Lead first = lead(null);
        Lead again = lead(null);
        String a = first.web(T0, "https://x/demo").transition().handoffId();
        String b = again.web(T0, "https://x/demo").transition().handoffId();
        assertThat(a).isEqualTo(b).hasSize(36);
        assertThat(Scorer.handoffId("lead-1", Stage.SQL, T0, "t@1")).isEqualTo(a);
        assertThat(Scorer.handoffId("lead-1", Stage.SQL, T0, "t@2")).isNotEqualTo(a);
        assertThat(Scorer.handoffId("lead-2", Stage.SQL, T0, "t@1")).isNotEqualTo(a);
        assertThat(Scorer.handoffId("lead-1", Stage.MQL, T0, "t@1")).isNotEqualTo(a);
        assertThat(Scorer.handoffId("lead-1", Stage.SQL, T0 + 1, "t@1")).isNotEqualTo(a);
        assertThat(java.util.UUID.fromString(a).version()).isEqualTo(3);
    }
}
