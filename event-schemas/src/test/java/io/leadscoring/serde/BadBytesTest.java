package io.leadscoring.serde;

import static io.leadscoring.serde.Samples.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.reflect.Proxy;

import java.util.Arrays;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.AvroSerializationException.Reason;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.serde.registry.RestClientException;
import io.leadscoring.serde.registry.SchemaRegistryClient;
import io.leadscoring.serde.registry.SchemaRegistryUnavailableException;

class BadBytesTest {

    private static final String TOPIC = "leads.web-events";

    private final String scope = "bad-" + UUID.randomUUID();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void emptyPayloadHasNoMagicByte(boolean specific) {
        AvroSerializationException e = failure(specific, new byte[0]);
        assertThat(e.reason()).isEqualTo(Reason.NO_MAGIC_BYTE);
        assertThat(e.schemaId()).isEqualTo(-1);
        assertThat(e).hasMessage("Cannot deserialize record from topic 'leads.web-events': no magic byte "
                + "(empty payload)");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void jsonIsNotConfluentAvro(boolean specific) {
        AvroSerializationException e = failure(specific, "{\"eventId\":\"x\"}".getBytes());
        assertThat(e.reason()).isEqualTo(Reason.NO_MAGIC_BYTE);
        assertThat(e).hasMessage("Cannot deserialize record from topic 'leads.web-events': no magic byte "
                + "(first byte 0x7b, expected 0x00)");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void threeByteHeaderIsTruncated(boolean specific) {
        AvroSerializationException e = failure(specific, new byte[] {0, 0, 0});
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(e).hasMessageContaining("truncated header (3 bytes, expected at least 5)");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unknownSchemaId(boolean specific) {
        AvroSerializationException e = failure(specific, unhex("00 000003e7 0461"));
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID);
        assertThat(e.schemaId()).isEqualTo(999);
        assertThat(e).hasMessageContaining("unknown schema id 999").hasMessageContaining("40403");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void truncatedBody(boolean specific) {
        byte[] whole = serialize(Samples.webEvent());
        for (int cut : new int[] {5, 6, 20, whole.length / 2, whole.length - 1}) {
            AvroSerializationException e = failure(specific, Arrays.copyOf(whole, cut));
            assertThat(e.reason()).as("cut at %d of %d", cut, whole.length).isEqualTo(Reason.TRUNCATED);
            assertThat(e.schemaId()).isEqualTo(1);
            assertThat(e).hasMessageContaining("truncated Avro body");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void enumIndexOutOfRangeIsInvalidAvro(boolean specific) {
        // WebEvent {"e1", "L7", 1000 ms, "u", action = index 10 (zig-zag 0x14), ...}: WebAction has 3 symbols.
        serialize(Samples.webEvent());
        byte[] bytes = unhex("00 00000001 046531 044c37 d00f 0275 14 00 00 00 00 00 00 00 00 00");
        AvroSerializationException e = failure(specific, bytes);
        assertThat(e.reason()).isEqualTo(Reason.INVALID_AVRO);
        assertThat(e.schemaId()).isEqualTo(1);
        assertThat(e).hasMessageContaining("does not decode with writer schema id 1 (io.leadscoring.events.WebEvent)");
    }

    @Test
    void negativeStringLengthIsInvalidAvro() {
        serialize(Samples.webEvent());
        AvroSerializationException e = failure(false, unhex("00 00000001 01"));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_AVRO);
    }

    @Test
    void unknownGeneratedClassWithSpecificReader() {
        Schema unknown = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Gone\",\"namespace\":\"com.example\","
                + "\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
        GenericRecord record = new GenericData.Record(unknown);
        record.put("x", 1);
        byte[] bytes = serialize(record);

        AvroSerializationException e = failure(true, bytes);
        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_READER_CLASS);
        assertThat(e).hasMessageContaining("no generated class com.example.Gone");
        // the generic reader has no such need
        assertThat(((GenericRecord) deserializer(false).deserialize(TOPIC, bytes)).get("x")).isEqualTo(1);
    }

    @Test
    void writerTheGeneratedClassCannotReadIsIncompatible() {
        // An old WebEvent without 'url', which the current class requires and has no default for.
        Schema noUrl = new Schema.Parser().parse(SerdeSchemaEvolutionTest.WEB_EVENT_V1.toString()
                .replace("{\"name\":\"url\",\"type\":\"string\"},", ""));
        GenericRecord record = new GenericData.Record(noUrl);
        noUrl.getFields().forEach(f -> record.put(f.name(), f.schema().getType() == Schema.Type.STRING ? "s" : null));
        record.put("occurredAt", 1L);
        record.put("action", new GenericData.EnumSymbol(noUrl.getField("action").schema(), "CLICK"));
        byte[] bytes = serialize(record);

        AvroSerializationException e = failure(true, bytes);
        assertThat(e.reason()).isEqualTo(Reason.INCOMPATIBLE_SCHEMA);
        assertThat(e).hasMessageContaining("cannot be read as " + WebEvent.class.getName());
    }

    @Test
    void aWriterThatAddsAnEnumSymbolIsReadExceptTheRecordsThatUseTheNewSymbol() {
        // WebEvent v2 adds SCROLL to WebAction, which has no enum default: BACKWARD-compatible, so a producer can
        // register it. Its records with known symbols must still be read; one with SCROLL is a bad record.
        Schema v2 = new Schema.Parser().parse(WebEvent.getClassSchema().toString()
                .replace("\"CLICK\"]", "\"CLICK\",\"SCROLL\"]"));
        assertThat(v2.getField("action").schema().getEnumSymbols()).contains("SCROLL");

        WebEvent read = (WebEvent) deserializer(true).deserialize(TOPIC, serialize(webEvent(v2, "FORM_SUBMIT")));
        assertThat(read.getAction()).isEqualTo(io.leadscoring.events.WebAction.FORM_SUBMIT);
        assertThat(read.getLeadId()).isEqualTo("L1");

        AvroSerializationException e = failure(true, serialize(webEvent(v2, "SCROLL")));
        assertThat(e.reason()).isEqualTo(Reason.INVALID_AVRO);
        assertThat(e).hasMessageContaining("SCROLL");
    }

    private static GenericRecord webEvent(Schema schema, String action) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("eventId", "e1");
        record.put("leadId", "L1");
        record.put("occurredAt", 1000L);
        record.put("url", "https://example.com/");
        record.put("action", new GenericData.EnumSymbol(schema.getField("action").schema(), action));
        return record;
    }

    @Test
    void unreachableRegistryIsRetriableNotABadRecord() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(java.util.Map.of("schema.registry.url", "http://127.0.0.1:" + closedPort,
                "max.retries", 1, "retries.wait.ms", 10), false);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, unhex("00 00000001 0461")))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .isInstanceOf(RetriableException.class)
                .isNotInstanceOf(SerializationException.class);
    }

    @Test
    void aBare404IsAMisconfiguredRegistryNotAnUnknownId() {
        // e.g. a URL without Apicurio's /apis/ccompat/v7: every path is 404, without Confluent's 40403
        SchemaRegistryClient wrongPath = (SchemaRegistryClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {SchemaRegistryClient.class}, (proxy, method, args) -> {
                    throw new RestClientException("HTTP 404 Not Found", 404, 404);
                });
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer(wrongPath);

        assertThatThrownBy(() -> deserializer.deserialize(TOPIC, unhex("00 00000001 0461")))
                .isInstanceOf(RestClientException.class)
                .isNotInstanceOf(SerializationException.class);
    }

    private AvroSerializationException failure(boolean specific, byte[] bytes) {
        AvroSerializationException e = catchThrowableOfType(AvroSerializationException.class,
                () -> deserializer(specific).deserialize(TOPIC, bytes));
        assertThat(e).as("exception for %s", Samples.hex(bytes)).isNotNull();
        assertThat(e.topic()).isEqualTo(TOPIC);
        return e;
    }

    private KafkaAvroDeserializer deserializer(boolean specific) {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Samples.config(scope, "specific.avro.reader", specific), false);
        return deserializer;
    }

    private byte[] serialize(Object value) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Samples.config(scope), false);
        return serializer.serialize(TOPIC, value);
    }
}
