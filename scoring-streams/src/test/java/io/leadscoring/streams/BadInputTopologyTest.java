package io.leadscoring.streams;

import static io.leadscoring.streams.ScoringTopologyTest.STREAM_RULES;
import static io.leadscoring.streams.TopologyHarness.T0;
import static io.leadscoring.streams.TopologyHarness.day;
import static io.leadscoring.streams.TopologyHarness.pageView;
import static org.assertj.core.api.Assertions.assertThat;

import io.leadscoring.events.LeadScore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Input that must not crash, stall or poison the pipeline: absurd event times, multi-megabyte ids, dead letters
 * that would be larger than the producer takes. The broker-level counterpart is {@code BadInputIT}.
 */
class BadInputTopologyTest {

    /** 2200-01-01: far past the wall clock (the driver's clock is {@link TopologyHarness#T0}, 2026). */
    private static final Instant YEAR_2200 = Instant.parse("2200-01-01T00:00:00Z");

    @Test
    void anEventFarInTheFutureIsDeadLetteredAndDoesNotBlindTheWindowsOfItsPartition() {
        try (var t = new TopologyHarness(STREAM_RULES)) {
            t.send(pageView("future", "f-1", YEAR_2200, "/pricing"));
            // Another lead of the same partition (the driver has one): a re-sent id is still a duplicate, and the
            // blog cap (30 a day at 10 each) still holds. Had the 2200 event reached the window stores, their
            // stream time would be 2200 and every current write would be dropped as expired.
            t.send(pageView("now", "n-1", day(0.1), "/pricing"));
            t.send(pageView("now", "n-1", day(0.2), "/pricing"));
            for (int i = 0; i < 5; i++) {
                t.send(pageView("now", "blog-" + i, day(0.3 + i * 0.01), "/blog/" + i));
            }

            List<LeadScore> scores = t.scores.readValuesToList();
            assertThat(scores).extracting(LeadScore::getLeadId).as("the duplicate scores nothing").hasSize(6)
                    .containsOnly("now");
            assertThat(scores.get(scores.size() - 1).getReasons())
                    .filteredOn(r -> r.getRule().equals("blog-read")).singleElement()
                    .satisfies(r -> assertThat(r.getPoints()).as("the blog cap, 30 a day").isEqualTo(30.0));
            List<TestRecord<byte[], byte[]>> dead = t.deadLetterRecords();
            assertThat(dead).singleElement().satisfies(r -> {
                assertThat(header(r.headers(), DeadLetterHandler.HEADER_REASON))
                        .isEqualTo(DeadLetterHandler.REASON_INVALID_RECORD);
                assertThat(header(r.headers(), DeadLetterHandler.HEADER_ERROR)).contains("2200-01-01")
                        .contains("ahead of the clock");
            });
            assertThat(t.leadStates().get("future")).as("no state for the dead-lettered lead").isNull();
        }
    }

    @Test
    void anEventWithinTheHorizonAheadOfTheClockIsScoredAndEpochZeroIsAValidTime() {
        try (var t = new TopologyHarness(STREAM_RULES, Duration.ofDays(30))) {
            t.send(pageView("ahead", "a-1", T0.plus(Duration.ofDays(29)), "/pricing"));
            t.send(pageView("epoch", "e-1", Instant.EPOCH, "/pricing"));

            assertThat(t.latestScores()).containsOnlyKeys("ahead", "epoch");
            assertThat(t.deadLetterRecords()).isEmpty();
        }
    }

