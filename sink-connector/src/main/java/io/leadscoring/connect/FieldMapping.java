package io.leadscoring.connect;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * A list of {@code handoffField:crmField} pairs (a {@link ConfigDef.Type#LIST} setting) naming where each handoff
 * field goes in the CRM. Handoff fields are those of {@link HandoffFields}; CRM field names are API names
 * (letters, digits and underscores, starting with a letter), each used once.
 */
public final class FieldMapping {

    private static final Pattern CRM_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private FieldMapping() {
    }

    /** The mapping in configuration order; the list must be valid (see {@link #validator}). */
    public static Map<String, String> parse(List<String> entries) {
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            mapping.put(entry.substring(0, colon).trim(), entry.substring(colon + 1).trim());
        }
        return mapping;
    }

    public static ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                Set<String> fields = new HashSet<>();
                Set<String> targets = new HashSet<>();
                for (Object o : (List<?>) value) {
                    String entry = o.toString();
                    int colon = entry.indexOf(':');
                    if (colon <= 0 || colon == entry.length() - 1) {
                        throw new ConfigException(name, value, "entry '" + entry + "' is not handoffField:crmField");
                    }
                    String field = entry.substring(0, colon).trim();
                    String target = entry.substring(colon + 1).trim();
                    if (!HandoffFields.isField(field)) {
                        throw new ConfigException(name, value, "'" + field + "' is not a handoff field; use one of "
                                + HandoffFields.NAMES);
                    }
                    if (!CRM_NAME.matcher(target).matches()) {
                        throw new ConfigException(name, value, "'" + target + "' is not a valid CRM field name");
                    }
                    if (!fields.add(field)) {
                        throw new ConfigException(name, value, "handoff field '" + field + "' is mapped twice");
                    }
                    if (!targets.add(target.toLowerCase(java.util.Locale.ROOT))) {
                        throw new ConfigException(name, value, "CRM field '" + target + "' is mapped twice");
                    }
                }
            }

            @Override
            public String toString() {
                return "a list of handoffField:crmField, handoff fields among " + HandoffFields.NAMES;
            }
        };
    }
}
