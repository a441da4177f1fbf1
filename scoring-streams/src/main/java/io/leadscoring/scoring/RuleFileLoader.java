package io.leadscoring.scoring;

import io.leadscoring.scoring.rules.BehaviorRule;
import io.leadscoring.scoring.rules.Condition;
import io.leadscoring.scoring.rules.Durations;
import io.leadscoring.scoring.rules.FieldCatalog;
import io.leadscoring.scoring.rules.FitRule;
import io.leadscoring.scoring.rules.Matchers;
import io.leadscoring.scoring.rules.NumberText;
import io.leadscoring.scoring.rules.ValueMatcher;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Loads a rule file (SCORING.md, "The rule file"). Uses SnakeYAML's node API so that every problem carries its line;
 * all problems of a file are reported at once and the file is refused as a whole.
 */
public final class RuleFileLoader {
    private static final Logger LOG = LoggerFactory.getLogger(RuleFileLoader.class);

    private static final List<String> TOP_KEYS =
            List.of("name", "version", "description", "halfLife", "thresholds", "fit", "behavior", "behaviour");
    private static final List<String> THRESHOLD_KEYS = List.of("mql", "sql");
    private static final List<String> FIT_KEYS = List.of("maxPoints", "rules");
    private static final List<String> FIT_RULE_KEYS = List.of("name", "description", "when", "points");
    private static final List<String> BEHAVIOR_RULE_KEYS =
            List.of("name", "description", "when", "points", "halfLife", "cap");
    private static final List<String> CAP_KEYS = List.of("points", "per");
    private static final List<String> MATCHER_KEYS = List.of("glob", "regex", "min", "max", "exists");
    private static final int ALL_SOURCES = Source.WEB.bit() | Source.EMAIL.bit() | Source.DOWNLOAD.bit();

    private RuleFileLoader() {}

