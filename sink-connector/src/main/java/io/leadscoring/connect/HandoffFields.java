package io.leadscoring.connect;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The handoff fields a CRM field mapping can name ({@code hubspot.property.mapping}, {@code salesforce.field.mapping}),
 * and how each is written to a CRM field: strings and enum symbols as they are, numbers rounded to 2 decimals,
 * {@code at} as an ISO-8601 instant, {@code reasons} as one line of text a salesperson can read
 * ({@code "pricing-page +30.0; title-vp +15.0"}).
 */
public final class HandoffFields {

    private static final Map<String, Function<Handoff, Object>> FIELDS = fields();

    private HandoffFields() {
    }

    private static Map<String, Function<Handoff, Object>> fields() {
        Map<String, Function<Handoff, Object>> f = new LinkedHashMap<>();
        f.put("handoffId", Handoff::handoffId);
        f.put("leadId", Handoff::leadId);
        f.put("stage", Handoff::stage);
        f.put("previousStage", Handoff::previousStage);
        f.put("at", h -> h.at() == null ? null : h.at().toString());
        f.put("score", h -> round(h.score()));
        f.put("engagement", h -> round(h.engagement()));
        f.put("fit", h -> round(h.fit()));
        f.put("fitGrade", Handoff::fitGrade);
        f.put("temperature", Handoff::temperature);
        f.put("activity", Handoff::activity);
        f.put("ruleSet", Handoff::ruleSet);
        f.put("reasons", h -> reasonsText(h.reasons()));
        f.put("email", Handoff::email);
        f.put("firstName", Handoff::firstName);
        f.put("lastName", Handoff::lastName);
        f.put("company", Handoff::company);
        return Map.copyOf(f);
    }

    /** The names a mapping may use, in StageChange schema order. */
    public static final List<String> NAMES = List.of("handoffId", "leadId", "stage", "previousStage", "at", "score",
            "engagement", "fit", "fitGrade", "temperature", "activity", "ruleSet", "reasons", "email", "firstName",
            "lastName", "company");

    public static Set<String> names() {
        return Set.copyOf(NAMES);
    }

    public static boolean isField(String name) {
        return FIELDS.containsKey(name);
    }

    /** The value to write for {@code field} ({@code null} when the handoff does not carry it). */
    public static Object value(Handoff handoff, String field) {
        Function<Handoff, Object> getter = FIELDS.get(field);
        if (getter == null) {
            throw new IllegalArgumentException("unknown handoff field '" + field + "'; known: " + NAMES);
        }
        return getter.apply(handoff);
    }

    /** The CRM fields of a mapping (handoff field to CRM field) with their values, skipping absent values. */
    public static Map<String, Object> mapped(Handoff handoff, Map<String, String> mapping) {
        Map<String, Object> out = new LinkedHashMap<>();
        mapping.forEach((field, crmField) -> {
            Object v = value(handoff, field);
            if (v != null) {
                out.put(crmField, v);
            }
        });
        return out;
    }

    /** Reasons as one line, in their order (already by |points| descending): {@code rule +12.5; other -3.0}. */
    public static String reasonsText(List<Handoff.Reason> reasons) {
        if (reasons.isEmpty()) {
            return null;
        }
        return reasons.stream()
                .map(r -> r.rule() + " " + String.format(Locale.ROOT, "%+.1f", r.points()))
                .collect(Collectors.joining("; "));
    }

    private static Double round(Double d) {
        return d == null ? null : BigDecimal.valueOf(d).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }
}
