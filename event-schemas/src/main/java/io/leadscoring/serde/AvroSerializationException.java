package io.leadscoring.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes of a record cannot be turned into an Avro object: the record is bad, and retrying will not help. The
 * {@link #reason()} lets a topology route it, e.g. to a dead-letter topic. Registry outages are not reported this
 * way but with {@link io.leadscoring.serde.registry.SchemaRegistryUnavailableException}.
 */
public class AvroSerializationException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Empty payload, or a first byte other than 0x00: not written by a Confluent-format serializer. */
        NO_MAGIC_BYTE,
        /** Shorter than the 5-byte header, or the Avro body ends before the writer schema is complete. */
        TRUNCATED,
        /** The registry does not know the schema id in the header. */
        UNKNOWN_SCHEMA_ID,
        /** The body does not decode with the writer schema (e.g. an enum or union index out of range). */
        INVALID_AVRO,
        /** specific.avro.reader is on and no generated class exists for the writer schema's record name. */
        UNKNOWN_READER_CLASS,
        /** The generated class's schema cannot read data of the writer schema (schema resolution fails). */
        INCOMPATIBLE_SCHEMA
    }

    private final String topic;
    private final Reason reason;
    private final int schemaId;

    public AvroSerializationException(String topic, Reason reason, int schemaId, String detail, Throwable cause) {
        super("Cannot deserialize record from topic '" + topic + "': " + detail, cause);
        this.topic = topic;
        this.reason = reason;
        this.schemaId = schemaId;
    }

    public String topic() {
        return topic;
    }

    public Reason reason() {
        return reason;
    }

    /** The schema id of the header, or -1 when the header could not be read. */
    public int schemaId() {
        return schemaId;
    }
}
