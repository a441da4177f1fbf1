package io.leadscoring.scoring.rules;

import io.leadscoring.scoring.Source;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The fields rules can read, per SCORING.md's table. */
public final class FieldCatalog {
    /** Prefix of custom CRM fields on the profile. */
    public static final String ATTRIBUTES_PREFIX = "attributes.";

    private static final Map<String, Integer> EVENT_FIELDS = new LinkedHashMap<>();
    private static final Set<String> PROFILE_FIELDS =
            Set.copyOf(
                    List.of(
                            "leadId", "updatedAt", "email", "emailDomain", "jobTitle", "seniority", "department", "company",
                            "companySize", "industry", "country", "annualRevenue", "budget", "authority", "need", "timeline"));
    private static final Map<String, Set<String>> ENUM_SYMBOLS =
            Map.of(
                    "action", Set.of("PAGE_VIEW", "FORM_SUBMIT", "CLICK"),
                    "type", Set.of("DELIVERED", "OPENED", "CLICKED", "BOUNCED", "UNSUBSCRIBED", "SPAM_REPORTED"),
                    "assetType",
                            Set.of("WHITEPAPER", "EBOOK", "CASE_STUDY", "DATASHEET", "WEBINAR", "PRICE_LIST", "OTHER"));

    static {
        add(Source.WEB, "leadId", "eventId", "occurredAt", "url", "path", "host", "action", "referrer", "sessionId");
        add(Source.EMAIL, "leadId", "eventId", "occurredAt", "type", "campaignId", "emailKind", "url");
        add(Source.DOWNLOAD, "leadId", "eventId", "occurredAt", "assetId", "assetType", "title", "url");
    }

    private FieldCatalog() {}

    private static void add(Source source, String... fields) {
        for (String f : fields) {
            EVENT_FIELDS.merge(f, source.bit(), (a, b) -> a | b);
        }
    }

    /** Mask of the sources ({@link Source#bit()}) whose events have this field; 0 when none has it. */
    public static int sourcesHaving(String field) {
        Integer mask = EVENT_FIELDS.get(field);
        return mask == null ? 0 : mask;
    }

    /** The fields events of these sources have, in table order. */
    public static Set<String> eventFields(int sourceMask) {
        Set<String> out = new LinkedHashSet<>();
        for (Map.Entry<String, Integer> e : EVENT_FIELDS.entrySet()) {
            if ((e.getValue() & sourceMask) != 0) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /** Whether fit rules can read this profile field ({@code attributes.NAME} included). */
    public static boolean isProfileField(String field) {
        if (PROFILE_FIELDS.contains(field)) {
            return true;
        }
        return field.startsWith(ATTRIBUTES_PREFIX) && field.length() > ATTRIBUTES_PREFIX.length();
    }

    /** Profile fields, for messages. */
    public static Set<String> profileFields() {
        Set<String> out = new LinkedHashSet<>(
                List.of(
                        "leadId", "updatedAt", "email", "emailDomain", "jobTitle", "seniority", "department", "company",
                        "companySize", "industry", "country", "annualRevenue", "budget", "authority", "need", "timeline"));
        out.add("attributes.NAME");
        return out;
    }

    /** The enum symbols of an enum field (action, type, assetType), or null for other fields. */
    public static Set<String> enumSymbols(String field) {
        return ENUM_SYMBOLS.get(field);
    }

    /** A known field spelled with different case, for "did you mean" hints; null when there is none. */
    public static String caseInsensitiveMatch(String field, Set<String> known) {
        String lower = field.toLowerCase(Locale.ROOT);
        for (String k : known) {
            if (k.toLowerCase(Locale.ROOT).equals(lower)) {
                return k;
            }
        }
        return null;
    }
}
