package io.leadscoring.scoring.rules;

import io.leadscoring.scoring.ProfileView;
import io.leadscoring.scoring.ScoringEvent;

/** One entry of a rule's {@code when}: a field and its matcher. */
public final class Condition {
    private enum Access {
        LEAD_ID,
        EVENT_ID,
        OCCURRED_AT,
        UPDATED_AT,
        OTHER
    }

    private final String field;
    private final int sourceMask;
    private final Access access;
    private final ValueMatcher matcher;

    private Condition(String field, int sourceMask, Access access, ValueMatcher matcher) {
        this.field = field;
        this.sourceMask = sourceMask;
        this.access = access;
        this.matcher = matcher;
    }

    /** A condition on an event field; {@code sourceMask} are the sources whose events have the field. */
    public static Condition onEvent(String field, int sourceMask, ValueMatcher matcher) {
        Access access = switch (field) {
            case "leadId" -> Access.LEAD_ID;
            case "eventId" -> Access.EVENT_ID;
            case "occurredAt" -> Access.OCCURRED_AT;
            default -> Access.OTHER;
        };
        return new Condition(field, sourceMask, access, matcher);
    }

    /** A condition on a profile field. */
    public static Condition onProfile(String field, ValueMatcher matcher) {
        Access access = switch (field) {
            case "leadId" -> Access.LEAD_ID;
            case "updatedAt" -> Access.UPDATED_AT;
            default -> Access.OTHER;
        };
        return new Condition(field, 0, access, matcher);
    }

    public String field() {
        return field;
    }

    public ValueMatcher matcher() {
        return matcher;
    }

    /** Whether the event satisfies this condition; a field the event's source does not have reads as null. */
    public boolean test(ScoringEvent event, int sourceBit) {
        Object value;
        if ((sourceMask & sourceBit) == 0) {
            value = null;
        } else {
            value = switch (access) {
                case LEAD_ID -> event.leadId();
                case EVENT_ID -> event.eventId();
                case OCCURRED_AT -> event.occurredAt();
                default -> event.get(field);
            };
        }
        return matcher.test(value);
    }

    public boolean test(ProfileView profile) {
        Object value = switch (access) {
            case LEAD_ID -> profile.leadId();
            case UPDATED_AT -> profile.updatedAt();
            default -> profile.get(field);
        };
        return matcher.test(value);
    }

    @Override
    public String toString() {
        return field + ": " + matcher.describe();
    }
}
