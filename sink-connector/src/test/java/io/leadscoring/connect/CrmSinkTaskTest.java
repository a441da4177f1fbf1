package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;

/** CrmSinkTask with a scripted fake CRM client, a fake SinkTaskContext and a manual clock. */
class CrmSinkTaskTest {

    static final String TOPIC = "leads.sql-handoffs";
    static final String SECRET = "whsec-super-secret-value";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    // ---- fakes ----

    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-03-01T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Answers each deliver call with the next scripted outcome list (by handoff), else all delivered. */
    static final class FakeCrmClient implements CrmClient {
        final Deque<Map<String, Outcome>> script = new ArrayDeque<>();
        final List<List<String>> calls = new ArrayList<>();
        boolean closed;

        FakeCrmClient then(Map<String, Outcome> outcomesByHandoffId) {
            script.add(outcomesByHandoffId);
            return this;
        }

        @Override
        public DeliveryResult deliver(List<Handoff> batch) {
            calls.add(batch.stream().map(Handoff::handoffId).toList());
            Map<String, Outcome> scripted = script.isEmpty() ? Map.of() : script.poll();
            return new DeliveryResult(batch.stream()
                    .map(h -> new DeliveryResult.RecordOutcome(h, scripted.getOrDefault(h.handoffId(), Outcome.delivered())))
                    .toList());
        }

        @Override
        public void close() {
            closed = true;
        }

        List<String> delivered() {
            return calls.stream().flatMap(List::stream).toList();
        }
    }

    record Reported(SinkRecord record, Throwable error) {
    }

    static final class FakeContext implements SinkTaskContext {
        final List<Long> timeouts = new ArrayList<>();
        final List<Reported> reported = new ArrayList<>();
        final boolean withReporter;
        final Set<TopicPartition> assignment = new HashSet<>(Set.of(P0, P1));
        /** The worker's registry with the task's plugin metrics, as Connect sets them up. */
        final Metrics metrics = new Metrics();
        final PluginMetricsImpl pluginMetrics = new PluginMetricsImpl(metrics,
                new LinkedHashMap<>(Map.of("connector", "crm", "task", "0")));

        FakeContext(boolean withReporter) {
            this.withReporter = withReporter;
        }

        @Override
        public Map<String, String> configs() {
            return Map.of();
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
        }

        @Override
        public void timeout(long timeoutMs) {
            timeouts.add(timeoutMs);
        }

        @Override
        public Set<TopicPartition> assignment() {
            return assignment;
        }

        @Override
        public void pause(TopicPartition... partitions) {
        }

        @Override
        public void resume(TopicPartition... partitions) {
        }

        @Override
        public void requestCommit() {
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            if (!withReporter) {
                return null;
            }
            return (ErrantRecordReporter) (record, error) -> {
                reported.add(new Reported(record, error));
                Future<Void> done = CompletableFuture.completedFuture(null);
                return done;
            };
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return pluginMetrics;
        }

        /** A plugin metric's value; tags after connector, task and target. */
        double metric(String name, String... tags) {
            Map<String, String> all = new LinkedHashMap<>(Map.of("connector", "crm", "task", "0", "target", "webhook"));
            for (int i = 0; i < tags.length; i += 2) {
                all.put(tags[i], tags[i + 1]);
            }
            return ((Number) metrics.metric(new MetricName(name, "plugins", "", all)).metricValue()).doubleValue();
        }
    }

    // ---- fixture ----

    final ManualClock clock = new ManualClock();
    final FakeCrmClient client = new FakeCrmClient();
    FakeContext context;
    CrmSinkTask task;

    CrmSinkTask start(boolean withReporter, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("crm.target", "WEBHOOK");
        props.put("webhook.url", "https://crm.example.com/hooks/sql");
        props.put("webhook.secret", SECRET);
        props.put("batch.size", "100");
        props.put("linger.ms", "0");
        props.put("retry.backoff.ms", "100");
        props.put("retry.backoff.max.ms", "1000");
        props.putAll(overrides);
        context = new FakeContext(withReporter);
        task = new CrmSinkTask((config, metrics) -> client, clock, () -> 0.5);
        task.initialize(context);
        task.start(props);
        return task;
    }

