package io.leadscoring.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

/** The cache and failure handling of the state-store size gauge's source. */
class StateStoreSizesTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Map<String, Long> sizes = new HashMap<>();
    private final AtomicLong measurements = new AtomicLong();

    private final StateStoreSizes storeSizes = new StateStoreSizes(store -> {
        measurements.incrementAndGet();
        Long size = sizes.get(store);
        if (size == null) {
            throw new IllegalStateException("store " + store + " is migrating");
        }
        return size;
    }, nanos::get, Duration.ofSeconds(10));

    @Test
    void measuresEveryStoreOnceAndServesThatUntilItIsTooOld() {
        StateStoreSizes.STORES.forEach(s -> sizes.put(s, 7L));
        sizes.put(Names.LEAD_STATE_STORE, 120L);
        assertThat(storeSizes.entries(Names.LEAD_STATE_STORE)).isEqualTo(120.0);
        assertThat(storeSizes.entries(Names.ACTIVITY_STORE)).isEqualTo(7.0);
        assertThat(measurements).hasValue(StateStoreSizes.STORES.size());

        sizes.put(Names.LEAD_STATE_STORE, 150L);
        nanos.addAndGet(Duration.ofSeconds(10).minusNanos(1).toNanos());
        assertThat(storeSizes.entries(Names.LEAD_STATE_STORE)).isEqualTo(120.0);
        nanos.addAndGet(1);
        assertThat(storeSizes.entries(Names.LEAD_STATE_STORE)).isEqualTo(150.0);
        assertThat(measurements).hasValue(2L * StateStoreSizes.STORES.size());
    }

    @Test
    void aStoreThatCannotBeMeasuredKeepsItsLastSizeAndIsNaNBeforeItHasOne() {
        sizes.put(Names.LEAD_STATE_STORE, 3L);
        assertThat(storeSizes.entries(Names.LEAD_STATE_STORE)).isEqualTo(3.0);
        assertThat(storeSizes.entries(Names.RULE_CAPS_STORE)).isNaN();

        sizes.remove(Names.LEAD_STATE_STORE); // a rebalance moves it
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(storeSizes.entries(Names.LEAD_STATE_STORE)).isEqualTo(3.0);
    }

    @Test
    void aRocksDbMetricNamesItsStoreInAStateIdTag() {
        MetricName keyValue = new MetricName("estimate-num-keys", "stream-state-metrics", "",
                Map.of("thread-id", "t-1", "task-id", "0_1", "rocksdb-state-id", "lead-state"));
        MetricName window = new MetricName("estimate-num-keys", "stream-state-metrics", "",
                Map.of("thread-id", "t-1", "task-id", "0_1", "rocksdb-window-state-id", "seen-events"));
        assertThat(StateStoreSizes.storeOf(keyValue)).isEqualTo("lead-state");
        assertThat(StateStoreSizes.storeOf(window)).isEqualTo("seen-events");
        assertThat(StateStoreSizes.storeOf(new MetricName("x", "g", "", Map.of("task-id", "0_1")))).isNull();
    }
}
