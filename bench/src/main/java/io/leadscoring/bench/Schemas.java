package io.leadscoring.bench;

import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The suite's JVMs share no schema registry: each has an in-process one ({@code mock://}), which numbers schemas in
 * registration order. Registering every schema first, always in this order, gives each the same id in every JVM, so
 * the records one JVM writes are readable in another (the demo does the same across restarts).
 */
final class Schemas {

    static final String SCOPE = "bench";
    static final String REGISTRY_URL = "mock://" + SCOPE;

    private static final List<Schema> ORDER = List.of(WebEvent.getClassSchema(), EmailEvent.getClassSchema(),
            DownloadEvent.getClassSchema(), LeadProfile.getClassSchema(), LeadScore.getClassSchema(),
            StageChange.getClassSchema());

    private Schemas() {
    }

    static void registerAll() {
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(SCOPE);
        for (Schema schema : ORDER) {
            registry.register("bench-" + schema.getName(), schema);
        }
    }
}
