package io.leadscoring.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every invalid form of rule file, one row each (SCORING.md, The rule file: "refused as a whole with an error that
 * names the file, line and rule"): the file is written to disk and loaded as {@code run} and {@code replay} load it,
 * and the message must start with {@code FILE:LINE: rule 'RULE': } (no rule part for a file-level error) and say
 * what is wrong. {@link RuleFileLoaderTest} holds the finer cases of each form.
 */
class RuleFileRefusalTableTest {

    private static final String HEAD = "name: t\nversion: 1\nthresholds: { mql: 50, sql: 100 }\n";
    private static final String B = HEAD + "behavior:\n  - name: b\n"; // the rule 'b' starts on line 5
    private static final String F = HEAD + "fit:\n  rules:\n    - name: f\n"; // the rule 'f' starts on line 6

    static Stream<Arguments> invalidForms() {
        return Stream.of(
                // form, file text, line, rule (null: file level), what the message says
                row("empty file", "", 1, null, "empty"),
                row("only comments", "# nothing\n\n", 1, null, "empty"),
                row("not a map", "- a\n- b\n", 1, null, "a rule file is a map"),
                row("several documents", HEAD + "---\nname: u\n", 4, null, "not valid YAML"),
                row("syntax: unclosed flow map", "name: t\nversion: 1\nthresholds: { mql: 50, sql: 100\n", 4, null,
                        "not valid YAML"),
                row("syntax: tab indentation", "name: t\n\tversion: 1\n", 2, null, "not valid YAML"),
                row("syntax: bad indentation in a rule", B + "    points: 1\n   when: {}\n", 7, null,
                        "not valid YAML"),
                row("duplicate top-level key", HEAD + "name: u\n", 4, null, "duplicate key 'name'"),
                row("duplicate key in a rule", B + "    points: 1\n    points: 2\n", 7, "b", "duplicate key 'points'"),
                row("unknown top-level key", HEAD + "treshold: 4\n", 4, null, "unknown key 'treshold'"),
                row("unknown key in a behaviour rule", B + "    points: 1\n    pointz: 5\n", 7, "b",
                        "unknown key 'pointz'"),
                row("unknown key in a fit rule", F + "      points: 5\n      halfLife: 7d\n", 8, "f",
                        "unknown key 'halfLife'"),
                row("unknown key in fit", HEAD + "fit:\n  maxPoint: 5\n", 5, null, "unknown key 'maxPoint'"),
                row("unknown key in thresholds", "name: t\nversion: 1\nthresholds: { mql: 1, sql: 2, hot: 3 }\n",
                        3, null, "unknown key 'hot'"),
                row("unknown key in cap", B + "    points: 1\n    cap: { points: 5, per: 1d, every: 2 }\n", 7, "b",
                        "unknown key 'every'"),
                row("missing name", "version: 1\nthresholds: { mql: 1, sql: 2 }\n", 1, null, "missing 'name'"),
                row("missing version", "name: t\nthresholds: { mql: 1, sql: 2 }\n", 1, null, "missing 'version'"),
                row("missing thresholds", "name: t\nversion: 1\n", 1, null, "missing 'thresholds'"),
                row("missing sql threshold", "name: t\nversion: 1\nthresholds: { mql: 50 }\n", 3, null,
                        "missing 'sql'"),
                row("missing rule name", HEAD + "behavior:\n  - when: { source: web }\n    points: 5\n", 5, null,
                        "has no 'name'"),
                row("missing points", B + "    when: { source: web }\n", 5, "b", "missing 'points'"),
                row("missing cap.per", B + "    points: 1\n    cap: { points: 5 }\n", 7, "b", "missing 'per'"),
                row("missing cap.points", B + "    points: 1\n    cap: { per: 1d }\n", 7, "b", "missing 'points'"),
                row("wrong type: name a list", "name: [a]\nversion: 1\nthresholds: { mql: 1, sql: 2 }\n", 1, null,
                        "name"),
                row("wrong type: empty rule name", F.replace("name: f", "name: ''") + "      points: 5\n", 6, null,
                        "'name' must be a non-empty text"),
                row("wrong type: points text", B + "    points: ten\n", 6, "b", "points must be a number"),
                row("wrong type: points a list", B + "    points: [1]\n", 6, "b", "points must be a number"),
                row("wrong type: points a boolean", B + "    points: true\n", 6, "b", "points must be a number"),
                row("wrong type: points not finite", B + "    points: .inf\n", 6, "b", "points must be a number, not '.inf'"),
                row("wrong type: points NaN", B + "    points: .nan\n", 6, "b", "points must be a number, not '.nan'"),
                row("wrong type: points overflow", B + "    points: 1e400\n", 6, "b", "points must be a number, not '1e400'"),
                row("wrong type: threshold text", "name: t\nversion: 1\nthresholds: { mql: 50, sql: lots }\n", 3,
                        null, "thresholds.sql must be a number"),
                row("wrong type: threshold NaN", "name: t\nversion: 1\nthresholds: { mql: .nan, sql: 100 }\n", 3,
                        null, "thresholds.mql must be a number"),
                row("wrong type: threshold infinite", "name: t\nversion: 1\nthresholds: { mql: 50, sql: .inf }\n",
                        3, null, "thresholds.sql must be a number"),
                row("wrong type: thresholds not a map", "name: t\nversion: 1\nthresholds: 50\n", 3, null,
                        "'thresholds' must be a map"),
                row("wrong type: behavior not a list", HEAD + "behavior: 5\n", 4, null, "behavior"),
                row("wrong type: a rule not a map", HEAD + "behavior:\n  - just a string\n", 5, null,
                        "must be a map"),
                row("wrong type: fit not a map", HEAD + "fit: [a]\n", 4, null, "fit"),
                row("wrong type: fit.rules not a list", HEAD + "fit:\n  rules: 5\n", 5, null, "rules"),
                row("wrong type: when not a map", B + "    when: [source, web]\n    points: 5\n", 6, "b",
                        "'when' must be a map"),
                row("wrong type: cap not a map", B + "    points: 1\n    cap: 30\n", 7, "b", "'cap' must be a map"),
                row("both spellings of behaviour", HEAD + "behavior: []\nbehaviour: []\n", 5, null,
                        "either 'behavior' or 'behaviour'"),
                row("duplicate rule name (behaviour)", HEAD + "behavior:\n  - { name: a, points: 1 }\n"
                        + "  - { name: a, points: 2 }\n", 6, "a", "duplicate rule name (first defined at line 5)"),
                row("duplicate rule name (fit and behaviour)", HEAD + "fit:\n  rules:\n    - { name: s, points: 5 }\n"
                        + "behavior:\n  - { name: s, points: 1 }\n", 8, "s", "duplicate rule name"),
                row("bad duration: unit", "name: t\nversion: 1\nhalfLife: 14x\nthresholds: { mql: 1, sql: 2 }\n",
                        3, null, "bad duration '14x'"),
                row("bad duration: no unit", "name: t\nversion: 1\nhalfLife: 14\nthresholds: { mql: 1, sql: 2 }\n",
                        3, null, "give a unit"),
                row("bad duration: months", B + "    points: 1\n    halfLife: P1M\n", 7, "b", "months and years"),
                row("bad duration: zero", B + "    points: 1\n    halfLife: 0d\n", 7, "b", "must be positive"),
                row("bad duration: negative", B + "    points: 1\n    halfLife: -3d\n", 7, "b", "halfLife"),
                row("bad duration: cap.per", B + "    points: 1\n    cap: { points: 5, per: forever }\n", 7, "b",
                        "cap.per: bad duration 'forever'"),
                row("bad cap: zero points", B + "    points: 1\n    cap: { points: 0, per: 1d }\n", 7, "b",
                        "cap.points must be positive"),
                row("bad cap: negative points", B + "    points: 1\n    cap: { points: -5, per: 1d }\n", 7, "b",
                        "cap.points must be positive"),
                row("bad cap: points text", B + "    points: 1\n    cap: { points: many, per: 1d }\n", 7, "b",
                        "cap.points"),
                row("bad cap: zero period", B + "    points: 1\n    cap: { points: 5, per: 0h }\n", 7, "b",
                        "must be positive"),
                row("bad fit.maxPoints", HEAD + "fit:\n  maxPoints: 0\n", 5, null, "fit.maxPoints must be positive"),
                row("bad fit.maxPoints text", HEAD + "fit:\n  maxPoints: many\n", 5, null,
                        "fit.maxPoints must be a number"),
                row("unknown field", B + "    when: { source: web, pathh: /x }\n    points: 5\n", 6, "b",
                        "unknown field 'pathh'"),
                row("field of another source", B + "    when: { source: email, path: /x }\n    points: 5\n", 6, "b",
                        "unknown field 'path' for email events"),
                row("profile field in a behaviour rule", B + "    when: { jobTitle: CEO }\n    points: 5\n", 6, "b",
                        "is a profile field"),
                row("event field in a fit rule", F + "      when: { url: x }\n      points: 5\n", 7, "f",
                        "unknown field 'url' for profiles"),
                row("unknown operator", B + "    when: { source: web, path: { like: \"/x%\" } }\n    points: 5\n", 6,
                        "b", "unknown matcher 'like'"),
                row("mixed operators", B + "    when: { source: web, path: { glob: /x, regex: x } }\n    points: 5\n",
                        6, "b", "mixed matcher kinds"),
                row("empty operator", B + "    when: { source: web, path: {} }\n    points: 5\n", 6, "b",
                        "empty matcher"),
                row("invalid regex", B + "    when: { source: web, path: { regex: \"(\" } }\n    points: 5\n", 6,
                        "b", "invalid regex"),
                row("min above max", F + "      when: { companySize: { min: 10, max: 5 } }\n      points: 5\n", 7,
                        "f", "min (10) is greater than max (5)"),
                row("min not a number", F + "      when: { companySize: { min: ten } }\n      points: 5\n", 7, "f",
                        "must be a number"),
                row("exists not a boolean", F + "      when: { industry: { exists: maybe } }\n      points: 5\n", 7,
                        "f", "takes true or false"),
                row("empty list", F + "      when: { industry: [] }\n      points: 5\n", 7, "f", "empty list"),
                row("unknown source", B + "    when: { source: sms }\n    points: 5\n", 6, "b",
                        "unknown source 'sms'"),
                row("unknown source in a list", B + "    when: { source: [web, sms] }\n    points: 5\n", 6, "b",
                        "unknown source 'sms'"),
                row("source with an operator", B + "    when: { source: { glob: w* } }\n    points: 5\n", 6, "b",
                        "source must be web, email or download"),
                row("thresholds inconsistent", "name: t\nversion: 1\nthresholds: { mql: 120, sql: 100 }\n", 3, null,
                        "mql (120) is greater than sql (100)"),
                row("threshold not positive", "name: t\nversion: 1\nthresholds: { mql: 0, sql: 10 }\n", 3, null,
                        "thresholds.mql must be positive"),
                row("alias bomb (billion laughs)", aliasBomb(), 7, null, "not valid YAML"));
    }

    /** Eight levels of nine aliases each: 9^8 strings if expanded; the parser must stop it, not the heap. */
    private static String aliasBomb() {
        StringBuilder yaml = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 8; level++) {
            yaml.append("l").append(level).append(": &l").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, "*l" + (level - 1)))).append("]\n");
        }
        return yaml + HEAD;
    }

    private static Arguments row(String form, String yaml, int line, String rule, String says) {
        return Arguments.of(form, yaml, line, rule, says);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidForms")
    void isRefusedNamingFileLineAndRule(String form, String yaml, int line, String rule, String says,
            @TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, yaml);
        RuleFileException e = catchThrowableOfType(RuleFileException.class, () -> RuleFileLoader.load(file));

        assertThat(e).as("%s should be refused:%n%s", form, yaml).isNotNull();
        assertThat(e.file()).isEqualTo(file.toString());
        assertThat(e.errors()).as(e.getMessage()).isNotEmpty();
        RuleError first = e.errors().get(0);
        assertThat(first.line()).as(e.getMessage()).isEqualTo(line);
        assertThat(first.rule()).as(e.getMessage()).isEqualTo(rule);
        String where = file + ":" + line + ": " + (rule == null ? "" : "rule '" + rule + "': ");
        assertThat(e.getMessage()).as(form).startsWith(where);
        assertThat(e.getMessage().lines().findFirst().orElseThrow()).as(form).contains(says);
    }
}
