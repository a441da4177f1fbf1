package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.HOUR;
import static io.leadscoring.scoring.TestSupport.T0;
import static io.leadscoring.scoring.TestSupport.WEEK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The activity summary of {@link LeadState} (format version 2): it decides the activity label as the windows did,
 * a state of format version 1 goes on exactly as if it had always had one, and an on-time event reads no activity
 * week and at most two duplicate buckets however long the lead's history.
 */
class ActivitySummaryTest {

    static final RuleSet RULES = TestSupport.rules(RandomizedModelTest.RULES);

    /** Counts the reads of the windows it wraps. */
    static final class CountingWindows implements WindowedState {
        final InMemoryWindowedState inner = new InMemoryWindowedState();
        int weekReads;
        int duplicateChecks;
        long duplicateBuckets;

        @Override
        public Long previousOccurrence(String leadId, String eventId, long from, long to) {
            duplicateChecks++;
            // Week buckets, as StoreWindowedState looks them up.
            duplicateBuckets += Math.floorDiv(to, WEEK) - Math.floorDiv(from, WEEK) + 1;
            return inner.previousOccurrence(leadId, eventId, from, to);
        }

        @Override
        public void rememberEvent(String leadId, String eventId, long occurredAt) {
            inner.rememberEvent(leadId, eventId, occurredAt);
        }

        @Override
        public double capUsed(String leadId, String rule, long windowStart) {
            return inner.capUsed(leadId, rule, windowStart);
        }

        @Override
        public void setCapUsed(String leadId, String rule, long windowStart, double used) {
            inner.setCapUsed(leadId, rule, windowStart, used);
        }

        @Override
        public long[] activityWeek(String leadId, long weekStart) {
            weekReads++;
            return inner.activityWeek(leadId, weekStart);
        }

        @Override
        public void setActivityWeek(String leadId, long weekStart, long[] latestTimes) {
            inner.setActivityWeek(leadId, weekStart, latestTimes);
        }
    }

