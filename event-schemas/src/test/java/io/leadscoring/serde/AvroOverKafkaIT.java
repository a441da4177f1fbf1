package io.leadscoring.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.leadscoring.events.LeadScore;
import io.leadscoring.serde.AvroSerializationException.Reason;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;

/** Our serializer and deserializer on both ends of a real broker. */
@EmbeddedKafka
class AvroOverKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String scope = "kafka-it-" + UUID.randomUUID();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void everyRecordTypeAndATombstoneThroughOneTopic(KafkaBroker broker) {
        String topic = broker.createTopic("leads.events", 2);
        Map<String, Object> serde = Samples.config(scope, "value.subject.name.strategy",
                "io.confluent.kafka.serializers.subject.RecordNameStrategy");
        // The producer hands the serializers its whole configuration, as it does for Confluent's.
        Map<String, Object> producerConfig = broker.producerConfig();
        producerConfig.putAll(serde);
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class);
        List<SpecificRecord> sent = RoundTripTest.everyRecordType().toList();
        try (KafkaProducer<Object, Object> producer = new KafkaProducer<>(producerConfig)) {
            for (int i = 0; i < sent.size(); i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, sent.get(i)));
            }
            producer.send(new ProducerRecord<>(topic, "key-gone", null));
        }

        KafkaAvroDeserializer keys = new KafkaAvroDeserializer();
        keys.configure(serde, true);
        Map<String, Object> valueConfig = new HashMap<>(serde);
        valueConfig.put("specific.avro.reader", "true");
        KafkaAvroDeserializer values = new KafkaAvroDeserializer();
        values.configure(valueConfig, false);
        List<ConsumerRecord<Object, Object>> received = broker.consume(topic, keys, values, sent.size() + 1, TIMEOUT);

        Map<Object, Object> byKey = new HashMap<>();
        received.forEach(r -> byKey.put(r.key(), r.value()));
        assertThat(byKey).hasSize(sent.size() + 1).containsEntry("key-gone", null);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(byKey.get("key-" + i)).isEqualTo(sent.get(i));
        }
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).containsExactlyInAnyOrder(topic + "-key",
                "io.leadscoring.events.WebEvent", "io.leadscoring.events.EmailEvent",
                "io.leadscoring.events.DownloadEvent", "io.leadscoring.events.LeadProfile",
                "io.leadscoring.events.LeadScore", "io.leadscoring.events.StageChange");
        keys.close();
        values.close();
    }

    @Test
    void specificAvroSerdeOnBothEnds(KafkaBroker broker) {
        String topic = broker.createTopic("leads.scores", 1);
        try (SpecificAvroSerde<LeadScore> serde = new SpecificAvroSerde<>()) {
            serde.configure(Samples.config(scope), false);
            try (KafkaProducer<String, LeadScore> producer = new KafkaProducer<>(broker.producerConfig(),
                    new StringSerializer(), serde.serializer())) {
                producer.send(new ProducerRecord<>(topic, "lead-42", Samples.leadScore()));
            }

            List<ConsumerRecord<String, LeadScore>> received = broker.consume(topic, new StringDeserializer(),
                    serde.deserializer(), 1, TIMEOUT);

            assertThat(received).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo("lead-42");
                assertThat(r.value()).isEqualTo(Samples.leadScore());
            });
        }
    }

    @Test
    void aBadRecordSurfacesWithItsReasonAndOffsetAndCanBeSkipped(KafkaBroker broker) {
        String topic = broker.createTopic("leads.web-events", 1);
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Samples.config(scope), false);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.producerConfig(),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "good-1", serializer.serialize(topic, Samples.webEvent())));
            producer.send(new ProducerRecord<>(topic, "json", "{\"eventId\":\"x\"}".getBytes()));
            producer.send(new ProducerRecord<>(topic, "good-2", serializer.serialize(topic, Samples.webEvent())));
        }

        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Samples.config(scope, "specific.avro.reader", true), false);
        TopicPartition partition = new TopicPartition(topic, 0);
        List<String> goodKeys = new ArrayList<>();
        List<RecordDeserializationException> bad = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(
                broker.consumerConfig(broker.uniqueGroupId("bad-bytes")), new StringDeserializer(), deserializer)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (goodKeys.size() + bad.size() < 3 && System.nanoTime() < deadline) {
                try {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        assertThat(r.value()).isEqualTo(Samples.webEvent());
                        goodKeys.add(r.key());
                    });
                } catch (RecordDeserializationException e) {
                    // what a dead-letter handler does: note the record, skip it
                    bad.add(e);
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }

        assertThat(goodKeys).containsExactly("good-1", "good-2");
        assertThat(bad).singleElement().satisfies(e -> {
            assertThat(e.offset()).isEqualTo(1);
            assertThat(e.getCause()).isInstanceOfSatisfying(AvroSerializationException.class, cause -> {
                assertThat(cause.reason()).isEqualTo(Reason.NO_MAGIC_BYTE);
                assertThat(cause.topic()).isEqualTo(topic);
            });
        });
    }
}
