package io.leadscoring.app;

import io.leadscoring.events.Reason;
import io.leadscoring.events.StageChange;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newest SQL handoffs, for the web page: a read_committed consumer without a group tails the handoff topic from
 * {@code lookback} ago and keeps the last {@code capacity} in memory. Handoffs are rare (one per sales-ready lead),
 * so every instance can afford to read them all; only committed ones show, the same the CRM connector sees.
 */
public final class RecentHandoffs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RecentHandoffs.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final Deserializer<StageChange> deserializer;
    private final int capacity;
    private final Duration lookback;
    private final Clock clock;
    private final Deque<Map<String, Object>> newest = new ArrayDeque<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    /** @param clientConfig bootstrap servers and security settings (any other key is ignored) */
    public RecentHandoffs(Map<String, ?> clientConfig, String topic, Deserializer<StageChange> deserializer,
            int capacity, Duration lookback, Clock clock) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.keySet().retainAll(ConsumerConfig.configNames());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "recent-handoffs-" + Long.toHexString(System.nanoTime()));
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        this.consumerConfig = config;
        this.topic = topic;
        this.deserializer = deserializer;
        this.capacity = capacity;
        this.lookback = lookback;
        this.clock = clock;
    }

    public synchronized void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        thread = new Thread(this::run, "recent-handoffs");
        thread.setDaemon(true);
        thread.start();
    }

    /** {@code {"total": n, "handoffs": [newest first]}}, at most {@code limit} of them. */
    public Map<String, Object> snapshot(int limit) {
        List<Map<String, Object>> list;
        synchronized (newest) {
            list = newest.stream().limit(limit).collect(Collectors.toCollection(ArrayList::new));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", total.get());
        out.put("handoffs", list);
        return out;
    }

    /** Handoffs seen since start (within the lookback). */
    public long total() {
        return total.get();
    }

    private void run() {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig)) {
            consumer = c;
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
            c.assign(partitions);
            seekToLookback(c, partitions);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : c.poll(POLL)) {
                    add(record);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke us up
        } catch (RuntimeException e) {
            if (running.get()) {
                log.warn("The recent-handoffs feed of the web page stopped: {}", e.toString());
            }
        } finally {
            consumer = null;
        }
    }

    private void seekToLookback(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> partitions) {
        long since = clock.millis() - lookback.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, since));
        Map<TopicPartition, OffsetAndTimestamp> offsets = c.offsetsForTimes(query);
        List<TopicPartition> toEnd = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            OffsetAndTimestamp at = offsets.get(tp);
            if (at == null) {
                toEnd.add(tp);
            } else {
                c.seek(tp, at.offset());
            }
        }
        c.seekToEnd(toEnd);
    }

    private void add(ConsumerRecord<byte[], byte[]> record) {
        StageChange h;
        try {
            h = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException unreadable) {
            log.debug("Skipping an unreadable handoff at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return;
        }
        if (h == null) {
            return;
        }
        Map<String, Object> json = toJson(h);
        synchronized (newest) {
            newest.addFirst(json);
            while (newest.size() > capacity) {
                newest.removeLast();
            }
        }
        total.incrementAndGet();
    }

    static Map<String, Object> toJson(StageChange h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("handoffId", h.getHandoffId());
        m.put("leadId", h.getLeadId());
        m.put("at", h.getAt().toEpochMilli());
        m.put("score", h.getScore());
        m.put("engagement", h.getEngagement());
        m.put("fit", h.getFit());
        m.put("fitGrade", h.getFitGrade().name());
        m.put("temperature", h.getTemperature().name());
        m.put("activity", h.getActivity().name());
        m.put("ruleSet", h.getRuleSet());
        List<Map<String, Object>> reasons = new ArrayList<>();
        for (Reason r : h.getReasons()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("rule", r.getRule());
            rm.put("points", r.getPoints());
            reasons.add(rm);
        }
        m.put("reasons", reasons);
        m.put("email", h.getEmail());
        m.put("firstName", h.getFirstName());
        m.put("lastName", h.getLastName());
        m.put("company", h.getCompany());
        return m;
    }

    @Override
    public void close() {
        running.set(false);
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
