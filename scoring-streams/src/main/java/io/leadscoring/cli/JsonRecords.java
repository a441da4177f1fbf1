package io.leadscoring.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadscoring.events.AssetType;
import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns one JSON Lines record of SCORING.md's Replay section into the Avro record the live pipeline would read.
 * Anything that the live topics could not carry is refused with a message naming the field.
 */
final class JsonRecords {

    enum Kind { WEB, EMAIL, DOWNLOAD, PROFILE, ERASURE }

    /** {@code value} is the Avro record; an erasure request has none (docs/ERASURE.md). */
    record Parsed(Kind kind, String leadId, SpecificRecord value) {
    }

    static final class BadRecordException extends Exception {
        private static final long serialVersionUID = 1L;

        BadRecordException(String message) {
            super(message);
        }
    }

    private JsonRecords() {
    }

    static Parsed parse(JsonNode json) throws BadRecordException {
        if (json == null || !json.isObject()) {
            throw new BadRecordException("not a JSON object");
        }
        String source = text(json, "source");
        if (source == null) {
            throw new BadRecordException("missing \"source\" (web, email, download, profile or erasure)");
        }
        String leadId = text(json, "leadId");
        return switch (source.toLowerCase(Locale.ROOT)) {
            case "web" -> new Parsed(Kind.WEB, leadId, web(json, leadId));
            case "email" -> new Parsed(Kind.EMAIL, leadId, email(json, leadId));
            case "download" -> new Parsed(Kind.DOWNLOAD, leadId, download(json, leadId));
            case "profile" -> new Parsed(Kind.PROFILE, leadId, profile(json, leadId));
            // An erasure request: the lead starts from scratch, as live after `erase`.
            case "erasure" -> new Parsed(Kind.ERASURE, nonNull(leadId), null);
            default -> throw new BadRecordException("unknown source '" + source
                    + "' (expected web, email, download, profile or erasure)");
        };
    }

    private static WebEvent web(JsonNode json, String leadId) throws BadRecordException {
        String url = text(json, "url");
        if (url == null) {
            // Recorded data sometimes carries the derived fields only; rebuild a URL they derive back from.
            String path = text(json, "path");
            String host = text(json, "host");
            if (path == null && host == null) {
                throw new BadRecordException("web event without \"url\"");
            }
            url = (host == null ? "" : "https://" + host) + (path == null ? "/" : path);
        }
        String action = text(json, "action");
        return WebEvent.newBuilder()
                .setEventId(required(json, "eventId"))
                .setLeadId(nonNull(leadId))
                .setOccurredAt(time(json, "occurredAt"))
                .setUrl(url)
                .setAction(action == null ? WebAction.PAGE_VIEW : symbol(WebAction.class, "action", action))
                .setReferrer(text(json, "referrer"))
                .setSessionId(text(json, "sessionId"))
                .setPageTitle(text(json, "pageTitle"))
                .setUserAgent(text(json, "userAgent"))
                .setUtmSource(text(json, "utmSource"))
                .setUtmMedium(text(json, "utmMedium"))
                .setUtmCampaign(text(json, "utmCampaign"))
                .setUtmTerm(text(json, "utmTerm"))
                .setUtmContent(text(json, "utmContent"))
                .build();
    }

    private static EmailEvent email(JsonNode json, String leadId) throws BadRecordException {
        return EmailEvent.newBuilder()
                .setEventId(required(json, "eventId"))
                .setLeadId(nonNull(leadId))
                .setOccurredAt(time(json, "occurredAt"))
                .setType(symbol(EmailEventType.class, "type", required(json, "type")))
                .setCampaignId(text(json, "campaignId"))
                .setEmailKind(text(json, "emailKind"))
                .setUrl(text(json, "url"))
                .setMessageId(text(json, "messageId"))
                .setSubject(text(json, "subject"))
                .setUserAgent(text(json, "userAgent"))
                .build();
    }

