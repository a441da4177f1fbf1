package io.leadscoring.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.leadscoring.events.LeadScore;
import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.serde.registry.RestClientException;

class RoundTripTest {

    private final String scope = "roundtrip-" + UUID.randomUUID();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    static Stream<SpecificRecord> everyRecordType() {
        return Stream.of(Samples.webEvent(), Samples.emailEvent(), Samples.downloadEvent(), Samples.leadProfile(),
                Samples.leadScore(), Samples.stageChange());
    }

    @ParameterizedTest
    @MethodSource("everyRecordType")
    void specificRecordsRoundTrip(SpecificRecord record) {
        KafkaAvroSerializer serializer = serializer(false);
        KafkaAvroDeserializer deserializer = deserializer("specific.avro.reader", true);

        byte[] bytes = serializer.serialize("topic", record);
        Object back = deserializer.deserialize("topic", bytes);

        assertThat(back).isInstanceOf(record.getClass()).isEqualTo(record);
        // The consumer hands the deserializer a ByteBuffer view of its fetch buffer: read from it in place.
        byte[] framed = new byte[bytes.length + 7];
        System.arraycopy(bytes, 0, framed, 3, bytes.length);
        ByteBuffer view = ByteBuffer.wrap(framed, 3, bytes.length).slice();
        assertThat(deserializer.deserialize("topic", new RecordHeaders(), view)).isEqualTo(record);
    }

    @Test
    void specificRecordReadGenericallyKeepsValues() {
        byte[] bytes = serializer(false).serialize("topic", Samples.leadScore());

        GenericRecord generic = (GenericRecord) deserializer().deserialize("topic", bytes);

        assertThat(generic).isNotInstanceOf(LeadScore.class);
        assertThat(generic.getSchema()).isEqualTo(LeadScore.getClassSchema());
        assertThat(generic.get("leadId")).hasToString("lead-42");
        assertThat(generic.get("fitGrade")).hasToString("A");
        assertThat(generic.get("asOf")).isEqualTo(Samples.T0.plusSeconds(60).toEpochMilli());
        assertThat(((GenericRecord) ((java.util.List<?>) generic.get("reasons")).get(1)).get("points"))
                .isEqualTo(-10.5);
    }

    @Test
    void genericRecordsRoundTripAndReadIntoGeneratedClass() {
        GenericRecord generic = new GenericData.Record(WebEvent.getClassSchema());
        WebEvent expected = Samples.webEvent();
        for (Schema.Field field : WebEvent.getClassSchema().getFields()) {
            Object value = expected.get(field.pos());
            if (value instanceof Instant instant) {
                value = instant.toEpochMilli();
            } else if (value instanceof Enum<?> symbol) {
                value = new GenericData.EnumSymbol(field.schema(), symbol.name());
            }
            generic.put(field.pos(), value);
        }

        byte[] bytes = serializer(false).serialize("topic", generic);

        GenericRecord back = (GenericRecord) deserializer().deserialize("topic", bytes);
        // The registered schema is the generated class's, whose strings say "avro.java.string": "String".
        assertThat(back.get("eventId")).isEqualTo("evt-1");
        assertThat(back.get("occurredAt")).isEqualTo(Samples.T0.toEpochMilli());
        assertThat(back.get("action")).hasToString("FORM_SUBMIT");
        assertThat(deserializer("specific.avro.reader", true).deserialize("topic", bytes)).isEqualTo(expected);
        assertThat(bytes).isEqualTo(serializer(false).serialize("topic", expected));
    }

    @Test
    void logicalTypeConvertersGiveJavaTimeInGenericRecords() {
        byte[] bytes = serializer(false).serialize("topic", Samples.webEvent());

        GenericRecord plain = (GenericRecord) deserializer().deserialize("topic", bytes);
        GenericRecord converted = (GenericRecord) deserializer("avro.use.logical.type.converters", true)
                .deserialize("topic", bytes);

        assertThat(plain.get("occurredAt")).isEqualTo(Samples.T0.toEpochMilli());
        assertThat(converted.get("occurredAt")).isEqualTo(Samples.T0);
        // and a generic record holding an Instant is written like one holding the millis
        assertThat(serializer(false).serialize("topic", converted)).isEqualTo(bytes);
    }

