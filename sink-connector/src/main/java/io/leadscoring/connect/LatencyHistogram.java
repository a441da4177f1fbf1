package io.leadscoring.connect;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A latency histogram in Prometheus' shape: cumulative counts per upper bound (a request of 0.3 s counts in every
 * bucket from {@code le=0.5} up), plus the sum and the count. Kafka's metrics have percentile stats, but they are
 * computed per worker over a sample window and cannot be aggregated across tasks or workers; cumulative buckets can
 * ({@code histogram_quantile} over {@code sum by (le) (rate(...))}). Thread-safe; each value is monotonic.
 */
public final class LatencyHistogram {

    /** Upper bounds in seconds: from a fast webhook to a CRM at its request timeout. */
    public static final List<Double> BOUNDS = List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            30.0);

    private final LongAdder[] buckets = new LongAdder[BOUNDS.size()];
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sumSeconds = new DoubleAdder();

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    public void record(Duration latency) {
        double seconds = Math.max(0, latency.toNanos() / 1e9);
        for (int i = buckets.length - 1; i >= 0 && seconds <= BOUNDS.get(i); i--) {
            buckets[i].increment();
        }
        sumSeconds.add(seconds);
        count.increment();
    }

    /** Requests that took at most {@code BOUNDS.get(index)} seconds. */
    public long cumulativeCount(int index) {
        return buckets[index].sum();
    }

    /** All requests: the {@code +Inf} bucket. */
    public long count() {
        return count.sum();
    }

    public double sumSeconds() {
        return sumSeconds.sum();
    }

    /** A bound as the {@code le} label: Prometheus' float text ({@code 0.005}, {@code 1.0}). */
    public static String label(double bound) {
        return Double.toString(bound);
    }
}
