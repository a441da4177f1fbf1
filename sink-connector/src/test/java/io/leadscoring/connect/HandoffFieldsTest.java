package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class HandoffFieldsTest {

    static final Handoff FULL = new Handoff("h-1", "lead-1", "SQL", "MQL", Instant.parse("2026-03-01T10:15:30Z"),
            91.23456, 71.005, 20.0, "A", "HOT", "ACTIVE", "default@3",
            List.of(new Handoff.Reason("pricing-page", 30.04), new Handoff.Reason("unsubscribed", -5.0)),
            "ada@example.com", "Ada", "Lovelace", "Analytical Engines");

    @Test
    void everyNameIsAFieldInSchemaOrder() {
        assertThat(HandoffFields.NAMES).first().isEqualTo("handoffId");
        for (String name : HandoffFields.NAMES) {
            assertThat(HandoffFields.isField(name)).as(name).isTrue();
        }
        assertThat(HandoffFields.isField("Score")).isFalse();
    }

    @Test
    void valuesAreRenderedForACrmField() {
        assertThat(HandoffFields.value(FULL, "score")).isEqualTo(91.23);
        assertThat(HandoffFields.value(FULL, "engagement")).isEqualTo(71.01);
        assertThat(HandoffFields.value(FULL, "at")).isEqualTo("2026-03-01T10:15:30Z");
        assertThat(HandoffFields.value(FULL, "reasons")).isEqualTo("pricing-page +30.0; unsubscribed -5.0");
        assertThat(HandoffFields.value(FULL, "fitGrade")).isEqualTo("A");
        assertThat(HandoffFields.value(FULL, "company")).isEqualTo("Analytical Engines");
        assertThatThrownBy(() -> HandoffFields.value(FULL, "nope")).hasMessageContaining("unknown handoff field");
    }

    @Test
    void mappedSkipsAbsentValuesAndKeepsMappingOrder() {
        Handoff partial = new Handoff("h-2", "lead-2", null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("handoffId", "lead_handoff_id");
        mapping.put("score", "lead_score");
        mapping.put("reasons", "lead_score_reasons");
        assertThat(HandoffFields.mapped(partial, mapping)).containsExactly(Map.entry("lead_handoff_id", "h-2"));
        assertThat(HandoffFields.mapped(FULL, mapping)).containsExactly(Map.entry("lead_handoff_id", "h-1"),
                Map.entry("lead_score", 91.23), Map.entry("lead_score_reasons", "pricing-page +30.0; unsubscribed -5.0"));
    }

    @Test
    void mappingValidatorNamesTheBadEntry() {
        var v = FieldMapping.validator();
        v.ensureValid("m", List.of("score:Lead_Score__c", "email:Email"));
        assertThatThrownBy(() -> v.ensureValid("m", List.of("score")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'score' is not handoffField:crmField");
        assertThatThrownBy(() -> v.ensureValid("m", List.of("points:x")))
                .hasMessageContaining("'points' is not a handoff field");
        assertThatThrownBy(() -> v.ensureValid("m", List.of("score:lead score")))
                .hasMessageContaining("not a valid CRM field name");
        assertThatThrownBy(() -> v.ensureValid("m", List.of("score:a", "score:b")))
                .hasMessageContaining("mapped twice");
        assertThatThrownBy(() -> v.ensureValid("m", List.of("score:a", "fit:A")))
                .hasMessageContaining("CRM field 'A' is mapped twice");
        assertThat(FieldMapping.parse(List.of(" score : lead_score ", "fit:lead_fit")))
                .containsExactly(Map.entry("score", "lead_score"), Map.entry("fit", "lead_fit"));
    }
}
