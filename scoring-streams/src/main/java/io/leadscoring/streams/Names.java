package io.leadscoring.streams;

/** Names of the topology's state stores and processors, in one place: they name changelogs and metrics. */
public final class Names {

    public static final String LEAD_STATE_STORE = "lead-state";
    public static final String PROFILES_STORE = "lead-profiles";
    public static final String SEEN_EVENTS_STORE = "seen-events";
    public static final String RULE_CAPS_STORE = "rule-caps";
    public static final String ACTIVITY_STORE = "lead-activity";

    static final String WEB_SOURCE = "web-events-source";
    static final String EMAIL_SOURCE = "email-events-source";
    static final String DOWNLOAD_SOURCE = "download-events-source";
    static final String PROFILES_SOURCE = "profiles-source";
    static final String VALIDATE_PROFILES = "validate-profiles";
    static final String PROFILES_TABLE = "profiles-table";
    static final String ADAPT_WEB = "adapt-web-events";
    static final String ADAPT_EMAIL = "adapt-email-events";
    static final String ADAPT_DOWNLOAD = "adapt-download-events";
    static final String PROFILE_CHANGES = "profile-changes";
    static final String ADAPT_PROFILES = "adapt-profile-changes";
    static final String MERGE_EMAIL = "merge-email-events";
    static final String MERGE_DOWNLOAD = "merge-download-events";
    static final String MERGE_PROFILES = "merge-profile-changes";
    static final String SCORE_LEADS = "score-leads";
    static final String ROUTE = "route-";
    static final String SCORES_BRANCH = "scores";
    static final String CHANGES_BRANCH = "stage-changes";
    static final String TO_SCORE = "to-lead-score";
    static final String TO_CHANGE = "to-stage-change";
    static final String ONLY_SQL = "only-sql-handoffs";
    static final String SCORES_SINK = "scores-sink";
    static final String STAGE_CHANGES_SINK = "stage-changes-sink";
    static final String SQL_HANDOFFS_SINK = "sql-handoffs-sink";
    static final String ERASURES_SOURCE = "erasures-source";
    static final String ERASE_LEADS = "erase-leads";
    static final String ERASURE_TOMBSTONES_SINK = "erasure-tombstones-sink";

    private Names() {
    }
}
