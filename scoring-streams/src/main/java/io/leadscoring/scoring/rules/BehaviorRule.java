package io.leadscoring.scoring.rules;

import io.leadscoring.scoring.ScoringEvent;
import io.leadscoring.scoring.Source;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** A compiled behaviour rule. Immutable. */
public final class BehaviorRule {
    private final int index;
    private final String name;
    private final double points;
    private final long halfLifeMillis;
    private final double capPoints;
    private final long capPerMillis;
    private final Condition[] conditions;
    private final int sourceMask;
    private final int line;

    /**
     * @param index position among the rule set's behaviour rules
     * @param halfLifeMillis effective half-life (the rule's, else the rule set's); 0 for no decay
     * @param capPoints cap C, 0 when the rule has no cap
     * @param capPerMillis cap window D, 0 when the rule has no cap
     * @param sourceMask sources ({@link Source#bit()}) whose events the rule can match
     */
    public BehaviorRule(int index, String name, double points, long halfLifeMillis, double capPoints,
            long capPerMillis, List<Condition> conditions, int sourceMask, int line) {
        this.index = index;
        this.name = name;
        this.points = points;
        this.halfLifeMillis = halfLifeMillis;
        this.capPoints = capPoints;
        this.capPerMillis = capPerMillis;
        this.conditions = conditions.toArray(new Condition[0]);
        this.sourceMask = sourceMask;
        this.line = line;
    }

    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    public double points() {
        return points;
    }

    /** Effective half-life in milliseconds; 0 means no decay. */
    public long halfLifeMillis() {
        return halfLifeMillis;
    }

    public boolean capped() {
        return capPerMillis > 0;
    }

    public double capPoints() {
        return capPoints;
    }

    public long capPerMillis() {
        return capPerMillis;
    }

    public int sourceMask() {
        return sourceMask;
    }

    public Set<Source> sources() {
        EnumSet<Source> out = EnumSet.noneOf(Source.class);
        for (Source s : Source.values()) {
            if ((sourceMask & s.bit()) != 0) {
                out.add(s);
            }
        }
        return out;
    }

    public List<Condition> conditions() {
        return List.of(conditions);
    }

    /** Line of the rule in its file. */
    public int line() {
        return line;
    }

    public boolean canMatch(Source source) {
        return (sourceMask & source.bit()) != 0;
    }

    /** Whether every condition holds for the event ({@code sourceBit} = the event's {@link Source#bit()}). */
    public boolean matches(ScoringEvent event, int sourceBit) {
        if ((sourceMask & sourceBit) == 0) {
            return false;
        }
        for (Condition c : conditions) {
            if (!c.test(event, sourceBit)) {
                return false;
            }
        }
        return true;
    }

    public boolean matches(ScoringEvent event) {
        return matches(event, event.source().bit());
    }

    @Override
    public String toString() {
        return "BehaviorRule[" + name + ", points=" + points + ", halfLife=" + Durations.format(halfLifeMillis)
                + (capped() ? ", cap=" + capPoints + "/" + Durations.format(capPerMillis) : "") + ", sources=" + sources()
                + ", when=" + conditions() + "]";
    }
}
