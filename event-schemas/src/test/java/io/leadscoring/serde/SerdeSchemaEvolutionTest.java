package io.leadscoring.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.serde.registry.RestClientException;

class SerdeSchemaEvolutionTest {

    /** WebEvent as first released: no utm fields yet. */
    static final Schema WEB_EVENT_V1 = new Schema.Parser().parse("""
            {"type": "record", "name": "WebEvent", "namespace": "io.leadscoring.events", "fields": [
              {"name": "eventId", "type": "string"},
              {"name": "leadId", "type": "string"},
              {"name": "occurredAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "url", "type": "string"},
              {"name": "action", "type": {"type": "enum", "name": "WebAction",
                                          "symbols": ["PAGE_VIEW", "FORM_SUBMIT", "CLICK"]}},
              {"name": "referrer", "type": ["null", "string"], "default": null},
              {"name": "sessionId", "type": ["null", "string"], "default": null},
              {"name": "pageTitle", "type": ["null", "string"], "default": null},
              {"name": "userAgent", "type": ["null", "string"], "default": null}
            ]}""");

    private final String scope = "evolution-" + UUID.randomUUID();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void oldWriterIsReadIntoCurrentClassWithDefaults() {
        GenericRecord old = v1Event();
        byte[] bytes = serializer().serialize("leads.web-events", old);

        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Samples.config(scope, "specific.avro.reader", "true"), false);
        WebEvent event = (WebEvent) deserializer.deserialize("leads.web-events", bytes);

        assertThat(event.getEventId()).isEqualTo("evt-old");
        assertThat(event.getOccurredAt()).isEqualTo(Samples.T0);
        assertThat(event.getAction()).isEqualTo(WebAction.PAGE_VIEW);
        assertThat(event.getPageTitle()).isEqualTo("Home");
        assertThat(event.getUtmSource()).isNull();
        assertThat(event.getUtmMedium()).isNull();
        assertThat(event.getUtmCampaign()).isNull();
        assertThat(event.getUtmTerm()).isNull();
        assertThat(event.getUtmContent()).isNull();
    }

    @Test
    void currentSchemaIsABackwardCompatibleSecondVersion() {
        serializer().serialize("leads.web-events", v1Event());
        serializer().serialize("leads.web-events", Samples.webEvent());

        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        assertThat(registry.getAllVersions("leads.web-events-value")).containsExactly(1, 2);
        assertThat(registry.getLatestVersion("leads.web-events-value").schema()).isEqualTo(WebEvent.getClassSchema());
    }

    @Test
    void incompatibleChangeIsRefusedOnRegistration() {
        serializer().serialize("leads.web-events", Samples.webEvent());
        Schema withRequiredField = new Schema.Parser().parse(WebEvent.getClassSchema().toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},"));
        GenericRecord record = new GenericData.Record(withRequiredField);
        withRequiredField.getFields().forEach(f -> record.put(f.name(), f.name().equals("tenant") ? "acme" : null));

        assertThatThrownBy(() -> serializer().serialize("leads.web-events", record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Error registering Avro schema under subject 'leads.web-events-value'")
                .cause().isInstanceOfSatisfying(RestClientException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                });
    }

    @Test
    void useLatestVersionWritesWithTheLatestIdAndLayout() {
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        registry.register("leads.web-events-value", WEB_EVENT_V1);
        int latestId = registry.register("leads.web-events-value", WebEvent.getClassSchema());

        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Samples.config(scope, "auto.register.schemas", false, "use.latest.version", true),
                false);
        byte[] fromOldProducer = serializer.serialize("leads.web-events", v1Event());
        byte[] fromCurrentProducer = serializer.serialize("leads.web-events", Samples.webEvent());

        assertThat(java.nio.ByteBuffer.wrap(fromOldProducer, 1, 4).getInt()).isEqualTo(latestId);
        assertThat(java.nio.ByteBuffer.wrap(fromCurrentProducer, 1, 4).getInt()).isEqualTo(latestId);
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Samples.config(scope), false);
        GenericRecord read = (GenericRecord) deserializer.deserialize("leads.web-events", fromOldProducer);
        assertThat(read.getSchema()).isEqualTo(WebEvent.getClassSchema());
        assertThat(read.get("eventId")).hasToString("evt-old");
        assertThat(read.get("utmSource")).isNull();
        assertThat(registry.getAllVersions("leads.web-events-value")).containsExactly(1, 2);
    }

    @Test
    void useLatestVersionRefusesDataTheLatestSchemaCannotHold() {
        Schema other = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Other\",\"fields\":["
                + "{\"name\":\"x\",\"type\":\"int\"}]}");
        MockSchemaRegistry.forScope(scope).register("t-value", other);
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Samples.config(scope, "auto.register.schemas", false, "use.latest.version", true),
                false);

        assertThatThrownBy(() -> serializer.serialize("t", Samples.webEvent()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("use.latest.version");
    }

    private GenericRecord v1Event() {
        GenericRecord old = new GenericData.Record(WEB_EVENT_V1);
        old.put("eventId", "evt-old");
        old.put("leadId", "lead-1");
        old.put("occurredAt", Samples.T0.toEpochMilli());
        old.put("url", "https://example.com/");
        old.put("action", new GenericData.EnumSymbol(WEB_EVENT_V1.getField("action").schema(), "PAGE_VIEW"));
        old.put("pageTitle", "Home");
        return old;
    }

    private KafkaAvroSerializer serializer() {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Samples.config(scope), false);
        return serializer;
    }
}
