package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasonsTest {

    @Test
    void largestMagnitudeFirstTiesByNameAtMostTen() {
        StringBuilder yaml = new StringBuilder("name: t\nversion: 1\nthresholds: { mql: 500, sql: 1000 }\nbehavior:\n");
        String[] names = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
        double[] points = {5, -40, 40, 12, 12, 1, 2, 3, -4, 6, 7, 8};
        for (int i = 0; i < names.length; i++) {
            yaml.append("  - { name: ").append(names[i]).append(", when: { source: web }, points: ").append(points[i])
                    .append(" }\n");
        }
        Lead lead = new Lead(TestSupport.rules(yaml.toString()));
        Evaluation e = lead.web(T0, "https://x/");
        assertThat(e.reasons()).containsExactly(
                new Reason("b", -40.0),
                new Reason("c", 40.0),
                new Reason("d", 12.0),
                new Reason("e", 12.0),
                new Reason("l", 8.0),
                new Reason("k", 7.0),
                new Reason("j", 6.0),
                new Reason("a", 5.0),
                new Reason("i", -4.0),
                new Reason("h", 3.0));
        assertThat(e.awards()).hasSize(12);
        assertThat(e.engagement()).isEqualTo(52.0);
    }

    @Test
    void eachRuleOnceWithItsDecayedTotalAndFitRulesWithTheirPoints() {
        Lead lead = new Lead(TestSupport.exampleRules());
        lead.profile(lead.newProfile(T0).set("jobTitle", "VP Marketing").build());
        lead.web(T0, "https://x/blog/a");
        lead.web(T0 + DAY, "https://x/blog/b");
        lead.web(T0 + 2 * DAY, "https://x/pricing");
        Evaluation e = lead.web(T0 + 7 * DAY, "https://x/about");
        double blog = 10 * Math.pow(2, -0.5) + 10 * Math.pow(2, -6 / 14.0);
        double pricing = 30 * Math.pow(2, -5 / 7.0);
        assertThat(e.reasons()).hasSize(3);
        assertThat(e.reasons().get(0)).isEqualTo(new Reason("decision-maker", 25.0));
        assertThat(e.reasons().get(1).rule()).isEqualTo("pricing-page");
        assertThat(e.reasons().get(1).points()).isCloseTo(pricing, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(e.reasons().get(2).rule()).isEqualTo("blog-read");
        assertThat(e.reasons().get(2).points()).isCloseTo(blog, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(e.awards()).isEmpty();
    }

    @Test
    void rulesThatContributeNothingAreLeftOut() {
        Lead lead = new Lead(TestSupport.rules("""
                name: t
                version: 1
                thresholds: { mql: 50, sql: 100 }
                fit:
                  rules:
                    - { name: neutral, points: 0 }
                    - { name: never, when: { industry: mining }, points: 10 }
                behavior:
                  - { name: zero, when: { source: web }, points: 0 }
                  - { name: one, when: { source: web }, points: 1 }
                  - { name: email-only, when: { source: email }, points: 3 }
                """));
        lead.profile(lead.newProfile(T0).set("industry", "software").build());
        Evaluation e = lead.web(T0, "https://x/");
        assertThat(e.reasons()).containsExactly(new Reason("one", 1.0));
        assertThat(e.awards()).containsExactly(new Award("zero", 0.0), new Award("one", 1.0));
    }
}
