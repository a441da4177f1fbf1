package io.leadscoring.streams;

import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.SpecificAvroSerde;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

/** The value serdes of the topology's topics, passed in so tests and replay choose the registry. */
public record ScoringSerdes(
        Serde<WebEvent> webEvent,
        Serde<EmailEvent> emailEvent,
        Serde<DownloadEvent> downloadEvent,
        Serde<LeadProfile> profile,
        Serde<LeadScore> leadScore,
        Serde<StageChange> stageChange) {

    /**
     * Confluent-compatible Avro serdes configured from a Confluent-style map ({@code schema.registry.url} and
     * friends); {@code specific.avro.reader} is forced on since the topology reads generated classes.
     */
    public static ScoringSerdes avro(Map<String, ?> registryConfig) {
        Map<String, Object> config = new HashMap<>(registryConfig);
        config.put("specific.avro.reader", true);
        return new ScoringSerdes(
                specific(config), specific(config), specific(config),
                specific(config), specific(config), specific(config));
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> Serde<T> specific(Map<String, Object> config) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>();
        serde.configure(config, false);
        return serde;
    }
}
