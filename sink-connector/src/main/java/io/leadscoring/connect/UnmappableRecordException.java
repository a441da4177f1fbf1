package io.leadscoring.connect;

import org.apache.kafka.connect.errors.DataException;

/**
 * A record value that cannot become a {@link Handoff}: a permanent failure, never retried. The message names
 * the offending field and why; {@link #field()} gives the field alone ({@code null} when the whole value is
 * unusable, e.g. a tombstone).
 */
public class UnmappableRecordException extends DataException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public UnmappableRecordException(String field, String message) {
        super(field == null ? message : "field '" + field + "': " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
