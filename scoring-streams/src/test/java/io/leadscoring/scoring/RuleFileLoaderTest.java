package io.leadscoring.scoring;

import static io.leadscoring.scoring.TestSupport.DAY;
import static io.leadscoring.scoring.TestSupport.WEEK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.leadscoring.scoring.rules.BehaviorRule;
import io.leadscoring.scoring.rules.FitRule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFileLoaderTest {

    private static final String HEAD = "name: t\nversion: 1\nthresholds: { mql: 50, sql: 100 }\n";

    static RuleFileException refused(String yaml) {
        RuleFileException e = catchThrowableOfType(RuleFileException.class, () -> RuleFileLoader.parse(yaml, "rules.yaml"));
        assertThat(e).as("the file should be refused:\n" + yaml).isNotNull();
        assertThat(e.file()).isEqualTo("rules.yaml");
        return e;
    }

    /** A file refused with exactly one error, on this line, for this rule, mentioning this. */
    static void refusedWith(String yaml, int line, String rule, String messagePart) {
        RuleFileException e = refused(yaml);
        assertThat(e.errors()).as(e.getMessage()).hasSize(1);
        RuleError error = e.errors().get(0);
        assertThat(error.line()).as(e.getMessage()).isEqualTo(line);
        assertThat(error.rule()).as(e.getMessage()).isEqualTo(rule);
        assertThat(error.message()).contains(messagePart);
        String expectedPrefix = "rules.yaml:" + line + ": " + (rule == null ? "" : "rule '" + rule + "': ");
        assertThat(e.getMessage()).startsWith(expectedPrefix).contains(messagePart);
    }

    @Test
    void theExampleOfScoringMdLoads() {
        RuleSet rs = TestSupport.exampleRules();
        assertThat(rs.name()).isEqualTo("b2b-default");
        assertThat(rs.version()).isEqualTo("3");
        assertThat(rs.id()).isEqualTo("b2b-default@3");
        assertThat(rs.mqlThreshold()).isEqualTo(50.0);
        assertThat(rs.sqlThreshold()).isEqualTo(100.0);
        assertThat(rs.fitMaxPoints()).isEqualTo(50.0);
        assertThat(rs.fitMaxPointsExplicit()).isTrue();
        assertThat(rs.halfLifeMillis()).isEqualTo(14 * DAY);
        assertThat(rs.warnings()).isEmpty();
        assertThat(rs.fitRules()).extracting(FitRule::name, FitRule::points)
                .containsExactly(tuple("decision-maker", 25.0), tuple("target-size", 15.0), tuple("competitor", -500.0));
        assertThat(rs.behaviorRules())
                .extracting(BehaviorRule::name, BehaviorRule::points, BehaviorRule::halfLifeMillis, BehaviorRule::line)
                .containsExactly(
                        tuple("blog-read", 10.0, 14 * DAY, 18),
                        tuple("pricing-page", 30.0, 7 * DAY, 22),
                        tuple("ebook", 20.0, 14 * DAY, 26),
                        tuple("demo-request", 50.0, 14 * DAY, 29),
                        tuple("unsubscribe", -25.0, 14 * DAY, 32));
        BehaviorRule blog = rs.behaviorRule("blog-read");
        assertThat(blog.capped()).isTrue();
        assertThat(blog.capPoints()).isEqualTo(30.0);
        assertThat(blog.capPerMillis()).isEqualTo(DAY);
        assertThat(rs.behaviorRule("ebook").sources()).containsExactly(Source.DOWNLOAD);
        assertThat(rs.behaviorRule("pricing-page").capped()).isFalse();
        assertThat(rs.longestCapPeriod()).isEqualTo(java.time.Duration.ofDays(1));
        assertThat(rs.behaviorRuleCount()).isEqualTo(5);
        assertThat(rs.fitRuleCount()).isEqualTo(3);
    }

    @Test
    void loadReadsAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, TestSupport.resource("/rules/scoring-md-example.yaml"), StandardCharsets.UTF_8);
        assertThat(RuleFileLoader.load(good).id()).isEqualTo("b2b-default@3");
        assertThat(RuleFileLoader.load(good).fileName()).isEqualTo(good.toString());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, HEAD + "behavior:\n  - name: x\n    points: ten\n");
        RuleFileException e = catchThrowableOfType(RuleFileException.class, () -> RuleFileLoader.load(bad));
        assertThat(e.file()).isEqualTo(bad.toString());
        assertThat(e.getMessage()).isEqualTo(bad + ":6: rule 'x': points must be a number, not 'ten'");

        Path missing = dir.resolve("missing.yaml");
        RuleFileException m = catchThrowableOfType(RuleFileException.class, () -> RuleFileLoader.load(missing));
        assertThat(m.errors()).singleElement().satisfies(err -> {
            assertThat(err.line()).isZero();
            assertThat(err.message()).contains("cannot read");
        });
        assertThat(m.getMessage()).startsWith(missing + ": cannot read");
    }

    @Test
    void versionMayBeAStringOrANumberAsWritten() {
        assertThat(TestSupport.rules("name: b2b\nversion: \"2024-06\"\nthresholds: { mql: 1, sql: 2 }\n").id())
                .isEqualTo("b2b@2024-06");
        assertThat(TestSupport.rules("name: b2b\nversion: 3.10\nthresholds: { mql: 1, sql: 2 }\n").id())
                .isEqualTo("b2b@3.10");
    }

    @Test
    void fitMaxPointsDefaultsToHalfTheSqlThreshold() {
        RuleSet rs = TestSupport.rules("name: t\nversion: 1\nthresholds: { mql: 40, sql: 90 }\n");
        assertThat(rs.fitMaxPoints()).isEqualTo(45.0);
        assertThat(rs.fitMaxPointsExplicit()).isFalse();
        assertThat(rs.behaviorRules()).isEmpty();
        assertThat(rs.halfLifeMillis()).isZero();
    }

    @Test
    void halfLivesInheritOverrideOrSwitchOff() {
        RuleSet rs = TestSupport.rules("name: t\nversion: 1\nhalfLife: P2W\nthresholds: { mql: 1, sql: 2 }\nbehavior:\n"
                + "  - { name: inherit, points: 1 }\n"
                + "  - { name: own, points: 1, halfLife: PT12H }\n"
                + "  - { name: never, points: 1, halfLife: none }\n");
        assertThat(rs.behaviorRule("inherit").halfLifeMillis()).isEqualTo(2 * WEEK);
        assertThat(rs.behaviorRule("own").halfLifeMillis()).isEqualTo(12 * 3600_000L);
        assertThat(rs.behaviorRule("never").halfLifeMillis()).isZero();
    }

    @Test
    void behaviourIsAcceptedAsBritishSpellingAndDescriptionsAreAllowed() {
        RuleSet rs = TestSupport.rules("name: t\nversion: 1\ndescription: demo\nthresholds: { mql: 1, sql: 2 }\n"
                + "behaviour:\n  - { name: a, points: 1, description: any event }\n");
        assertThat(rs.behaviorRules()).extracting(BehaviorRule::name).containsExactly("a");
        refusedWith("name: t\nversion: 1\nthresholds: { mql: 1, sql: 2 }\nbehavior: []\nbehaviour: []\n", 5, null,
                "either 'behavior' or 'behaviour'");
    }

    @Test
    void anUnknownEnumSymbolLoadsWithAWarning() {
        RuleSet rs = TestSupport.rules(HEAD + "behavior:\n  - name: typo\n    when: { source: web, action: FORM_SUBMITT }\n"
                + "    points: 1\n");
        assertThat(rs.warnings()).singleElement().asString()
                .startsWith("test.yaml:6: rule 'typo': 'FORM_SUBMITT' is not a symbol of action");
    }

    @Test
    void aScalarWithAStarLoadsWithAWarningAndComparesLiterally() {
        RuleSet rs = TestSupport.rules(HEAD + "behavior:\n  - name: blog\n    when: { source: web, path: /blog/* }\n"
                + "    points: 1\n");
        assertThat(rs.warnings()).singleElement().asString()
                .startsWith("test.yaml:6: rule 'blog': '/blog/*' for 'path' is compared literally");
        BehaviorRule r = rs.behaviorRule("blog");
        assertThat(r.matches(MapScoringEvent.web("l", "e", 0, "https://x/blog/a", "CLICK"))).isFalse();
        assertThat(r.matches(MapScoringEvent.web("l", "e", 0, "https://x/blog/*", "CLICK"))).isTrue();
    }

    // ---- refusals, one problem each

    @Test
    void yamlThatDoesNotParse() {
        refusedWith("name: t\nversion: 1\nthresholds: { mql: 50, sql: 100\nbehavior: []\n", 4, null, "not valid YAML");
        refusedWith("name: t\n\tversion: 1\n", 2, null, "not valid YAML");
    }

    @Test
    void emptyOrNonMapFiles() {
        refusedWith("", 1, null, "empty");
        refusedWith("# only a comment\n", 1, null, "empty");
        refusedWith("- name: x\n", 1, null, "a rule file is a map");
        refusedWith("name: t\n---\nname: u\n", 2, null, "not valid YAML");
    }

    @Test
    void unknownTopLevelKey() {
        refusedWith(HEAD + "treshold: 4\n", 4, null, "unknown key 'treshold' in the rule file");
    }

    @Test
    void unknownRuleKeys() {
        refusedWith(HEAD + "behavior:\n  - name: b\n    pointz: 5\n    points: 5\n", 6, "b", "unknown key 'pointz'");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      points: 5\n      halfLife: 7d\n", 8, "f",
                "unknown key 'halfLife' in a fit rule");
        refusedWith(HEAD + "fit:\n  maxPoint: 5\n", 5, null, "unknown key 'maxPoint' in fit");
        refusedWith(HEAD + "behavior:\n  - name: b\n    points: 5\n    cap: { points: 5, per: 1d, every: 2 }\n", 7, "b",
                "unknown key 'every' in cap");
        refusedWith("name: t\nversion: 1\nthresholds: { mql: 50, sql: 100, hot: 200 }\n", 3, null, "unknown key 'hot'");
    }

    @Test
    void unknownEventFields() {
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: web, pathh: /x }\n    points: 5\n", 6, "b",
                "unknown field 'pathh' for web events");
        // a field of another source
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: email, path: /x }\n    points: 5\n", 6, "b",
                "unknown field 'path' for email events");
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: [email, download], action: CLICK }\n    points: 5\n",
                6, "b", "belongs to web events");
        // case matters, with a hint
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: download, assettype: EBOOK }\n    points: 5\n", 6,
                "b", "did you mean 'assetType'?");
        // a profile field in a behaviour rule
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { jobTitle: CEO }\n    points: 5\n", 6, "b",
                "is a profile field");
        // fields that no source has
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { pageTitle: x }\n    points: 5\n", 6, "b",
                "unknown field 'pageTitle' for web, email or download events");
    }

    @Test
    void aRuleWithoutSourceMayReadAFieldOfAnySource() {
        RuleSet rs = TestSupport.rules(HEAD + "behavior:\n  - { name: b, when: { type: OPENED, path: { exists: false } },"
                + " points: 5 }\n");
        assertThat(rs.behaviorRule("b").sources()).containsExactlyInAnyOrder(Source.values());
    }

    @Test
    void unknownProfileFields() {
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { url: x }\n      points: 5\n", 7, "f",
                "unknown field 'url' for profiles");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { source: web }\n      points: 5\n", 7, "f",
                "unknown field 'source' for profiles");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { attributes.: x }\n      points: 5\n", 7, "f",
                "unknown field 'attributes.'");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { attributes: x }\n      points: 5\n", 7, "f",
                "unknown field 'attributes'");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { firstName: Jane }\n      points: 5\n", 7, "f",
                "unknown field 'firstName'");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { JobTitle: CEO }\n      points: 5\n", 7, "f",
                "did you mean 'jobTitle'?");
    }

    @Test
    void unknownAndMixedMatchers() {
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: web, path: { like: \"/x%\" } }\n    points: 5\n", 6,
                "b", "unknown matcher 'like'");
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: web, path: { glob: /x, regex: x } }\n"
                + "    points: 5\n", 6, "b", "mixed matcher kinds [glob, regex]");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { companySize: { min: 5, exists: true } }\n"
                + "      points: 5\n", 7, "f", "mixed matcher kinds [min/max, exists]");
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: web, path: {} }\n    points: 5\n", 6, "b",
                "empty matcher");
    }

    @Test
    void badMatcherValues() {
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: web, path: { regex: \"(\" } }\n    points: 5\n", 6,
                "b", "invalid regex '('");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { companySize: { min: 10, max: 5 } }\n"
                + "      points: 5\n", 7, "f", "min (10) is greater than max (5)");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { companySize: { min: ten } }\n      points: 5\n", 7,
                "f", "min of 'companySize' must be a number");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { industry: [] }\n      points: 5\n", 7, "f",
                "empty list");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { industry: [a, { glob: b }] }\n      points: 5\n", 7,
                "f", "elements must be plain values");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { industry: }\n      points: 5\n", 7, "f",
                "exists: false");
        refusedWith(HEAD + "fit:\n  rules:\n    - name: f\n      when: { industry: { exists: maybe } }\n      points: 5\n",
                7, "f", "exists for 'industry' takes true or false");
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: [source, web]\n    points: 5\n", 6, "b",
                "'when' must be a map");
    }

    @Test
    void unknownSources() {
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: sms }\n    points: 5\n", 6, "b",
                "unknown source 'sms'");
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: [web, sms] }\n    points: 5\n", 6, "b",
                "unknown source 'sms'");
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: { glob: w* } }\n    points: 5\n", 6, "b",
                "source must be web, email or download");
    }

    @Test
    void duplicateNamesAcrossFitAndBehaviour() {
        refusedWith(HEAD + "fit:\n  rules:\n    - { name: same, points: 5 }\nbehavior:\n  - { name: same, points: 1 }\n",
                8, "same", "duplicate rule name (first defined at line 6)");
        refusedWith(HEAD + "behavior:\n  - { name: a, points: 1 }\n  - { name: a, points: 2 }\n", 6, "a",
                "duplicate rule name (first defined at line 5)");
    }

    @Test
    void duplicateKeys() {
        refusedWith(HEAD + "behavior:\n  - name: b\n    points: 1\n    points: 2\n", 7, "b", "duplicate key 'points'");
    }

    @Test
    void thresholds() {
        refusedWith("name: t\nversion: 1\nthresholds: { mql: 120, sql: 100 }\n", 3, null,
                "mql (120) is greater than sql (100)");
        refusedWith("name: t\nversion: 1\n", 1, null, "missing 'thresholds'");
        refusedWith("name: t\nversion: 1\nthresholds: { mql: 50 }\n", 3, null, "thresholds: missing 'sql'");
        refusedWith("name: t\nversion: 1\nthresholds: { mql: 50, sql: lots }\n", 3, null,
                "thresholds.sql must be a number");
        refusedWith("name: t\nversion: 1\nthresholds: { mql: 0, sql: 10 }\n", 3, null, "thresholds.mql must be positive");
        refusedWith("name: t\nversion: 1\nthresholds: 50\n", 3, null, "'thresholds' must be a map");
        // equal thresholds are fine
        assertThat(TestSupport.rules("name: t\nversion: 1\nthresholds: { mql: 70, sql: 70 }\n").mqlThreshold())
                .isEqualTo(70.0);
    }

    @Test
    void missingNamesAndPoints() {
        refusedWith("version: 1\nthresholds: { mql: 1, sql: 2 }\n", 1, null, "missing 'name'");
        refusedWith("name: t\nthresholds: { mql: 1, sql: 2 }\n", 1, null, "missing 'version'");
        refusedWith(HEAD + "behavior:\n  - when: { source: web }\n    points: 5\n", 5, null,
                "behavior rule #1 has no 'name'");
        refusedWith(HEAD + "fit:\n  rules:\n    - { name: '', points: 5 }\n", 6, null, "'name' must be a non-empty text");
        refusedWith(HEAD + "behavior:\n  - name: b\n    when: { source: web }\n", 5, "b", "missing 'points'");
        refusedWith(HEAD + "behavior:\n  - name: b\n    points: ten\n", 6, "b", "points must be a number, not 'ten'");
        refusedWith(HEAD + "behavior:\n  - name: b\n    points: [1]\n", 6, "b", "points must be a number");
        refusedWith(HEAD + "behavior:\n  - just a string\n", 5, null, "behavior rule #1 must be a map");
    }

    @Test
    void badDurations() {
        refusedWith("name: t\nversion: 1\nhalfLife: 14x\nthresholds: { mql: 1, sql: 2 }\n", 3, null,
                "halfLife: bad duration '14x'");
        refusedWith("name: t\nversion: 1\nhalfLife: 14\nthresholds: { mql: 1, sql: 2 }\n", 3, null, "give a unit");
        refusedWith(HEAD + "behavior:\n  - { name: b, points: 1, halfLife: P1M }\n", 5, "b", "months and years");
        refusedWith(HEAD + "behavior:\n  - { name: b, points: 1, halfLife: 0d }\n", 5, "b", "must be positive");
    }

    @Test
    void badCaps() {
        refusedWith(HEAD + "behavior:\n  - name: b\n    points: 1\n    cap: { points: 0, per: 1d }\n", 7, "b",
                "cap.points must be positive");
        refusedWith(HEAD + "behavior:\n  - name: b\n    points: 1\n    cap: { points: -5, per: 1d }\n", 7, "b",
                "cap.points must be positive");
        refusedWith(HEAD + "behavior:\n  - name: b\n    points: 1\n    cap: { points: 5, per: 0h }\n", 7, "b",
                "cap.per: bad duration '0h': it must be positive");
        refusedWith(HEAD + "behavior:\n  - name: b\n    points: 1\n    cap: { points: 5 }\n", 7, "b", "missing 'per'");
        refusedWith(HEAD + "behavior:\n  - name: b\n    points: 1\n    cap: { per: 1d }\n", 7, "b", "missing 'points'");
        refusedWith(HEAD + "behavior:\n  - name: b\n    points: 1\n    cap: 30\n", 7, "b", "'cap' must be a map");
    }

    @Test
    void badFitMaxPoints() {
        refusedWith(HEAD + "fit:\n  maxPoints: 0\n", 5, null, "fit.maxPoints must be positive");
        refusedWith(HEAD + "fit:\n  maxPoints: -10\n", 5, null, "fit.maxPoints must be positive");
        refusedWith(HEAD + "fit:\n  maxPoints: many\n", 5, null, "fit.maxPoints must be a number");
    }

    // ---- all at once

    @Test
    void everyProblemOfTheFileIsReportedAtOnceInLineOrder() {
        String yaml = """
                name: broken
                version: 1
                thresholds: { mql: 150, sql: 100 }
                fit:
                  rules:
                    - name: title
                      when: { jobTitel: CEO }
                      points: 10
                behavior:
                  - name: blog
                    when: { source: web, path: { glob: "/blog/**", regex: blog } }
                    points: 5
                  - name: title
                    when: { source: sms }
                    points: 1
                  - name: ebook
                    when: { source: download, assetType: EBOOK }
                    points: twenty
                    cap: { points: 10, per: forever }
                """;
        RuleFileException e = refused(yaml);
        assertThat(e.errors()).extracting(RuleError::line, RuleError::rule).containsExactly(
                tuple(3, null),
                tuple(7, "title"),
                tuple(11, "blog"),
                tuple(13, "title"),
                tuple(14, "title"),
                tuple(18, "ebook"),
                tuple(19, "ebook"));
        assertThat(e.getMessage().split("\n")).hasSize(7).satisfiesExactly(
                l -> assertThat(l).startsWith("rules.yaml:3: thresholds: mql (150) is greater than sql (100)"),
                l -> assertThat(l).startsWith("rules.yaml:7: rule 'title': unknown field 'jobTitel' for profiles"),
                l -> assertThat(l).startsWith("rules.yaml:11: rule 'blog': mixed matcher kinds"),
                l -> assertThat(l).startsWith("rules.yaml:13: rule 'title': duplicate rule name (first defined at line 6)"),
                l -> assertThat(l).startsWith("rules.yaml:14: rule 'title': unknown source 'sms'"),
                l -> assertThat(l).startsWith("rules.yaml:18: rule 'ebook': points must be a number, not 'twenty'"),
                l -> assertThat(l).startsWith("rules.yaml:19: rule 'ebook': cap.per: bad duration 'forever'"));
    }

    @Test
    void exceptionNeedsErrors() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RuleFileException("f", java.util.List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new RuleError(0, null, "m").format("f")).isEqualTo("f: m");
        assertThat(new RuleError(3, "r", "m").format("f")).isEqualTo("f:3: rule 'r': m");
    }
}
