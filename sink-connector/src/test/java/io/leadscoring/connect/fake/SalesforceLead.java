package io.leadscoring.connect.fake;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Lead as {@link FakeSalesforce} stores it: its record id ({@code 00Q...}, 18 characters) and its fields by API
 * name, the external id field included. A snapshot: later upserts do not change it.
 *
 * @param writes how many upserts created or updated it
 */
public record SalesforceLead(String id, Map<String, Object> fields, int writes) {

    public SalesforceLead {
        // unmodifiable but null-friendly: a field set to null is kept as null, like a cleared Salesforce field
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The value of a field (API names are case-insensitive in Salesforce, so here too). */
    public Object get(String field) {
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (e.getKey().equalsIgnoreCase(field)) {
                return e.getValue();
            }
        }
        return null;
    }
}
