package io.leadscoring.streams;

import static io.leadscoring.streams.TopologyHarness.day;
import static io.leadscoring.streams.TopologyHarness.downloadEvent;
import static io.leadscoring.streams.TopologyHarness.emailEvent;
import static io.leadscoring.streams.TopologyHarness.pageView;
import static io.leadscoring.streams.TopologyHarness.profile;
import static io.leadscoring.streams.TopologyHarness.webEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.leadscoring.events.Activity;
import io.leadscoring.events.AssetType;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.FitGrade;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.Reason;
import io.leadscoring.events.Stage;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.Temperature;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.scoring.LeadState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The topology in a TopologyTestDriver: SCORING.md's worked examples and the stream-level behaviour. */
class ScoringTopologyTest {

    static final String EXAMPLE_1_RULES = """
            name: example-1
            version: 1
            thresholds: { mql: 50, sql: 70 }
            behavior:
              - name: blog-read
                when: { source: web, path: { glob: "/blog/**" } }
                points: 5
              - name: ebook
                when: { source: download, assetType: EBOOK }
                points: 20
              - name: demo-request
                when: { source: web, action: FORM_SUBMIT, path: /demo }
                points: 50
            """;

    private static List<Object> reasons(StageChange change) {
        return change.getReasons().stream().map(r -> (Object) tuple(r.getRule(), r.getPoints())).toList();
    }

    @Nested
    class WorkedExamples {

        @Test
        void example1_blogEbookDemoIsOneNewToSqlChangeAtTheDemosTime() {
            try (var t = new TopologyHarness(EXAMPLE_1_RULES)) {
                t.send(pageView("lead-1", "e1", day(0), "/blog/first-post"));
                t.send(downloadEvent("lead-1", "e2", day(1), AssetType.EBOOK));
                t.send(webEvent("lead-1", "e3", day(2), "/demo", WebAction.FORM_SUBMIT));

                List<StageChange> changes = t.changes();
                assertThat(changes).hasSize(1);
                StageChange sql = changes.get(0);
                assertThat(sql.getStage()).isEqualTo(Stage.SQL);
                assertThat(sql.getPreviousStage()).isEqualTo(Stage.NEW);
                assertThat(sql.getAt()).isEqualTo(day(2));
                assertThat(sql.getScore()).isEqualTo(75.0);
                assertThat(sql.getEngagement()).isEqualTo(75.0);
                assertThat(sql.getFit()).isEqualTo(0.0);
                assertThat(sql.getRuleSet()).isEqualTo("example-1@1");
                assertThat(sql.getReasons()).extracting(Reason::getRule, Reason::getPoints).containsExactly(
                        tuple("demo-request", 50.0), tuple("ebook", 20.0), tuple("blog-read", 5.0));
                assertThat(sql.getHandoffId()).isNotBlank();

                assertThat(t.handoffs.readValuesToList()).containsExactly(sql);
                assertThat(t.scores.readValuesToList()).extracting(LeadScore::getScore)
                        .containsExactly(5.0, 25.0, 75.0);
                LeadState state = t.leadStates().get("lead-1");
                assertThat(state.stage()).isEqualTo(io.leadscoring.scoring.Stage.SQL);
                assertThat(state.evaluationTime()).isEqualTo(day(2).toEpochMilli());
            }
        }

