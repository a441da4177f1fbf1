package io.leadscoring.serde.subject;

import java.util.Map;

import org.apache.avro.Schema;
import org.apache.kafka.common.Configurable;

/**
 * Chooses the subject a key or value schema is registered under, as Confluent's strategy of the same name.
 * Configured through {@code key.subject.name.strategy} and {@code value.subject.name.strategy}.
 */
public interface SubjectNameStrategy extends Configurable {

    String subjectName(String topic, boolean isKey, Schema schema);

    @Override
    default void configure(Map<String, ?> configs) {
    }

    /** The record name Confluent's record strategies use: the full name of a named type, else the type name. */
    static String recordName(Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getFullName();
            default -> schema.getType().getName();
        };
    }
}
