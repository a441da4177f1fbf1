package io.leadscoring.serde;

import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import io.leadscoring.serde.registry.SchemaRegistryClient;

/** Kafka Streams serde of generic Avro records, as Confluent's class of the same name. */
public class GenericAvroSerde implements Serde<GenericRecord> {

    private final GenericAvroSerializer serializer;
    private final GenericAvroDeserializer deserializer;

    public GenericAvroSerde() {
        serializer = new GenericAvroSerializer();
        deserializer = new GenericAvroDeserializer();
    }

    /** For tests: both sides use this client instead of one built from schema.registry.url. */
    public GenericAvroSerde(SchemaRegistryClient client) {
        if (client == null) {
            throw new IllegalArgumentException("SchemaRegistryClient must not be null");
        }
        serializer = new GenericAvroSerializer(client);
        deserializer = new GenericAvroDeserializer(client);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