        @Test
        void example2_readerBecomesMqlAt50AndSqlAt200() {
            String rules = """
                    name: example-2
                    version: 1
                    thresholds: { mql: 50, sql: 200 }
                    behavior:
                      - name: blog-read
                        when: { source: web, path: { glob: "/blog/**" } }
                        points: 10
                      - name: email-open
                        when: { source: email, type: OPENED }
                        points: 5
                    """;
            // Weeks of events past the driver's clock (T0): a horizon that lets them in (events further ahead of
            // the clock than the late-event horizon are dead-lettered).
            try (var t = new TopologyHarness(rules, java.time.Duration.ofDays(365))) {
                // Over weeks: 4 blog reads and 2 opens (50 points), then 14 reads and 2 opens (200 points).
                int n = 0;
                double d = 0;
                for (int i = 0; i < 4; i++) {
                    t.send(pageView("reader", "e" + n++, day(d += 2), "/blog/post-" + i));
                }
                t.send(emailEvent("reader", "e" + n++, day(d += 2), EmailEventType.OPENED));
                Instant mqlAt = day(d += 2);
                t.send(emailEvent("reader", "e" + n++, mqlAt, EmailEventType.OPENED));
                for (int i = 0; i < 14; i++) {
                    t.send(pageView("reader", "e" + n++, day(d += 2), "/blog/later-" + i));
                }
                t.send(emailEvent("reader", "e" + n++, day(d += 2), EmailEventType.OPENED));
                Instant sqlAt = day(d += 2);
                t.send(emailEvent("reader", "e" + n++, sqlAt, EmailEventType.OPENED));

                List<StageChange> changes = t.changes();
                assertThat(changes).extracting(StageChange::getPreviousStage, StageChange::getStage,
                        StageChange::getScore, StageChange::getAt).containsExactly(
                                tuple(Stage.NEW, Stage.MQL, 50.0, mqlAt),
                                tuple(Stage.MQL, Stage.SQL, 200.0, sqlAt));
                assertThat(changes.get(1).getReasons()).extracting(Reason::getRule, Reason::getPoints)
                        .containsExactly(tuple("blog-read", 180.0), tuple("email-open", 20.0));
                assertThat(t.handoffs.readValuesToList()).containsExactly(changes.get(1));
            }
        }

        @Test
        void example3_aUserWithEightyBehaviourPointsScoresFortyAndIsNotHandedOver() {
            String rules = """
                    name: example-3
                    version: 1
                    thresholds: { mql: 50, sql: 100 }
                    fit:
                      rules:
                        - name: end-user
                          when: { authority: USER }
                          points: -40
                    behavior:
                      - name: demo-request
                        when: { source: web, action: FORM_SUBMIT, path: /demo }
                        points: 50
                      - name: pricing-page
                        when: { source: web, path: /pricing }
                        points: 30
                    """;
            try (var t = new TopologyHarness(rules)) {
                t.send(profile("user-1", day(0)).setAuthority("USER").build());
                t.send(pageView("user-1", "e1", day(1), "/pricing"));
                t.send(webEvent("user-1", "e2", day(2), "/demo", WebAction.FORM_SUBMIT));

                assertThat(t.changes()).isEmpty();
                assertThat(t.handoffs.isEmpty()).isTrue();
                LeadScore last = t.latestScores().get("user-1");
                assertThat(last.getEngagement()).isEqualTo(80.0);
                assertThat(last.getFit()).isEqualTo(-40.0);
                assertThat(last.getScore()).isEqualTo(40.0);
                assertThat(last.getStage()).isEqualTo(Stage.NEW);
                assertThat(last.getTemperature()).isEqualTo(Temperature.COLD);
            }
        }

        @Test
        void example4_sixtyPointsWithAFourteenDayHalfLifeAreWorthFifteenFourWeeksLater() {
            String rules = """
                    name: example-4
                    version: 1
                    halfLife: 14d
                    thresholds: { mql: 100, sql: 200 }
                    behavior:
                      - name: webinar
                        when: { source: download, assetType: WEBINAR }
                        points: 60
                    """;
            try (var t = new TopologyHarness(rules)) {
                t.send(downloadEvent("lead-4", "e1", day(0), AssetType.WEBINAR));
                // Nothing happens after; a profile update four weeks later moves T.
                t.send(profile("lead-4", day(28)).build());
                LeadScore last = t.latestScores().get("lead-4");
                assertThat(last.getAsOf()).isEqualTo(day(28));
                assertThat(last.getEngagement()).isCloseTo(15.0, within(1e-12));
                assertThat(last.getScore()).isCloseTo(15.0, within(1e-12));
            }
        }
    }

    static final String STREAM_RULES = """
            name: stream
            version: 7
            halfLife: 14d
            thresholds: { mql: 50, sql: 100 }
            fit:
              maxPoints: 50
              rules:
                - name: decision-maker
                  when: { jobTitle: { regex: "(?i)\\\\b(ceo|vp|director)\\\\b" } }
                  points: 25
                - name: target-size
                  when: { companySize: { min: 50, max: 5000 } }
                  points: 15
                - name: competitor
                  when: { emailDomain: [rival.example] }
                  points: -500
            behavior:
              - name: blog-read
                when: { source: web, path: { glob: "/blog/**" } }
                points: 10
                cap: { points: 30, per: 1d }
                halfLife: none
              - name: pricing-page
                when: { source: web, path: /pricing }
                points: 30
              - name: demo-request
                when: { source: web, action: FORM_SUBMIT, path: /demo }
                points: 50
            """;

