package io.leadscoring.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Renders a {@link ConfigDef} as a Markdown reference, one table per group in definition order. {@code main}
 * writes {@code docs/sink-connector-config.md}; {@code ConfigDocsTest} keeps that file up to date.
 */
public final class ConfigDocs {

    private ConfigDocs() {
    }

    public static String markdown(ConfigDef def) {
        StringBuilder out = new StringBuilder();
        out.append("# CRM sink connector configuration\n\n")
                .append("<!-- Generated from CrmSinkConfig.CONFIG_DEF by io.leadscoring.connect.ConfigDocs; do not edit. -->\n")
                .append("<!-- Regenerate: ./mvnw -pl sink-connector test -Dtest=ConfigDocsTest -Ddocs.update=true -->\n\n")
                .append("Connector class: `io.leadscoring.connect.CrmSinkConnector`. ")
                .append("PASSWORD settings are never logged and print as `[hidden]`.\n");
        Map<String, List<ConfigDef.ConfigKey>> byGroup = def.configKeys().values().stream()
                .collect(Collectors.groupingBy(k -> k.group == null ? "Other" : k.group,
                        java.util.LinkedHashMap::new, Collectors.toList()));
        for (String group : def.groups()) {
            List<ConfigDef.ConfigKey> keys = byGroup.getOrDefault(group, List.of());
            out.append("\n## ").append(group).append("\n\n")
                    .append("| Key | Type | Default | Valid values | Importance | Description |\n")
                    .append("|---|---|---|---|---|---|\n");
            keys.stream().sorted((a, b) -> Integer.compare(a.orderInGroup, b.orderInGroup)).forEach(k ->
                    out.append("| `").append(k.name).append("` | ").append(k.type.name().toLowerCase(java.util.Locale.ROOT))
                            .append(" | ").append(defaultValue(k))
                            .append(" | ").append(k.validator == null ? "" : cell(k.validator.toString()))
                            .append(" | ").append(k.importance.name().toLowerCase(java.util.Locale.ROOT))
                            .append(" | ").append(cell(k.documentation)).append(" |\n"));
        }
        return out.toString();
    }

    private static String defaultValue(ConfigDef.ConfigKey k) {
        if (!k.hasDefault()) {
            return "*required*";
        }
        if (k.defaultValue == null) {
            return "null";
        }
        String s = k.defaultValue instanceof List<?> l
                ? l.stream().map(String::valueOf).collect(Collectors.joining(","))
                : String.valueOf(k.defaultValue);
        return s.isEmpty() ? "\"\"" : "`" + s + "`";
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    public static void main(String[] args) throws IOException {
        Path target = Path.of(args.length > 0 ? args[0] : "docs/sink-connector-config.md");
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.writeString(target, markdown(CrmSinkConfig.CONFIG_DEF), StandardCharsets.UTF_8);
    }
}
