package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static RetryPolicy policy(double random, Instant now) {
        return new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10),
                () -> random, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void ceilingDoublesUpToMax() {
        RetryPolicy p = policy(0.5, T0);
        assertThat(p.ceiling(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.ceiling(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.ceiling(4)).isEqualTo(Duration.ofMillis(1600));
        assertThat(p.ceiling(5)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.ceiling(63)).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void fullJitterScalesTheCeiling() {
        assertThat(policy(0.0, T0).backoff(3)).isEqualTo(Duration.ZERO);
        assertThat(policy(0.5, T0).backoff(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy(0.999, T0).backoff(10)).isEqualTo(Duration.ofMillis(1998));
    }

    @Test
    void backoffStaysWithinBoundsForRealRandom() {
        Random r = new Random(42);
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10),
                r::nextDouble, Clock.fixed(T0, ZoneOffset.UTC));
        for (int attempt = 0; attempt < 20; attempt++) {
            for (int i = 0; i < 100; i++) {
                assertThat(p.backoff(attempt)).isBetween(Duration.ZERO, p.ceiling(attempt).minusMillis(1));
            }
        }
    }

    @Test
    void retriesUntilMaxRetries() {
        RetryPolicy p = policy(0.5, T0);
        assertThat(p.decide(0, T0, Optional.empty())).isEqualTo(new RetryPolicy.Retry(Duration.ofMillis(50)));
        assertThat(p.decide(4, T0, Optional.empty())).isEqualTo(new RetryPolicy.Retry(Duration.ofMillis(800)));
        assertThat(p.decide(5, T0, Optional.empty())).isInstanceOf(RetryPolicy.GiveUp.class)
                .extracting(d -> ((RetryPolicy.GiveUp) d).reason()).asString().contains("max.retries=5");
    }

    @Test
    void retryAfterWinsWhenLonger() {
        RetryPolicy p = policy(0.5, T0);
        assertThat(p.decide(0, T0, Optional.of(Duration.ofSeconds(3))))
                .isEqualTo(new RetryPolicy.Retry(Duration.ofSeconds(3)));
        assertThat(p.decide(0, T0, Optional.of(Duration.ofMillis(1))))
                .isEqualTo(new RetryPolicy.Retry(Duration.ofMillis(50)));
    }

    @Test
    void givesUpWhenTheWaitWouldPassTheTimeLimit() {
        // first failure at T0, limit 10 s; now is T0 + 9.9 s and the wait is 200 ms
        RetryPolicy p = policy(0.5, T0.plusMillis(9_900));
        assertThat(p.decide(2, T0, Optional.empty())).isInstanceOf(RetryPolicy.GiveUp.class)
                .extracting(d -> ((RetryPolicy.GiveUp) d).reason()).asString().contains("time limit");
        // a long Retry-After alone exceeds the limit
        assertThat(policy(0.5, T0).decide(0, T0, Optional.of(Duration.ofSeconds(11))))
                .isInstanceOf(RetryPolicy.GiveUp.class);
        // exactly at the deadline is still allowed
        assertThat(policy(0.5, T0.plusMillis(9_800)).decide(2, T0, Optional.empty()))
                .isEqualTo(new RetryPolicy.Retry(Duration.ofMillis(200)));
    }

    @Test
    void zeroRetriesNeverRetries() {
        RetryPolicy p = new RetryPolicy(0, Duration.ofMillis(100), Duration.ofMillis(100), Duration.ofSeconds(10),
                () -> 0.5, Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(p.decide(0, T0, Optional.empty())).isInstanceOf(RetryPolicy.GiveUp.class);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> policy(1.0, T0).backoff(0)).isInstanceOf(IllegalStateException.class);
    }
}