    @Nested
    class Caps {

        @Test
        void capsHoldWithinAnEpochAlignedWindowAndResetExactlyAtItsEdge() {
            try (var t = new TopologyHarness(STREAM_RULES)) {
                t.send(pageView("cap", "e1", day(0), "/blog/a"));
                t.send(pageView("cap", "e2", day(0.5), "/blog/b"));
                t.send(pageView("cap", "e3", day(0.75), "/blog/c"));
                t.send(pageView("cap", "e4", day(1).minusMillis(1), "/blog/d")); // last ms of the window: capped
                t.send(pageView("cap", "e5", day(1), "/blog/e"));                // first ms of the next one

                assertThat(t.scores.readValuesToList()).extracting(LeadScore::getEngagement)
                        .containsExactly(10.0, 20.0, 30.0, 30.0, 40.0);
                String capKey = StoreWindowedState.key("cap", "blog-read");
                assertThat(t.ruleCaps().fetch(capKey, day(0).toEpochMilli())).isEqualTo(30.0);
                assertThat(t.ruleCaps().fetch(capKey, day(1).toEpochMilli())).isEqualTo(10.0);
            }
        }

        @Test
        void aLateEventCountsAgainstItsOwnWindow() {
            try (var t = new TopologyHarness(STREAM_RULES)) {
                t.send(pageView("cap", "e1", day(1.2), "/blog/a"));
                t.send(pageView("cap", "e2", day(1.3), "/blog/b"));
                t.send(pageView("cap", "e3", day(1.4), "/blog/c"));
                t.send(pageView("cap", "e4", day(0.5), "/blog/late")); // the day before: its window is empty
                t.send(pageView("cap", "e5", day(1.1), "/blog/late-too")); // its window is full

                assertThat(t.latestScores().get("cap").getEngagement()).isEqualTo(40.0);
            }
        }
    }

    @Nested
    class Duplicates {

        @Test
        void aResentEventIsIgnoredAltogether() {
            try (var t = new TopologyHarness(STREAM_RULES)) {
                WebEvent pricing = pageView("dup", "same-id", day(0), "/pricing");
                t.send(pricing);
                t.send(pricing);
                t.send(pageView("dup", "same-id", day(6.9), "/pricing")); // same id within 7 days

                assertThat(t.scores.readValuesToList()).hasSize(1);
                assertThat(t.seenEvents().fetch(StoreWindowedState.key("dup", "same-id"),
                        StoreWindowedState.bucket(day(0).toEpochMilli()))).isEqualTo(day(0).toEpochMilli());
                assertThat(t.leadStates().get("dup").evaluationTime()).isEqualTo(day(0).toEpochMilli());
            }
        }

        @Test
        void theSameIdLaterThanSevenDaysOrForAnotherLeadCounts() {
            try (var t = new TopologyHarness(STREAM_RULES)) {
                t.send(pageView("a", "id-1", day(0), "/pricing"));
                t.send(pageView("b", "id-1", day(0), "/pricing"));
                t.send(pageView("a", "id-1", day(7.5), "/pricing"));

                assertThat(t.scores.readValuesToList()).extracting(LeadScore::getLeadId)
                        .containsExactly("a", "b", "a");
            }
        }
    }

    @Nested
    class OutOfOrder {

        @Test
        void withoutCapsAndDuplicatesArrivalOrderDoesNotChangeTheScore() {
            List<WebEvent> events = List.of(
                    pageView("o", "e1", day(0), "/pricing"),
                    pageView("o", "e2", day(3), "/blog/x"),
                    webEvent("o", "e3", day(9), "/demo", WebAction.FORM_SUBMIT),
                    pageView("o", "e4", day(12), "/pricing"));
            LeadScore inOrder;
            try (var t = new TopologyHarness(STREAM_RULES)) {
                events.forEach(t::send);
                inOrder = t.latestScores().get("o");
            }
            try (var t = new TopologyHarness(STREAM_RULES)) {
                for (int i = events.size() - 1; i >= 0; i--) {
                    t.send(events.get(i));
                }
                LeadScore reversed = t.latestScores().get("o");
                assertThat(reversed.getAsOf()).isEqualTo(day(12));
                assertThat(reversed.getEngagement()).isCloseTo(inOrder.getEngagement(), within(1e-9));
                // pricing 30 at day 0 and 12, blog 10 (no decay), demo 50 at day 9, half-life 14 days.
                double expected = 30 * Math.pow(2, -12 / 14.0) + 10 + 50 * Math.pow(2, -3 / 14.0) + 30;
                assertThat(reversed.getEngagement()).isCloseTo(expected, within(1e-9));
            }
        }
    }

