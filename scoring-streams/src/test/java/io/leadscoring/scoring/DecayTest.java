package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.HOUR;
import static io.leadscoring.scoring.TestSupport.T0;
import static io.leadscoring.scoring.TestSupport.behaviorRules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DecayTest {

    static final String RULES = """
              - { name: page, when: { source: web, path: /p }, points: 40 }
              - { name: fast, when: { source: web, path: /f }, points: 40, halfLife: 1d }
              - { name: flat, when: { source: web, path: /n }, points: 40, halfLife: none }
              - { name: penalty, when: { source: email, type: UNSUBSCRIBED }, points: -20 }
              - { name: tick, when: { source: web, path: /tick }, points: 0 }
            """;

    @Test
    void anAwardHalvesEveryHalfLife() {
        Lead lead = new Lead(behaviorRules(1000, 2000, "14d", RULES));
        assertThat(lead.web(T0, "https://x/p").engagement()).isEqualTo(40.0);
        assertThat(lead.web(T0 + 14 * DAY, "https://x/tick").engagement()).isEqualTo(20.0);
        assertThat(lead.web(T0 + 28 * DAY, "https://x/tick").engagement()).isEqualTo(10.0);
        assertThat(lead.web(T0 + 35 * DAY, "https://x/tick").engagement())
                .isCloseTo(40 * Math.pow(2, -2.5), within(1e-12));
    }

    @Test
    void aRulesOwnHalfLifeOverridesTheRuleSetsAndNoneSwitchesDecayOff() {
        Lead lead = new Lead(behaviorRules(1000, 2000, "14d", RULES));
        lead.web(T0, "https://x/f");
        lead.web(T0, "https://x/n");
        Evaluation e = lead.web(T0 + 2 * DAY, "https://x/tick");
        assertThat(e.reasons()).containsExactly(new Reason("flat", 40.0), new Reason("fast", 10.0));
        assertThat(e.engagement()).isEqualTo(50.0);
    }

    @Test
    void withoutAnyHalfLifeNothingDecays() {
        Lead lead = new Lead(behaviorRules(1000, 2000, null, RULES));
        lead.web(T0, "https://x/p");
        assertThat(lead.web(T0 + 3650 * DAY, "https://x/tick").engagement()).isEqualTo(40.0);
    }

    @Test
    void negativePointsDecayTheSameWay() {
        Lead lead = new Lead(behaviorRules(1000, 2000, "14d", RULES));
        assertThat(lead.email(T0, "UNSUBSCRIBED").engagement()).isEqualTo(-20.0);
        Evaluation later = lead.web(T0 + 14 * DAY, "https://x/tick");
        assertThat(later.engagement()).isEqualTo(-10.0);
        assertThat(later.reasons()).containsExactly(new Reason("penalty", -10.0));
    }

    @Test
    void aLateEventIsDecayedToTNotToItsOwnTime() {
        Lead lead = new Lead(behaviorRules(1000, 2000, "14d", RULES));
        lead.web(T0 + 28 * DAY, "https://x/tick");
        Evaluation late = lead.web(T0, "https://x/p");
        assertThat(late.at()).isEqualTo(T0 + 28 * DAY);
        assertThat(late.engagement()).isEqualTo(10.0);
    }

    @Test
    void awardsAddUpEachDecayedFromItsOwnTime() {
        List<Long> times = List.of(T0, T0 + 3 * DAY, T0 + 5 * HOUR, T0 + 20 * DAY, T0 + DAY);
        Lead lead = new Lead(behaviorRules(1000, 2000, "14d", RULES));
        Evaluation last = null;
        for (long t : times) {
            last = lead.web(t, "https://x/p");
        }
        long T = T0 + 20 * DAY;
        double expected = 0;
        for (long t : times) {
            expected += 40 * Math.pow(2, -(T - t) / (double) (14 * DAY));
        }
        assertThat(last.at()).isEqualTo(T);
        assertThat(last.engagement()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void theResultDoesNotDependOnArrivalOrder() {
        long[] times = {T0 + 9 * DAY, T0, T0 + 30 * DAY, T0 + 2 * HOUR, T0 + 17 * DAY};
        long[] reversed = {T0 + 17 * DAY, T0 + 2 * HOUR, T0 + 30 * DAY, T0, T0 + 9 * DAY};
        double a = 0;
        double b = 0;
        Lead first = new Lead(behaviorRules(1000, 2000, "14d", RULES));
        Lead second = new Lead(behaviorRules(1000, 2000, "14d", RULES));
        for (int i = 0; i < times.length; i++) {
            a = first.web(times[i], i % 2 == 0 ? "https://x/p" : "https://x/f").engagement();
        }
        for (int i = 0; i < reversed.length; i++) {
            b = second.web(reversed[i], i % 2 == 0 ? "https://x/p" : "https://x/f").engagement();
        }
        assertThat(a).isCloseTo(b, within(1e-9));
        assertThat(a).isGreaterThan(0);
    }
}
