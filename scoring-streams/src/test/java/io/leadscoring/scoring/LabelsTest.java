package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.T0;
import static io.leadscoring.scoring.TestSupport.WEEK;
import static io.leadscoring.scoring.TestSupport.behaviorRules;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelsTest {

    @Nested
    class Grades {
        final Scorer scorer = new Scorer(TestSupport.rules("name: t\nversion: 1\nthresholds: { mql: 50, sql: 100 }\n"
                + "fit: { maxPoints: 40 }\n"));

        @ParameterizedTest
        @CsvSource({"40, A", "30, A", "29.999, B", "20, B", "19.99, C", "10, C", "9.99, D", "0, D", "-50, D",
                "29.9999999999, A"})
        void againstTheEffectiveMaxPoints(double fit, FitGrade grade) {
            assertThat(scorer.fitGrade(fit)).isEqualTo(grade);
        }

        @Test
        void againstTheDefaultMaxPoints() {
            Scorer s = new Scorer(TestSupport.rules("name: t\nversion: 1\nthresholds: { mql: 50, sql: 80 }\n"));
            assertThat(s.fitGrade(30)).isEqualTo(FitGrade.A);
            assertThat(s.fitGrade(29)).isEqualTo(FitGrade.B);
            assertThat(s.fitGrade(10)).isEqualTo(FitGrade.C);
            assertThat(s.fitGrade(9)).isEqualTo(FitGrade.D);
        }

        @Test
        void onEveryEvaluation() {
            // example rules: fit.maxPoints 50, so A >= 37.5, B >= 25, C >= 12.5
            Lead lead = new Lead(TestSupport.exampleRules());
            MapProfileView both = lead.newProfile(T0).set("jobTitle", "CTO").set("companySize", 60).build();
            assertThat(lead.profile(both).fitGrade()).isEqualTo(FitGrade.A);
            assertThat(lead.profile(both.toBuilder(T0 + 1).set("companySize", 10).build()).fitGrade())
                    .isEqualTo(FitGrade.B);
            assertThat(lead.profile(both.toBuilder(T0 + 2).set("jobTitle", "Intern").build()).fitGrade())
                    .isEqualTo(FitGrade.C);
            assertThat(lead.profile(lead.newProfile(T0 + 3).build()).fitGrade()).isEqualTo(FitGrade.D);
        }
    }

    @Nested
    class Temperatures {
        final Scorer scorer = new Scorer(TestSupport.rules("name: t\nversion: 1\nthresholds: { mql: 50, sql: 100 }\n"));

        @ParameterizedTest
        @CsvSource({"-5, COLD", "0, COLD", "49.99, COLD", "50, WARM", "99.9, WARM", "100, HOT", "1000, HOT",
                "99.9999999999, HOT"})
        void byThresholds(double score, Temperature t) {
            assertThat(scorer.temperature(score)).isEqualTo(t);
        }

        @Test
        void onEveryEvaluation() {
            Lead lead = new Lead(TestSupport.exampleRules());
            assertThat(lead.download(T0, "EBOOK").temperature()).isEqualTo(Temperature.COLD);
            assertThat(lead.web(T0, "https://x/pricing").temperature()).isEqualTo(Temperature.WARM);
            assertThat(lead.web(T0, "https://x/demo", "FORM_SUBMIT").temperature()).isEqualTo(Temperature.HOT);
        }
    }

    @Nested
    class Activities {
        static final String RULES = "  - { name: any, when: { source: web }, points: 1 }\n";
        // T's week W starts at T0 + 7d; T - 7d = T0 + 3d lies in week W-1
        static final long T = T0 + 10 * DAY;

        Lead lead() {
            return new Lead(behaviorRules(1000, 2000, null, RULES));
        }

        @Test
        void weeksAreEpochAlignedOnThursdays() {
            assertThat(Scorer.weekStart(T0)).isEqualTo(T0);
            assertThat(Scorer.weekStart(T0 + 3 * DAY)).isEqualTo(T0);
            assertThat(Scorer.weekStart(T0 - 1)).isEqualTo(T0 - WEEK);
            assertThat(Scorer.weekStart(3 * DAY)).isZero();
            assertThat(Scorer.weekStart(-1)).isEqualTo(-WEEK);
            assertThat(java.time.Instant.ofEpochMilli(T0).atZone(java.time.ZoneOffset.UTC).getDayOfWeek())
                    .isEqualTo(java.time.DayOfWeek.THURSDAY);
        }

        @Test
        void threeEventsInTheSevenDaysUpToTAreActiveBoundariesIncluded() {
            Lead lead = lead();
            assertThat(lead.web(T - 7 * DAY, "https://x/").activity()).isEqualTo(Activity.DORMANT);
            assertThat(lead.web(T - 3 * DAY, "https://x/").activity()).isEqualTo(Activity.DORMANT);
            assertThat(lead.web(T, "https://x/").activity()).isEqualTo(Activity.ACTIVE);
        }

        @Test
        void oneMillisecondTooEarlyIsNotActive() {
            Lead lead = lead();
            lead.web(T - 7 * DAY - 1, "https://x/");
            lead.web(T - 3 * DAY, "https://x/");
            assertThat(lead.web(T, "https://x/").activity()).isEqualTo(Activity.DORMANT);
        }

        @Test
        void activityIsJudgedAtTSoALaterRecordCanEndIt() {
            Lead lead = lead();
            lead.web(T0, "https://x/");
            lead.web(T0, "https://x/");
            assertThat(lead.web(T0, "https://x/").activity()).isEqualTo(Activity.ACTIVE);
            // a profile update is a processed record: it moves T but is not an event
            Evaluation later = lead.profile(lead.newProfile(T0 + 7 * DAY + 1).build());
            assertThat(later.activity()).isEqualTo(Activity.DORMANT);
        }

        @Test
        void manyEventsInTheCurrentWeekAndTheOneBefore() {
            Lead lead = lead();
            for (int i = 0; i < 5; i++) {
                lead.web(T0 + 7 * DAY + i, "https://x/"); // week W
            }
            for (int i = 0; i < 5; i++) {
                lead.web(T0 + i, "https://x/"); // week W-1, late and older than T - 7d
            }
            assertThat(lead.web(T0 + 9 * DAY, "https://x/").activity()).isEqualTo(Activity.ACTIVE);
            assertThat(lead.windows.activityWeek("lead-1", T0 + 7 * DAY))
                    .containsExactly(T0 + 9 * DAY, T0 + 7 * DAY + 4, T0 + 7 * DAY + 3);
            assertThat(lead.windows.activityWeek("lead-1", T0)).containsExactly(T0 + 4, T0 + 3, T0 + 2);
        }

        @Test
        void eventsInThreeDistinctWeeksOfTheTwelveAreLatent() {
            long w = Scorer.weekStart(T);
            Lead lead = lead();
            lead.web(w - 11 * WEEK, "https://x/");
            lead.web(w - 5 * WEEK + 3 * DAY, "https://x/");
            assertThat(lead.last().activity()).isEqualTo(Activity.DORMANT);
            assertThat(lead.web(T, "https://x/").activity()).isEqualTo(Activity.LATENT);
        }

        @Test
        void theThirteenthWeekBackDoesNotCount() {
            long w = Scorer.weekStart(T);
            Lead lead = lead();
            lead.web(w - 11 * WEEK - 1, "https://x/");
            lead.web(w - 5 * WEEK, "https://x/");
            assertThat(lead.web(T, "https://x/").activity()).isEqualTo(Activity.DORMANT);
        }

        @Test
        void manyEventsInOneWeekCountAsOneWeek() {
            long w = Scorer.weekStart(T);
            Lead lead = lead();
            for (int i = 0; i < 6; i++) {
                lead.web(w - 3 * WEEK + i * DAY, "https://x/");
            }
            assertThat(lead.web(T, "https://x/").activity()).isEqualTo(Activity.DORMANT);
            // a late event in a third week makes it latent
            assertThat(lead.web(w - 8 * WEEK, "https://x/").activity()).isEqualTo(Activity.LATENT);
        }

        @Test
        void nonMatchingEventsCountButProfileUpdatesAndDuplicatesDoNot() {
            Lead lead = lead();
            lead.email(T, "OPENED");
            lead.download(T, "EBOOK");
            lead.profile(lead.newProfile(T).build());
            MapScoringEvent once = MapScoringEvent.email("lead-1", "dup", T, "OPENED");
            lead.event(once);
            assertThat(lead.event(once)).isNull();
            assertThat(lead.last().activity()).isEqualTo(Activity.ACTIVE);
            assertThat(lead.last().engagement()).isZero();

            Lead two = lead();
            two.email(T, "OPENED");
            MapScoringEvent dup = MapScoringEvent.email("lead-1", "dup", T, "OPENED");
            two.event(dup);
            two.event(dup);
            assertThat(two.profile(two.newProfile(T).build()).activity()).isEqualTo(Activity.DORMANT);
        }
    }
}
