package io.leadscoring.demo;

import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.streams.Topics;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@link TrafficPlan} at a steady rate, the way tracking pixels, the email service and the CRM would:
 * Avro values keyed by lead id, stamped with the wall clock.
 */
final class TrafficSimulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TrafficSimulator.class);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final TrafficPlan plan;
    private final double rate;
    private final Topics topics;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaAvroSerializer serializer;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong leads = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    TrafficSimulator(TrafficPlan plan, double rate, Topics topics, String bootstrapServers,
            Map<String, ?> registryConfig) {
        this.plan = plan;
        this.rate = rate;
        this.topics = topics;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "demo-traffic");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.serializer = new KafkaAvroSerializer();
        serializer.configure(registryConfig, false);
        this.thread = new Thread(this::run, "demo-traffic");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Records the broker acknowledged. */
    long published() {
        return published.get();
    }

    /** Leads whose first record (the profile) the broker acknowledged. */
    long leads() {
        return leads.get();
    }

    private void run() {
        Pacer pacer = new Pacer(rate, System.nanoTime());
        try {
            while (running) {
                int due = pacer.due(System.nanoTime());
                for (int i = 0; i < due && running; i++) {
                    SimEvent event = plan.next();
                    if (event != null) {
                        send(event);
                    }
                }
                pacer.sent(due);
                long wait = pacer.nanosUntilNext(System.nanoTime());
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, MAX_PARK_NANOS));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Traffic simulator stopped", e);
        }
    }

    private void send(SimEvent event) {
        long now = System.currentTimeMillis();
        String topic = AvroRecords.topic(topics, event.step());
        Object value = AvroRecords.value(event, Instant.ofEpochMilli(now));
        byte[] bytes = value instanceof byte[] raw ? raw : serializer.serialize(topic, value);
        boolean firstOfLead = event.step() instanceof Step.Profile;
        producer.send(new ProducerRecord<>(topic, null, now, event.leadId(), bytes), (metadata, error) -> {
            if (error != null) {
                log.warn("Could not publish {} to {}", event.eventId(), topic, error);
            } else {
                published.incrementAndGet();
                if (firstOfLead) {
                    leads.incrementAndGet();
                }
            }
        });
    }

    /** Stops publishing; what was sent is flushed first. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(DemoDefaults.CLOSE_TIMEOUT);
        serializer.close();
    }
}
