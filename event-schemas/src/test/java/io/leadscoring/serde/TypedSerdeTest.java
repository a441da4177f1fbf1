package io.leadscoring.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.leadscoring.events.LeadScore;
import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.registry.MockSchemaRegistry;

class TypedSerdeTest {

    @Test
    void specificSerdeWithInjectedClientReadsGeneratedClassesWhateverTheConfigSays() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        try (SpecificAvroSerde<LeadScore> serde = new SpecificAvroSerde<>(registry)) {
            // as with Confluent, the injected client wins over the URL, and the serde forces the specific reader
            serde.configure(Map.of("schema.registry.url", "http://unused:8081", "specific.avro.reader", "false"),
                    false);
            byte[] bytes = serde.serializer().serialize("leads.scores", Samples.leadScore());

            LeadScore back = serde.deserializer().deserialize("leads.scores", bytes);
            assertThat(back).isEqualTo(Samples.leadScore());
            assertThat(serde.deserializer().deserialize("leads.scores", new RecordHeaders(),
                    java.nio.ByteBuffer.wrap(bytes))).isEqualTo(Samples.leadScore());
            assertThat(registry.getAllSubjects()).containsExactly("leads.scores-value");
        }
    }

    @Test
    void specificSerdeWithoutConfigureUsesConfluentDefaults() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        SpecificAvroSerde<WebEvent> serde = new SpecificAvroSerde<>(registry);
        byte[] bytes = serde.serializer().serialize("leads.web-events", Samples.webEvent());
        assertThat(serde.deserializer().deserialize("leads.web-events", bytes)).isEqualTo(Samples.webEvent());
        assertThat(registry.getAllSubjects()).containsExactly("leads.web-events-value");
        serde.close();
    }

    @Test
    void genericSerdeGivesGenericRecordsEvenWithSpecificReaderConfigured() {
        MockSchemaRegistry registry = new MockSchemaRegistry();
        GenericAvroSerde serde = new GenericAvroSerde(registry);
        serde.configure(Map.of("schema.registry.url", "mock://unused", "specific.avro.reader", true), true);
        byte[] bytes = new KafkaAvroSerializer(registry).serialize("t", Samples.webEvent());

        GenericRecord record = serde.deserializer().deserialize("t", bytes);
        assertThat(record).isNotInstanceOf(WebEvent.class);
        assertThat(record.get("eventId")).hasToString("evt-1");
        assertThat(serde.serializer().serialize("t", record)).isEqualTo(bytes);
        assertThat(registry.getAllSubjects()).containsExactlyInAnyOrder("t-value", "t-key");
        serde.close();
    }
}
