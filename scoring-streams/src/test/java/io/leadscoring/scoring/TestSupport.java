package io.leadscoring.scoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Shared helpers for the scoring-core tests. */
final class TestSupport {
    static final long SECOND = 1000L;
    static final long MINUTE = 60 * SECOND;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long WEEK = 7 * DAY;
    /** 2024-01-04T00:00:00Z, a Thursday: the start of an epoch-aligned week (the epoch was a Thursday). */
    static final long T0 = 19726L * DAY;

    private TestSupport() {}

    static RuleSet rules(String yaml) {
        try {
            return RuleFileLoader.parse(yaml, "test.yaml");
        } catch (RuleFileException e) {
            throw new AssertionError("rule file refused:\n" + e.getMessage(), e);
        }
    }

    /** A rule file with the given thresholds and behaviour rules (YAML list items, already indented by 2). */
    static RuleSet behaviorRules(double mql, double sql, String halfLife, String behaviorItems) {
        return rules("name: t\nversion: 1\n" + (halfLife == null ? "" : "halfLife: " + halfLife + "\n")
                + "thresholds: { mql: " + mql + ", sql: " + sql + " }\nbehavior:\n" + behaviorItems);
    }

    static String resource(String name) {
        try (InputStream in = TestSupport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RuleSet exampleRules() {
        return rules(resource("/rules/scoring-md-example.yaml"));
    }
}
