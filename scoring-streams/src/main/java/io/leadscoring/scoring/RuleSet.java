package io.leadscoring.scoring;

import io.leadscoring.scoring.rules.BehaviorRule;
import io.leadscoring.scoring.rules.FitRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A loaded, compiled rule file. Immutable and thread-safe; build it with {@link RuleFileLoader}. */
public final class RuleSet {
    private final String name;
    private final String version;
    private final String id;
    private final double mqlThreshold;
    private final double sqlThreshold;
    private final double fitMaxPoints;
    private final boolean fitMaxPointsExplicit;
    private final long halfLifeMillis;
    private final BehaviorRule[] behaviorRules;
    private final FitRule[] fitRules;
    private final BehaviorRule[][] bySource;
    private final String[] behaviorNames;
    private final Map<String, Integer> behaviorIndex;
    private final String fileName;
    private final List<String> warnings;

    RuleSet(String name, String version, double mqlThreshold, double sqlThreshold, Double fitMaxPoints,
            long halfLifeMillis, List<BehaviorRule> behaviorRules, List<FitRule> fitRules, String fileName,
            List<String> warnings) {
        this.name = name;
        this.version = version;
        this.id = name + "@" + version;
        this.mqlThreshold = mqlThreshold;
        this.sqlThreshold = sqlThreshold;
        this.fitMaxPointsExplicit = fitMaxPoints != null;
        this.fitMaxPoints = fitMaxPoints != null ? fitMaxPoints : sqlThreshold / 2;
        this.halfLifeMillis = halfLifeMillis;
        this.behaviorRules = behaviorRules.toArray(new BehaviorRule[0]);
        this.fitRules = fitRules.toArray(new FitRule[0]);
        this.behaviorNames = new String[this.behaviorRules.length];
        this.behaviorIndex = new HashMap<>();
        for (int i = 0; i < this.behaviorRules.length; i++) {
            if (this.behaviorRules[i].index() != i) {
                throw new IllegalArgumentException("behaviour rule " + this.behaviorRules[i].name() + " has index "
                        + this.behaviorRules[i].index() + ", expected " + i);
            }
            behaviorNames[i] = this.behaviorRules[i].name();
            behaviorIndex.put(behaviorNames[i], i);
        }
        this.bySource = new BehaviorRule[Source.values().length][];
        for (Source s : Source.values()) {
            List<BehaviorRule> list = new ArrayList<>();
            for (BehaviorRule r : this.behaviorRules) {
                if (r.canMatch(s)) {
                    list.add(r);
                }
            }
            bySource[s.ordinal()] = list.toArray(new BehaviorRule[0]);
        }
        this.fileName = fileName;
        this.warnings = List.copyOf(warnings);
    }

    public String name() {
        return name;
    }

    /** The version as written (an integer or a string). */
    public String version() {
        return version;
    }

    /** {@code name@version}, the {@code ruleSet} of every score and stage change. */
    public String id() {
        return id;
    }

    public double mqlThreshold() {
        return mqlThreshold;
    }

    public double sqlThreshold() {
        return sqlThreshold;
    }

    /** The effective fit cap: {@code fit.maxPoints}, or half the SQL threshold when the file gives none. */
    public double fitMaxPoints() {
        return fitMaxPoints;
    }

    public boolean fitMaxPointsExplicit() {
        return fitMaxPointsExplicit;
    }

    /** The rule set's half-life in milliseconds, 0 when it has none. */
    public long halfLifeMillis() {
        return halfLifeMillis;
    }

    public List<BehaviorRule> behaviorRules() {
        return List.of(behaviorRules);
    }

    public List<FitRule> fitRules() {
        return List.of(fitRules);
    }

    public int behaviorRuleCount() {
        return behaviorRules.length;
    }

    public int fitRuleCount() {
        return fitRules.length;
    }

    /**
     * The longest {@code cap.per} of the behaviour rules, to size the cap window store; 1 day when no rule has a cap
     * (so a store sized by it stays valid).
     */
    public java.time.Duration longestCapPeriod() {
        long longest = 0;
        for (BehaviorRule r : behaviorRules) {
            longest = Math.max(longest, r.capPerMillis());
        }
        return java.time.Duration.ofMillis(longest > 0 ? longest : io.leadscoring.scoring.rules.Durations.DAY);
    }

    /** Behaviour rules that can match events of this source, in file order. */
    public List<BehaviorRule> behaviorRulesFor(Source source) {
        return List.of(bySource[source.ordinal()]);
    }

    /** The behaviour rule of this name, or null. */
    public BehaviorRule behaviorRule(String ruleName) {
        Integer i = behaviorIndex.get(ruleName);
        return i == null ? null : behaviorRules[i];
    }

    /** The file the rules came from, as given to the loader. */
    public String fileName() {
        return fileName;
    }

    /** Suspicious but accepted entries (e.g. a value that is not a symbol of an enum field). */
    public List<String> warnings() {
        return warnings;
    }

    // ---- hot-path access for the scorer (no copies)

    BehaviorRule[] rulesFor(Source source) {
        return bySource[source.ordinal()];
    }

    BehaviorRule[] behaviorArray() {
        return behaviorRules;
    }

    FitRule[] fitArray() {
        return fitRules;
    }

    String[] behaviorNames() {
        return behaviorNames;
    }

    /** Index of the behaviour rule of this name, -1 when there is none. */
    int behaviorIndex(String ruleName) {
        Integer i = behaviorIndex.get(ruleName);
        return i == null ? -1 : i;
    }

    @Override
    public String toString() {
        return "RuleSet[" + id + ", mql=" + mqlThreshold + ", sql=" + sqlThreshold + ", fitMaxPoints=" + fitMaxPoints
                + ", " + behaviorRules.length + " behaviour rules, " + fitRules.length + " fit rules]";
    }
}
