package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadscoring.connect.fake.FakeHubSpot;
import io.leadscoring.connect.fake.FakeSalesforce;
import io.leadscoring.connect.fake.FakeWebhookCrm;
import io.leadscoring.events.Activity;
import io.leadscoring.events.FitGrade;
import io.leadscoring.events.Reason;
import io.leadscoring.events.Stage;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.Temperature;
import io.leadscoring.serde.KafkaAvroSerializer;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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

    /** Generous: on a loaded 2-core machine a worker restart and the redelivery it causes take minutes, not seconds. */
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(240);
    static final String SECRET = "whsec-it-3b1f0c";
    static final String HUBSPOT_TOKEN = "pat-na1-it-token-77d1";

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
    static void stopConnectAndCheckTheLogForSecrets() throws Exception {
        if (connect != null) {
            connect.stop();
        }
        // Failsafe sends the whole JVM's log here (sink-connector/pom.xml): the worker logs every connector config.
        String file = System.getProperty("org.slf4j.simpleLogger.logFile");
        if (file == null || file.startsWith("System.")) {
            return; // run from an IDE: no log file to check
        }
        String log = java.nio.file.Files.readString(java.nio.file.Path.of(file));
        assertThat(log).as("the log is the worker's").contains("CrmSinkConfig values")
                .containsPattern("(webhook\\.secret|hubspot\\.token|salesforce\\.client\\.secret) = \\[hidden\\]");
        assertThat(log).as("secrets in " + file).doesNotContain(SECRET, HUBSPOT_TOKEN,
                FakeSalesforce.DEFAULT_CLIENT_SECRET);
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
            List<String> ids = produceJson(topic, 3, 120);
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
            List<String> ids = produceJson(topic, 2, 40);
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
            List<String> ids = produceJson(topic, 2, 300);
            String name = startConnector(topic, webhook(crm, Map.of("batch.size", "50", "max.in.flight.requests", "2",
                    "http.request.timeout.ms", "5000")));

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

    // ---- HubSpot ----

    @Test
    void hubspotUpsertsEveryAvroHandoffOnceThroughRateLimitsAndServerErrorsAndDeadLettersTheRejected(TestInfo info)
            throws Exception {
        try (FakeHubSpot hubspot = FakeHubSpot.start(HUBSPOT_TOKEN)) {
            hubspot.rateLimitNext(2, FakeHubSpot.TEN_SECONDLY_ROLLING, 1);
            hubspot.failNext(3, 502, null);
            hubspot.rejectInvalidEmail("lead-13@example.com");
            String topic = topic(info, 2);
            String dlq = topic + ".dlq";
            connect.kafka().createTopic(dlq, 1);
            String registry = "mock://" + topic;
            List<StageChange> sent = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                sent.add(stageChange(topic.hashCode() + "-h" + i, "lead-" + i, i == 21 ? null : "lead-" + i + "@example.com", i));
            }
            produceAvro(topic, 2, registry, sent);
            Map<String, String> props = dlq(dlq);
            props.put("crm.target", "HUBSPOT");
            props.put("hubspot.url", hubspot.baseUrl().toString());
            props.put("hubspot.token", HUBSPOT_TOKEN);
            props.put("batch.size", "25");
            props.put("linger.ms", "200");
            props.put("value.converter", "io.leadscoring.connect.avro.AvroConverter");
            props.put("value.converter.schema.registry.url", registry);
            String name = startConnector(topic, props);

            List<StageChange> accepted = sent.stream()
                    .filter(h -> h.getEmail() != null && !h.getEmail().equals("lead-13@example.com")).toList();
            await(() -> hubspot.contacts().size() == accepted.size(), () -> "contacts: " + hubspot.contacts().size());
            Map<String, String> dead = deadLetters(dlq, 2);
            awaitCommitted(name, topic, 2, sent.size());
            assertThat(hubspot.contacts()).hasSize(accepted.size());
            for (StageChange h : accepted) {
                FakeHubSpot.Contact c = hubspot.contact(h.getEmail()).orElseThrow();
                assertThat(c.property("lead_handoff_id")).isEqualTo(h.getHandoffId());
                assertThat(c.property("lifecyclestage")).isEqualTo("salesqualifiedlead");
                assertThat(Double.parseDouble(c.property("lead_score"))).isEqualTo(h.getScore());
                assertThat(c.property("lead_fit_grade")).isEqualTo("A");
                assertThat(c.property("lead_score_reasons")).isEqualTo("pricing-page +30.0; title-vp +15.0");
                assertThat(hubspot.upsertsOf(h.getHandoffId())).as(h.getHandoffId()).isEqualTo(1);
            }
            assertThat(dead.values()).anySatisfy(m -> assertThat(m).contains(sent.get(21).getHandoffId()).contains("no email"));
            assertThat(dead.values()).anySatisfy(m -> assertThat(m).contains(sent.get(13).getHandoffId())
                    .containsIgnoringCase("email"));
            connect.deleteConnector(name);
        }
    }

    // ---- Salesforce ----

    @Test
    void salesforceRefreshesAnExpiredTokenMidStreamAndUpsertsEveryLeadOnce(TestInfo info) throws Exception {
        try (FakeSalesforce salesforce = FakeSalesforce.start()) {
            salesforce.failNext(3, 503);
            salesforce.rejectLead("lead-7", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Company must not be a free mail domain");
            String topic = topic(info, 1);
            String dlq = topic + ".dlq";
            connect.kafka().createTopic(dlq, 1);
            Map<String, String> props = dlq(dlq);
            props.put("crm.target", "SALESFORCE");
            props.put("salesforce.login.url", salesforce.loginUrl());
            props.put("salesforce.client.id", salesforce.clientId());
            props.put("salesforce.client.secret", salesforce.clientSecret());
            props.put("salesforce.lead.status", "Sales Qualified");
            props.put("tasks.max", "1");
            props.put("max.in.flight.requests", "4");
            String name = startConnector(topic, props);

            List<String> first = produceJson(topic, 1, 0, 30, i -> "lead-" + i);
            await(() -> salesforce.leads().size() == 29, () -> "first leads: " + salesforce.leads().size());
            salesforce.expireTokens();
            List<String> second = produceJson(topic, 1, 30, 60, i -> "lead-" + i);
            await(() -> salesforce.leads().size() == 59, () -> "all leads: " + salesforce.leads().size());
            Map<String, String> dead = deadLetters(dlq, 1);
            awaitCommitted(name, topic, 1, 60);

            assertThat(salesforce.tokenRequests()).as("one token, then one refresh after the 401").hasSize(2);
            List<String> ids = new ArrayList<>(first);
            ids.addAll(second);
            for (int i = 0; i < ids.size(); i++) {
                if (i == 7) {
                    assertThat(salesforce.writesOf(ids.get(i))).isEmpty();
                    continue;
                }
                assertThat(salesforce.writesOf(ids.get(i))).as(ids.get(i)).hasSize(1);
                var lead = salesforce.lead("lead-" + i);
                assertThat(lead.get("Lead_Handoff_Id__c")).isEqualTo(ids.get(i));
                assertThat(lead.get("Status")).isEqualTo("Sales Qualified");
                assertThat(lead.get("Email")).isEqualTo("lead-" + i + "@example.com");
                assertThat(((Number) lead.get("Lead_Score__c")).doubleValue()).isEqualTo(scoreOf(i));
            }
            assertThat(dead.values()).singleElement().asString().contains(ids.get(7))
                    .contains("FIELD_CUSTOM_VALIDATION_EXCEPTION");
            connect.deleteConnector(name);
        }
    }

    // ---- helpers ----

    static Map<String, String> dlq(String dlq) {
        Map<String, String> props = new HashMap<>();
        props.put("errors.tolerance", "all");
        props.put("errors.deadletterqueue.topic.name", dlq);
        props.put("errors.deadletterqueue.topic.replication.factor", "1");
        props.put("errors.deadletterqueue.context.headers.enable", "true");
        props.put("retry.backoff.ms", "100");
        props.put("retry.backoff.max.ms", "1000");
        props.put("max.retries", "30");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter.schemas.enable", "false");
        return props;
    }

    /** The dead letters' exception messages by record offset, after {@code n} have arrived. */
    static Map<String, String> deadLetters(String dlq, int n) {
        Map<String, String> out = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : connect.kafka().consume(n, DELIVERY_TIMEOUT.toMillis(), dlq)) {
            out.put(header(r, "__connect.errors.topic") + "@" + header(r, "__connect.errors.partition") + ":"
                    + header(r, "__connect.errors.offset"), header(r, "__connect.errors.exception.message"));
        }
        assertThat(out).hasSize(n);
        return out;
    }

    static StageChange stageChange(String handoffId, String leadId, String email, int i) {
        return StageChange.newBuilder()
                .setHandoffId(handoffId).setLeadId(leadId).setStage(Stage.SQL).setPreviousStage(Stage.MQL)
                .setAt(Instant.ofEpochMilli(1_772_360_000_000L + i * 1000L))
                .setScore(scoreOf(i)).setEngagement(70.0).setFit(scoreOf(i) - 70.0)
                .setFitGrade(FitGrade.A).setTemperature(Temperature.HOT).setActivity(Activity.ACTIVE)
                .setRuleSet("default@3")
                .setReasons(List.of(new Reason("pricing-page", 30.0), new Reason("title-vp", 15.0)))
                .setEmail(email).setFirstName("Ada").setLastName("Lovelace " + i).setCompany("Acme")
                .build();
    }

    /** As the scoring application writes them: Confluent wire format, keyed by lead id. */
    static void produceAvro(String topic, int partitions, String registry, List<StageChange> values) {
        try (KafkaAvroSerializer serializer = new KafkaAvroSerializer();
                KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            serializer.configure(Map.of("schema.registry.url", registry), false);
            for (StageChange h : values) {
                producer.send(new ProducerRecord<>(topic, Math.floorMod(h.getLeadId().hashCode(), partitions),
                        h.getLeadId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, h)));
            }
            producer.flush();
        }
    }


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
        config.putIfAbsent("tasks.max", "2");
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
    static String handoffJson(String handoffId, String leadId, int i) {
        return "{\"handoffId\":\"" + handoffId + "\",\"leadId\":\"" + leadId + "\",\"stage\":\"SQL\","
                + "\"previousStage\":\"MQL\",\"at\":" + (1_772_360_000_000L + i * 1000L) + ",\"score\":" + scoreOf(i)
                + ",\"engagement\":70.0,\"fit\":" + (scoreOf(i) - 70.0) + ",\"fitGrade\":\"A\",\"temperature\":\"HOT\","
                + "\"activity\":\"ACTIVE\",\"ruleSet\":\"default@3\",\"reasons\":[{\"rule\":\"pricing-page\","
                + "\"points\":30.0},{\"rule\":\"title-vp\",\"points\":15.0}],\"email\":\"" + leadId
                + "@example.com\",\"firstName\":\"Ada\",\"lastName\":\"Lovelace " + i + "\",\"company\":\"Acme\"}";
    }

    static List<String> produceJson(String topic, int partitions, int n) {
        return produceJson(topic, partitions, 0, n, CrmSinkConnectorIT::leadOf);
    }

    /** Handoffs {@code from} to {@code to - 1}; {@code lead} names the lead of each. */
    static List<String> produceJson(String topic, int partitions, int from, int to, IntFunction<String> lead) {
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = connect.kafka().createProducer(Map.of())) {
            for (int i = from; i < to; i++) {
                String id = topic.hashCode() + "-h" + i;
                String leadId = lead.apply(i);
                ids.add(id);
                // Keyed by lead: the handoffs of one lead share a partition, as the scoring app writes them.
                producer.send(new ProducerRecord<>(topic, Math.floorMod(leadId.hashCode(), partitions),
                        leadId.getBytes(StandardCharsets.UTF_8),
                        handoffJson(id, leadId, i).getBytes(StandardCharsets.UTF_8)));
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
