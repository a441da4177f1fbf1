package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.HOUR;
import static io.leadscoring.scoring.TestSupport.T0;
import static io.leadscoring.scoring.TestSupport.WEEK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** {@link Scorer#evaluateAt} and {@link Scorer#scoreAt}: the query side of the core, pure. */
class EvaluateAtTest {

    /** SQL on profile and demo, a pricing page (7d half-life), three events in a week: ACTIVE at T. */
    private static Lead qualifiedLead() {
        Lead lead = new Lead(TestSupport.exampleRules());
        lead.profile(lead.newProfile(T0).set("jobTitle", "VP Sales").set("companySize", 400).build());
        lead.web(T0 + HOUR, "https://x/pricing");
        lead.web(T0 + 2 * HOUR, "https://x/blog/a");
        lead.web(T0 + 3 * HOUR, "https://x/demo", "FORM_SUBMIT");
        return lead;
    }

    @Test
    void atTheLeadsEvaluationTimeItIsTheLastEvaluation() {
        Lead lead = qualifiedLead();
        Evaluation last = lead.last();
        Evaluation again = lead.scorer.evaluateAt(lead.state, lead.profile, lead.windows, last.at());

        assertThat(again).isEqualTo(new Evaluation(last.leadId(), last.at(), last.score(), last.engagement(),
                last.fit(), last.fitGrade(), last.temperature(), last.activity(), last.stage(), last.ruleSet(),
                last.reasons(), java.util.List.of(), null));
        assertThat(again.stage()).isEqualTo(Stage.SQL);
        assertThat(again.activity()).isEqualTo(Activity.ACTIVE);
        assertThat(lead.scorer.scoreAt(lead.state, lead.profile, last.at())).isEqualTo(last.score());
    }

    @Test
    void laterItDecaysEachRuleByItsHalfLifeWithoutChangingStageOrFit() {
        Lead lead = qualifiedLead();
        long t = lead.last().at();
        Evaluation week = lead.scorer.evaluateAt(lead.state, lead.profile, lead.windows, t + WEEK);

        // pricing-page: 30 at T0+1h, 7d half-life; blog-read 10 and demo-request 50 with the set's 14d.
        double pricing = 30 * Math.pow(2, -(t + WEEK - (T0 + HOUR)) / (double) (7 * DAY));
        double blog = 10 * Math.pow(2, -(t + WEEK - (T0 + 2 * HOUR)) / (double) (14 * DAY));
        double demo = 50 * Math.pow(2, -0.5);
        assertThat(week.at()).isEqualTo(t + WEEK);
        assertThat(week.engagement()).isCloseTo(pricing + blog + demo, within(1e-9));
        assertThat(week.fit()).isEqualTo(40.0);
        assertThat(week.score()).isCloseTo(week.engagement() + 40.0, within(1e-12));
        assertThat(week.stage()).as("only a record changes a stage").isEqualTo(Stage.SQL);
        assertThat(week.transition()).isNull();
        assertThat(week.awards()).isEmpty();
        assertThat(week.temperature()).isEqualTo(Temperature.WARM);
        assertThat(week.reasons()).extracting(Reason::rule)
                .containsExactly("demo-request", "decision-maker", "target-size", "pricing-page", "blog-read");
        assertThat(lead.scorer.scoreAt(lead.state, lead.profile, t + WEEK)).isEqualTo(week.score());
    }

    @Test
    void activityIsReadAtTheTimeAsked() {
        Lead lead = qualifiedLead();
        long t = lead.last().at();
        assertThat(lead.scorer.evaluateAt(lead.state, lead.profile, lead.windows, t + 7 * DAY - 3 * HOUR).activity())
                .isEqualTo(Activity.ACTIVE);
        assertThat(lead.scorer.evaluateAt(lead.state, lead.profile, lead.windows, t + 8 * DAY).activity())
                .isEqualTo(Activity.DORMANT);
    }

    @Test
    void itModifiesNothing() {
        Lead lead = qualifiedLead();
        LeadState stored = LeadState.fromBytes(lead.state.toBytes()); // unbound, as read from a store
        byte[] before = stored.toBytes();

        lead.scorer.evaluateAt(stored, lead.profile, readOnly(lead.windows), lead.last().at() + 30 * DAY);
        lead.scorer.scoreAt(stored, lead.profile, lead.last().at() + 30 * DAY);

        assertThat(stored.toBytes()).isEqualTo(before);
        assertThat(stored.decayedSums()).isEqualTo(LeadState.fromBytes(before).decayedSums());
    }

    /** Reads pass through; any write fails the test. */
    private static WindowedState readOnly(WindowedState windows) {
        return new WindowedState() {
            @Override
            public Long previousOccurrence(String leadId, String eventId, long from, long to) {
                throw new AssertionError("a query looked for duplicates");
            }

            @Override
            public void rememberEvent(String leadId, String eventId, long occurredAt) {
                throw new AssertionError("a query remembered an event");
            }

            @Override
            public double capUsed(String leadId, String rule, long windowStart) {
                throw new AssertionError("a query read caps");
            }

            @Override
            public void setCapUsed(String leadId, String rule, long windowStart, double used) {
                throw new AssertionError("a query used a cap");
            }

            @Override
            public long[] activityWeek(String leadId, long weekStart) {
                return windows.activityWeek(leadId, weekStart);
            }

            @Override
            public void setActivityWeek(String leadId, long weekStart, long[] latestTimes) {
                throw new AssertionError("a query recorded activity");
            }
        };
    }

    @Test
    void itRefusesTimesBeforeTAndLeadsWithoutRecords() {
        Lead lead = qualifiedLead();
        long t = lead.last().at();
        assertThatThrownBy(() -> lead.scorer.evaluateAt(lead.state, lead.profile, lead.windows, t - 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before its evaluation time");
        assertThatThrownBy(() -> lead.scorer.scoreAt(LeadState.empty("lead-1"), null, t))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no processed record");
    }
}
