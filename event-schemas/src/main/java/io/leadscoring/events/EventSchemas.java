package io.leadscoring.events;

import java.util.List;
import org.apache.avro.Schema;

/** The top-level record schemas the pipeline publishes to or reads from Kafka, each under its own subject. */
public final class EventSchemas {

    /** Every top-level schema; the evolution test checks each against its history. */
    public static final List<Schema> ALL = List.of(
            WebEvent.getClassSchema(),
            EmailEvent.getClassSchema(),
            DownloadEvent.getClassSchema(),
            LeadProfile.getClassSchema(),
            LeadScore.getClassSchema(),
            StageChange.getClassSchema());

    private EventSchemas() {
    }
}
