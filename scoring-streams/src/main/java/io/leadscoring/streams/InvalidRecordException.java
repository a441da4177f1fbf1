package io.leadscoring.streams;

/** A record that decodes but breaks the input contract (e.g. no lead id): it goes to the dead-letter topic. */
public class InvalidRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String message) {
        super(message);
    }
}
