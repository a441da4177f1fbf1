package io.leadscoring.scoring;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link ProfileView} over a map of fields, for tests, benchmarks and tools. {@code emailDomain} is derived from
 * {@code email} with {@link Fields#emailDomain} unless set explicitly; custom fields are set as
 * {@code attributes.NAME}.
 */
public final class MapProfileView implements ProfileView {
    private final String leadId;
    private final long updatedAt;
    private final Map<String, Object> fields;

    private MapProfileView(Builder b) {
        this.leadId = b.leadId;
        this.updatedAt = b.updatedAt;
        Map<String, Object> f = new HashMap<>(b.fields);
        if (f.get("email") != null) {
            f.putIfAbsent("emailDomain", Fields.emailDomain(f.get("email").toString()));
        }
        f.values().removeIf(Objects::isNull);
        this.fields = f;
    }

    public static Builder builder(String leadId, long updatedAt) {
        return new Builder(leadId, updatedAt);
    }

    @Override
    public String leadId() {
        return leadId;
    }

    @Override
    public long updatedAt() {
        return updatedAt;
    }

    @Override
    public Object get(String field) {
        return switch (field) {
            case "leadId" -> leadId;
            case "updatedAt" -> updatedAt;
            default -> fields.get(field);
        };
    }

    @Override
    public String email() {
        return text("email");
    }

    @Override
    public String firstName() {
        return text("firstName");
    }

    @Override
    public String lastName() {
        return text("lastName");
    }

    @Override
    public String company() {
        return text("company");
    }

    private String text(String field) {
        Object v = fields.get(field);
        return v == null ? null : v.toString();
    }

    /** A builder holding this profile's fields, e.g. to make the next version of it. */
    public Builder toBuilder(long newUpdatedAt) {
        Builder b = new Builder(leadId, newUpdatedAt);
        b.fields.putAll(fields);
        return b;
    }

    @Override
    public String toString() {
        return "Profile[" + leadId + ", " + updatedAt + ", " + fields + "]";
    }

    public static final class Builder {
        private final String leadId;
        private final long updatedAt;
        private final Map<String, Object> fields = new HashMap<>();

        private Builder(String leadId, long updatedAt) {
            this.leadId = Objects.requireNonNull(leadId, "leadId");
            this.updatedAt = updatedAt;
        }

        /** Sets a field ("jobTitle", "companySize", "attributes.NAME", ...); a null value leaves it absent. */
        public Builder set(String field, Object value) {
            if (value == null) {
                fields.remove(field);
            } else {
                fields.put(field, value);
            }
            return this;
        }

        public Builder attribute(String name, String value) {
            return set("attributes." + name, value);
        }

        public MapProfileView build() {
            return new MapProfileView(this);
        }
    }
}
