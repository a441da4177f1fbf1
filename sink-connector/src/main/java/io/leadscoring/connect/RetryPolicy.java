package io.leadscoring.connect;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter, bounded by a number of retries and a total time limit.
 *
 * <p>Retry {@code n} (0-based) waits {@code random() * min(maxBackoff, base * 2^n)} with {@code random()} in
 * [0, 1) — "full jitter" — or the server's Retry-After when that is longer. No retry is attempted once
 * {@code maxRetries} retries have been made, nor when its wait would end after {@code firstFailure + timeout}.
 * Stateless: the caller keeps the retry count and the time of the first failure.
 */
public final class RetryPolicy {

    /** Retry after {@code delay}, or give up for {@code reason}. */
    public sealed interface Decision permits Retry, GiveUp {
    }

    public record Retry(Duration delay) implements Decision {
    }

    public record GiveUp(String reason) implements Decision {
    }

    private final int maxRetries;
    private final Duration baseBackoff;
    private final Duration maxBackoff;
    private final Duration timeout;
    private final DoubleSupplier random;
    private final Clock clock;

    public RetryPolicy(int maxRetries, Duration baseBackoff, Duration maxBackoff, Duration timeout) {
        this(maxRetries, baseBackoff, maxBackoff, timeout, new SecureRandom()::nextDouble, Clock.systemUTC());
    }

    /** For tests: {@code random} must return values in [0, 1). */
    public RetryPolicy(int maxRetries, Duration baseBackoff, Duration maxBackoff, Duration timeout,
            DoubleSupplier random, Clock clock) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0");
        }
        if (baseBackoff.isNegative() || baseBackoff.isZero() || maxBackoff.compareTo(baseBackoff) < 0) {
            throw new IllegalArgumentException("need 0 < baseBackoff <= maxBackoff");
        }
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be >= 0");
        }
        this.maxRetries = maxRetries;
        this.baseBackoff = baseBackoff;
        this.maxBackoff = maxBackoff;
        this.timeout = timeout;
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Clock clock() {
        return clock;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** The cap of retry {@code attempt}'s wait: {@code min(maxBackoff, base * 2^attempt)}. */
    public Duration ceiling(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0");
        }
        long base = baseBackoff.toMillis();
        long max = maxBackoff.toMillis();
        // base * 2^attempt without overflow
        if (attempt >= 62 || base > (max >> Math.min(attempt, 62))) {
            return maxBackoff;
        }
        return Duration.ofMillis(Math.min(max, base << attempt));
    }

    /** A jittered wait for retry {@code attempt}, in [0, ceiling(attempt)). */
    public Duration backoff(int attempt) {
        double r = random.getAsDouble();
        if (!(r >= 0.0 && r < 1.0)) {
            throw new IllegalStateException("random must be in [0, 1) but was " + r);
        }
        return Duration.ofMillis((long) (r * ceiling(attempt).toMillis()));
    }

    /**
     * Whether to retry after {@code retriesSoFar} retries of a record that first failed at {@code firstFailure},
     * given the server's Retry-After if any.
     */
    public Decision decide(int retriesSoFar, Instant firstFailure, Optional<Duration> retryAfter) {
        if (retriesSoFar >= maxRetries) {
            return new GiveUp("gave up after " + retriesSoFar + " retries (max.retries=" + maxRetries + ")");
        }
        Duration delay = backoff(retriesSoFar);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            delay = retryAfter.get();
        }
        Instant deadline = firstFailure.plus(timeout);
        if (clock.instant().plus(delay).isAfter(deadline)) {
            return new GiveUp("retry time limit of " + timeout.toMillis() + " ms since the first failure at "
                    + firstFailure + " would be exceeded (next wait " + delay.toMillis() + " ms)");
        }
        return new Retry(delay);
    }
}
