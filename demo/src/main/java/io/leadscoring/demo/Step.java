package io.leadscoring.demo;

import io.leadscoring.events.AssetType;
import io.leadscoring.events.EmailEventType;
import io.leadscoring.events.WebAction;

/** One thing a simulated lead does; each becomes one record on the matching input topic. */
sealed interface Step {

    /** The lead's profile, published when the lead first shows up. */
    record Profile(Person person) implements Step {
    }

    /** A page view or form submission on the web site, reported by the tracking pixel. */
    record Web(String path, WebAction action) implements Step {
    }

    /** Something the email service saw. */
    record Email(EmailEventType type, String emailKind, String campaignId, String url) implements Step {
    }

    /** A gated asset download. */
    record Download(AssetType assetType, String assetId, String title) implements Step {
    }

    /** Bytes that are not Avro: what a misconfigured tracking pixel sends. The pipeline dead-letters them. */
    record Garbage() implements Step {
    }

    static Web view(String path) {
        return new Web(path, WebAction.PAGE_VIEW);
    }

    static Web form(String path) {
        return new Web(path, WebAction.FORM_SUBMIT);
    }
}
