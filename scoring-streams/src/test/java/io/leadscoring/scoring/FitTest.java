package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FitTest {

    static MapProfileView.Builder ceoOfMidSizeCompany(Lead lead, long t) {
        return lead.newProfile(t).set("jobTitle", "CEO").set("companySize", 200).set("email", "jane@acme.example");
    }

    @Test
    void fitIsTheSumOfMatchingRules() {
        Lead lead = new Lead(TestSupport.exampleRules());
        Evaluation e = lead.profile(ceoOfMidSizeCompany(lead, T0).build());
        assertThat(e.fit()).isEqualTo(40.0);
        assertThat(e.engagement()).isZero();
        assertThat(e.score()).isEqualTo(40.0);
        assertThat(e.reasons()).containsExactly(new Reason("decision-maker", 25.0), new Reason("target-size", 15.0));
    }

    @Test
    void fitIsCappedAboveByAnExplicitMaxPoints() {
        Lead lead = new Lead(TestSupport.rules("""
                name: t
                version: 1
                thresholds: { mql: 50, sql: 100 }
                fit:
                  maxPoints: 30
                  rules:
                    - { name: senior, when: { seniority: exec }, points: 25 }
                    - { name: budget, when: { budget: CONFIRMED }, points: 20 }
                """));
        Evaluation e = lead.profile(lead.newProfile(T0).set("seniority", "Exec").set("budget", "confirmed").build());
        assertThat(e.fit()).isEqualTo(30.0);
        // reasons carry each rule's own points, not scaled by the cap
        assertThat(e.reasons()).containsExactly(new Reason("senior", 25.0), new Reason("budget", 20.0));
        assertThat(e.fitGrade()).isEqualTo(FitGrade.A);
    }

    @Test
    void theDefaultCapIsHalfTheSqlThresholdSoFitAloneNeverQualifies() {
        Lead lead = new Lead(TestSupport.rules("""
                name: t
                version: 1
                thresholds: { mql: 40, sql: 100 }
                fit:
                  rules:
                    - { name: perfect, points: 500 }
                """));
        Evaluation e = lead.profile(lead.newProfile(T0).build());
        assertThat(e.fit()).isEqualTo(50.0);
        assertThat(e.stage()).isEqualTo(Stage.MQL);
        assertThat(e.temperature()).isEqualTo(Temperature.WARM);
    }

    @Test
    void negativeFitIsNotFloored() {
        Lead lead = new Lead(TestSupport.exampleRules());
        Evaluation e = lead.profile(ceoOfMidSizeCompany(lead, T0).set("email", "spy@rival.example").build());
        assertThat(e.fit()).isEqualTo(-460.0);
        assertThat(e.reasons().get(0)).isEqualTo(new Reason("competitor", -500.0));
        assertThat(e.fitGrade()).isEqualTo(FitGrade.D);
    }

    @Test
    void withoutAProfileFitIsZero() {
        Lead lead = new Lead(TestSupport.exampleRules());
        Evaluation e = lead.download(T0, "EBOOK");
        assertThat(e.fit()).isZero();
        assertThat(e.fitGrade()).isEqualTo(FitGrade.D);
        assertThat(e.reasons()).containsExactly(new Reason("ebook", 20.0));
    }

    @Test
    void fitIsRecomputedWhenTheProfileChangesAndDoesNotDecay() {
        Lead lead = new Lead(TestSupport.exampleRules());
        MapProfileView v1 = ceoOfMidSizeCompany(lead, T0).build();
        assertThat(lead.profile(v1).fit()).isEqualTo(40.0);
        assertThat(lead.download(T0 + 100 * DAY, "EBOOK").fit()).isEqualTo(40.0);
        MapProfileView v2 = v1.toBuilder(T0 + 101 * DAY).set("jobTitle", "Intern").build();
        Evaluation e = lead.profile(v2);
        assertThat(e.fit()).isEqualTo(15.0);
        assertThat(e.reasons()).extracting(Reason::rule).containsExactly("ebook", "target-size");
        // the next event sees the current profile
        assertThat(lead.download(T0 + 102 * DAY, "WEBINAR").fit()).isEqualTo(15.0);
    }

    @Test
    void customAttributesCount() {
        Lead lead = new Lead(TestSupport.rules("""
                name: t
                version: 1
                thresholds: { mql: 50, sql: 100 }
                fit:
                  rules:
                    - { name: enterprise-plan, when: { attributes.plan: enterprise }, points: 12 }
                    - { name: big-seats, when: { attributes.seats: { min: 100 } }, points: 8 }
                """));
        Evaluation e = lead.profile(lead.newProfile(T0).attribute("plan", "Enterprise").attribute("seats", "250").build());
        assertThat(e.fit()).isEqualTo(20.0);
    }
}
