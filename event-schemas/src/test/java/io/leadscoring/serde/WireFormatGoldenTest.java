package io.leadscoring.serde;

import static io.leadscoring.serde.Samples.hex;
import static io.leadscoring.serde.Samples.unhex;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.registry.MockSchemaRegistry;

/**
 * Bytes written by hand from Confluent's documented wire format: magic byte 0x00, the schema id as a 4-byte
 * big-endian int, then the Avro binary encoding of the datum (zig-zag varints, length-prefixed strings, union
 * branch index before the value, enum as its index).
 */
class WireFormatGoldenTest {

    private static final Schema USER = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"User\",\"fields\":["
            + "{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}]}");

    private final String scope = "golden-" + UUID.randomUUID();

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void userAliceThirtyIsConfluentBytes() {
        // 00 | 00000001 | "Alice": length 5 -> zig-zag 10 = 0x0a, then ASCII | 30 -> zig-zag 60 = 0x3c
        byte[] golden = unhex("00 00000001 0a416c696365 3c");
        assertThat(MockSchemaRegistry.forScope(scope).register("users-value", USER)).isEqualTo(1);

        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Samples.config(scope), false);
        GenericRecord user = (GenericRecord) deserializer.deserialize("users", golden);
        assertThat(user.getSchema()).isEqualTo(USER);
        assertThat(user.get("name")).hasToString("Alice");
        assertThat(user.get("age")).isEqualTo(30);

        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Samples.config(scope), false);
        GenericRecord alice = new GenericData.Record(USER);
        alice.put("name", "Alice");
        alice.put("age", 30);
        assertThat(hex(serializer.serialize("users", alice))).isEqualTo(hex(golden));
    }

    @Test
    void webEventIsConfluentBytes() {
        WebEvent event = WebEvent.newBuilder()
                .setEventId("e1").setLeadId("L7").setOccurredAt(Instant.ofEpochMilli(1000)).setUrl("u")
                .setAction(WebAction.CLICK).setReferrer(null).setSessionId("s").setPageTitle(null)
                .setUserAgent(null).setUtmSource("x").setUtmMedium(null).setUtmCampaign(null).setUtmTerm(null)
                .setUtmContent(null)
                .build();
        String golden = "00" + "00000001"   // magic byte, schema id 1 (first schema of the scope)
                + "04" + "6531"             // eventId "e1": length 2 -> zig-zag 4
                + "04" + "4c37"             // leadId "L7"
                + "d00f"                    // occurredAt 1000 ms -> zig-zag 2000 = 0x7d0 -> varint d0 0f
                + "02" + "75"               // url "u"
                + "04"                      // action CLICK: index 2 -> zig-zag 4
                + "00"                      // referrer: union branch 0 (null)
                + "02" + "02" + "73"        // sessionId: branch 1 (string), "s"
                + "00" + "00"               // pageTitle, userAgent: null
                + "02" + "02" + "78"        // utmSource: branch 1, "x"
                + "00000000";               // utmMedium, utmCampaign, utmTerm, utmContent: null

        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Samples.config(scope), false);
        byte[] bytes = serializer.serialize("leads.web-events", event);
        assertThat(hex(bytes)).isEqualTo(golden);
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).containsExactly("leads.web-events-value");

        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(Samples.config(scope, "specific.avro.reader", true), false);
        assertThat(deserializer.deserialize("leads.web-events", unhex(golden))).isEqualTo(event);
    }

    @Test
    void primitivesAreConfluentBytes() {
        // Confluent registers primitive schemas ("string", "long", ...) and writes byte arrays without a length.
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(Samples.config(scope), true);
        assertThat(hex(serializer.serialize("t", "Alice"))).isEqualTo("0000000001" + "0a416c696365");
        assertThat(hex(serializer.serialize("t2", 30L))).isEqualTo("0000000002" + "3c");
        assertThat(hex(serializer.serialize("t3", new byte[] {1, 2, 3}))).isEqualTo("0000000003" + "010203");
        assertThat(hex(serializer.serialize("t4", 1.5d))).isEqualTo("0000000004" + "000000000000f83f");

        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        assertThat(Map.of(
                "t-key", registry.getLatestVersion("t-key").schema().toString(),
                "t2-key", registry.getLatestVersion("t2-key").schema().toString(),
                "t3-key", registry.getLatestVersion("t3-key").schema().toString()))
                .containsEntry("t-key", "\"string\"")
                .containsEntry("t2-key", "\"long\"")
                .containsEntry("t3-key", "\"bytes\"");
    }
}
