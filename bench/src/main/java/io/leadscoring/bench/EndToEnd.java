package io.leadscoring.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.streams.ScoringConfig;
import io.leadscoring.streams.Topics;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Section 3: the scoring application and two pass-through topologies, one after the other, each in its own JVM,
 * draining the same backlog of input records from the same topics on one embedded broker with exactly-once. The
 * backlog is produced before any of them starts, so each runs as fast as it can; its rate is read from the offsets
 * it commits (every {@code commit.interval.ms}, in its transactions).
 */
final class EndToEnd {

    /** How often the committed offsets are read. */
    private static final long POLL_MILLIS = 100;

    /** What one application did with the backlog. */
    record Drain(String mode, long records, double seconds, double firstCommitSeconds, double steadyRecordsPerSecond,
            JsonNode child) {
        double recordsPerSecond() {
            return records / seconds;
        }

        double recordsPerCpuSecond() {
            return records / child.path("cpuSeconds").asDouble();
        }
    }

    private final BenchBroker broker;
    private final Path work;
    private final Path rules;
    private final int partitions;
    private final List<String> childJvmArgs;
    private final Map<String, String> appProps;

    /**
     * @param appProps properties given to every application (scoring and pass-through) over the suite's own, to
     *     measure a setting: {@code bench/run --app-prop commit.interval.ms=1000}
     */
    EndToEnd(BenchBroker broker, Path work, Path rules, int partitions, List<String> childJvmArgs,
            Map<String, String> appProps) {
        this.broker = broker;
        this.work = work;
        this.rules = rules;
        this.partitions = partitions;
        this.childJvmArgs = childJvmArgs;
        this.appProps = appProps;
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    int partitions() {
        return partitions;
    }

    /** Input topics under a prefix; outputs under the application's own prefix (set by {@link #appTopics}). */
    static Topics inputs(String prefix) {
        Topics d = Topics.defaults();
        return new Topics(prefix + d.webEvents(), prefix + d.emailEvents(), prefix + d.downloadEvents(),
                prefix + d.profiles(), d.scores(), d.stageChanges(), d.sqlHandoffs(), d.deadLetter());
    }

    static Topics appTopics(Topics inputs, String outputPrefix) {
        Topics d = Topics.defaults();
        return new Topics(inputs.webEvents(), inputs.emailEvents(), inputs.downloadEvents(), inputs.profiles(),
                outputPrefix + d.scores(), outputPrefix + d.stageChanges(), outputPrefix + d.sqlHandoffs(),
                outputPrefix + d.deadLetter());
    }

    /** Creates the input topics as an operator would: equal partition counts, profiles compacted. */
    void createInputs(Topics topics) throws Exception {
        List<NewTopic> created = new ArrayList<>();
        for (String topic : topics.inputs()) {
            Map<String, String> configs = new HashMap<>();
            if (topics.isCompacted(topic)) {
                configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            }
            created.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(configs));
        }
        broker.admin().createTopics(created).all().get(60, TimeUnit.SECONDS);
    }

    /** Output topics of a pass-through run, made as the scoring application makes its own (LogAppendTime). */
    void createPassThroughOutputs(Topics topics, String prefix) throws Exception {
        List<NewTopic> created = new ArrayList<>();
        for (String topic : topics.inputs()) {
            created.add(new NewTopic(prefix + topic, Optional.of(partitions), Optional.empty())
                    .configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
        }
        broker.admin().createTopics(created).all().get(60, TimeUnit.SECONDS);
    }

    /** An idempotent producer of raw bytes (values are serialized by {@link #serializer()}). */
    KafkaProducer<String, byte[]> producer(int lingerMs) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-traffic");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    static KafkaAvroSerializer serializer() {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Map.of("schema.registry.url", Schemas.REGISTRY_URL), false);
        return serializer;
    }

    /**
     * Produces {@code records} records of {@code traffic}, event times one {@code stepMillis} apart and ending now
     * (recent, so the broker's time retention keeps them); returns how many leads they cover.
     */
    long produceBacklog(Topics topics, LeadTraffic traffic, int records, long stepMillis) throws Exception {
        long start = System.currentTimeMillis() - records * stepMillis;
        try (KafkaProducer<String, byte[]> producer = producer(20); KafkaAvroSerializer serializer = serializer()) {
            for (int i = 0; i < records; i++) {
                LeadTraffic.Event e = traffic.next(start + i * stepMillis);
                byte[] value = serializer.serialize(e.topic(), e.value());
                producer.send(new ProducerRecord<>(e.topic(), null, e.timestamp(), e.leadId(), value));
            }
            producer.flush();
        }
        return traffic.leadsSeen();
    }