    /** Version 1 bytes of a state: version 2 without its 14-byte summary. */
    static byte[] asVersion1(LeadState state) {
        byte[] v2 = state.toBytes();
        assertThat(v2[0]).isEqualTo(LeadState.FORMAT_V2);
        byte[] v1 = Arrays.copyOf(v2, v2.length - 14);
        v1[0] = LeadState.FORMAT_V1;
        return v1;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theSummaryDecidesActivityAsTheWindowsDoAndAVersion1StateGoesOnAlike(long seed) {
        Random rnd = new Random(seed);
        Scorer scorer = new Scorer(RULES);
        InMemoryWindowedState windows = new InMemoryWindowedState();
        InMemoryWindowedState legacyWindows = new InMemoryWindowedState();
        LeadState state = LeadState.empty("l");
        LeadState legacy = LeadState.empty("l");
        long clock = T0;
        for (int step = 0; step < 300; step++) {
            clock += (long) (rnd.nextDouble() * 20 * HOUR);
            if (rnd.nextInt(20) == 0) {
                clock += (long) (rnd.nextDouble() * 60 * DAY);
            }
            if (step > 0 && rnd.nextInt(15) == 0) {
                // As if the state had been written by the previous version: it has no summary until the next record.
                legacy = LeadState.fromBytes(asVersion1(legacy));
                assertThat(legacy.summarized()).isFalse();
                assertThat(LeadState.fromBytes(legacy.toBytes()).toBytes()).isEqualTo(legacy.toBytes());
            }
            Evaluation a;
            Evaluation b;
            if (rnd.nextInt(10) == 0) {
                MapProfileView p = MapProfileView.builder("l", clock - (long) (rnd.nextDouble() * 3 * DAY)).build();
                a = scorer.onProfile(state, p, windows);
                b = scorer.onProfile(legacy, p, legacyWindows);
            } else {
                long t = rnd.nextInt(4) == 0 ? clock - (long) (rnd.nextDouble() * 30 * DAY) : clock;
                String id = "e" + (rnd.nextInt(8) == 0 ? rnd.nextInt(Math.max(1, step)) : step);
                ScoringEvent e = RandomizedModelTest.randomEvent(rnd, "l", id, t);
                a = scorer.onEvent(state, e, null, windows);
                b = scorer.onEvent(legacy, e, null, legacyWindows);
            }
            assertThat(b).isEqualTo(a);
            if (legacy.summarized()) {
                assertThat(legacy).isEqualTo(state);
            } else { // a duplicate changes nothing, not even a version-1 state
                assertThat(a).isNull();
                assertThat(legacy.decayedSums()).isEqualTo(state.decayedSums());
                assertThat(legacy.evaluationTime()).isEqualTo(state.evaluationTime());
            }
            if (a != null && state.hasRecords()) {
                long T = state.evaluationTime();
                assertThat(Scorer.activity(state, T, windows)).isEqualTo(Scorer.activity("l", T, windows));
                for (long later : new long[] {T + DAY, T + 6 * DAY, T + 3 * WEEK, T + 11 * WEEK, T + 13 * WEEK}) {
                    assertThat(Scorer.activity(state, later, windows))
                            .as("at T + %d h", (later - T) / HOUR)
                            .isEqualTo(Scorer.activity("l", later, windows));
                }
            }
        }
    }

    @Test
    void anOnTimeEventReadsNoActivityWeekAndTwoDuplicateBucketsAtMostWhateverTheHistory() {
        Scorer scorer = new Scorer(RULES);
        CountingWindows windows = new CountingWindows();
        LeadState state = LeadState.empty("l");
        MapScoringEvent first = MapScoringEvent.web("l", "e0", T0, "https://x/blog/a", "PAGE_VIEW");
        scorer.onEvent(state, first, null, windows);
        assertThat(windows.duplicateChecks).as("a lead's first event has nothing to be a duplicate of").isZero();
        for (int i = 1; i <= 2000; i++) {
            long t = T0 + i * 2 * HOUR; // about 24 weeks of history
            int reads = windows.weekReads;
            long buckets = windows.duplicateBuckets;
            Evaluation e = scorer.onEvent(state, MapScoringEvent.web("l", "e" + i, t, "https://x/blog/a", "PAGE_VIEW"),
                    null, windows);
            if (i >= 2) {
                assertThat(e.activity()).isEqualTo(Activity.ACTIVE);
            }
            assertThat(windows.weekReads - reads).isZero();
            assertThat(windows.duplicateBuckets - buckets).isLessThanOrEqualTo(2);
        }
        assertThat(LeadState.fromBytes(state.toBytes())).isEqualTo(state);
        // The windows still hold every week's latest times (the previous version's format, and queries).
        assertThat(windows.inner.activityWeek("l", Scorer.weekStart(T0 + 2000 * 2 * HOUR))).hasSize(3);
    }

    @Test
    void aVersion1StateIsRebuiltFromItsWeeksOnceThenWrittenAsVersion2() {
        Scorer scorer = new Scorer(RULES);
        CountingWindows windows = new CountingWindows();
        LeadState state = LeadState.empty("l");
        for (int i = 0; i < 5; i++) { // weeks 0, 2, 4, 6, 8
            scorer.onEvent(state, MapScoringEvent.web("l", "e" + i, T0 + 2 * i * WEEK, "https://x/", "CLICK"), null,
                    windows);
        }
        LeadState legacy = LeadState.fromBytes(asVersion1(state));
        assertThat(legacy.toBytes()[0]).isEqualTo(LeadState.FORMAT_V1);
        int reads = windows.weekReads;
        Evaluation e = scorer.onEvent(legacy,
                MapScoringEvent.web("l", "e5", T0 + 8 * WEEK + DAY, "https://x/", "CLICK"), null, windows);
        assertThat(windows.weekReads - reads).isEqualTo(12); // the rebuild: the 12 weeks up to T's week
        assertThat(e.activity()).isEqualTo(Activity.LATENT); // 5 of the weeks W−11..W hold an event; 2 in 7 days
        assertThat(legacy.toBytes()[0]).isEqualTo(LeadState.FORMAT_V2);
        reads = windows.weekReads;
        scorer.onEvent(legacy, MapScoringEvent.web("l", "e6", T0 + 8 * WEEK + 2 * DAY, "https://x/", "CLICK"), null,
                windows);
        assertThat(windows.weekReads - reads).isZero();
        assertThat(legacy).isEqualTo(alwaysVersion2(scorer));
    }

    private static LeadState alwaysVersion2(Scorer scorer) {
        InMemoryWindowedState fresh = new InMemoryWindowedState();
        LeadState s = LeadState.empty("l");
        for (int i = 0; i < 5; i++) {
            scorer.onEvent(s, MapScoringEvent.web("l", "e" + i, T0 + 2 * i * WEEK, "https://x/", "CLICK"), null, fresh);
        }
        scorer.onEvent(s, MapScoringEvent.web("l", "e5", T0 + 8 * WEEK + DAY, "https://x/", "CLICK"), null, fresh);
        scorer.onEvent(s, MapScoringEvent.web("l", "e6", T0 + 8 * WEEK + 2 * DAY, "https://x/", "CLICK"), null, fresh);
        return s;
    }

    @Test
    void aCorruptSummaryIsRefused() {
        Scorer scorer = new Scorer(RULES);
        LeadState state = LeadState.empty("l");
        InMemoryWindowedState windows = new InMemoryWindowedState();
        scorer.onEvent(state, MapScoringEvent.web("l", "a", T0, "https://x/", "CLICK"), null, windows);
        scorer.onEvent(state, MapScoringEvent.web("l", "b", T0 + HOUR, "https://x/", "CLICK"), null, windows);
        byte[] good = state.toBytes();
        int summary = good.length - 14;

        byte[] badMask = good.clone();
        badMask[summary] = (byte) 0x10; // bit 12: beyond the 12 weeks
        assertThatThrownBy(() -> LeadState.fromBytes(badMask)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mask");

        byte[] gap = good.clone(); // first time absent, second present
        Arrays.fill(gap, summary + 2, summary + 6, (byte) 0xFF);
        assertThatThrownBy(() -> LeadState.fromBytes(gap)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("summary");

        byte[] tooOld = good.clone(); // older than the horizon
        tooOld[summary + 2] = (byte) 0xF0;
        assertThatThrownBy(() -> LeadState.fromBytes(tooOld)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("summary");

        assertThatThrownBy(() -> LeadState.fromBytes(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
