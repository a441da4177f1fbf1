package io.leadscoring.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Every PromQL expression of the dashboards and the alert rules, read from the files as shipped. */
final class Queries {

    /** The docker module's directory: Maven runs tests there. */
    static final Path MODULE = Path.of("").toAbsolutePath();
    static final Path ALERTS = MODULE.resolve("prometheus/alerts.yml");
    static final Path PROMETHEUS_CONFIG = MODULE.resolve("prometheus/prometheus.yml");
    static final Path DASHBOARDS = MODULE.resolve("grafana/dashboards");

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A trailing threshold at the top level: comparison operator, optional bool, a number. */
    private static final Pattern THRESHOLD =
            Pattern.compile("^(.*?)\\s*(==|!=|>=|<=|>|<)\\s*(?:bool\\s+)?[-+]?[0-9][0-9.eE+-]*\\s*$", Pattern.DOTALL);

    private Queries() {
    }

    /** Panel title (qualified by dashboard and refId) to expression, for every target of every panel. */
    static Map<String, String> dashboardQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = JSON.readTree(file.toFile());
                collectPanels(file.getFileName().toString(), dashboard.path("panels"), queries);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queries;
    }

    private static void collectPanels(String dashboard, JsonNode panels, Map<String, String> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(dashboard + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
            // Rows nest their collapsed panels.
            collectPanels(dashboard, panel.path("panels"), queries);
        }
    }

    /** Alert name to its {@code expr}. */
    static Map<String, String> alertExpressions() {
        Map<String, String> rules = new LinkedHashMap<>();
        try {
            for (JsonNode group : YAML.readTree(ALERTS.toFile()).path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                    rules.put(name, rule.path("expr").asText());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rules;
    }

    /**
     * The parts of an alert expression to query: split at top-level {@code and}/{@code or}/{@code unless}, each
     * part's trailing threshold removed. A comparison that does not fire filters every series away, so the
     * thresholded expression is empty when all is well; its operands are not, unless a metric name is wrong.
     */
    static List<String> alertOperands(String expr) {
        List<String> operands = new ArrayList<>();
        for (String part : splitTopLevel(expr)) {
            Matcher m = THRESHOLD.matcher(part);
            operands.add(m.matches() ? m.group(1).trim() : part.trim());
        }
        return operands;
    }

    /** Splits at the set operators outside parentheses, braces, brackets and strings. */
    static List<String> splitTopLevel(String expr) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (depth == 0 && Character.isWhitespace(c)) {
                for (String op : List.of("and", "or", "unless")) {
                    int end = i + 1 + op.length();
                    if (expr.startsWith(op, i + 1) && end < expr.length() && Character.isWhitespace(expr.charAt(end))) {
                        parts.add(expr.substring(start, i));
                        start = end;
                        i = end - 1;
                        break;
                    }
                }
            }
        }
        parts.add(expr.substring(start));
        return parts;
    }
}