    /** Loads and compiles a rule file (UTF-8). */
    public static RuleSet load(Path file) throws RuleFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new RuleFileException(
                    file.toString(), List.of(new RuleError(0, null, "cannot read the rule file: " + e)));
        }
        return parse(text, file.toString());
    }

    /**
     * Parses and compiles rule-file text.
     *
     * @param fileName the name used in error messages and {@link RuleSet#fileName()}
     */
    public static RuleSet parse(String yaml, String fileName) throws RuleFileException {
        RuleSet rules = new Parser(yaml, fileName).parse();
        for (String w : rules.warnings()) {
            LOG.warn("{}", w);
        }
        return rules;
    }

    private record Entry(ScalarNode key, Node value) {}

    private static final class Parser {
        private final String yaml;
        private final String file;
        private final List<RuleError> errors = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final Map<String, Integer> ruleNames = new HashMap<>();

        Parser(String yaml, String file) {
            this.yaml = yaml == null ? "" : yaml;
            this.file = file;
        }

        RuleSet parse() throws RuleFileException {
            Node root;
            LoaderOptions options = new LoaderOptions();
            options.setProcessComments(false);
            ParserImpl parser = new ParserImpl(new StreamReader(new StringReader(yaml)), options);
            try {
                root = new Composer(parser, new Resolver(), options).getSingleNode(); // as Yaml.compose does
            } catch (MarkedYAMLException e) {
                Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
                String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
                String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
                throw refuse(new RuleError(mark == null ? 0 : mark.getLine() + 1, null,
                        "not valid YAML: " + problem + context));
            } catch (YAMLException e) {
                // A parser limit (e.g. too many aliases: an alias bomb) has no mark; parsing stopped just before
                // the next event.
                throw refuse(new RuleError(lineOfNextEvent(parser), null, "not valid YAML: " + e.getMessage()));
            }
            if (root == null || isNull(root)) {
                throw refuse(new RuleError(1, null, "the rule file is empty"));
            }
            if (!(root instanceof MappingNode rootMap)) {
                throw refuse(new RuleError(line(root), null,
                        "a rule file is a map with name, version, thresholds, fit and behavior"));
            }
            Map<String, Entry> top = entries(rootMap, null, TOP_KEYS, "the rule file");

            String name = requiredText(top, "name", rootMap, null, "the rule set's name");
            String version = requiredText(top, "version", rootMap, null, "the rule set's version (an integer or a string)");
            Entry halfLifeEntry = top.get("halfLife");
            long setHalfLife = 0;
            if (halfLifeEntry != null) {
                Long h = duration(halfLifeEntry.value(), null, "halfLife", true);
                setHalfLife = h == null ? 0 : h;
            }

            double mql = Double.NaN;
            double sql = Double.NaN;
            Entry thresholds = top.get("thresholds");
            if (thresholds == null) {
                error(rootMap, null, "missing 'thresholds' (e.g. thresholds: { mql: 50, sql: 100 })");
            } else if (!(thresholds.value() instanceof MappingNode tm)) {
                error(thresholds.value(), null, "'thresholds' must be a map { mql: NUMBER, sql: NUMBER }");
            } else {
                Map<String, Entry> t = entries(tm, null, THRESHOLD_KEYS, "thresholds");
                mql = threshold(t, "mql", tm);
                sql = threshold(t, "sql", tm);
                if (!Double.isNaN(mql) && !Double.isNaN(sql) && mql > sql) {
                    error(t.get("mql").key(), null,
                            "thresholds: mql (" + plain(mql) + ") is greater than sql (" + plain(sql) + ")");
                }
            }

            Double fitMax = null;
            List<FitRule> fitRules = new ArrayList<>();
            Entry fit = top.get("fit");
            if (fit != null && !isNull(fit.value())) {
                if (!(fit.value() instanceof MappingNode fm)) {
                    error(fit.value(), null, "'fit' must be a map with maxPoints and rules");
                } else {
                    Map<String, Entry> f = entries(fm, null, FIT_KEYS, "fit");
                    Entry max = f.get("maxPoints");
                    if (max != null) {
                        double m = number(max.value(), null, "fit.maxPoints");
                        if (!Double.isNaN(m)) {
                            if (m <= 0) {
                                error(max.value(), null, "fit.maxPoints must be positive, not " + plain(m));
                            } else {
                                fitMax = m;
                            }
                        }
                    }
                    Entry rules = f.get("rules");
                    if (rules != null && !isNull(rules.value())) {
                        if (!(rules.value() instanceof SequenceNode seq)) {
                            error(rules.value(), null, "fit.rules must be a list of rules");
                        } else {
                            int i = 0;
                            for (Node n : seq.getValue()) {
                                FitRule r = fitRule(n, ++i);
                                if (r != null) {
                                    fitRules.add(r);
                                }
                            }
                        }
                    }
                }
            }

            List<BehaviorRule> behaviorRules = new ArrayList<>();
            Entry behavior = top.get("behavior");
            Entry behaviour = top.get("behaviour");
            if (behavior != null && behaviour != null) {
                error(behaviour.key(), null, "give either 'behavior' or 'behaviour', not both");
            }
            Entry b = behavior != null ? behavior : behaviour;
            if (b != null && !isNull(b.value())) {
                if (!(b.value() instanceof SequenceNode seq)) {
                    error(b.value(), null, "'" + b.key().getValue() + "' must be a list of rules");
                } else {
                    int i = 0;
                    for (Node n : seq.getValue()) {
                        BehaviorRule r = behaviorRule(n, ++i, behaviorRules.size(), setHalfLife);
                        if (r != null) {
                            behaviorRules.add(r);
                        }
                    }
                }
            }

            if (!errors.isEmpty()) {
                List<RuleError> sorted = new ArrayList<>(errors);
                sorted.sort(Comparator.comparingInt(RuleError::line));
                throw new RuleFileException(file, sorted);
            }
            return new RuleSet(name, version, mql, sql, fitMax, setHalfLife, behaviorRules, fitRules, file, warnings);
        }

        // ---- rules

        private FitRule fitRule(Node node, int position) {
            if (!(node instanceof MappingNode m)) {
                error(node, null, "fit rule #" + position + " must be a map with name, when and points");
                return null;
            }
            String name = ruleName(m, "fit rule #" + position);
            Map<String, Entry> e = entries(m, name, FIT_RULE_KEYS, "a fit rule");
            double points = points(e, m, name);
            List<Condition> conditions = new ArrayList<>();
            Entry when = e.get("when");
            if (when != null && !isNull(when.value())) {
                if (!(when.value() instanceof MappingNode wm)) {
                    error(when.value(), name, "'when' must be a map of field to matcher");
                } else {
                    for (Entry c : entries(wm, name, null, "when").values()) {
                        String field = c.key().getValue();
                        if (!FieldCatalog.isProfileField(field)) {
                            error(c.key(), name, unknownProfileField(field));
                            continue;
                        }
                        ValueMatcher matcher = matcher(c.value(), field, name);
                        if (matcher != null) {
                            conditions.add(Condition.onProfile(field, matcher));
                        }
                    }
                }
            }
            if (name == null || Double.isNaN(points)) {
                return null;
            }
            return new FitRule(name, points, conditions, line(m));
        }

        private BehaviorRule behaviorRule(Node node, int position, int index, long setHalfLife) {
            if (!(node instanceof MappingNode m)) {
                error(node, null, "behavior rule #" + position + " must be a map with name, when and points");
                return null;
            }
            String name = ruleName(m, "behavior rule #" + position);
            Map<String, Entry> e = entries(m, name, BEHAVIOR_RULE_KEYS, "a behavior rule");
            double points = points(e, m, name);
            boolean ok = name != null && !Double.isNaN(points);

            long halfLife = setHalfLife;
            Entry h = e.get("halfLife");
            if (h != null) {
                Long hl = duration(h.value(), name, "halfLife", true);
                if (hl == null) {
                    ok = false;
                } else {
                    halfLife = hl;
                }
            }

            double capPoints = 0;
            long capPer = 0;
            Entry cap = e.get("cap");
            if (cap != null) {
                if (!(cap.value() instanceof MappingNode cm)) {
                    error(cap.value(), name, "'cap' must be a map { points: NUMBER, per: DURATION }");
                    ok = false;
                } else {
                    Map<String, Entry> c = entries(cm, name, CAP_KEYS, "cap");
                    Entry cp = c.get("points");
                    Entry per = c.get("per");
                    if (cp == null) {
                        error(cm, name, "cap: missing 'points'");
                        ok = false;
                    } else {
                        capPoints = number(cp.value(), name, "cap.points");
                        if (Double.isNaN(capPoints)) {
                            ok = false;
                        } else if (capPoints <= 0) {
                            error(cp.value(), name, "cap.points must be positive, not " + plain(capPoints));
                            ok = false;
                        }
                    }
                    if (per == null) {
                        error(cm, name, "cap: missing 'per' (a duration such as 1d)");
                        ok = false;
                    } else {
                        Long d = duration(per.value(), name, "cap.per", false);
                        if (d == null) {
                            ok = false;
                        } else {
                            capPer = d;
                        }
                    }
                }
            }

            int sourceMask = ALL_SOURCES;
            List<Condition> conditions = new ArrayList<>();
            Entry when = e.get("when");
            if (when != null && !isNull(when.value())) {
                if (!(when.value() instanceof MappingNode wm)) {
                    error(when.value(), name, "'when' must be a map of field to matcher");
                    ok = false;
                } else {
                    Map<String, Entry> w = entries(wm, name, null, "when");
                    Entry source = w.get("source");
                    if (source != null) {
                        int mask = sources(source.value(), name);
                        if (mask == 0) {
                            ok = false;
                        } else {
                            sourceMask = mask;
                        }
                    }
                    for (Entry c : w.values()) {
                        String field = c.key().getValue();
                        if (field.equals("source")) {
                            continue;
                        }
                        int fieldMask = FieldCatalog.sourcesHaving(field);
                        if ((fieldMask & sourceMask) == 0) {
                            error(c.key(), name, unknownEventField(field, sourceMask));
                            ok = false;
                            continue;
                        }
                        ValueMatcher matcher = matcher(c.value(), field, name);
                        if (matcher == null) {
                            ok = false;
                        } else {
                            conditions.add(Condition.onEvent(field, fieldMask, matcher));
                        }
                    }
                }
            }
            if (!ok) {
                return null;
            }
            return new BehaviorRule(index, name, points, halfLife, capPoints, capPer, conditions, sourceMask, line(m));
        }

        /** The rule's name, registered for the duplicate check; null (with an error) when it is missing or bad. */
        private String ruleName(MappingNode m, String what) {
            Node nameNode = null;
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("name")) {
                    nameNode = t.getValueNode();
                    break;
                }
            }
            if (nameNode == null) {
                error(m, null, what + " has no 'name'");
                return null;
            }
            if (!(nameNode instanceof ScalarNode s) || isNull(s) || s.getValue().isBlank()) {
                error(nameNode, null, what + ": 'name' must be a non-empty text");
                return null;
            }
            String name = s.getValue();
            Integer first = ruleNames.putIfAbsent(name, line(s));
            if (first != null) {
                error(s, name, "duplicate rule name (first defined at line " + first + ")");
            }
            return name;
        }

        private double points(Map<String, Entry> e, MappingNode rule, String name) {
            Entry p = e.get("points");
            if (p == null) {
                error(rule, name, "missing 'points'");
                return Double.NaN;
            }
            return number(p.value(), name, "points");
        }

        /** Mask of the sources named by {@code source:}; 0 after an error. */
        private int sources(Node node, String rule) {
            List<ScalarNode> names = new ArrayList<>();
            if (node instanceof ScalarNode s && !isNull(s)) {
                names.add(s);
            } else if (node instanceof SequenceNode seq && !seq.getValue().isEmpty()) {
                for (Node n : seq.getValue()) {
                    if (n instanceof ScalarNode s && !isNull(s)) {
                        names.add(s);
                    } else {
                        error(n, rule, "source: list elements must be web, email or download");
                        return 0;
                    }
                }
            } else {
                error(node, rule, "source must be web, email or download, or a list of them");
                return 0;
            }
            int mask = 0;
            for (ScalarNode s : names) {
                Source source = Source.fromYaml(s.getValue());
                if (source == null) {
                    error(s, rule, "unknown source '" + s.getValue() + "' (use web, email or download)");
                    return 0;
                }
                mask |= source.bit();
            }
            return mask;
        }

        private ValueMatcher matcher(Node node, String field, String rule) {
            if (node instanceof ScalarNode s) {
                if (isNull(s)) {
                    error(s, rule, "no value for '" + field + "'; write {exists: false} to match a missing field");
                    return null;
                }
                checkEnumSymbol(s, field, rule);
                return Matchers.scalar(scalarText(s), isYamlNumber(s));
            }
            if (node instanceof SequenceNode seq) {
                if (seq.getValue().isEmpty()) {
                    error(seq, rule, "empty list for '" + field + "': it could never match");
                    return null;
                }
                List<ValueMatcher> options = new ArrayList<>();
                for (Node n : seq.getValue()) {
                    if (!(n instanceof ScalarNode s) || isNull(s)) {
                        error(n, rule, "list for '" + field + "': elements must be plain values");
                        return null;
                    }
                    checkEnumSymbol(s, field, rule);
                    options.add(Matchers.scalar(scalarText(s), isYamlNumber(s)));
                }
                return Matchers.anyOf(options.toArray(new ValueMatcher[0]));
            }
            MappingNode m = (MappingNode) node;
            Map<String, Entry> e = new LinkedHashMap<>();
            boolean bad = false;
            for (Map.Entry<String, Entry> kv : entries(m, rule, null, field).entrySet()) {
                if (!MATCHER_KEYS.contains(kv.getKey())) {
                    error(kv.getValue().key(), rule, "unknown matcher '" + kv.getKey() + "' for '" + field
                            + "' (use a value, a list, or one of {glob}, {regex}, {min, max}, {exists})");
                    bad = true;
                } else {
                    e.put(kv.getKey(), kv.getValue());
                }
            }
            if (bad) {
                return null;
            }
            if (e.isEmpty()) {
                error(m, rule, "empty matcher for '" + field + "'");
                return null;
            }
            Set<String> kinds = new LinkedHashSet<>();
            for (String k : e.keySet()) {
                kinds.add(k.equals("min") || k.equals("max") ? "min/max" : k);
            }
            if (kinds.size() > 1) {
                error(m, rule, "mixed matcher kinds " + kinds + " for '" + field + "': use one kind per field");
                return null;
            }
            String kind = kinds.iterator().next();
            switch (kind) {
                case "glob" -> {
                    Node g = e.get("glob").value();
                    if (!(g instanceof ScalarNode gs) || isNull(gs)) {
                        error(g, rule, "glob for '" + field + "' must be a text");
                        return null;
                    }
                    return Matchers.glob(gs.getValue());
                }
                case "regex" -> {
                    Node r = e.get("regex").value();
                    if (!(r instanceof ScalarNode rs) || isNull(rs)) {
                        error(r, rule, "regex for '" + field + "' must be a text");
                        return null;
                    }
                    try {
                        return Matchers.regex(rs.getValue());
                    } catch (PatternSyntaxException ex) {
                        error(rs, rule, "invalid regex '" + rs.getValue() + "' for '" + field + "': " + ex.getDescription()
                                + (ex.getIndex() >= 0 ? " near index " + ex.getIndex() : ""));
                        return null;
                    }
                }
                case "exists" -> {
                    Node x = e.get("exists").value();
                    if (x instanceof ScalarNode xs && Tag.BOOL.equals(xs.getTag())) {
                        String v = xs.getValue().toLowerCase(Locale.ROOT);
                        return Matchers.exists(v.equals("true") || v.equals("yes") || v.equals("on"));
                    }
                    error(x, rule, "exists for '" + field + "' takes true or false");
                    return null;
                }
                default -> {
                    Double min = null;
                    Double max = null;
                    if (e.containsKey("min")) {
                        double d = number(e.get("min").value(), rule, "min of '" + field + "'");
                        if (Double.isNaN(d)) {
                            return null;
                        }
                        min = d;
                    }
                    if (e.containsKey("max")) {
                        double d = number(e.get("max").value(), rule, "max of '" + field + "'");
                        if (Double.isNaN(d)) {
                            return null;
                        }
                        max = d;
                    }
                    if (min != null && max != null && min > max) {
                        error(m, rule, "min (" + plain(min) + ") is greater than max (" + plain(max) + ") for '" + field + "'");
                        return null;
                    }
                    return Matchers.range(min, max);
                }
            }
        }

        private void checkEnumSymbol(ScalarNode s, String field, String rule) {
            if (s.getValue().indexOf('*') >= 0) {
                warnings.add(new RuleError(line(s), rule, "'" + s.getValue() + "' for '" + field
                        + "' is compared literally; write { glob: \"" + s.getValue() + "\" } to match a pattern").format(file));
            }
            Set<String> symbols = FieldCatalog.enumSymbols(field);
            if (symbols == null) {
                return;
            }
            for (String sym : symbols) {
                if (sym.equalsIgnoreCase(s.getValue())) {
                    return;
                }
            }
            warnings.add(new RuleError(line(s), rule, "'" + s.getValue() + "' is not a symbol of " + field + " "
                    + symbols.stream().sorted().toList() + "; the condition can never hold").format(file));
        }

        // ---- messages

        private String unknownEventField(String field, int sourceMask) {
            Set<String> readable = FieldCatalog.eventFields(sourceMask);
            StringBuilder sb = new StringBuilder("unknown field '").append(field).append("' for ")
                    .append(sourceNames(sourceMask)).append(" events");
            String hint = FieldCatalog.caseInsensitiveMatch(field, readable);
            if (hint != null) {
                sb.append("; did you mean '").append(hint).append("'?");
            } else if (FieldCatalog.isProfileField(field)) {
                sb.append("; '").append(field).append("' is a profile field: read it in a fit rule");
            } else if (FieldCatalog.sourcesHaving(field) != 0) {
                sb.append("; '").append(field).append("' belongs to ")
                        .append(sourceNames(FieldCatalog.sourcesHaving(field))).append(" events");
            }
            return sb.append(" (readable: ").append(String.join(", ", readable)).append(")").toString();
        }

        private String unknownProfileField(String field) {
            Set<String> readable = FieldCatalog.profileFields();
            StringBuilder sb = new StringBuilder("unknown field '").append(field).append("' for profiles");
            String hint = FieldCatalog.caseInsensitiveMatch(field, readable);
            if (hint != null) {
                sb.append("; did you mean '").append(hint).append("'?");
            } else if (field.equals("source") || FieldCatalog.sourcesHaving(field) != 0) {
                sb.append("; fit rules read the profile, event fields belong in behavior rules");
            }
            return sb.append(" (readable: ").append(String.join(", ", readable)).append(")").toString();
        }

        private static String sourceNames(int mask) {
            List<String> names = new ArrayList<>();
            for (Source s : Source.values()) {
                if ((mask & s.bit()) != 0) {
                    names.add(s.yamlName());
                }
            }
            if (names.size() == 1) {
                return names.get(0);
            }
            return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        }

        // ---- scalar helpers

        private String requiredText(Map<String, Entry> map, String key, Node owner, String rule, String what) {
            Entry e = map.get(key);
            if (e == null) {
                error(owner, rule, "missing '" + key + "' (" + what + ")");
                return null;
            }
            if (!(e.value() instanceof ScalarNode s) || isNull(s) || s.getValue().isBlank()) {
                error(e.value(), rule, "'" + key + "' must be a non-empty text or number");
                return null;
            }
            return s.getValue();
        }

        private double threshold(Map<String, Entry> t, String key, MappingNode owner) {
            Entry e = t.get(key);
            if (e == null) {
                error(owner, null, "thresholds: missing '" + key + "'");
                return Double.NaN;
            }
            double d = number(e.value(), null, "thresholds." + key);
            if (!Double.isNaN(d) && d <= 0) {
                error(e.value(), null, "thresholds." + key + " must be positive, not " + plain(d));
                return Double.NaN;
            }
            return d;
        }

        private static int lineOfNextEvent(ParserImpl parser) {
            try {
                Event next = parser.peekEvent();
                return next == null || next.getStartMark() == null ? 0 : next.getStartMark().getLine() + 1;
            } catch (RuntimeException unreadable) {
                return 0;
            }
        }

        /** A number written in the file, NaN (with an error) when the node is not one. */
        private double number(Node node, String rule, String what) {
            if (node instanceof ScalarNode s && !isNull(s)) {
                double d = NumberText.parse(scalarText(s));
                if (!Double.isNaN(d)) {
                    return d;
                }
                error(s, rule, what + " must be a number, not '" + s.getValue() + "'");
                return Double.NaN;
            }
            error(node, rule, what + " must be a number");
            return Double.NaN;
        }

        /** Milliseconds of a duration; 0 for {@code none} when allowed; null after an error. */
        private Long duration(Node node, String rule, String what, boolean allowNone) {
            if (!(node instanceof ScalarNode s) || isNull(s)) {
                error(node, rule, what + " must be a duration such as 30m, 12h, 14d, 2w or P14D"
                        + (allowNone ? ", or none" : ""));
                return null;
            }
            if (allowNone && s.getValue().trim().equalsIgnoreCase("none")) {
                return 0L;
            }
            try {
                return Durations.parseMillis(s.getValue());
            } catch (IllegalArgumentException e) {
                error(s, rule, what + ": " + e.getMessage());
                return null;
            }
        }

        /** The keys of a map; reports non-text keys, duplicate keys and (when {@code allowed} is given) unknown keys. */
        private Map<String, Entry> entries(MappingNode m, String rule, List<String> allowed, String what) {
            Map<String, Entry> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k) || isNull(t.getKeyNode())) {
                    error(t.getKeyNode(), rule, "keys of " + what + " must be plain names");
                    continue;
                }
                String key = k.getValue();
                if (allowed != null && !allowed.contains(key)) {
                    error(k, rule, "unknown key '" + key + "' in " + what + " (allowed: " + String.join(", ", allowed) + ")");
                    continue;
                }
                Entry previous = out.putIfAbsent(key, new Entry(k, t.getValueNode()));
                if (previous != null) {
                    error(k, rule, "duplicate key '" + key + "' in " + what + " (first at line " + line(previous.key()) + ")");
                }
            }
            return out;
        }

        private static boolean isNull(Node n) {
            return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
        }

        private static boolean isYamlNumber(ScalarNode s) {
            return Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag());
        }

        /** The scalar's text; YAML numbers lose their digit-group underscores ({@code 1_000}). */
        private static String scalarText(ScalarNode s) {
            return isYamlNumber(s) ? s.getValue().replace("_", "") : s.getValue();
        }

        private static String plain(double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }

        private static int line(Node n) {
            return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
        }

        private void error(Node at, String rule, String message) {
            errors.add(new RuleError(line(at), rule, message));
        }

        private RuleFileException refuse(RuleError e) {
            return new RuleFileException(file, List.of(e));
        }
    }
}
