package io.leadscoring.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.avro.specific.SpecificRecord;

/**
 * Replay's own reading of a JSON Lines record ({@link JsonRecords}, package-private), so that what the reliability
 * tests publish to Kafka is, record for record, what {@code replay} reads from the same file.
 */
public final class ReplayLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReplayLines() {
    }

    /** The Avro record replay makes of this line; fails when replay would skip it. */
    public static SpecificRecord parse(String line) {
        try {
            return JsonRecords.parse(JSON.readTree(line)).value();
        } catch (IOException | JsonRecords.BadRecordException e) {
            throw new IllegalArgumentException("replay would skip: " + line + " (" + e.getMessage() + ")", e);
        }
    }
}
