package io.leadscoring.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One handoff as the CRM inbox received it: the webhook's JSON document (see the sink connector's
 * {@code HandoffJson}), with the fields a person reads pulled out.
 */
record InboxHandoff(
        String handoffId,
        String leadId,
        String firstName,
        String lastName,
        String company,
        String email,
        Double score,
        String fitGrade,
        List<Reason> reasons,
        Instant receivedAt,
        Map<String, Object> document) {

    record Reason(String rule, double points) {
    }

    InboxHandoff {
        reasons = List.copyOf(reasons);
        document = Collections.unmodifiableMap(new LinkedHashMap<>(document));
    }

    /** Reads the webhook document; unknown or missing fields are tolerated, as a CRM would. */
    static InboxHandoff of(Map<String, Object> document, String idempotencyKey, Instant receivedAt) {
        List<Reason> reasons = new ArrayList<>();
        if (document.get("reasons") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> reason && reason.get("rule") != null
                        && reason.get("points") instanceof Number points) {
                    reasons.add(new Reason(reason.get("rule").toString(), points.doubleValue()));
                }
            }
        }
        Object id = document.get("handoffId");
        return new InboxHandoff(id == null ? idempotencyKey : id.toString(), text(document, "leadId"),
                text(document, "firstName"), text(document, "lastName"), text(document, "company"),
                text(document, "email"), document.get("score") instanceof Number n ? n.doubleValue() : null,
                text(document, "fitGrade"), reasons, receivedAt, document);
    }

    /** The document as the inbox lists it: when it arrived, then the fields as received. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("receivedAt", receivedAt.toString());
        json.putAll(document);
        return json;
    }

    private static String text(Map<String, Object> document, String field) {
        Object value = document.get(field);
        return value == null ? null : value.toString();
    }
}