    static SinkRecord record(int partition, long offset) {
        Map<String, Object> value = new HashMap<>();
        value.put("handoffId", "h" + offset);
        value.put("leadId", "lead-" + offset);
        value.put("stage", "SQL");
        return new SinkRecord(TOPIC, partition, null, "lead-" + offset, null, value, offset);
    }

    static List<SinkRecord> records(int partition, long from, long toExclusive) {
        List<SinkRecord> out = new ArrayList<>();
        for (long o = from; o < toExclusive; o++) {
            out.add(record(partition, o));
        }
        return out;
    }

    static Outcome tooManyRequests(Duration retryAfter) {
        return Outcome.transientFailure("HTTP 429 Too Many Requests", retryAfter);
    }

    Map<TopicPartition, OffsetAndMetadata> current() {
        return Map.of(P0, new OffsetAndMetadata(1_000), P1, new OffsetAndMetadata(1_000));
    }

    Map<TopicPartition, Long> committed() {
        Map<TopicPartition, Long> out = new HashMap<>();
        task.preCommit(current()).forEach((tp, om) -> out.put(tp, om.offset()));
        return out;
    }

    // ---- tests ----

    @Test
    void deliversInBatchesOfBatchSize() {
        start(false, Map.of("batch.size", "2"));
        task.put(records(0, 0, 5));
        assertThat(client.calls).containsExactly(List.of("h0", "h1"), List.of("h2", "h3"), List.of("h4"));
        assertThat(context.timeouts).isEmpty();
        assertThat(committed()).containsExactly(Map.entry(P0, 5L));
    }

    @Test
    void lingerHoldsAPartialBatchUntilFlush() {
        start(false, Map.of("batch.size", "10", "linger.ms", "1000"));
        task.put(records(0, 0, 3));
        clock.advance(Duration.ofMillis(500));
        task.put(List.of());
        assertThat(client.calls).isEmpty();

        task.flush(current());
        assertThat(client.calls).containsExactly(List.of("h0", "h1", "h2"));
        assertThat(committed()).containsExactly(Map.entry(P0, 3L));
    }

    @Test
    void lingerExpiresOnAPeriodicEmptyPut() {
        start(false, Map.of("batch.size", "10", "linger.ms", "1000"));
        task.put(records(0, 0, 3));
        clock.advance(Duration.ofMillis(999));
        task.put(List.of());
        assertThat(client.calls).isEmpty();
        clock.advance(Duration.ofMillis(1));
        task.put(List.of());
        assertThat(client.calls).containsExactly(List.of("h0", "h1", "h2"));
    }

    @Test
    void aFullBatchDoesNotLinger() {
        start(false, Map.of("batch.size", "2", "linger.ms", "60000"));
        task.put(records(0, 0, 3));
        assertThat(client.calls).containsExactly(List.of("h0", "h1"));
        assertThat(committed()).as("preCommit flushes the rest").containsExactly(Map.entry(P0, 3L));
    }

    @Test
    void transientFailureTimesOutWithRetryAfterAndRedeliveryResendsOnlyTheUndelivered() {
        start(false, Map.of());
        client.then(Map.of("h1", tooManyRequests(Duration.ofSeconds(5)), "h2", tooManyRequests(Duration.ofSeconds(2))));
        List<SinkRecord> batch = records(0, 0, 4);

        assertThatThrownBy(() -> task.put(batch))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("HTTP 429")
                .hasMessageContaining("h1");
        assertThat(context.timeouts).as("the longest Retry-After beats the 50 ms jittered backoff")
                .containsExactly(5_000L);

        // Before the retry: h0 and h3 are delivered but h1 holds partition 0 back; flush does not retry early.
        assertThat(committed()).containsExactly(Map.entry(P0, 1L));
        assertThat(client.calls).hasSize(1);

        clock.advance(Duration.ofSeconds(5));
        task.put(batch); // Connect redelivers the same records
        assertThat(client.calls).containsExactly(List.of("h0", "h1", "h2", "h3"), List.of("h1", "h2"));
        assertThat(committed()).containsExactly(Map.entry(P0, 4L));
    }

    @Test
    void transientWithoutRetryAfterUsesTheJitteredBackoff() {
        start(false, Map.of());
        client.then(Map.of("h0", Outcome.transientFailure("I/O error: connection reset", null)));
        assertThatThrownBy(() -> task.put(records(0, 0, 1))).isInstanceOf(RetriableException.class);
        assertThat(context.timeouts).containsExactly(50L); // 0.5 * min(1000, 100 * 2^0)
    }

