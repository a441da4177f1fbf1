package io.leadscoring.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook's JSON document for one handoff: the StageChange field names in schema order, {@code at} as
 * epoch milliseconds, absent fields as JSON null, {@code reasons} as [{rule, points}].
 */
public final class HandoffJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HandoffJson() {
    }

    public static Map<String, Object> toMap(Handoff h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("handoffId", h.handoffId());
        m.put("leadId", h.leadId());
        m.put("stage", h.stage());
        m.put("previousStage", h.previousStage());
        m.put("at", h.at() == null ? null : h.at().toEpochMilli());
        m.put("score", h.score());
        m.put("engagement", h.engagement());
        m.put("fit", h.fit());
        m.put("fitGrade", h.fitGrade());
        m.put("temperature", h.temperature());
        m.put("activity", h.activity());
        m.put("ruleSet", h.ruleSet());
        List<Map<String, Object>> reasons = h.reasons().stream().map(r -> {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("rule", r.rule());
            rm.put("points", r.points());
            return rm;
        }).toList();
        m.put("reasons", reasons);
        m.put("email", h.email());
        m.put("firstName", h.firstName());
        m.put("lastName", h.lastName());
        m.put("company", h.company());
        return m;
    }

    public static byte[] toBytes(Handoff h) {
        try {
            return MAPPER.writeValueAsBytes(toMap(h));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise handoff " + h.handoffId(), e);
        }
    }
}