    @Test
    void primitivesRoundTrip() {
        KafkaAvroSerializer serializer = serializer(true);
        KafkaAvroDeserializer deserializer = deserializer("specific.avro.reader", true);
        Map<String, Object> values = new java.util.LinkedHashMap<>();
        values.put("bool", true);
        values.put("int", 42);
        values.put("long", -7L);
        values.put("float", 1.25f);
        values.put("double", Math.PI);
        values.put("string", "héllo");
        values.put("utf8", new Utf8("avro"));

        values.forEach((topic, value) -> {
            Object back = deserializer.deserialize(topic, serializer.serialize(topic, value));
            assertThat(back).as(topic).isEqualTo(value instanceof Utf8 ? value.toString() : value);
        });
        assertThat((byte[]) deserializer.deserialize("bytes", serializer.serialize("bytes", new byte[] {0, 1, -1})))
                .containsExactly(0, 1, -1);
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 8, 7, 6}, 1, 2);
        assertThat((byte[]) deserializer.deserialize("bytes", serializer.serialize("bytes", buffer)))
                .containsExactly(8, 7);
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects())
                .contains("bool-key", "int-key", "string-key", "bytes-key");
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(serializer(false).serialize("topic", null)).isNull();
        assertThat(deserializer().deserialize("topic", (byte[]) null)).isNull();
        assertThat(deserializer().deserialize("topic", new RecordHeaders(), (ByteBuffer) null)).isNull();
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).isEmpty();
    }

    @Test
    void keysAndValuesUseTheirOwnSubjects() {
        KafkaAvroSerializer keys = serializer(true);
        KafkaAvroSerializer values = serializer(false);

        byte[] key = keys.serialize("leads.scores", "lead-42");
        byte[] value = values.serialize("leads.scores", Samples.leadScore());

        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        assertThat(registry.getAllSubjects()).containsExactlyInAnyOrder("leads.scores-key", "leads.scores-value");
        assertThat(registry.getLatestVersion("leads.scores-key").schema().getType()).isEqualTo(Schema.Type.STRING);
        assertThat(registry.getLatestVersion("leads.scores-value").schema()).isEqualTo(LeadScore.getClassSchema());
        assertThat(deserializer().deserialize("leads.scores", key)).isEqualTo("lead-42");
        assertThat(deserializer("specific.avro.reader", true).deserialize("leads.scores", value))
                .isEqualTo(Samples.leadScore());
    }

    @Test
    void recordNameStrategiesNameSubjectsAfterTheRecord() {
        KafkaAvroSerializer byRecord = serializer(false, "value.subject.name.strategy",
                "io.confluent.kafka.serializers.subject.RecordNameStrategy");
        KafkaAvroSerializer byTopicAndRecord = serializer(false, "value.subject.name.strategy",
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy");

        byte[] web = byRecord.serialize("leads.events", Samples.webEvent());
        byte[] email = byRecord.serialize("leads.events", Samples.emailEvent());
        byTopicAndRecord.serialize("leads.events", Samples.webEvent());

        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).containsExactlyInAnyOrder(
                "io.leadscoring.events.WebEvent", "io.leadscoring.events.EmailEvent",
                "leads.events-io.leadscoring.events.WebEvent");
        KafkaAvroDeserializer deserializer = deserializer("specific.avro.reader", true);
        assertThat(deserializer.deserialize("leads.events", web)).isEqualTo(Samples.webEvent());
        assertThat(deserializer.deserialize("leads.events", email)).isEqualTo(Samples.emailEvent());
    }

    @Test
    void sameSchemaUnderTwoSubjectsHasOneId() {
        byte[] a = serializer(false).serialize("a", Samples.webEvent());
        byte[] b = serializer(false).serialize("b", Samples.webEvent());
        assertThat(a).isEqualTo(b);
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).containsExactlyInAnyOrder("a-value", "b-value");
    }

    @Test
    void lookupWithoutAutoRegisterFindsTheRegisteredIdOrFails() {
        byte[] registered = serializer(false).serialize("topic", Samples.webEvent());
        KafkaAvroSerializer lookup = serializer(false, "auto.register.schemas", false);

        assertThat(lookup.serialize("topic", Samples.webEvent())).isEqualTo(registered);
        assertThatThrownBy(() -> lookup.serialize("other", Samples.webEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("subject 'other-value'")
                .hasCauseInstanceOf(RestClientException.class);
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).containsExactly("topic-value");
    }

    @Test
    void serializerRejectsValuesAvroCannotWrite() {
        assertThatThrownBy(() -> serializer(false).serialize("topic", new java.util.Date()))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Unsupported Avro type");
        GenericRecord incomplete = new GenericData.Record(WebEvent.getClassSchema());
        incomplete.put("eventId", "only this");
        KafkaAvroSerializer serializer = serializer(false);
        assertThatThrownBy(() -> serializer.serialize("topic", incomplete))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'topic'");
        // what the failed write left behind must not leak into the next record on this thread
        byte[] next = serializer.serialize("topic", Samples.webEvent());
        assertThat(deserializer("specific.avro.reader", true).deserialize("topic", next)).isEqualTo(Samples.webEvent());
    }

    @Test
    void serializerAndDeserializerAreSafeToShareBetweenThreads() throws Exception {
        KafkaAvroSerializer serializer = serializer(false);
        KafkaAvroDeserializer deserializer = deserializer("specific.avro.reader", true);
        java.util.List<SpecificRecord> records = everyRecordType().toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 500; i++) {
                        SpecificRecord record = records.get(i % records.size());
                        String topic = "topic-" + (i % records.size());
                        if (deserializer.deserialize(topic, serializer.serialize(topic, record)).equals(record)) {
                            ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (java.util.concurrent.Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(500);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private KafkaAvroSerializer serializer(boolean isKey, Object... config) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Samples.config(scope, config), isKey);
        return serializer;
    }

    private KafkaAvroDeserializer deserializer(Object... config) {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Samples.config(scope, config), false);
        return deserializer;
    }
}
