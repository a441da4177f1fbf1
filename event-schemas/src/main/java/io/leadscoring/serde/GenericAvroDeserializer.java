package io.leadscoring.serde;

import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import io.leadscoring.serde.registry.SchemaRegistryClient;

/** {@link KafkaAvroDeserializer} that always gives generic records (specific.avro.reader ignored). */
public class GenericAvroDeserializer implements Deserializer<GenericRecord> {

    private final KafkaAvroDeserializer inner;

    public GenericAvroDeserializer() {
        inner = new KafkaAvroDeserializer();
        inner.forceSpecificReader(false);
    }

    public GenericAvroDeserializer(SchemaRegistryClient client) {
        inner = new KafkaAvroDeserializer(client);
        inner.forceSpecificReader(false);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
    }

    @Override
    public GenericRecord deserialize(String topic, byte[] bytes) {
        return (GenericRecord) inner.deserialize(topic, bytes);
    }

    @Override
    public GenericRecord deserialize(String topic, Headers headers, byte[] bytes) {
        return (GenericRecord) inner.deserialize(topic, headers, bytes);
    }

    @Override
    public GenericRecord deserialize(String topic, Headers headers, ByteBuffer data) {
        return (GenericRecord) inner.deserialize(topic, headers, data);
    }

    @Override
    public void close() {
        inner.close();
    }
}
