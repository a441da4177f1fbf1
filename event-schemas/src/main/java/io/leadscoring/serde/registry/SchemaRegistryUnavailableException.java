package io.leadscoring.serde.registry;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The registry could not be reached, or kept answering 5xx, 408 or 429, after all retries and all URLs. The
 * record in hand is not at fault: callers should retry later rather than dead-letter it.
 */
public class SchemaRegistryUnavailableException extends RetriableException {

    private static final long serialVersionUID = 1L;

    private final int lastStatus;

    public SchemaRegistryUnavailableException(String message, int lastStatus, Throwable cause) {
        super(message, cause);
        this.lastStatus = lastStatus;
    }

    /** The HTTP status of the last failed attempt, or -1 when it failed with an I/O error. */
    public int lastStatus() {
        return lastStatus;
    }
}
