package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

class HandoffMapperTest {

    static final Instant AT = Instant.parse("2026-03-01T10:15:30.123Z");

    static final Schema REASON = SchemaBuilder.struct().name("io.leadscoring.events.Reason")
            .field("rule", Schema.STRING_SCHEMA)
            .field("points", Schema.FLOAT64_SCHEMA)
            .build();

    /** As the Avro converter renders StageChange: enums as strings, at as a Connect Timestamp. */
    static Schema stageChangeSchema(Schema atSchema) {
        return SchemaBuilder.struct().name("io.leadscoring.events.StageChange")
                .field("handoffId", Schema.STRING_SCHEMA)
                .field("leadId", Schema.STRING_SCHEMA)
                .field("stage", Schema.STRING_SCHEMA)
                .field("previousStage", Schema.STRING_SCHEMA)
                .field("at", atSchema)
                .field("score", Schema.FLOAT64_SCHEMA)
                .field("engagement", Schema.FLOAT64_SCHEMA)
                .field("fit", Schema.FLOAT64_SCHEMA)
                .field("fitGrade", Schema.STRING_SCHEMA)
                .field("temperature", Schema.STRING_SCHEMA)
                .field("activity", Schema.STRING_SCHEMA)
                .field("ruleSet", Schema.STRING_SCHEMA)
                .field("reasons", SchemaBuilder.array(REASON).build())
                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                .field("firstName", Schema.OPTIONAL_STRING_SCHEMA)
                .field("lastName", Schema.OPTIONAL_STRING_SCHEMA)
                .field("company", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
    }

    static Struct struct(Schema schema, Object at) {
        return new Struct(schema)
                .put("handoffId", "h-1")
                .put("leadId", "lead-42")
                .put("stage", "SQL")
                .put("previousStage", "MQL")
                .put("at", at)
                .put("score", 112.5)
                .put("engagement", 72.5)
                .put("fit", 40.0)
                .put("fitGrade", "A")
                .put("temperature", "HOT")
                .put("activity", "ACTIVE")
                .put("ruleSet", "default@3")
                .put("reasons", List.of(
                        new Struct(REASON).put("rule", "pricing-page").put("points", 30.25),
                        new Struct(REASON).put("rule", "unsubscribed").put("points", -10.0)))
                .put("email", "ada@example.com")
                .put("firstName", "Ada")
                .put("lastName", "Lovelace")
                .put("company", "Analytical Engines");
    }

    static Map<String, Object> map() {
        Map<String, Object> m = new HashMap<>();
        m.put("handoffId", "h-1");
        m.put("leadId", "lead-42");
        m.put("stage", "SQL");
        m.put("previousStage", "MQL");
        m.put("at", AT.toEpochMilli());
        m.put("score", 112.5);
        m.put("engagement", 72.5);
        m.put("fit", 40); // JsonConverter gives integral JSON numbers as Integer/Long
        m.put("fitGrade", "A");
        m.put("temperature", "HOT");
        m.put("activity", "ACTIVE");
        m.put("ruleSet", "default@3");
        m.put("reasons", List.of(Map.of("rule", "pricing-page", "points", 30.25),
                Map.of("rule", "unsubscribed", "points", -10)));
        m.put("email", "ada@example.com");
        m.put("firstName", "Ada");
        m.put("lastName", "Lovelace");
        m.put("company", "Analytical Engines");
        return m;
    }

    static void assertFull(Handoff h) {
        assertThat(h.handoffId()).isEqualTo("h-1");
        assertThat(h.leadId()).isEqualTo("lead-42");
        assertThat(h.stage()).isEqualTo("SQL");
        assertThat(h.previousStage()).isEqualTo("MQL");
        assertThat(h.at()).isEqualTo(AT);
        assertThat(h.score()).isEqualTo(112.5);
        assertThat(h.engagement()).isEqualTo(72.5);
        assertThat(h.fit()).isEqualTo(40.0);
        assertThat(h.fitGrade()).isEqualTo("A");
        assertThat(h.temperature()).isEqualTo("HOT");
        assertThat(h.activity()).isEqualTo("ACTIVE");
        assertThat(h.ruleSet()).isEqualTo("default@3");
        assertThat(h.reasons()).containsExactly(new Handoff.Reason("pricing-page", 30.25),
                new Handoff.Reason("unsubscribed", -10.0));
        assertThat(h.email()).isEqualTo("ada@example.com");
        assertThat(h.hasEmail()).isTrue();
        assertThat(h.firstName()).isEqualTo("Ada");
        assertThat(h.lastName()).isEqualTo("Lovelace");
        assertThat(h.company()).isEqualTo("Analytical Engines");
    }

    @Test
    void mapsStructWithTimestamp() {
        assertFull(HandoffMapper.map(struct(stageChangeSchema(Timestamp.SCHEMA), Date.from(AT))));
    }

    @Test
    void mapsStructWithEpochMillis() {
        assertFull(HandoffMapper.map(struct(stageChangeSchema(Schema.INT64_SCHEMA), AT.toEpochMilli())));
    }

    @Test
    void mapsStructWithNullOptionalFields() {
        Struct s = struct(stageChangeSchema(Timestamp.SCHEMA), Date.from(AT));
        s.put("email", null).put("company", null);
        Handoff h = HandoffMapper.map(s);
        assertThat(h.email()).isNull();
        assertThat(h.hasEmail()).isFalse();
        assertThat(h.company()).isNull();
    }

    @Test
    void mapsSchemalessMap() {
        assertFull(HandoffMapper.map(map()));
    }

    @Test
    void mapsMapWithIsoTimestampAndMissingOptionals() {
        Map<String, Object> m = new HashMap<>();
        m.put("handoffId", "h-2");
        m.put("leadId", "lead-7");
        m.put("at", "2026-03-01T10:15:30.123Z");
        Handoff h = HandoffMapper.map(m);
        assertThat(h.at()).isEqualTo(AT);
        assertThat(h.reasons()).isEmpty();
        assertThat(h.score()).isNull();
        assertThat(h.email()).isNull();
    }

    @Test
    void missingHandoffIdInStructIsNamed() {
        Schema schema = SchemaBuilder.struct().field("leadId", Schema.STRING_SCHEMA).build();
        assertThatThrownBy(() -> HandoffMapper.map(new Struct(schema).put("leadId", "l")))
                .isInstanceOf(UnmappableRecordException.class)
                .hasMessageContaining("handoffId")
                .hasMessageContaining("missing")
                .satisfies(e -> assertThat(((UnmappableRecordException) e).field()).isEqualTo("handoffId"));
    }

    @Test
    void missingLeadIdInMapIsNamed() {
        Map<String, Object> m = map();
        m.remove("leadId");
        assertThatThrownBy(() -> HandoffMapper.map(m))
                .isInstanceOf(UnmappableRecordException.class)
                .hasMessageContaining("leadId");
    }

    @Test
    void blankHandoffIdIsRejected() {
        Map<String, Object> m = map();
        m.put("handoffId", "  ");
        assertThatThrownBy(() -> HandoffMapper.map(m))
                .isInstanceOf(UnmappableRecordException.class)
                .hasMessageContaining("handoffId").hasMessageContaining("blank");
    }

    @Test
    void wrongTypesAreNamed() {
        Map<String, Object> m = map();
        m.put("score", "high");
        assertThatThrownBy(() -> HandoffMapper.map(m))
                .isInstanceOf(UnmappableRecordException.class)
                .hasMessageContaining("'score'").hasMessageContaining("number");

        Map<String, Object> m2 = map();
        m2.put("leadId", 42);
        assertThatThrownBy(() -> HandoffMapper.map(m2))
                .hasMessageContaining("'leadId'").hasMessageContaining("string");

        Map<String, Object> m3 = map();
        m3.put("at", "yesterday");
        assertThatThrownBy(() -> HandoffMapper.map(m3))
                .hasMessageContaining("'at'").hasMessageContaining("ISO-8601");

        Map<String, Object> m4 = map();
        m4.put("at", 1.5);
        assertThatThrownBy(() -> HandoffMapper.map(m4)).hasMessageContaining("'at'");
    }

    @Test
    void badReasonIsNamedWithIndex() {
        Map<String, Object> m = map();
        List<Object> reasons = new ArrayList<>(List.of(Map.of("rule", "a", "points", 1)));
        reasons.add(Map.of("rule", "b"));
        m.put("reasons", reasons);
        assertThatThrownBy(() -> HandoffMapper.map(m))
                .isInstanceOf(UnmappableRecordException.class)
                .hasMessageContaining("reasons[1].points");

        m.put("reasons", "none");
        assertThatThrownBy(() -> HandoffMapper.map(m)).hasMessageContaining("'reasons'");
    }

    @Test
    void tombstoneAndForeignValuesAreUnmappable() {
        assertThatThrownBy(() -> HandoffMapper.map(null))
                .isInstanceOf(UnmappableRecordException.class).hasMessageContaining("tombstone");
        assertThatThrownBy(() -> HandoffMapper.map("{\"handoffId\":\"x\"}"))
                .isInstanceOf(UnmappableRecordException.class).hasMessageContaining("String");
    }
}