    @Test
    void givesUpAfterMaxRetries() {
        start(false, Map.of("max.retries", "1"));
        Outcome failure = Outcome.transientFailure("HTTP 503 Service Unavailable", null);
        client.then(Map.of("h0", failure)).then(Map.of("h0", failure));
        List<SinkRecord> batch = records(0, 0, 1);

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> task.put(batch))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageContaining("gave up after 1 retries");
        assertThat(committed()).as("the failed task delivers nothing more on shutdown").isEmpty();
        assertThat(client.calls).hasSize(2);
        assertThatThrownBy(() -> task.put(List.of())).hasMessageContaining("gave up");
    }

    @Test
    void retryCountResetsAfterASuccess() {
        start(false, Map.of("max.retries", "1"));
        Outcome failure = Outcome.transientFailure("HTTP 503 Service Unavailable", null);
        client.then(Map.of("h0", failure)).then(Map.of()).then(Map.of("h1", failure));

        assertThatThrownBy(() -> task.put(records(0, 0, 1))).isInstanceOf(RetriableException.class);
        clock.advance(Duration.ofSeconds(1));
        task.put(records(0, 0, 1));
        assertThatThrownBy(() -> task.put(records(0, 1, 2)))
                .as("a fresh failure gets its own retries")
                .isInstanceOf(RetriableException.class);
        assertThat(context.timeouts).hasSize(2);
    }

    @Test
    void permanentFailureWithReporterIsReportedAndTheOthersDelivered() {
        start(true, Map.of());
        client.then(Map.of("h1", Outcome.permanentFailure("HTTP 422 Unprocessable Entity: email invalid")));
        task.put(records(0, 0, 3));

        assertThat(context.reported).hasSize(1);
        Reported r = context.reported.get(0);
        assertThat(r.record().kafkaOffset()).isEqualTo(1);
        assertThat(r.error()).isInstanceOf(ConnectException.class)
                .hasMessageContaining("h1")
                .hasMessageContaining("lead-1")
                .hasMessageContaining("topic " + TOPIC + " partition 0 offset 1")
                .hasMessageContaining("HTTP 422");
        assertThat(client.delivered()).containsExactly("h0", "h1", "h2");
        assertThat(committed()).containsExactly(Map.entry(P0, 3L));
    }

    @Test
    void permanentFailureWithoutReporterFailsTheTaskNamingTheRecord() {
        start(false, Map.of());
        client.then(Map.of("h1", Outcome.permanentFailure("HTTP 400 Bad Request")));
        assertThatThrownBy(() -> task.put(records(0, 0, 3)))
                .isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("h1")
                .hasMessageContaining("topic " + TOPIC + " partition 0 offset 1")
                .hasMessageContaining("HTTP 400");
    }

    @Test
    void permanentFailureFoundByFlushFailsTheNextPut() {
        start(false, Map.of("batch.size", "10", "linger.ms", "60000"));
        client.then(Map.of("h0", Outcome.permanentFailure("HTTP 404 Not Found")));
        task.put(records(0, 0, 2));
        assertThat(committed()).as("flush in preCommit does not throw; nothing is committed").isEmpty();
        assertThatThrownBy(() -> task.put(List.of()))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("partition 0 offset 0");
        assertThat(client.calls).hasSize(1);
    }

    @Test
    void unmappableRecordWithReporterIsReported() {
        start(true, Map.of());
        List<SinkRecord> batch = new ArrayList<>(records(0, 0, 3));
        batch.set(1, new SinkRecord(TOPIC, 0, null, "k", null, null, 1)); // tombstone
        task.put(batch);

        assertThat(context.reported).singleElement().satisfies(r -> {
            assertThat(r.record().kafkaOffset()).isEqualTo(1);
            assertThat(r.error()).hasMessageContaining("partition 0 offset 1").hasMessageContaining("tombstone")
                    .hasCauseInstanceOf(UnmappableRecordException.class);
        });
        assertThat(client.delivered()).containsExactly("h0", "h2");
        assertThat(committed()).containsExactly(Map.entry(P0, 3L));
    }

    @Test
    void unmappableRecordWithoutReporterFailsTheTask() {
        start(false, Map.of());
        Map<String, Object> value = new HashMap<>();
        value.put("handoffId", "h7");
        SinkRecord bad = new SinkRecord(TOPIC, 1, null, "k", null, value, 7);
        assertThatThrownBy(() -> task.put(List.of(bad)))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("topic " + TOPIC + " partition 1 offset 7")
                .hasMessageContaining("leadId")
                .hasCauseInstanceOf(UnmappableRecordException.class);
        assertThat(client.calls).isEmpty();
    }

    @Test
    void preCommitReturnsOnlyContiguousHandledOffsetsPerPartition() {
        start(false, Map.of());
        client.then(Map.of("h11", tooManyRequests(null)));
        List<SinkRecord> batch = new ArrayList<>(records(0, 10, 13));
        batch.addAll(records(1, 20, 22));
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);

        assertThat(committed()).containsOnly(Map.entry(P0, 11L), Map.entry(P1, 22L));
        assertThat(task.preCommit(Map.of(P1, new OffsetAndMetadata(22)))).as("only partitions Connect asks about")
                .containsOnlyKeys(P1);
    }

    @Test
    void bufferedRecordHoldsItsPartitionBack() {
        start(false, Map.of("batch.size", "10", "linger.ms", "60000"));
        task.put(records(0, 0, 2));
        assertThat(task.preCommit(Map.of())).isEmpty();
        assertThat(client.calls).as("preCommit flushes even with nothing to commit").hasSize(1);
    }

    @Test
    void closingAPartitionDropsItsBufferedRecords() {
        start(false, Map.of("batch.size", "10", "linger.ms", "60000"));
        task.put(records(0, 0, 2));
        task.put(records(1, 0, 2));
        task.close(List.of(P0));
        task.flush(current());
        assertThat(client.calls).containsExactly(List.of("h0", "h1"));
        assertThat(committed()).containsOnly(Map.entry(P1, 2L));
    }

    @Test
    void stopClosesTheClient() {
        start(false, Map.of());
        task.stop();
        assertThat(client.closed).isTrue();
    }

    @Test
    void everyTargetBuildsItsClient() {
        assertThat(CrmSinkTask.createClient(new CrmSinkConfig(CrmSinkConfigTest.hubspot()), CrmMetrics.NONE))
                .isInstanceOf(HubSpotCrmClient.class);
        assertThat(CrmSinkTask.createClient(new CrmSinkConfig(CrmSinkConfigTest.salesforce()), CrmMetrics.NONE))
                .isInstanceOf(SalesforceCrmClient.class);
        assertThat(CrmSinkTask.createClient(new CrmSinkConfig(CrmSinkConfigTest.webhook()), CrmMetrics.NONE))
                .isInstanceOf(WebhookCrmClient.class);
    }

    @Test
    void webhookTargetBuildsTheWebhookClient() {
        CrmSinkTask real = new CrmSinkTask();
        real.initialize(new FakeContext(false));
        real.start(Map.of("webhook.url", "https://crm.example.com/hooks/sql"));
        real.put(List.of());
        real.stop();
        assertThat(real.version()).isNotBlank();
    }

    @Test
    void countsHandoffOutcomesRetriesAndDeadLettersOnThePluginMetrics() {
        start(true, Map.of());
        client.then(Map.of("h1", tooManyRequests(Duration.ofSeconds(1)), "h2", Outcome.permanentFailure("HTTP 400")));
        List<SinkRecord> batch = new ArrayList<>(records(0, 0, 4));
        batch.add(new SinkRecord(TOPIC, 0, null, "x", null, "not a handoff", 4));

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        clock.advance(Duration.ofSeconds(1));
        task.put(batch);

        assertThat(context.metric(ConnectCrmMetrics.HANDOFFS, "outcome", "delivered")).as("h0, h3, then h1")
                .isEqualTo(3);
        assertThat(context.metric(ConnectCrmMetrics.HANDOFFS, "outcome", "retriable")).isEqualTo(1);
        assertThat(context.metric(ConnectCrmMetrics.HANDOFFS, "outcome", "rejected")).isEqualTo(1);
        assertThat(context.metric(ConnectCrmMetrics.RETRIES)).isEqualTo(1);
        assertThat(context.metric(ConnectCrmMetrics.DEAD_LETTERS, "reason", "rejected")).isEqualTo(1);
        assertThat(context.metric(ConnectCrmMetrics.DEAD_LETTERS, "reason", "unmappable")).isEqualTo(1);
        assertThat(context.reported).hasSize(2);
    }
}
