package io.leadscoring.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadscoring.demo.DemoParts;
import io.leadscoring.events.StageChange;
import io.leadscoring.scoring.Scorer;
import io.leadscoring.scoring.Stage;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One test's whole pipeline, every part real: the scoring application ({@code lead-scoring run}) in child JVMs, a
 * standalone Connect worker ({@code ConnectStandalone}) with the CRM sink connector in a child JVM, the demo's CRM
 * inbox over HTTP in this JVM, on a broker the test gives. Topic names, application id and connector name are the
 * test's own, so tests can share a broker. The test feeds {@link TrafficInput} in stages and injects its faults in
 * between; {@link #verify} then checks the promise against replay and writes the figures.
 */
final class Pipeline implements AutoCloseable {

    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(300);
    /** After the last expected handoff, how long to keep reading for one too many. */
    static final Duration QUIET = Duration.ofSeconds(5);
    static final String SECRET = "reliability-webhook-secret";
    static final int PARTITIONS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUNNING = Pattern.compile("State transition from \\w+ to RUNNING");
    private static final Pattern REST_URL = Pattern.compile("REST server listening at (http://[^,\\s]+?)/?,");

    static {
        // Before any serializer registers a schema in this JVM: the ids must be those of the child JVMs.
        DemoParts.registerSchemas(TrafficInput.REGISTRY_SCOPE);
    }

    final String name;
    final Topics topics;
    final TrafficInput input;
    final Path dir;
    private final Supplier<String> bootstrap;
    private final List<Integer> batchStarts;
    private final DemoParts.Crm crm;
    private final Map<Integer, ChildJvm> apps = new HashMap<>();
    private final List<String> deadLetterTopics;
    private final String connectorName;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final long startedNanos = System.nanoTime();

    private ChildJvm connect;
    private URI connectRest;
    private KafkaProducer<String, byte[]> producer;
    private KafkaAvroSerializer serializer;
    private KafkaConsumer<String, StageChange> handoffReader;
    private ScoringSerdes serdes;
    private final List<StageChange> handoffs = new ArrayList<>();
    private final Map<TopicPartition, Long> sentUpTo = new HashMap<>();
    private Admin admin;
    private int batchesSent;
    private int recordsSent;
    private int faults;
    private Integer handoffsBeforeFirstFault;

    /**
     * @param crmListener told of each new handoff (its webhook document) before the CRM answers; may inject a fault
     */
    Pipeline(String name, Supplier<String> bootstrap, Consumer<Map<String, Object>> crmListener) throws Exception {
        this.name = name;
        this.bootstrap = bootstrap;
        this.input = TrafficInput.get();
        this.batchStarts = input.batchStarts();
        this.dir = Reliability.outDir().resolve(name);
        deleteRecursively(dir);
        Files.createDirectories(dir);
        this.topics = new Topics(name + ".web-events", name + ".email-events", name + ".download-events",
                name + ".profiles", name + ".scores", name + ".stage-changes", name + ".sql-handoffs",
                name + ".dead-letter");
        this.connectorName = "crm-" + name;
        this.deadLetterTopics = List.of(topics.deadLetter(), topics.sqlHandoffs() + ".crm-dlq");
        this.crm = new DemoParts.Crm(SECRET, dir.resolve("crm-journal.jsonl"), crmListener).start();
    }

    DemoParts.Crm crm() {
        return crm;
    }

    /** Starts scoring application instance 0 and the Connect worker side by side, and waits until both run. */
    void start() throws Exception {
        java.util.concurrent.CompletableFuture<Void> worker = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                startConnect();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            startApp(0);
        } finally {
            try {
                worker.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw e;
            }
        }
    }

    // ---- the scoring application

    /** Starts instance {@code i} ({@code lead-scoring run}, its own state directory) and waits until it runs. */
    ChildJvm startApp(int i) throws Exception {
        Path config = dir.resolve("app-" + i + ".properties");
        store(appProperties(i), config);
        ChildJvm app = apps.get(i);
        long from = app == null ? 0 : app.logLength();
        app = ChildJvm.start("scoring app " + i, "384m",
                List.of("org.apache.kafka.streams.KafkaStreams=info", "io.leadscoring=info"),
                WithSchemas.class.getName(),
                List.of(TrafficInput.REGISTRY_SCOPE, "io.leadscoring.cli.LeadScoringCli", "run", "--config",
                        config.toString()),
                dir.resolve("logs").resolve("app-" + i + ".log"));
        apps.put(i, app);
        app.awaitLog(RUNNING, from, START_TIMEOUT);
        awaitTopics();
        return app;
    }

    ChildJvm app(int i) {
        return apps.get(i);
    }

    private Properties appProperties(int i) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap.get());
        p.put("application.id", "reliability-" + name);
        p.put("state.dir", dir.resolve("state-" + i).toString());
        p.put("schema.registry.url", TrafficInput.REGISTRY_URL);
        p.put("rules.file", input.rules.toString());
        p.put("topics.partitions", Integer.toString(PARTITIONS));
        p.put("topics.replication.factor", "1");
        p.put("topic.web-events", topics.webEvents());
        p.put("topic.email-events", topics.emailEvents());
        p.put("topic.download-events", topics.downloadEvents());
        p.put("topic.profiles", topics.profiles());
        p.put("topic.scores", topics.scores());
        p.put("topic.stage-changes", topics.stageChanges());
        p.put("topic.sql-handoffs", topics.sqlHandoffs());
        p.put("topic.dead-letter", topics.deadLetter());
        p.put("processing.guarantee", "exactly_once_v2");
        p.put("commit.interval.ms", "100");
        p.put("num.stream.threads", "1");
        p.put("session.timeout.ms", "10000");
        p.put("heartbeat.interval.ms", "3000");
        p.put("http.enabled", "false");
        return p;
    }

    // ---- the Connect worker

    /** Starts the standalone worker with the CRM sink and waits until its task runs. */
    ChildJvm startConnect() throws Exception {
        Path worker = dir.resolve("worker.properties");
        Path connector = dir.resolve("connector.properties");
        Map<String, String> workerConfig = new LinkedHashMap<>(
                DemoParts.workerConfig(bootstrap.get(), dir.resolve("connect.offsets")));
        workerConfig.put("offset.flush.interval.ms", "1000");
        store(workerConfig, worker);
        Map<String, String> connectorConfig = new LinkedHashMap<>(DemoParts.connectorConfig(connectorName,
                topics.sqlHandoffs(), crm.webhookUrl(), SECRET, TrafficInput.REGISTRY_URL));
        connectorConfig.put("errors.deadletterqueue.topic.name", deadLetterTopics.get(1));
        // The retry budget must outlast the longest CRM outage a test makes; past it the task fails (never a DLQ).
        connectorConfig.put("max.retries", "1000");
        connectorConfig.put("retry.backoff.ms", "200");
        connectorConfig.put("retry.backoff.max.ms", "2000");
        connectorConfig.put("http.request.timeout.ms", "10000");
        store(connectorConfig, connector);
        long from = connect == null ? 0 : connect.logLength();
        connect = ChildJvm.start("connect worker", "384m",
                List.of("org.apache.kafka.connect.runtime.rest.RestServer=info", "io.leadscoring=info"),
                WithSchemas.class.getName(),
                List.of(TrafficInput.REGISTRY_SCOPE, "org.apache.kafka.connect.cli.ConnectStandalone",
                        worker.toString(), connector.toString()),
                dir.resolve("logs").resolve("connect.log"));
        Matcher rest = connect.awaitLog(REST_URL, from, START_TIMEOUT);
        connectRest = URI.create(rest.group(1) + "/");
        await("connector task running", START_TIMEOUT, this::connectorRunning, () -> connect.tail());
        return connect;
    }

    ChildJvm connect() {
        return connect;
    }

    /** Whether the connector and every task are RUNNING (a FAILED one fails the test at once). */
    boolean connectorRunning() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    connectRest.resolve("connectors/" + connectorName + "/status")).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return false;
            }
            JsonNode status = JSON.readTree(r.body());
            List<String> states = new ArrayList<>();
            states.add(status.path("connector").path("state").asText());
            status.path("tasks").forEach(t -> states.add(t.path("state").asText()));
            assertThat(states).as("connector and task states: %s", r.body()).doesNotContain("FAILED");
            return status.path("tasks").size() > 0 && states.stream().allMatch("RUNNING"::equals);
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ---- input

    /**
     * Sends the input's batches up to {@code fraction} of them, each acknowledged before the next and, while an
     * application instance runs, each once it has read all that came before. Why: Kafka Streams orders a task's records across its
     * input topics by timestamp only among the records its consumer has handed over, and the consumer learns a
     * partition's end offset only when it hands over that partition's data; a lead's record fetched but not yet
     * handed over can then be overtaken by its later records in another topic (seen in this suite, see
     * docs/RELIABILITY.md), and the handoffs differ from replay's for reasons that have nothing to do with the faults.
     * Within a batch a lead has records in one topic only, where the offset order is the order.
     */
    void feedUntil(double fraction) throws Exception {
        int until = (int) Math.round(batchStarts.size() * fraction);
        if (producer == null) {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, name + "-traffic");
            // A broker restart must delay the input, not lose it.
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DELIVERY_TIMEOUT.toMillis());
            producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
            serializer = new KafkaAvroSerializer();
            serializer.configure(Map.of("schema.registry.url", TrafficInput.REGISTRY_URL), false);
        }
        for (; batchesSent < until; batchesSent++) {
            if (apps.values().stream().anyMatch(ChildJvm::isAlive)) {
                awaitConsumed();
            }
            int from = batchStarts.get(batchesSent);
            int to = batchesSent + 1 < batchStarts.size() ? batchStarts.get(batchesSent + 1) : input.records.size();
            List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
            for (TrafficInput.Record r : input.records.subList(from, to)) {
                String topic = TrafficInput.topicOf(r.source(), topics);
                acks.add(producer.send(new ProducerRecord<>(topic, null, r.timestamp(), r.leadId(),
                        serializer.serialize(topic, r.value()))));
            }
            producer.flush();
            for (java.util.concurrent.Future<RecordMetadata> ack : acks) {
                RecordMetadata m = ack.get(); // a failed send fails the test rather than leave a gap in the input
                sentUpTo.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
            }
            recordsSent += to - from;
        }
    }

    /** Waits until the application has committed its input offsets past everything sent so far. */
    private void awaitConsumed() throws InterruptedException {
        if (admin == null) {
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get()));
        }
        String group = "reliability-" + name;
        await("the application to read what was sent", DELIVERY_TIMEOUT, () -> {
            try {
                Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(10, java.util.concurrent.TimeUnit.SECONDS);
                return sentUpTo.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
                        && committed.get(e.getKey()).offset() >= e.getValue());
            } catch (Exception brokerBusyOrDown) {
                return false;
            }
        }, () -> "sent " + sentUpTo + "; " + appTails());
    }

    int recordsSent() {
        return recordsSent;
    }

    // ---- output

    /** Reads what is committed on the handoff topic so far; returns the count. */
    synchronized int pollHandoffs() {
        if (handoffReader == null) {
            serdes = ScoringSerdes.avro(Map.of("schema.registry.url", TrafficInput.REGISTRY_URL));
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get());
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-handoff-reader");
            handoffReader = new KafkaConsumer<>(config, new StringDeserializer(), serdes.stageChange().deserializer());
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topics.sqlHandoffs(), p));
            }
            handoffReader.assign(partitions);
            handoffReader.seekToBeginning(partitions);
        }
        for (ConsumerRecord<String, StageChange> r : handoffReader.poll(Duration.ofMillis(200))) {
            handoffs.add(r.value());
        }
        return handoffs.size();
    }

    /** Waits until at least {@code n} handoffs are committed on the topic. */
    void awaitHandoffs(int n) throws InterruptedException {
        await(n + " committed handoffs", DELIVERY_TIMEOUT, () -> pollHandoffs() >= n,
                () -> "got " + handoffs.size() + "; " + appTails());
    }

    /** Call just before injecting a fault: counts it and notes how far the output was when the first one came. */
    synchronized void fault() {
        faults++;
        if (handoffsBeforeFirstFault == null) {
            handoffsBeforeFirstFault = pollHandoffs();
        }
    }

    // ---- the verdict

    /**
     * Waits for every expected handoff on the topic and in the CRM, keeps reading a while for one too many, then
     * asserts: the handoffs on the topic (read_committed) are replay's, each once; the CRM holds each by its
     * idempotency key, and nothing else; nothing was dead-lettered. Writes the figures.
     */
    Map<String, Object> verify(String test, String fault, Map<String, Object> extra) throws Exception {
        Set<String> expectedIds = input.expected.stream().map(TrafficInput.Handoff::handoffId)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(expectedIds).as("replay's handoffs are distinct").hasSize(input.expected.size());
        await("the " + expectedIds.size() + " handoffs of replay on " + topics.sqlHandoffs(), DELIVERY_TIMEOUT,
                () -> pollHandoffs() >= expectedIds.size(), () -> "got " + handoffs.size() + ", missing "
                        + missing(expectedIds, ids(handoffs)) + "; " + appTails());
        long quietUntil = System.nanoTime() + QUIET.toNanos();
        while (System.nanoTime() - quietUntil < 0) {
            pollHandoffs();
        }
        if (topicMatches(expectedIds)) {
            await("every handoff in the CRM", DELIVERY_TIMEOUT, () -> crm.containsAll(expectedIds),
                    () -> "CRM has " + crm.distinct() + " of " + expectedIds.size() + ", missing "
                            + missing(expectedIds, crm.documents().keySet()) + "; " + connect.tail());
            quietUntil = System.nanoTime() + QUIET.toNanos();
            while (System.nanoTime() - quietUntil < 0) {
                pollHandoffs();
            }
        }

        List<String> onTopic = ids(handoffs);
        Set<String> distinct = new TreeSet<>(onTopic);
        int duplicated = onTopic.size() - distinct.size();
        Set<String> lost = missing(expectedIds, distinct);
        Set<String> unexpected = missing(distinct, expectedIds);
        long deadLettered = deadLettered();
        Map<String, Map<String, Object>> documents = crm.documents();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("test", test);
        figures.put("fault", fault);
        figures.put("faultsInjected", faults);
        figures.put("recordsSent", recordsSent);
        figures.put("handoffsExpected", expectedIds.size());
        figures.put("handoffsOnTopic", onTopic.size());
        figures.put("lost", lost.size());
        figures.put("duplicated", duplicated);
        figures.put("unexpected", unexpected.size());
        figures.put("deliveredToCrm", documents.size());
        figures.put("crmRedeliveriesDeduplicated", crm.duplicates());
        figures.put("crmRejected", crm.rejected());
        figures.put("deadLettered", deadLettered);
        figures.put("handoffsBeforeFirstFault", handoffsBeforeFirstFault);
        figures.put("stageChangesInReplay", input.expectedStageChanges);
        figures.put("seconds", Math.round((System.nanoTime() - startedNanos) / 1e9));
        figures.putAll(extra);
        Reliability.record(figures);

        assertThat(recordsSent).as("records sent").isEqualTo(input.records.size());
        assertThat(faults).as("faults injected").isPositive();
        assertThat(handoffsBeforeFirstFault).as("the first fault came mid-stream, after some handoffs and before all")
                .isPositive().isLessThan(expectedIds.size());
        assertThat(lost).as("handoffs of replay missing from %s (replay's: %s; live, not in replay: %s)",
                topics.sqlHandoffs(), describeExpected(lost), describeLive(unexpected)).isEmpty();
        assertThat(duplicated).as("handoffs committed twice on %s: %s", topics.sqlHandoffs(), repeated(onTopic))
                .isZero();
        assertThat(unexpected).as("handoffs on %s that replay does not make", topics.sqlHandoffs()).isEmpty();
        for (StageChange h : handoffs) {
            assertThat(h.getHandoffId()).as("id of %s", h).isEqualTo(
                    Scorer.handoffId(h.getLeadId(), Stage.SQL, h.getAt().toEpochMilli(), h.getRuleSet()));
        }
        assertThat(documents.keySet()).as("handoffs in the CRM, by idempotency key")
                .containsExactlyInAnyOrderElementsOf(expectedIds);
        for (TrafficInput.Handoff h : input.expected) {
            Map<String, Object> doc = documents.get(h.handoffId());
            assertThat(doc.get("leadId")).as("lead of %s", h).isEqualTo(h.leadId());
            assertThat(((Number) doc.get("at")).longValue()).as("time of %s", h).isEqualTo(h.at());
        }
        assertThat(crm.rejected()).as("requests the CRM refused (bad signature or no key)").isZero();
        assertThat(deadLettered).as("records dead-lettered on %s", deadLetterTopics).isZero();
        assertThat(connectorRunning()).as("connector still running").isTrue();
        return figures;
    }

    private synchronized boolean topicMatches(Set<String> expectedIds) {
        List<String> onTopic = ids(handoffs);
        return onTopic.size() == expectedIds.size() && new TreeSet<>(onTopic).equals(expectedIds);
    }

    private String describeExpected(Set<String> ids) {
        return input.expected.stream().filter(h -> ids.contains(h.handoffId()))
                .map(h -> h.leadId() + "@" + h.at()).toList().toString();
    }

    private String describeLive(Set<String> ids) {
        return handoffs.stream().filter(h -> ids.contains(h.getHandoffId()))
                .map(h -> h.getLeadId() + "@" + h.getAt().toEpochMilli() + " score " + h.getScore() + " fit "
                        + h.getFit() + " grade " + h.getFitGrade())
                .toList().toString();
    }

    /** Records on the application's and the connector's dead-letter topics. */
    private long deadLettered() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get()))) {
            long total = 0;
            for (String topic : deadLetterTopics) {
                TopicDescription description;
                try {
                    description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                        continue; // never created: nothing was dead-lettered there
                    }
                    throw e;
                }
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                        OffsetSpec.latest()));
                for (var info : admin.listOffsets(latest).all().get().values()) {
                    total += info.offset();
                }
            }
            return total;
        }
    }

    private void awaitTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.get()))) {
            await("the application's topics", START_TIMEOUT, () -> {
                try {
                    return admin.listTopics().names().get().containsAll(topics.inputs());
                } catch (Exception e) {
                    return false;
                }
            }, () -> "");
        }
    }

    private String appTails() {
        return apps.values().stream().map(ChildJvm::tail).collect(Collectors.joining("\n"));
    }

    private static List<String> ids(List<StageChange> changes) {
        return changes.stream().map(StageChange::getHandoffId).toList();
    }

    private static Set<String> missing(Set<String> expected, java.util.Collection<String> actual) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        return missing;
    }

    private static Map<String, Long> repeated(List<String> ids) {
        Map<String, Long> counts = ids.stream()
                .collect(Collectors.groupingBy(id -> id, java.util.TreeMap::new, Collectors.counting()));
        counts.values().removeIf(n -> n < 2);
        return counts;
    }

    static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> detail)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what + ": "
                        + detail.get());
            }
            Thread.sleep(200);
        }
    }

    private static void store(Map<?, ?> values, Path file) throws IOException {
        Properties p = new Properties();
        p.putAll(values);
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, "reliability-tests");
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Override
    public void close() {
        if (connect != null) {
            connect.close();
        }
        apps.values().forEach(ChildJvm::close);
        crm.close();
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            serializer.close();
        }
        synchronized (this) {
            if (handoffReader != null) {
                handoffReader.close();
                serdes.close();
            }
        }
    }
}