    @Test
    void multiMegabyteIdsAreDeadLetteredWithAShortErrorNotWrittenToStoresOrOutputs() {
        String huge = "x".repeat(3 * 1024 * 1024);
        Properties bigRequests = new Properties();
        bigRequests.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(16 * 1024 * 1024));
        try (var t = new TopologyHarness(STREAM_RULES, Duration.ofDays(30), ScoringMetrics.NONE, bigRequests)) {
            t.send(pageView("lead-1", huge, day(0), "/pricing"));
            t.send(pageView(huge, "e-1", day(0), "/pricing"));
            t.web.pipeInput("lead-1", pageView(huge + "y", "e-2", day(0), "/pricing"), day(0));
            String maxId = "i".repeat(ScoreProcessor.MAX_ID_LENGTH);
            t.send(pageView("lead-1", maxId, day(0.5), "/pricing")); // the longest id that is fine
            // A huge url is no id: it is scored (no output or store holds it).
            t.send(pageView("lead-1", "e-url", day(0.6), "/pricing?q=" + huge));

            List<TestRecord<byte[], byte[]>> dead = t.deadLetterRecords();
            assertThat(dead).hasSize(3).allSatisfy(r -> {
                assertThat(header(r.headers(), DeadLetterHandler.HEADER_REASON))
                        .isEqualTo(DeadLetterHandler.REASON_INVALID_RECORD);
                assertThat(header(r.headers(), DeadLetterHandler.HEADER_ERROR)).hasSizeLessThan(1100);
                assertThat(r.value()).as("the original bytes, since the producer takes 16 MiB").isNotNull();
            });
            assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHandler.HEADER_ERROR))
                    .anySatisfy(e -> assertThat(e).startsWith("eventId is 3145728 characters long"))
                    .anySatisfy(e -> assertThat(e).startsWith("the lead id is 3145728 characters long"))
                    .anySatisfy(e -> assertThat(e).startsWith("the lead id is 3145729 characters long"));
            assertThat(t.latestScores()).containsOnlyKeys("lead-1");
            assertThat(t.leadStates().get(huge)).isNull();
        }
    }

    @Test
    void aProfileWithMegabytesOfTextIsDeadLetteredAndTheLeadKeepsItsProfile() {
        Properties bigRequests = new Properties();
        bigRequests.put(StreamsConfig.producerPrefix("max.request.size"), Integer.toString(16 * 1024 * 1024));
        try (var t = new TopologyHarness(STREAM_RULES, Duration.ofDays(30), ScoringMetrics.NONE, bigRequests)) {
            t.send(TopologyHarness.profile("lead-1", day(0)).setJobTitle("CEO").build());
            t.send(TopologyHarness.profile("lead-1", day(0.1)).setJobTitle("CEO")
                    .setCompany("c".repeat(3 * 1024 * 1024)).build());
            var attributes = new java.util.LinkedHashMap<String, String>();
            attributes.put("notes", "n".repeat(ScoreProcessor.MAX_PROFILE_CHARS));
            t.send(TopologyHarness.profile("lead-1", day(0.2)).setJobTitle("CEO").setAttributes(attributes).build());
            t.send(pageView("lead-1", "e-1", day(0.3), "/pricing"));

            assertThat(t.deadLetterRecords()).hasSize(2).allSatisfy(r -> assertThat(header(r.headers(),
                    DeadLetterHandler.HEADER_ERROR)).contains("characters of text, more than 100000"));
            assertThat(t.latestScores().get("lead-1").getFit()).as("the first profile's decision-maker")
                    .isEqualTo(25.0);
        }
    }

    @Test
    void aDeadLetterLargerThanTheProducerTakesKeepsItsHeadersAndLeavesOutKeyAndValue() {
        Properties smallRequests = new Properties();
        smallRequests.put(StreamsConfig.producerPrefix("max.request.size"), "20000");
        try (var t = new TopologyHarness(STREAM_RULES, Duration.ofDays(30), ScoringMetrics.NONE, smallRequests)) {
            byte[] bigNoise = new byte[30_000];
            bigNoise[0] = 0x7f;
            byte[] key = "lead-1".getBytes(StandardCharsets.UTF_8);
            t.rawWeb.pipeInput(key, bigNoise, day(0));
            byte[] smallNoise = {0x7f, 1, 2};
            t.rawWeb.pipeInput(key, smallNoise, day(0));
            t.send(pageView("lead-1", "ok", day(0), "/pricing"));

            List<TestRecord<byte[], byte[]>> dead = t.deadLetterRecords();
            assertThat(dead).hasSize(2);
            TestRecord<byte[], byte[]> big = dead.get(0);
            assertThat(header(big.headers(), DeadLetterHandler.HEADER_REASON)).isEqualTo("NO_MAGIC_BYTE");
            assertThat(header(big.headers(), DeadLetterHandler.HEADER_OFFSET)).isEqualTo("0");
            assertThat(header(big.headers(), DeadLetterHandler.HEADER_OMITTED))
                    .contains("value of 30000 bytes").contains("max.request.size=20000");
            assertThat(big.value()).isNull();
            assertThat(big.key()).isNull();
            assertThat(dead.get(1).value()).isEqualTo(smallNoise);
            assertThat(dead.get(1).headers().lastHeader(DeadLetterHandler.HEADER_OMITTED)).isNull();
            assertThat(t.latestScores()).containsOnlyKeys("lead-1");
        }
    }

    @Test
    void aTombstoneOnAnEventTopicIsDeadLetteredNotACrash() {
        try (var t = new TopologyHarness(STREAM_RULES)) {
            t.web.pipeInput("lead-1", null, day(0));
            t.email.pipeInput("lead-1", null, day(0));
            t.download.pipeInput("lead-1", null, day(0));
            t.send(pageView("lead-1", "ok", day(0), "/pricing"));

            assertThat(t.deadLetterRecords()).hasSize(3).allSatisfy(r -> {
                assertThat(header(r.headers(), DeadLetterHandler.HEADER_REASON))
                        .isEqualTo(DeadLetterHandler.REASON_INVALID_RECORD);
                assertThat(header(r.headers(), DeadLetterHandler.HEADER_ERROR)).contains("no value");
                assertThat(r.value()).isNull();
            });
            assertThat(t.latestScores()).containsOnlyKeys("lead-1");
        }
    }

    @Test
    void theErrorHeaderOfAHugeMismatchIsShortened() {
        String huge = "k".repeat(5000);
        assertThat(DeadLetterHandler.shorten("key '" + huge + "'")).hasSize(DeadLetterHandler.MAX_ERROR_LENGTH
                + "... (5006 characters)".length()).endsWith("... (5006 characters)");
        assertThat(DeadLetterHandler.shorten("short")).isEqualTo("short");
    }

    private static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
