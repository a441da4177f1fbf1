package io.leadscoring.scoring.rules;

/** A compiled matcher of SCORING.md's table, applied to one field value (null when the field is absent). */
public interface ValueMatcher {
    boolean test(Object value);

    /** How the rule file wrote it, for messages and docs. */
    String describe();
}