    /** The properties {@code run} would read for one application over these topics. */
    Path appProperties(String name, Topics topics, Map<String, String> extra) throws IOException {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-" + name);
        props.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state-" + name).toString());
        props.put("schema.registry.url", Schemas.REGISTRY_URL);
        props.put(ScoringConfig.RULES_FILE, rules.toString());
        props.put(ScoringConfig.TOPIC_WEB_EVENTS, topics.webEvents());
        props.put(ScoringConfig.TOPIC_EMAIL_EVENTS, topics.emailEvents());
        props.put(ScoringConfig.TOPIC_DOWNLOAD_EVENTS, topics.downloadEvents());
        props.put(ScoringConfig.TOPIC_PROFILES, topics.profiles());
        props.put(ScoringConfig.TOPIC_SCORES, topics.scores());
        props.put(ScoringConfig.TOPIC_STAGE_CHANGES, topics.stageChanges());
        props.put(ScoringConfig.TOPIC_SQL_HANDOFFS, topics.sqlHandoffs());
        props.put(ScoringConfig.TOPIC_DEAD_LETTER, topics.deadLetter());
        props.put(ScoringConfig.TOPICS_PARTITIONS, Integer.toString(partitions));
        props.put(ScoringConfig.TOPICS_REPLICATION_FACTOR, "1");
        props.put(ScoringConfig.HTTP_ENABLED, "false");
        // samples/pipeline.properties: exactly-once, commit every 100 ms, one stream thread.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        props.putAll(appProps);
        props.putAll(extra);
        Files.createDirectories(work);
        Path file = work.resolve(name + ".properties");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(writer, "bench: " + name);
        }
        return file;
    }

    ChildJvm startApp(String mode, String name, Path properties) throws Exception {
        ChildJvm child = ChildJvm.start(childJvmArgs, AppHost.class, List.of(mode, properties.toString()),
                work.resolve("logs").resolve(name + ".log"));
        child.await(AppHost.READY, false, Duration.ofSeconds(180));
        return child;
    }

    /**
     * Starts one application over the backlog, waits until it has committed every input offset, stops it. The steady
     * rate is the one between 10 % and 90 % of the backlog (start-up and the last commit excluded).
     */
    Drain drain(String mode, String name, Topics topics, Map<String, String> extra, Duration timeout)
            throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(topics.inputs());
        long total = ends.values().stream().mapToLong(Long::longValue).sum();
        Path properties = appProperties(name, topics, extra);
        String group = "bench-" + name;
        try (ChildJvm child = startApp(mode, name, properties)) {
            long t0 = System.nanoTime();
            List<long[]> samples = new ArrayList<>();
            samples.add(new long[] {t0, 0});
            long committed = 0;
            while (committed < total) {
                if (System.nanoTime() - t0 > timeout.toNanos()) {
                    child.send(AppHost.STOP);
                    throw new IllegalStateException(name + ": only " + committed + " of " + total
                            + " records committed within " + timeout.toSeconds() + " s");
                }
                Thread.sleep(POLL_MILLIS);
                committed = Math.max(committed, committed(group, ends));
                samples.add(new long[] {System.nanoTime(), committed});
            }
            double seconds = (samples.get(samples.size() - 1)[0] - t0) / 1e9;
            double steady = rateBetween(samples, total / 10, total * 9 / 10);
            double firstCommit = Double.NaN;
            for (long[] sample : samples) {
                if (sample[1] > 0) {
                    firstCommit = (sample[0] - t0) / 1e9;
                    break;
                }
            }
            child.send(AppHost.STOP);
            JsonNode result = child.awaitResult(Duration.ofSeconds(90));
            return new Drain(mode, total, seconds, firstCommit, steady, result);
        }
    }

    /** Records per second between the moments the committed count first reached {@code from} and {@code to}. */
    static double rateBetween(List<long[]> samples, long from, long to) {
        double tFrom = crossing(samples, from);
        double tTo = crossing(samples, to);
        return tTo > tFrom ? (to - from) / ((tTo - tFrom) / 1e9) : Double.NaN;
    }

    /** The time the count reached {@code target}, interpolated linearly between two samples. */
    private static double crossing(List<long[]> samples, long target) {
        for (int i = 1; i < samples.size(); i++) {
            long[] a = samples.get(i - 1);
            long[] b = samples.get(i);
            if (b[1] >= target) {
                if (b[1] == a[1]) {
                    return b[0];
                }
                return a[0] + (b[0] - a[0]) * (double) (target - a[1]) / (b[1] - a[1]);
            }
        }
        return Double.NaN;
    }

    Map<TopicPartition, Long> endOffsets(List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (String topic : topics) {
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        broker.admin().listOffsets(request).all().get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    private long committed(String group, Map<TopicPartition, Long> ends) throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = broker.admin().listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            long sum = 0;
            for (TopicPartition tp : ends.keySet()) {
                OffsetAndMetadata offset = offsets.get(tp);
                if (offset != null) {
                    sum += offset.offset();
                }
            }
            return sum;
        } catch (ExecutionException | TimeoutException e) {
            return 0; // the group is not there yet, or the broker is slow to answer: try again
        }
    }
}
