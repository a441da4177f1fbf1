package io.leadscoring.streams;

import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.SpecificAvroSerde;
import io.leadscoring.serde.registry.SchemaRegistryClient;
import io.leadscoring.serde.registry.SchemaRegistryClients;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The value serdes of the topology's topics, passed in so tests and replay choose the registry. {@link #close()}
 * releases the schema registry client they share.
 */
public record ScoringSerdes(
        Serde<WebEvent> webEvent,
        Serde<EmailEvent> emailEvent,
        Serde<DownloadEvent> downloadEvent,
        Serde<LeadProfile> profile,
        Serde<LeadScore> leadScore,
        Serde<StageChange> stageChange,
        SchemaRegistryClient registry) implements AutoCloseable {

    /**
     * Confluent-compatible Avro serdes configured from a Confluent-style map ({@code schema.registry.url} and
     * friends), sharing one registry client; {@code specific.avro.reader} is forced on since the topology reads
     * generated classes.
     */
    public static ScoringSerdes avro(Map<String, ?> registryConfig) {
        Map<String, Object> config = new HashMap<>(registryConfig);
        config.put("specific.avro.reader", true);
        // The profiles serde writes only to the profiles table's changelog, an internal topic whose subject no one
        // registers by hand: it may always register it.
        Map<String, Object> internal = new HashMap<>(config);
        internal.put("auto.register.schemas", true);
        internal.put("use.latest.version", false);
        SchemaRegistryClient registry = SchemaRegistryClients.create(config);
        return new ScoringSerdes(
                specific(registry, config), specific(registry, config), specific(registry, config),
                specific(registry, internal), specific(registry, config), specific(registry, config), registry);
    }

    private static <T extends SpecificRecord> Serde<T> specific(SchemaRegistryClient registry,
            Map<String, Object> config) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(registry);
        serde.configure(config, false);
        return serde;
    }

    @Override
    public void close() {
        registry.close();
    }
}
