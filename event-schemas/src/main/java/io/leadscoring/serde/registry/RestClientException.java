package io.leadscoring.serde.registry;

import org.apache.kafka.common.KafkaException;

/**
 * An error answer of the schema registry (HTTP 4xx, or a 5xx that is not retried), with the HTTP status and
 * Confluent's {@code error_code}. Unchecked, unlike Confluent's, so that the registry client can be called from
 * serializers without wrapping.
 */
public class RestClientException extends KafkaException {

    private static final long serialVersionUID = 1L;

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;
    public static final int INVALID_VERSION = 42202;
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    private final int status;
    private final int errorCode;

    public RestClientException(String message, int status, int errorCode) {
        super(message + "; error code: " + errorCode);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** Confluent's error code, e.g. 40401; the HTTP status when the body had none. */
    public int errorCode() {
        return errorCode;
    }

    /** True for "subject not found", "version not found" and "schema not found" answers. */
    public boolean isNotFound() {
        return status == 404 || errorCode / 100 == 404;
    }
}
