package io.leadscoring.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Section 4: event-to-handoff latency at a fixed offered load. A paced producer publishes the traffic with each
 * event's time = the wall clock when it is made; a {@code read_committed} consumer (what the CRM connector is) receives
 * the handoffs. Latency = the consumer's receive time − the handoff's {@code at}, which is the time of the event that
 * made the lead an SQL. Also recorded: the broker's LogAppendTime of the handoff (the application's output topics use
 * it) − {@code at}, which leaves out the wait for the transaction to commit; and the same for every score update.
 */
final class Latency {

    /** Percentiles of one histogram, milliseconds. */
    record Percentiles(long count, double p50, double p95, double p99, double max, double mean) {
        static Percentiles of(Histogram h) {
            return new Percentiles(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(95),
                    h.getValueAtPercentile(99), h.getMaxValue(), h.getMean());
        }
    }

    record Result(double offeredRate, double achievedRate, double warmupSeconds, double seconds, long records,
            long leads,
            Percentiles handoffs, Percentiles handoffsAppended, Percentiles scores, long[] scoreMaxBySecond,
            JsonNode child) {
    }

    private Latency() {
    }

    /** The application has caught up when the newest score it wrote is younger than this, 3 checks in a row. */
    private static final long CAUGHT_UP_MILLIS = 1000;

    /**
     * Publishes at {@code rate} for at least {@code warmup} and until the application has caught up with the traffic
     * (Kafka Streams reports RUNNING before its tasks have all started, and the JIT is cold), then measures for
     * {@code measure}; after {@code maxWarmup} it measures anyway.
     */
    static Result run(EndToEnd e2e, LeadTraffic traffic, double rate, Duration warmup, Duration maxWarmup,
            Duration measure) throws Exception {
        Topics inputs = EndToEnd.inputs("lat.");
        e2e.createInputs(inputs);
        Topics topics = EndToEnd.appTopics(inputs, "lat-scoring.");
        Path properties = e2e.appProperties("latency", topics, Map.of());
        Histogram handoffs = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        Histogram appended = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        Histogram scores = new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
        // Worst score latency per second of the measurement (by event time): shows whether the application kept up.
        long[] scoreMaxBySecond = new long[(int) measure.toSeconds()];
        AtomicLong lastHandoff = new AtomicLong(System.nanoTime());
        AtomicLong lastScoreLatency = new AtomicLong(Long.MAX_VALUE);
        // Event times in [measureFrom, measureTo) are measured; set once the warm-up is over.
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        AtomicLong measureTo = new AtomicLong(Long.MAX_VALUE);

        try (ChildJvm app = e2e.startApp("scoring", "latency", properties);
                ScoringSerdes serdes = ScoringSerdes.avro(Map.of("schema.registry.url", Schemas.REGISTRY_URL))) {
            AtomicBoolean running = new AtomicBoolean(true);
            Thread handoffReader = reader("bench-handoffs", e2e, topics.sqlHandoffs(),
                    serdes.stageChange().deserializer(), running, (record, received) -> {
                        long at = record.value().getAt().toEpochMilli();
                        if (at >= measureFrom.get() && at < measureTo.get()) {
                            handoffs.recordValue(Math.max(0, received - at));
                            appended.recordValue(Math.max(0, record.timestamp() - at));
                        }
                        lastHandoff.set(System.nanoTime());
                    });
            Thread scoreReader = reader("bench-scores", e2e, topics.scores(), serdes.leadScore().deserializer(),
                    running, (record, received) -> {
                        long at = record.value().getAsOf().toEpochMilli();
                        long latency = Math.max(0, received - at);
                        lastScoreLatency.set(latency);
                        long from = measureFrom.get();
                        if (at >= from && at < measureTo.get()) {
                            scores.recordValue(latency);
                            int second = (int) ((at - from) / 1000);
                            scoreMaxBySecond[second] = Math.max(scoreMaxBySecond[second], latency);
                        }
                    });

            long start = System.currentTimeMillis();
            long sent = 0;
            long measuredSent = 0;
            int caughtUpChecks = 0;
            long nextCheck = start + 500;
            try (KafkaProducer<String, byte[]> producer = e2e.producer(5);
                    KafkaAvroSerializer serializer = EndToEnd.serializer()) {
                // Paced against the clock: the schedule, not the previous send, says when the next record is due.
                while (true) {
                    long now = System.currentTimeMillis();
                    if (now >= measureTo.get()) {
                        break;
                    }
                    if (measureFrom.get() == Long.MAX_VALUE && now >= nextCheck) {
                        nextCheck = now + 500;
                        caughtUpChecks = lastScoreLatency.get() < CAUGHT_UP_MILLIS ? caughtUpChecks + 1 : 0;
                        boolean warm = now - start >= warmup.toMillis() && caughtUpChecks >= 3;
                        if (warm || now - start >= maxWarmup.toMillis()) {
                            measureTo.set(now + measure.toMillis());
                            measureFrom.set(now);
                        }
                    }
                    long due = (long) ((now - start) * rate / 1000.0);
                    while (sent < due) {
                        LeadTraffic.Event e = traffic.next(System.currentTimeMillis());
                        byte[] value = serializer.serialize(e.topic(), e.value());
                        producer.send(new ProducerRecord<>(e.topic(), null, e.timestamp(), e.leadId(), value));
                        sent++;
                        if (e.timestamp() >= measureFrom.get()) {
                            measuredSent++;
                        }
                    }
                    Thread.sleep(1);
                }
                producer.flush();
            }
            double warmupSeconds = (measureFrom.get() - start) / 1000.0;
            double achieved = measuredSent / (measure.toMillis() / 1000.0);
            // The last handoffs are still on their way: wait until none has come for 2 s.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() - lastHandoff.get() < TimeUnit.SECONDS.toNanos(2)
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            running.set(false);
            handoffReader.join(10_000);
            scoreReader.join(10_000);
            app.send(AppHost.STOP);
            JsonNode child = app.awaitResult(Duration.ofSeconds(90));
            return new Result(rate, achieved, warmupSeconds, measure.toMillis() / 1000.0, sent, traffic.leadsSeen(),
                    Percentiles.of(handoffs), Percentiles.of(appended), Percentiles.of(scores), scoreMaxBySecond,
                    child);
        }
    }

    interface OnRecord<V> {
        void accept(ConsumerRecord<String, V> record, long receivedMillis);
    }

    /** A thread that reads every partition of a topic from the start, read_committed, until {@code running} ends. */
    private static <V> Thread reader(String name, EndToEnd e2e, String topic, Deserializer<V> values,
            AtomicBoolean running, OnRecord<V> onRecord) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, e2e.bootstrapServers());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < e2e.partitions(); p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        Thread thread = new Thread(() -> {
            try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running.get()) {
                    ConsumerRecords<String, V> records = consumer.poll(Duration.ofMillis(50));
                    long received = System.currentTimeMillis();
                    for (ConsumerRecord<String, V> record : records) {
                        onRecord.accept(record, received);
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
