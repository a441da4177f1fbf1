package io.leadscoring.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryWindowedStateTest {

    @Test
    void previousOccurrenceLooksInTheClosedRange() {
        InMemoryWindowedState w = new InMemoryWindowedState();
        w.rememberEvent("l", "e", 100);
        assertThat(w.previousOccurrence("l", "e", 100, 100)).isEqualTo(100L);
        assertThat(w.previousOccurrence("l", "e", 0, 99)).isNull();
        assertThat(w.previousOccurrence("l", "e", 101, 200)).isNull();
        assertThat(w.previousOccurrence("l", "other", 0, 200)).isNull();
        assertThat(w.previousOccurrence("m", "e", 0, 200)).isNull();
        w.rememberEvent("l", "e", 300);
        assertThat(w.previousOccurrence("l", "e", 150, 400)).isEqualTo(300L);
    }

    @Test
    void capsDefaultToZeroAndAreKeptPerLeadRuleAndWindow() {
        InMemoryWindowedState w = new InMemoryWindowedState();
        assertThat(w.capUsed("l", "r", 0)).isZero();
        w.setCapUsed("l", "r", 0, 12.5);
        assertThat(w.capUsed("l", "r", 0)).isEqualTo(12.5);
        assertThat(w.capUsed("l", "r", 86_400_000)).isZero();
        assertThat(w.capUsed("l", "s", 0)).isZero();
        assertThat(w.capUsed("m", "r", 0)).isZero();
    }

    @Test
    void activityWeeksAreCopiedOnWrite() {
        InMemoryWindowedState w = new InMemoryWindowedState();
        assertThat(w.activityWeek("l", 0)).isNull();
        long[] times = {3, 2, 1};
        w.setActivityWeek("l", 0, times);
        times[0] = 99;
        assertThat(w.activityWeek("l", 0)).containsExactly(3, 2, 1);
        assertThat(w.size()).isEqualTo(1);
    }

    @Test
    void insertLatestKeepsTheThreeLargestLargestFirst() {
        assertThat(Scorer.insertLatest(null, 5)).containsExactly(5);
        assertThat(Scorer.insertLatest(new long[] {5}, 7)).containsExactly(7, 5);
        assertThat(Scorer.insertLatest(new long[] {7, 5}, 6)).containsExactly(7, 6, 5);
        assertThat(Scorer.insertLatest(new long[] {7, 6, 5}, 8)).containsExactly(8, 7, 6);
        assertThat(Scorer.insertLatest(new long[] {7, 6, 5}, 5)).containsExactly(7, 6, 5);
        assertThat(Scorer.insertLatest(new long[] {7, 6, 5}, 6)).containsExactly(7, 6, 6);
        // a store that hands back an unsorted array is tolerated
        assertThat(Scorer.insertLatest(new long[] {5, 7, 6}, 1)).containsExactly(7, 6, 5);
    }
}
