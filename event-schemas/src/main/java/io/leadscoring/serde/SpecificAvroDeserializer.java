package io.leadscoring.serde;

import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import io.leadscoring.serde.registry.SchemaRegistryClient;

/** {@link KafkaAvroDeserializer} that always reads into the generated classes (specific.avro.reader=true). */
public class SpecificAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private final KafkaAvroDeserializer inner;

    public SpecificAvroDeserializer() {
        inner = new KafkaAvroDeserializer();
        inner.forceSpecificReader(true);
    }

    public SpecificAvroDeserializer(SchemaRegistryClient client) {
        inner = new KafkaAvroDeserializer(client);
        inner.forceSpecificReader(true);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        inner.configure(configs, isKey);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] bytes) {
        return (T) inner.deserialize(topic, bytes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, Headers headers, byte[] bytes) {
        return (T) inner.deserialize(topic, headers, bytes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, Headers headers, ByteBuffer data) {
        return (T) inner.deserialize(topic, headers, data);
    }

    @Override
    public void close() {
        inner.close();
    }
}
