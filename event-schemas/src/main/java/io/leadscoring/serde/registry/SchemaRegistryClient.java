package io.leadscoring.serde.registry;

import java.util.List;

import org.apache.avro.Schema;

/**
 * The subset of Confluent's Schema Registry API the serde needs. Errors are {@link RestClientException} (an
 * answer of the registry) or {@link SchemaRegistryUnavailableException} (no usable answer after retries).
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject, or returns the id it already has there. */
    int register(String subject, Schema schema);

    /** Like {@link #register(String, Schema)}, asking the registry to normalize the schema first. */
    default int register(String subject, Schema schema, boolean normalize) {
        return register(subject, schema);
    }

    /** The id of a schema already registered under the subject (404 with 40401 or 40403 otherwise). */
    int getId(String subject, Schema schema);

    default int getId(String subject, Schema schema, boolean normalize) {
        return getId(subject, schema);
    }

    /** The schema with this global id (404 with 40403 if unknown). */
    Schema getSchemaById(int id);

    /** The newest version of the subject (404 with 40401 if the subject does not exist). */
    RegisteredSchema getLatestVersion(String subject);

    List<String> getAllSubjects();

    List<Integer> getAllVersions(String subject);

    /** Whether the schema could be registered as the next version of the subject under its compatibility level. */
    boolean testCompatibility(String subject, Schema schema);

    /** The subject's compatibility level, or the global one when the subject has none (subject null: global). */
    String getCompatibility(String subject);

    /** Sets the subject's compatibility level (subject null: the global level); returns the level now in force. */
    String updateCompatibility(String subject, String level);

    @Override
    void close();
}
