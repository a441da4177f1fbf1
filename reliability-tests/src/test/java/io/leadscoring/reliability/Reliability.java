package io.leadscoring.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the suite's files go, and its figures: one JSON file per test and a markdown table of them all. */
final class Reliability {

    /** Columns of the figures table, in order; every test fills each of them. */
    static final String[] COLUMNS = {"test", "fault", "faultsInjected", "recordsSent", "handoffsExpected",
            "handoffsOnTopic", "lost", "duplicated", "deliveredToCrm", "crmRedeliveriesDeduplicated",
            "deadLettered", "handoffsBeforeFirstFault", "seconds"};

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reliability() {
    }

    static Path outDir() {
        return Path.of(System.getProperty("reliability.out", "target/reliability")).toAbsolutePath();
    }

    static Path rulesFile() {
        Path rules = Path.of(System.getProperty("reliability.rules", "../samples/rules.yaml")).toAbsolutePath();
        if (!Files.isRegularFile(rules)) {
            throw new IllegalStateException("rule file " + rules + " not found (system property reliability.rules)");
        }
        return rules.normalize();
    }

    /** Writes {@code figures/<test>.json} and adds the test's row to {@code figures.md}. */
    static synchronized void record(Map<String, Object> figures) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>(figures);
        out.put("finishedAt", Instant.now().toString());
        Path dir = outDir().resolve("figures");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(figures.get("test") + ".json"), JSON.writeValueAsString(out),
                StandardCharsets.UTF_8);
        Path table = outDir().resolve("figures.md");
        if (!Files.exists(table)) {
            Files.writeString(table, "| " + String.join(" | ", COLUMNS) + " |\n|" + "---|".repeat(COLUMNS.length)
                    + "\n", StandardCharsets.UTF_8);
        }
        StringBuilder row = new StringBuilder("|");
        for (String column : COLUMNS) {
            row.append(' ').append(figures.getOrDefault(column, "")).append(" |");
        }
        Files.writeString(table, row.append('\n').toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.println("reliability figures: " + out);
    }
}
