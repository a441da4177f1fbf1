package io.leadscoring.streams;

import io.leadscoring.scoring.ProfileView;
import io.leadscoring.scoring.ScoringEvent;

/** What reaches the scoring processor: a behaviour event, or a changed profile that re-evaluates its lead. */
record ScoringInput(ScoringEvent event, ProfileView profile) {

    static ScoringInput event(ScoringEvent event) {
        return new ScoringInput(event, null);
    }

    static ScoringInput profileChange(ProfileView profile) {
        return new ScoringInput(null, profile);
    }

    String leadId() {
        return event != null ? event.leadId() : profile.leadId();
    }
}
