package io.leadscoring.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Rate pacing on a clock the test moves: no sleeping. */
class PacerTest {

    private static final long MS = 1_000_000L;
    private static final long SECOND = 1000 * MS;

    @Test
    void theFirstRecordIsDueAtOnceThenOneEveryIntervalOfTheRate() {
        Pacer pacer = new Pacer(50, 0);
        assertThat(pacer.due(0)).isEqualTo(1);
        pacer.sent(1);
        assertThat(pacer.due(0)).isZero();
        assertThat(pacer.nanosUntilNext(0)).isEqualTo(20 * MS);
        assertThat(pacer.due(19 * MS)).isZero();
        assertThat(pacer.due(20 * MS)).isEqualTo(1);
    }

    @Test
    void sendsTheRateEverySecondWhenPolledIrregularly() {
        Pacer pacer = new Pacer(50, 0);
        long sent = 0;
        long[] polls = {0, 3 * MS, 70 * MS, 71 * MS, 400 * MS, 401 * MS, 999 * MS};
        for (long now : polls) {
            int due = pacer.due(now);
            pacer.sent(due);
            sent += due;
        }
        assertThat(sent).isEqualTo(50); // records 0..49, due at 0, 20, ..., 980 ms
        for (long now = SECOND; now < 10 * SECOND; now += 7 * MS) {
            int due = pacer.due(now);
            pacer.sent(due);
            sent += due;
        }
        assertThat(sent).isBetween(499L, 500L);
    }

    @Test
    void aSlowRateWaitsSecondsBetweenRecords() {
        Pacer pacer = new Pacer(0.5, 10 * SECOND);
        assertThat(pacer.due(10 * SECOND)).isEqualTo(1);
        pacer.sent(1);
        assertThat(pacer.nanosUntilNext(10 * SECOND)).isEqualTo(2 * SECOND);
        assertThat(pacer.due(11 * SECOND)).isZero();
        assertThat(pacer.due(12 * SECOND)).isEqualTo(1);
    }

    @Test
    void aPublisherFarBehindDropsTheBacklogInsteadOfBursting() {
        Pacer pacer = new Pacer(50, 0);
        pacer.sent(pacer.due(0));
        int afterPause = pacer.due(5 * SECOND); // a five-second pause: 250 records behind
        assertThat(afterPause).isEqualTo(1);
        pacer.sent(afterPause);
        assertThat(pacer.nanosUntilNext(5 * SECOND)).isEqualTo(20 * MS);
        assertThat(pacer.due(6 * SECOND)).isBetween(49, 50);
    }

    @Test
    void aSmallDelayIsCaughtUp() {
        Pacer pacer = new Pacer(50, 0);
        pacer.sent(pacer.due(0));
        assertThat(pacer.due(500 * MS)).isEqualTo(25);
    }

    @Test
    void refusesARateThatIsNotPositive() {
        assertThatThrownBy(() -> new Pacer(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Pacer(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
