package io.leadscoring.streams;

import java.util.ArrayList;
import java.util.List;

/** The pipeline's topic names; every one is configuration, with these defaults. */
public record Topics(
        String webEvents,
        String emailEvents,
        String downloadEvents,
        String profiles,
        String scores,
        String stageChanges,
        String sqlHandoffs,
        String deadLetter,
        String erasures) {

    public static final String DEFAULT_WEB_EVENTS = "leads.web-events";
    public static final String DEFAULT_EMAIL_EVENTS = "leads.email-events";
    public static final String DEFAULT_DOWNLOAD_EVENTS = "leads.download-events";
    public static final String DEFAULT_PROFILES = "leads.profiles";
    public static final String DEFAULT_SCORES = "leads.scores";
    public static final String DEFAULT_STAGE_CHANGES = "leads.stage-changes";
    public static final String DEFAULT_SQL_HANDOFFS = "leads.sql-handoffs";
    public static final String DEFAULT_DEAD_LETTER = "leads.dead-letter";
    /** Erasure requests (GDPR): key and value are the lead id, as UTF-8 strings; see docs/ERASURE.md. */
    public static final String DEFAULT_ERASURES = "leads.erasures";

    /** The topics without an erasure topic of their own: erasure requests come from {@link #DEFAULT_ERASURES}. */
    public Topics(String webEvents, String emailEvents, String downloadEvents, String profiles, String scores,
            String stageChanges, String sqlHandoffs, String deadLetter) {
        this(webEvents, emailEvents, downloadEvents, profiles, scores, stageChanges, sqlHandoffs, deadLetter,
                DEFAULT_ERASURES);
    }

    public static Topics defaults() {
        return new Topics(DEFAULT_WEB_EVENTS, DEFAULT_EMAIL_EVENTS, DEFAULT_DOWNLOAD_EVENTS, DEFAULT_PROFILES,
                DEFAULT_SCORES, DEFAULT_STAGE_CHANGES, DEFAULT_SQL_HANDOFFS, DEFAULT_DEAD_LETTER, DEFAULT_ERASURES);
    }

    /** The Avro inputs: events and profiles. */
    public List<String> inputs() {
        return List.of(webEvents, emailEvents, downloadEvents, profiles);
    }

    /**
     * Every topic the scoring task reads: the {@link #inputs()} and the erasure requests. They must have equal
     * partition counts, so that all records of a lead meet in one task.
     */
    public List<String> coPartitioned() {
        List<String> all = new ArrayList<>(inputs());
        all.add(erasures);
        return List.copyOf(all);
    }

    public List<String> outputs() {
        return List.of(scores, stageChanges, sqlHandoffs, deadLetter);
    }

    /** Topics whose records are the latest value per key. */
    public boolean isCompacted(String topic) {
        return topic.equals(profiles) || topic.equals(scores);
    }
}