    @Nested
    class Profiles {

        @Test
        void aProfileChangeAloneHandsTheLeadOverWithItsContactDetails() {
            try (var t = new TopologyHarness(STREAM_RULES)) {
                t.send(webEvent("p", "e1", day(0), "/demo", WebAction.FORM_SUBMIT));
                t.send(pageView("p", "e2", day(1), "/pricing"));
                assertThat(t.changes()).extracting(StageChange::getStage).containsExactly(Stage.MQL);

                // 50 + 30·2^(-1/14) ≈ 78.4; a VP of a 300-person company adds 40 of fit.
                t.send(profile("p", day(2)).setEmail("dana@buyer.example").setFirstName("Dana")
                        .setLastName("Berg").setCompany("Buyer AB").setJobTitle("VP Sales")
                        .setCompanySize(300).build());

                List<StageChange> changes = t.changes();
                assertThat(changes).hasSize(1);
                StageChange sql = changes.get(0);
                assertThat(sql.getPreviousStage()).isEqualTo(Stage.MQL);
                assertThat(sql.getStage()).isEqualTo(Stage.SQL);
                assertThat(sql.getAt()).isEqualTo(day(2));
                assertThat(sql.getFit()).isEqualTo(40.0);
                assertThat(sql.getFitGrade()).isEqualTo(FitGrade.A);
                assertThat(sql.getEngagement()).isCloseTo(50 * Math.pow(2, -2 / 14.0)
                        + 30 * Math.pow(2, -1 / 14.0), within(1e-9));
                assertThat(sql.getEmail()).isEqualTo("dana@buyer.example");
                assertThat(sql.getFirstName()).isEqualTo("Dana");
                assertThat(sql.getLastName()).isEqualTo("Berg");
                assertThat(sql.getCompany()).isEqualTo("Buyer AB");
                assertThat(sql.getReasons()).extracting(Reason::getRule).containsExactly(
                        "demo-request", "pricing-page", "decision-maker", "target-size");
                assertThat(t.handoffs.readValuesToList()).containsExactly(sql);
            }
        }

        @Test
        void aCompetitorNeverQualifiesWhateverItDoes() {
            try (var t = new TopologyHarness(STREAM_RULES)) {
                t.send(profile("rival", day(0)).setEmail("spy@Rival.example").setJobTitle("CEO")
                        .setCompanySize(900).build());
                // Everything a buyer does on the way to a handoff, and more: 320 points.
                for (int i = 0; i < 4; i++) {
                    t.send(webEvent("rival", "d" + i, day(i * 0.1), "/demo", WebAction.FORM_SUBMIT));
                    t.send(pageView("rival", "p" + i, day(i * 0.1 + 0.05), "/pricing"));
                }
                assertThat(t.changes()).isEmpty();
                assertThat(t.handoffs.isEmpty()).isTrue();
                LeadScore last = t.latestScores().get("rival");
                assertThat(last.getFit()).isEqualTo(-460.0);
                assertThat(last.getFitGrade()).isEqualTo(FitGrade.D);
                assertThat(last.getStage()).isEqualTo(Stage.NEW);
                assertThat(last.getActivity()).isEqualTo(Activity.ACTIVE);
            }
        }
    }

    @Nested
    class DeadLetters {

