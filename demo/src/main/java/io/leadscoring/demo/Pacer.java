package io.leadscoring.demo;

/**
 * Spreads records evenly at a rate, on a clock passed in (so tests need no sleeping): record {@code k} is due
 * {@code k / rate} seconds after the start. A publisher that falls behind by more than a second's worth drops the
 * backlog instead of bursting to catch up.
 */
final class Pacer {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double ratePerSecond;
    private final long maxOwed;
    private long baseNanos;
    private long sentSinceBase;

    Pacer(double ratePerSecond, long startNanos) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("rate must be positive, was " + ratePerSecond);
        }
        this.ratePerSecond = ratePerSecond;
        this.maxOwed = Math.max(1, (long) Math.ceil(ratePerSecond));
        this.baseNanos = startNanos;
    }

    /** How many records are due at {@code nowNanos}; report what was actually sent with {@link #sent(int)}. */
    int due(long nowNanos) {
        long owed = dueSinceBase(nowNanos) - sentSinceBase;
        if (owed > maxOwed) {
            // More than a second behind (a GC pause, a slow broker): restart the schedule from now.
            baseNanos = nowNanos;
            sentSinceBase = 0;
            owed = 1;
        }
        return (int) Math.max(0, owed);
    }

    void sent(int count) {
        sentSinceBase += count;
    }

    /** Nanoseconds from {@code nowNanos} until the next record is due; 0 when one is due already. */
    long nanosUntilNext(long nowNanos) {
        long nextAt = baseNanos + (long) Math.ceil(sentSinceBase * NANOS_PER_SECOND / ratePerSecond);
        return Math.max(0, nextAt - nowNanos);
    }

    private long dueSinceBase(long nowNanos) {
        if (nowNanos < baseNanos) {
            return 0;
        }
        return (long) Math.floor((nowNanos - baseNanos) * ratePerSecond / NANOS_PER_SECOND) + 1;
    }
}
