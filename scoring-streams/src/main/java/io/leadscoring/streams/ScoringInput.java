package io.leadscoring.streams;

import io.leadscoring.scoring.ProfileView;
import io.leadscoring.scoring.ScoringEvent;

/**
 * What reaches the scoring processor: a behaviour event with its type (for metrics, see
 * {@link ScoringMetrics#event}), or a changed profile that re-evaluates its lead.
 */
record ScoringInput(ScoringEvent event, Enum<?> eventType, ProfileView profile) {

    static ScoringInput event(ScoringEvent event, Enum<?> eventType) {
        return new ScoringInput(event, eventType, null);
    }

    static ScoringInput profileChange(ProfileView profile) {
        return new ScoringInput(null, null, profile);
    }

    String leadId() {
        return event != null ? event.leadId() : profile.leadId();
    }

    /** Event time of the record: the event's occurredAt or the profile's updatedAt. */
    long time() {
        return event != null ? event.occurredAt() : profile.updatedAt();
    }
}