    private static DownloadEvent download(JsonNode json, String leadId) throws BadRecordException {
        String assetType = text(json, "assetType");
        String assetId = text(json, "assetId");
        return DownloadEvent.newBuilder()
                .setEventId(required(json, "eventId"))
                .setLeadId(nonNull(leadId))
                .setOccurredAt(time(json, "occurredAt"))
                .setAssetId(assetId == null ? "" : assetId)
                .setAssetType(assetType == null ? AssetType.OTHER : symbol(AssetType.class, "assetType", assetType))
                .setTitle(text(json, "title"))
                .setUrl(text(json, "url"))
                .setSessionId(text(json, "sessionId"))
                .setUserAgent(text(json, "userAgent"))
                .build();
    }

    private static LeadProfile profile(JsonNode json, String leadId) throws BadRecordException {
        Map<String, String> attributes = new LinkedHashMap<>();
        JsonNode attrs = json.get("attributes");
        if (attrs != null && !attrs.isNull()) {
            if (!attrs.isObject()) {
                throw new BadRecordException("\"attributes\" must be an object of strings");
            }
            var fields = attrs.fields();
            while (fields.hasNext()) {
                var entry = fields.next();
                if (!entry.getValue().isNull()) {
                    attributes.put(entry.getKey(), entry.getValue().asText());
                }
            }
        }
        return LeadProfile.newBuilder()
                .setLeadId(nonNull(leadId))
                .setUpdatedAt(time(json, "updatedAt"))
                .setEmail(text(json, "email"))
                .setFirstName(text(json, "firstName"))
                .setLastName(text(json, "lastName"))
                .setJobTitle(text(json, "jobTitle"))
                .setSeniority(text(json, "seniority"))
                .setDepartment(text(json, "department"))
                .setCompany(text(json, "company"))
                .setCompanySize(integer(json, "companySize"))
                .setIndustry(text(json, "industry"))
                .setCountry(text(json, "country"))
                .setAnnualRevenue(longValue(json, "annualRevenue"))
                .setBudget(text(json, "budget"))
                .setAuthority(text(json, "authority"))
                .setNeed(text(json, "need"))
                .setTimeline(text(json, "timeline"))
                .setAttributes(attributes)
                .build();
    }

    // An empty lead id is carried through on purpose: the topology dead-letters it, as it would live.
    private static String nonNull(String leadId) {
        return leadId == null ? "" : leadId;
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String required(JsonNode json, String field) throws BadRecordException {
        String value = text(json, field);
        if (value == null) {
            throw new BadRecordException("missing \"" + field + "\"");
        }
        return value;
    }

    private static Integer integer(JsonNode json, String field) throws BadRecordException {
        Long value = longValue(json, field);
        if (value == null) {
            return null;
        }
        if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new BadRecordException("\"" + field + "\" is out of range: " + value);
        }
        return value.intValue();
    }

    private static Long longValue(JsonNode json, String field) throws BadRecordException {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber() && node.asDouble() == Math.rint(node.asDouble())) {
            return (long) node.asDouble();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new BadRecordException("\"" + field + "\" is not an integer: " + node);
    }

    /** Epoch milliseconds, or ISO-8601 (an instant, a date-time with offset, or a date at UTC midnight). */
    static Instant time(JsonNode json, String field) throws BadRecordException {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw new BadRecordException("missing \"" + field + "\"");
        }
        if (node.isIntegralNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        if (node.isNumber()) {
            return Instant.ofEpochMilli((long) node.asDouble());
        }
        String text = node.asText().trim();
        if (text.matches("-?\\d+")) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notAnOffsetDateTime) {
                try {
                    return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notADate) {
                    throw new BadRecordException("\"" + field + "\" is neither epoch milliseconds nor ISO-8601: "
                            + text);
                }
            }
        }
    }

    private static <E extends Enum<E>> E symbol(Class<E> type, String field, String value)
            throws BadRecordException {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder symbols = new StringBuilder();
            for (E constant : type.getEnumConstants()) {
                symbols.append(symbols.length() == 0 ? "" : ", ").append(constant.name());
            }
            throw new BadRecordException("\"" + field + "\" has unknown value '" + value + "' (expected one of "
                    + symbols + ")");
        }
    }
}
