package io.leadscoring.demo;

import io.leadscoring.events.Stage;
import io.leadscoring.events.StageChange;
import io.leadscoring.serde.KafkaAvroDeserializer;
import io.leadscoring.streams.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the pipeline emits from the moment it starts, from the topics themselves: stage changes, SQL handoffs
 * (distinct handoff ids) and dead letters. It reads committed records only, as the CRM connector does: what an
 * aborted transaction wrote never counts.
 */
final class PipelineMonitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PipelineMonitor.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** What has been counted so far. */
    record Counts(long mqls, long sqls, long handoffs, long deadLetters, long crmDeadLetters, long lastChangeNanos) {
    }

    private final Topics topics;
    private final String crmDeadLetterTopic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaAvroDeserializer deserializer;
    private final Thread thread;
    private final AtomicLong mqls = new AtomicLong();
    private final AtomicLong sqls = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong crmDeadLetters = new AtomicLong();
    private final AtomicLong lastChange = new AtomicLong(System.nanoTime());
    private final Set<String> handoffIds = new HashSet<>();
    private volatile boolean running = true;

    PipelineMonitor(Topics topics, String crmDeadLetterTopic, String bootstrapServers,
            Map<String, ?> registryConfig) {
        this.topics = topics;
        this.crmDeadLetterTopic = crmDeadLetterTopic;
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "demo-monitor");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> serde = new HashMap<>(registryConfig);
        serde.put("specific.avro.reader", true);
        this.deserializer = new KafkaAvroDeserializer();
        deserializer.configure(serde, false);
        this.thread = new Thread(this::run, "demo-monitor");
        thread.setDaemon(true);
    }

    /** Starts counting from the current end of each topic. */
    PipelineMonitor start() {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.stageChanges(), topics.sqlHandoffs(), topics.deadLetter(),
                crmDeadLetterTopic)) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, DemoDefaults.CLOSE_TIMEOUT);
            if (infos != null) {
                infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve the end offsets now, before the traffic starts
        thread.start();
        return this;
    }

    Counts counts() {
        long handoffs;
        synchronized (handoffIds) {
            handoffs = handoffIds.size();
        }
        return new Counts(mqls.get(), sqls.get(), handoffs, deadLetters.get(), crmDeadLetters.get(),
                lastChange.get());
    }

    /** The distinct handoff ids seen on the handoffs topic. */
    Set<String> handoffIds() {
        synchronized (handoffIds) {
            return Set.copyOf(handoffIds);
        }
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    count(record);
                    lastChange.set(System.nanoTime());
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop.
        } catch (RuntimeException e) {
            log.error("Pipeline monitor stopped", e);
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> record) {
        String topic = record.topic();
        if (topic.equals(topics.deadLetter())) {
            deadLetters.incrementAndGet();
        } else if (topic.equals(crmDeadLetterTopic)) {
            crmDeadLetters.incrementAndGet();
        } else if (record.value() != null) {
            StageChange change;
            try {
                change = (StageChange) deserializer.deserialize(topic, record.value());
            } catch (RuntimeException e) {
                log.warn("Cannot read {}-{}@{}", topic, record.partition(), record.offset(), e);
                return;
            }
            if (topic.equals(topics.sqlHandoffs())) {
                synchronized (handoffIds) {
                    handoffIds.add(change.getHandoffId());
                }
            } else if (change.getStage() == Stage.MQL) {
                mqls.incrementAndGet();
            } else if (change.getStage() == Stage.SQL) {
                sqls.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(DemoDefaults.CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(CloseOptions.timeout(DemoDefaults.CLOSE_TIMEOUT));
        deserializer.close();
    }
}