        @Test
        void unreadableAndInvalidRecordsGoToTheDeadLetterTopicWithTheirBytesAndReason() {
            try (var t = new TopologyHarness(STREAM_RULES)) {
                byte[] random = new byte[64];
                new Random(42).nextBytes(random);
                random[0] = 0x7b;
                byte[] key = "lead-x".getBytes(StandardCharsets.UTF_8);
                t.rawWeb.pipeInput(key, random, day(0));
                byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654).putInt(0).array();
                t.rawWeb.pipeInput(key, unknownId, day(0));
                byte[] truncated = {0, 0, 0};
                t.rawProfiles.pipeInput(key, truncated, day(0));
                t.send(pageView("", "e-empty-lead", day(0), "/pricing"));
                t.web.pipeInput("other-key", pageView("lead-x", "e-mismatch", day(0), "/pricing"), day(0));
                t.send(pageView("lead-x", "", day(0), "/pricing"));
                t.send(pageView("lead-x", "good", day(0), "/pricing")); // processing goes on

                List<TestRecord<byte[], byte[]>> dead = t.deadLetterRecords();
                assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHandler.HEADER_REASON))
                        .containsExactly("NO_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID", "TRUNCATED",
                                "INVALID_RECORD", "INVALID_RECORD", "INVALID_RECORD");
                assertThat(dead.get(0).value()).isEqualTo(random);
                assertThat(dead.get(0).key()).isEqualTo(key);
                assertThat(dead.get(1).value()).isEqualTo(unknownId);
                assertThat(dead.get(2).value()).isEqualTo(truncated);
                assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHandler.HEADER_TOPIC))
                        .containsExactly("leads.web-events", "leads.web-events", "leads.profiles",
                                "leads.web-events", "leads.web-events", "leads.web-events");
                assertThat(dead).allSatisfy(r -> {
                    assertThat(header(r.headers(), DeadLetterHandler.HEADER_PARTITION)).isEqualTo("0");
                    assertThat(header(r.headers(), DeadLetterHandler.HEADER_OFFSET)).matches("\\d+");
                    assertThat(header(r.headers(), DeadLetterHandler.HEADER_ERROR)).isNotBlank();
                });
                assertThat(header(dead.get(3).headers(), DeadLetterHandler.HEADER_ERROR)).contains("lead id");
                assertThat(header(dead.get(4).headers(), DeadLetterHandler.HEADER_ERROR)).contains("differs");
                assertThat(header(dead.get(5).headers(), DeadLetterHandler.HEADER_ERROR)).contains("eventId");

                assertThat(t.latestScores()).containsOnlyKeys("lead-x");
                assertThat(t.leadStates().get("lead-x").evaluationTime()).isEqualTo(day(0).toEpochMilli());
            }
        }

        @Test
        void anEventOrProfileBefore1970IsDeadLetteredNotSilentlyDropped() {
            try (var t = new TopologyHarness(STREAM_RULES)) {
                t.send(pageView("old", "e1", Instant.ofEpochMilli(-1_000), "/pricing"));
                t.send(profile("old", Instant.ofEpochMilli(-5)).build());

                List<TestRecord<byte[], byte[]>> dead = t.deadLetterRecords();
                assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHandler.HEADER_ERROR))
                        .allSatisfy(error -> assertThat(error).contains("before 1970"))
                        .hasSize(2);
                assertThat(t.latestScores()).isEmpty();
            }
        }

        private static String header(Headers headers, String name) {
            var h = headers.lastHeader(name);
            return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void everyProcessorAndStoreIsNamed() {
        try (var t = new TopologyHarness(STREAM_RULES)) {
            String description = t.topology.describe().toString();
            assertThat(description).doesNotContain("KSTREAM-", "KTABLE-");
            assertThat(description).contains(Names.SCORE_LEADS, Names.LEAD_STATE_STORE, Names.PROFILES_STORE,
                    Names.SEEN_EVENTS_STORE, Names.RULE_CAPS_STORE, Names.ACTIVITY_STORE);
        }
    }

    @Test
    void theHandoffIdIsStableAcrossReplays() {
        String first;
        try (var t = new TopologyHarness(EXAMPLE_1_RULES)) {
            t.send(webEvent("h", "e1", day(0), "/demo", WebAction.FORM_SUBMIT));
            t.send(downloadEvent("h", "e2", day(1), AssetType.EBOOK));
            first = t.handoffs.readValue().getHandoffId();
        }
        try (var t = new TopologyHarness(EXAMPLE_1_RULES)) {
            t.send(webEvent("h", "e1", day(0), "/demo", WebAction.FORM_SUBMIT));
            t.send(downloadEvent("h", "e2", day(1), AssetType.EBOOK));
            assertThat(t.handoffs.readValue().getHandoffId()).isEqualTo(first);
        }
    }
}
