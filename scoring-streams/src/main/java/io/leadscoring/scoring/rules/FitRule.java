package io.leadscoring.scoring.rules;

import io.leadscoring.scoring.ProfileView;
import java.util.List;

/** A compiled fit rule. Immutable. */
public final class FitRule {
    private final String name;
    private final double points;
    private final Condition[] conditions;
    private final int line;

    public FitRule(String name, double points, List<Condition> conditions, int line) {
        this.name = name;
        this.points = points;
        this.conditions = conditions.toArray(new Condition[0]);
        this.line = line;
    }

    public String name() {
        return name;
    }

    public double points() {
        return points;
    }

    public List<Condition> conditions() {
        return List.of(conditions);
    }

    public int line() {
        return line;
    }

    public boolean matches(ProfileView profile) {
        for (Condition c : conditions) {
            if (!c.test(profile)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "FitRule[" + name + ", points=" + points + ", when=" + conditions() + "]";
    }
}
