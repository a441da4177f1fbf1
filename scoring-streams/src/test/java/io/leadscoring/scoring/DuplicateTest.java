package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.T0;
import static io.leadscoring.scoring.TestSupport.behaviorRules;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DuplicateTest {

    static final String RULES = """
              - name: read
                when: { source: web }
                points: 10
                cap: { points: 15, per: 30d }
            """;

    static Lead lead() {
        return new Lead(behaviorRules(1000, 2000, null, RULES));
    }

    static MapScoringEvent page(String lead, String eventId, long t) {
        return MapScoringEvent.web(lead, eventId, t, "https://x/a", "PAGE_VIEW");
    }

    @Test
    void aRepeatedEventIdIsIgnoredAltogether() {
        Lead lead = lead();
        assertThat(lead.event(page("lead-1", "e1", T0))).isNotNull();
        byte[] before = lead.state.toBytes();
        int windowsBefore = lead.windows.size();
        assertThat(lead.event(page("lead-1", "e1", T0))).isNull();
        assertThat(lead.state.toBytes()).isEqualTo(before);
        assertThat(lead.windows.size()).isEqualTo(windowsBefore);
        assertThat(lead.windows.capUsed("lead-1", "read", Math.floorDiv(T0, 30 * DAY) * 30 * DAY)).isEqualTo(10.0);
    }

    @Test
    void withinSevenDaysEitherWayIsADuplicateBeyondIsNot() {
        Lead lead = lead();
        lead.event(page("lead-1", "e1", T0));
        assertThat(lead.event(page("lead-1", "e1", T0 + 7 * DAY))).isNull();
        assertThat(lead.event(page("lead-1", "e1", T0 - 7 * DAY))).isNull();
        assertThat(lead.event(page("lead-1", "e1", T0 + 3 * DAY))).isNull();
        Evaluation beyond = lead.event(page("lead-1", "e1", T0 + 7 * DAY + 1));
        assertThat(beyond).isNotNull();
        assertThat(beyond.awards()).containsExactly(new Award("read", 5.0));
        assertThat(lead.event(page("lead-1", "e1", T0 - 7 * DAY - 1))).isNotNull();
    }

    @Test
    void theSevenDaysCountFromEveryAcceptedOccurrence() {
        Lead lead = lead();
        lead.event(page("lead-1", "e1", T0));
        lead.event(page("lead-1", "e1", T0 + 8 * DAY));
        // 13 days after the first, 5 days after the second accepted one
        assertThat(lead.event(page("lead-1", "e1", T0 + 13 * DAY))).isNull();
    }

    @Test
    void aDuplicateNeitherMovesTNorCountsForActivityNorUsesTheCap() {
        Lead lead = lead();
        lead.event(page("lead-1", "e1", T0));
        lead.event(page("lead-1", "e2", T0 + 1));
        assertThat(lead.event(page("lead-1", "e2", T0 + 2 * DAY))).isNull();
        assertThat(lead.state.evaluationTime()).isEqualTo(T0 + 1);
        Evaluation third = lead.event(page("lead-1", "e3", T0 + 2));
        assertThat(third.activity()).isEqualTo(Activity.ACTIVE);
        assertThat(third.awards()).containsExactly(new Award("read", 0.0));
        assertThat(lead.windows.activityWeek("lead-1", T0)).containsExactly(T0 + 2, T0 + 1, T0);
    }

    @Test
    void idsAreScopedToTheLead() {
        InMemoryWindowedState windows = new InMemoryWindowedState();
        Scorer scorer = new Scorer(behaviorRules(1000, 2000, null, RULES));
        Lead a = new Lead("a", scorer, windows);
        Lead b = new Lead("b", scorer, windows);
        assertThat(a.event(page("a", "same", T0))).isNotNull();
        assertThat(b.event(page("b", "same", T0))).isNotNull();
        assertThat(a.event(page("a", "same", T0))).isNull();
    }

    @Test
    void eventsWithoutAnIdAreNeverDuplicates() {
        Lead lead = lead();
        assertThat(lead.event(page("lead-1", null, T0))).isNotNull();
        assertThat(lead.event(page("lead-1", null, T0))).isNotNull();
    }
}
