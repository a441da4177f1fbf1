package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadscoring.connect.fake.FakeWebhookCrm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The connector in a real Connect worker ({@link EmbeddedConnectCluster}: a distributed worker with
 * {@code plugin.discovery=service_load} on a KRaft broker of its own) against CRMs played by WireMock. Every case
 * asserts the promise of the issue: every handoff reaches the CRM exactly once by idempotency key, none is lost, and
 * the consumer offsets reach the end of the topic only for handled records.
 */
class CrmSinkConnectorIT {

    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(90);
    static final String SECRET = "whsec-it-3b1f0c";

    static EmbeddedConnectCluster connect;
    static final AtomicInteger NAMES = new AtomicInteger();

    @BeforeAll
    static void startConnect() {
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "500");
        worker.put("task.shutdown.graceful.timeout.ms", "2000");
        connect = new EmbeddedConnectCluster.Builder()
                .name("crm-sink-it")
                .numWorkers(1)
                .numBrokers(1)
                .workerProps(worker)
                .build();
        connect.start();
    }

    @AfterAll
    static void stopConnect() {
        if (connect != null) {
            connect.stop();
        }
    }

    // ---- webhook ----

    @Test
    void webhookDeliversEveryHandoffOnceThroughRateLimitsServerErrorsAndTimeouts(TestInfo info) throws Exception {
        try (FakeWebhookCrm crm = new FakeWebhookCrm(SECRET)) {
            crm.failNext(2, 429, 1);
            crm.failNext(4, 503, null);
            crm.delayNext(2, Duration.ofMillis(2500));
            crm.failNext(1, 500, null);
            String topic = topic(info, 3);
            List<String> ids = produceJson(topic, 3, 120, i -> true);
            String name = startConnector(topic, webhook(crm, Map.of("http.request.timeout.ms", "1000")));

            awaitDelivered(crm, ids);
            awaitCommitted(name, topic, 3, 120);
            assertExactlyOnceByKey(crm, ids);
            assertThat(crm.records().get(ids.get(7)).get("leadId").asText()).isEqualTo(leadOf(7));
            assertThat(crm.records().get(ids.get(7)).get("score").asDouble()).isEqualTo(scoreOf(7));
            connect.deleteConnector(name);
        }
    }

    @Test
    void webhookValidationErrorsAndUnmappableRecordsGoToTheDeadLetterQueue(TestInfo info) throws Exception {
        try (FakeWebhookCrm crm = new FakeWebhookCrm(SECRET)) {
            String topic = topic(info, 2);
            String dlq = topic + ".dlq";
            connect.kafka().createTopic(dlq, 1);
            List<String> ids = produceJson(topic, 2, 40, i -> true);
            Set<String> rejected = Set.of(ids.get(3), ids.get(17), ids.get(30));
            rejected.forEach(k -> crm.rejectKey(k, 400));
            connect.kafka().produce(topic, 0, "lead-broken", "{\"leadId\":\"lead-broken\",\"score\":99.0}");

            Map<String, String> props = webhook(crm, Map.of());
            props.put("errors.tolerance", "all");
            props.put("errors.deadletterqueue.topic.name", dlq);
            props.put("errors.deadletterqueue.topic.replication.factor", "1");
            props.put("errors.deadletterqueue.context.headers.enable", "true");
            String name = startConnector(topic, props);

            List<String> accepted = ids.stream().filter(k -> !rejected.contains(k)).toList();
            awaitDelivered(crm, accepted);
            ConsumerRecords<byte[], byte[]> dead = connect.kafka().consume(4, DELIVERY_TIMEOUT.toMillis(), dlq);
            Map<String, String> reasons = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                String value = new String(r.value(), StandardCharsets.UTF_8);
                reasons.put(value, header(r, "__connect.errors.exception.message"));
                assertThat(header(r, "__connect.errors.topic")).isEqualTo(topic);
                assertThat(header(r, "__connect.errors.offset")).isNotBlank();
            }
            assertThat(reasons).hasSize(4);
            for (String key : rejected) {
                assertThat(reasons.entrySet()).as(key).anySatisfy(e -> {
                    assertThat(e.getKey()).contains(key);
                    assertThat(e.getValue()).contains("HTTP 400").contains(key);
                });
            }
            assertThat(reasons.entrySet()).anySatisfy(e -> {
                assertThat(e.getKey()).contains("lead-broken");
                assertThat(e.getValue()).contains("handoffId");
            });
            awaitCommitted(name, topic, 2, 41);
            assertThat(crm.records().keySet()).containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(crm.conflicts()).isZero();
            connect.deleteConnector(name);
        }
    }

    @Test
    void aWorkerRestartInTheMiddleOfABatchLosesNothingAndDuplicatesNothingInTheCrm(TestInfo info) throws Exception {
        try (FakeWebhookCrm crm = new FakeWebhookCrm(SECRET)) {
            crm.delayNext(400, Duration.ofMillis(150));
            String topic = topic(info, 2);
            List<String> ids = produceJson(topic, 2, 300, i -> true);
            String name = startConnector(topic, webhook(crm, Map.of("batch.size", "50", "max.in.flight.requests", "2")));

            await(() -> crm.records().size() >= 60, () -> "first deliveries: " + crm.records().size());
            int before = crm.records().size();
            connect.removeWorker();
            connect.addWorker();
            awaitDelivered(crm, ids);
            awaitCommitted(name, topic, 2, 300);
            assertExactlyOnceByKey(crm, ids);
            int resent = crm.requestsByKey().values().stream().mapToInt(n -> n - 1).sum();
            System.out.printf("worker restart after %d of %d handoffs: %d requests, %d re-sent, %d records%n",
                    before, ids.size(), crm.requests(), resent, crm.records().size());
            connect.deleteConnector(name);
        }
    }

    // ---- helpers ----

    static String topic(TestInfo info, int partitions) {
        String topic = "handoffs-" + NAMES.incrementAndGet() + "-" + info.getTestMethod().orElseThrow().getName();
        topic = topic.length() > 120 ? topic.substring(0, 120) : topic;
        connect.kafka().createTopic(topic, partitions);
        return topic;
    }

    static Map<String, String> webhook(FakeWebhookCrm crm, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put("crm.target", "WEBHOOK");
        props.put("webhook.url", crm.url().toString());
        props.put("webhook.secret", SECRET);
        props.put("webhook.headers", "X-Source:lead-scoring-it");
        props.put("retry.backoff.ms", "100");
        props.put("retry.backoff.max.ms", "1000");
        props.put("max.retries", "30");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter.schemas.enable", "false");
        props.putAll(overrides);
        return props;
    }

    static String startConnector(String topic, Map<String, String> props) throws InterruptedException {
        String name = "crm-sink-" + NAMES.incrementAndGet();
        Map<String, String> config = new HashMap<>(props);
        config.put("connector.class", CrmSinkConnector.class.getName());
        config.put("tasks.max", "2");
        config.put("topics", topic);
        config.put("consumer.override.max.poll.records", "100");
        connect.configureConnector(name, config);
        await(() -> {
            try {
                ConnectorStateInfo s = connect.connectorStatus(name);
                return "RUNNING".equals(s.connector().state()) && !s.tasks().isEmpty()
                        && s.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()));
            } catch (RuntimeException e) {
                return false;
            }
        }, () -> "connector " + name + " running");
        return name;
    }

    static String leadOf(int i) {
        return "lead-" + (i % 37);
    }

    static double scoreOf(int i) {
        return 100.0 + (i % 50) / 4.0;
    }

    /** Handoff {@code i} as the schemaless JSON a JsonConverter reads, keyed by its lead like the scoring output. */
    static String handoffJson(String handoffId, int i) {
        return "{\"handoffId\":\"" + handoffId + "\",\"leadId\":\"" + leadOf(i) + "\",\"stage\":\"SQL\","
                + "\"previousStage\":\"MQL\",\"at\":" + (1_772_360_000_000L + i * 1000L) + ",\"score\":" + scoreOf(i)
                + ",\"engagement\":70.0,\"fit\":" + (scoreOf(i) - 70.0) + ",\"fitGrade\":\"A\",\"temperature\":\"HOT\","
                + "\"activity\":\"ACTIVE\",\"ruleSet\":\"default@3\",\"reasons\":[{\"rule\":\"pricing-page\","
                + "\"points\":30.0},{\"rule\":\"title-vp\",\"points\":15.0}],\"email\":\"" + leadOf(i)
                + "@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace " + i + "\",\"company\":\"Acme\"}";
    }

    static List<String> produceJson(String topic, int partitions, int n, java.util.function.IntPredicate include) {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int i = 0; i < n; i++) {
                if (!include.test(i)) {
                    continue;
                }
                String id = topic.hashCode() + "-h" + i;
                ids.add(id);
                // Keyed by lead: the handoffs of one lead share a partition, as the scoring app writes them.
                producer.send(new ProducerRecord<>(topic, Math.floorMod(leadOf(i).hashCode(), partitions),
                        leadOf(i).getBytes(StandardCharsets.UTF_8), handoffJson(id, i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        return ids;
    }

    static void awaitDelivered(FakeWebhookCrm crm, List<String> ids) throws InterruptedException {
        await(() -> crm.records().keySet().containsAll(ids), () -> {
            Set<String> missing = new TreeSet<>(ids);
            missing.removeAll(crm.records().keySet());
            return "all handoffs in the CRM; missing " + missing.size() + ": "
                    + missing.stream().limit(10).toList() + "; requests so far " + crm.requests();
        });
    }

    static void assertExactlyOnceByKey(FakeWebhookCrm crm, List<String> ids) {
        assertThat(crm.records().keySet()).as("records by idempotency key").containsExactlyInAnyOrderElementsOf(ids);
        assertThat(crm.conflicts()).as("a key reused with another body").isZero();
        for (String id : ids) {
            JsonNode record = crm.records().get(id);
            assertThat(record.get("handoffId").asText()).isEqualTo(id);
        }
    }

    /** Waits until the connector's committed offsets reach {@code total} records over all partitions. */
    static void awaitCommitted(String name, String topic, int partitions, long total) throws InterruptedException {
        await(() -> committed(name, topic) == total, () -> "committed offsets of " + topic + " = " + total
                + " (now " + committed(name, topic) + ")");
    }

    static long committed(String name, String topic) {
        try {
            ConnectorOffsets offsets = connect.connectorOffsets(name);
            long sum = 0;
            for (ConnectorOffset o : offsets.offsets()) {
                if (topic.equals(o.partition().get("kafka_topic"))) {
                    sum += ((Number) o.offset().get("kafka_offset")).longValue();
                }
            }
            return sum;
        } catch (RuntimeException e) {
            return -1;
        }
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + DELIVERY_TIMEOUT + " waiting for " + what.get());
            }
            Thread.sleep(200);
        }
    }
}
