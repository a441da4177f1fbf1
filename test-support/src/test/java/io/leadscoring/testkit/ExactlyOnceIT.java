package io.leadscoring.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The single node must support the whole exactly-once toolbox: transactions, read_committed, offsets in transactions. */
@EmbeddedKafka
class ExactlyOnceIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaBroker kafka;

    ExactlyOnceIT(KafkaBroker kafka) {
        this.kafka = kafka;
    }

    @Test
    void readCommittedSeesOnlyCommittedTransactions() {
        String topic = kafka.createTopic("eos-commit-abort", 1);

        try (KafkaProducer<String, String> producer = transactionalProducer("eos-commit-abort")) {
            producer.initTransactions();
            sendInTransaction(producer, topic, List.of("c1", "c2", "c3"));
            producer.commitTransaction();
            sendInTransaction(producer, topic, List.of("a1", "a2"));
            producer.flush();
            producer.abortTransaction();
            sendInTransaction(producer, topic, List.of("c4"));
            producer.commitTransaction();
        }

        assertThat(values(kafka.consume(topic, new StringDeserializer(), new StringDeserializer(), 4, TIMEOUT)))
                .containsExactly("c1", "c2", "c3", "c4");
        assertThat(values(kafka.consumeFor(topic, new StringDeserializer(), new StringDeserializer(),
                Duration.ofSeconds(1))))
                .containsExactly("c1", "c2", "c3", "c4");
        // The aborted records did reach the log: read_uncommitted sees them.
        assertThat(readUncommitted(topic, 6)).containsExactly("c1", "c2", "c3", "a1", "a2", "c4");
    }

    @Test
    void consumeTransformProduceCommitsOffsetsInTheTransaction() throws Exception {
        String input = kafka.createTopic("eos-input", 2);
        String output = kafka.createTopic("eos-output", 2);
        String groupId = kafka.uniqueGroupId("eos-app");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(input, "lead-" + i, "event-" + i)).get();
            }
        }

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafka.consumerConfig(groupId),
                new StringDeserializer(), new StringDeserializer());
                KafkaProducer<String, String> producer = transactionalProducer("eos-app")) {
            consumer.subscribe(List.of(input));
            producer.initTransactions();
            int transformed = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (transformed < 5 && System.nanoTime() < deadline) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, String> record : records) {
                    producer.send(new ProducerRecord<>(output, record.key(), record.value().toUpperCase()));
                    offsets.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                    transformed++;
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                producer.commitTransaction();
            }
            assertThat(transformed).isEqualTo(5);
        }

        assertThat(values(kafka.consume(output, new StringDeserializer(), new StringDeserializer(), 5, TIMEOUT)))
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 5).mapToObj(i -> "EVENT-" + i).collect(Collectors.toList()));
        long committed = kafka.admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get()
                .values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        assertThat(committed).isEqualTo(5);
    }

    private KafkaProducer<String, String> transactionalProducer(String prefix) {
        return new KafkaProducer<>(kafka.transactionalProducerConfig(kafka.uniqueTransactionalId(prefix)),
                new StringSerializer(), new StringSerializer());
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic, List<String> values) {
        producer.beginTransaction();
        values.forEach(value -> producer.send(new ProducerRecord<>(topic, value, value)));
    }

    private List<String> readUncommitted(String topic, int expected) {
        Map<String, Object> config = kafka.consumerConfig(kafka.uniqueGroupId("uncommitted"));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config,
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).collect(Collectors.toList());
    }
}
