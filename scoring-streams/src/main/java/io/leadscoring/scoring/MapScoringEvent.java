package io.leadscoring.scoring;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ScoringEvent} over a map of fields, for tests, benchmarks and tools. Web events derive {@code path} and
 * {@code host} from {@code url} with {@link Fields} unless they are set explicitly.
 */
public final class MapScoringEvent implements ScoringEvent {
    private final Source source;
    private final String leadId;
    private final String eventId;
    private final long occurredAt;
    private final Map<String, Object> fields;

    private MapScoringEvent(Builder b) {
        this.source = b.source;
        this.leadId = b.leadId;
        this.eventId = b.eventId;
        this.occurredAt = b.occurredAt;
        Map<String, Object> f = new HashMap<>(b.fields);
        if (source == Source.WEB && f.get("url") != null) {
            String url = f.get("url").toString();
            f.putIfAbsent("path", Fields.path(url));
            f.putIfAbsent("host", Fields.host(url));
        }
        this.fields = f;
    }

    public static Builder builder(Source source, String leadId, String eventId, long occurredAt) {
        return new Builder(source, leadId, eventId, occurredAt);
    }

    public static MapScoringEvent web(String leadId, String eventId, long occurredAt, String url, String action) {
        return builder(Source.WEB, leadId, eventId, occurredAt).set("url", url).set("action", action).build();
    }

    public static MapScoringEvent email(String leadId, String eventId, long occurredAt, String type) {
        return builder(Source.EMAIL, leadId, eventId, occurredAt).set("type", type).build();
    }

    public static MapScoringEvent download(String leadId, String eventId, long occurredAt, String assetType) {
        return builder(Source.DOWNLOAD, leadId, eventId, occurredAt).set("assetType", assetType).build();
    }

    @Override
    public Source source() {
        return source;
    }

    @Override
    public String leadId() {
        return leadId;
    }

    @Override
    public String eventId() {
        return eventId;
    }

    @Override
    public long occurredAt() {
        return occurredAt;
    }

    @Override
    public Object get(String field) {
        return switch (field) {
            case "leadId" -> leadId;
            case "eventId" -> eventId;
            case "occurredAt" -> occurredAt;
            default -> fields.get(field);
        };
    }

    @Override
    public String toString() {
        return source + "[" + leadId + ", " + eventId + ", " + occurredAt + ", " + fields + "]";
    }

    public static final class Builder {
        private final Source source;
        private final String leadId;
        private final String eventId;
        private final long occurredAt;
        private final Map<String, Object> fields = new HashMap<>();

        private Builder(Source source, String leadId, String eventId, long occurredAt) {
            this.source = Objects.requireNonNull(source, "source");
            this.leadId = Objects.requireNonNull(leadId, "leadId");
            this.eventId = eventId;
            this.occurredAt = occurredAt;
        }

        /** Sets a field; a null value leaves it absent. */
        public Builder set(String field, Object value) {
            if (value == null) {
                fields.remove(field);
            } else {
                fields.put(field, value);
            }
            return this;
        }

        public MapScoringEvent build() {
            return new MapScoringEvent(this);
        }
    }
}
