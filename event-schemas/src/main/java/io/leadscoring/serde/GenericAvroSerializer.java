package io.leadscoring.serde;

import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import io.leadscoring.serde.registry.SchemaRegistryClient;

/** {@link KafkaAvroSerializer} typed for generic records. */
public class GenericAvroSerializer implements Serializer<GenericRecord> {

    private final KafkaAvroSerializer inner;

    public GenericAvroSerializer() {
        inner = new KafkaAvroSerializer();
    }

    public GenericAvroSerializer(SchemaRegistryClient client) {
        inner = new KafkaAvroSerializer(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
    }

    @Override
    public byte[] serialize(String topic, GenericRecord record) {
        return inner.serialize(topic, record);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, GenericRecord record) {
        return inner.serialize(topic, headers, record);
    }

    @Override
    public void close() {
        inner.close();
    }
}
