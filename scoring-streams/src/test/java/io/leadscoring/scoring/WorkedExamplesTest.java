package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The four worked examples of SCORING.md, reproduced exactly. */
class WorkedExamplesTest {

    @Test
    void example1_blogEbookDemoIsOneChangeFromNewToSqlAtTheDemosTime() {
        Lead lead = new Lead(TestSupport.rules("""
                name: example-1
                version: 1
                thresholds: { mql: 50, sql: 70 }
                behavior:
                  - { name: blog-read, when: { source: web, path: { glob: "/blog/**" } }, points: 5 }
                  - { name: ebook, when: { source: download, assetType: EBOOK }, points: 20 }
                  - { name: demo-request, when: { source: web, action: FORM_SUBMIT, path: /demo }, points: 50 }
                """));
        assertThat(lead.web(T0, "https://acme.example/blog/why-lead-scoring").transition()).isNull();
        assertThat(lead.download(T0 + DAY, "EBOOK").transition()).isNull();
        Evaluation demo = lead.web(T0 + 2 * DAY, "https://acme.example/demo", "FORM_SUBMIT");

        assertThat(lead.transitions).hasSize(1);
        assertThat(demo.transition().from()).isEqualTo(Stage.NEW);
        assertThat(demo.transition().to()).isEqualTo(Stage.SQL);
        assertThat(demo.at()).isEqualTo(T0 + 2 * DAY);
        assertThat(demo.score()).isEqualTo(75.0);
        assertThat(demo.ruleSet()).isEqualTo("example-1@1");
        assertThat(demo.temperature()).isEqualTo(Temperature.HOT);
        assertThat(demo.reasons()).containsExactly(
                new Reason("demo-request", 50.0), new Reason("ebook", 20.0), new Reason("blog-read", 5.0));
    }

    @Test
    void example2_aReaderGathersPointsOverWeeksAndChangesTwice() {
        Lead lead = new Lead(TestSupport.rules("""
                name: example-2
                version: 1
                thresholds: { mql: 50, sql: 200 }
                behavior:
                  - { name: blog-read, when: { source: web, path: { glob: "/blog/**" } }, points: 10 }
                  - { name: email-open, when: { source: email, type: OPENED }, points: 5 }
                """));
        // every week: two blog posts and one newsletter opened, 25 points
        Evaluation mql = null;
        Evaluation sql = null;
        for (int week = 0; week < 10; week++) {
            long start = T0 + week * 7 * DAY;
            for (Evaluation e : List.of(
                    lead.web(start, "https://acme.example/blog/" + week + "/a"),
                    lead.email(start + 2 * DAY, "OPENED"),
                    lead.web(start + 4 * DAY, "https://acme.example/blog/" + week + "/b"))) {
                if (e.transition() != null && e.transition().to() == Stage.MQL) {
                    mql = e;
                }
                if (e.transition() != null && e.transition().to() == Stage.SQL) {
                    sql = e;
                }
            }
        }
        assertThat(lead.transitions).extracting(StageTransition::from, StageTransition::to).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Stage.NEW, Stage.MQL),
                org.assertj.core.groups.Tuple.tuple(Stage.MQL, Stage.SQL));
        // 25 per week: 50 is first reached by the week-2 second blog post, 200 by the week-8 second blog post
        assertThat(mql.score()).isEqualTo(50.0);
        assertThat(mql.at()).isEqualTo(T0 + 7 * DAY + 4 * DAY);
        assertThat(sql.score()).isEqualTo(200.0);
        assertThat(sql.at()).isEqualTo(T0 + 7 * 7 * DAY + 4 * DAY);
        assertThat(lead.last().score()).isEqualTo(250.0);
    }

    @Test
    void example3_aUserWithEightyBehaviourPointsScoresFortyAndIsNotHandedOff() {
        Lead lead = new Lead(TestSupport.rules("""
                name: example-3
                version: 1
                thresholds: { mql: 50, sql: 100 }
                fit:
                  rules:
                    - { name: end-user, when: { authority: USER }, points: -40 }
                behavior:
                  - { name: pricing-page, when: { source: web, path: /pricing }, points: 30 }
                  - { name: demo-request, when: { source: web, action: FORM_SUBMIT, path: /demo }, points: 50 }
                """));
        lead.profile(lead.newProfile(T0).set("authority", "USER").set("jobTitle", "Analyst").build());
        lead.web(T0 + DAY, "https://acme.example/pricing");
        Evaluation last = lead.web(T0 + 2 * DAY, "https://acme.example/demo", "FORM_SUBMIT");
        assertThat(last.engagement()).isEqualTo(80.0);
        assertThat(last.fit()).isEqualTo(-40.0);
        assertThat(last.score()).isEqualTo(40.0);
        assertThat(last.stage()).isEqualTo(Stage.NEW);
        assertThat(last.temperature()).isEqualTo(Temperature.COLD);
        assertThat(lead.transitions).isEmpty();
    }

    @Test
    void example4_sixtyPointsWithAFourteenDayHalfLifeAreWorthFifteenFourWeeksLater() {
        Lead lead = new Lead(TestSupport.rules("""
                name: example-4
                version: 1
                halfLife: 14d
                thresholds: { mql: 100, sql: 200 }
                behavior:
                  - { name: webinar, when: { source: download, assetType: WEBINAR }, points: 20 }
                  - { name: pricing-page, when: { source: web, path: /pricing }, points: 40 }
                """));
        lead.download(T0, "WEBINAR");
        assertThat(lead.web(T0, "https://acme.example/pricing").score()).isEqualTo(60.0);
        Evaluation later = lead.profile(lead.newProfile(T0 + 28 * DAY).build());
        assertThat(later.engagement()).isEqualTo(15.0);
        assertThat(later.score()).isEqualTo(15.0);
        assertThat(later.reasons()).containsExactly(new Reason("pricing-page", 10.0), new Reason("webinar", 5.0));

        // points earned on different days of that week: each award is a quarter of itself four weeks after it was made
        Lead spread = new Lead(lead.scorer.ruleSet());
        spread.download(T0, "WEBINAR");
        spread.web(T0 + 5 * DAY, "https://acme.example/pricing");
        Evaluation e = spread.profile(spread.newProfile(T0 + 5 * DAY + 28 * DAY).build());
        assertThat(e.reasons()).containsExactly(
                new Reason("pricing-page", 10.0), new Reason("webinar", 20 * Math.pow(2, -33 / 14.0)));
    }
}
