package io.leadscoring.serde;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.leadscoring.serde.registry.SchemaRegistryClient;

/** Kafka Streams serde of generated Avro records, as Confluent's class of the same name. */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    public SpecificAvroSerde() {
        serializer = new SpecificAvroSerializer<>();
        deserializer = new SpecificAvroDeserializer<>();
    }

    /** For tests: both sides use this client instead of one built from schema.registry.url. */
    public SpecificAvroSerde(SchemaRegistryClient client) {
        if (client == null) {
            throw new IllegalArgumentException("SchemaRegistryClient must not be null");
        }
        serializer = new SpecificAvroSerializer<>(client);
        deserializer = new SpecificAvroDeserializer<>(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
