package io.leadscoring.streams;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The application's own settings. Everything else in the same properties file (Kafka Streams, client, security and
 * schema registry properties) passes through unchanged.
 */
public final class ScoringConfig extends AbstractConfig {

    public static final String RULES_FILE = "rules.file";
    public static final String TOPIC_WEB_EVENTS = "topic.web-events";
    public static final String TOPIC_EMAIL_EVENTS = "topic.email-events";
    public static final String TOPIC_DOWNLOAD_EVENTS = "topic.download-events";
    public static final String TOPIC_PROFILES = "topic.profiles";
    public static final String TOPIC_SCORES = "topic.scores";
    public static final String TOPIC_STAGE_CHANGES = "topic.stage-changes";
    public static final String TOPIC_SQL_HANDOFFS = "topic.sql-handoffs";
    public static final String TOPIC_DEAD_LETTER = "topic.dead-letter";
    public static final String TOPIC_ERASURES = "topic.erasures";
    public static final String TOPICS_CREATE = "topics.create";
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "topics.replication.factor";
    public static final String LATE_EVENT_HORIZON_MS = "late.event.horizon.ms";
    public static final String STATE_STORES_IN_MEMORY = "state.stores.in-memory";
    public static final String HTTP_ENABLED = "http.enabled";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";
    public static final String HTTP_AUTH_TOKEN = "http.auth.token";

    private static final String TOPICS_GROUP = "Topics";
    private static final String HTTP_GROUP = "HTTP API";

    public static final ConfigDef CONFIG = new ConfigDef()
            .define(RULES_FILE, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
                    Importance.HIGH, "Path of the YAML rule file (SCORING.md, The rule file).")
            .define(TOPIC_WEB_EVENTS, Type.STRING, Topics.DEFAULT_WEB_EVENTS, Importance.MEDIUM,
                    "Web events in (Avro WebEvent, key = lead id).", TOPICS_GROUP, 1, ConfigDef.Width.MEDIUM,
                    "Web events")
            .define(TOPIC_EMAIL_EVENTS, Type.STRING, Topics.DEFAULT_EMAIL_EVENTS, Importance.MEDIUM,
                    "Email events in (Avro EmailEvent).", TOPICS_GROUP, 2, ConfigDef.Width.MEDIUM, "Email events")
            .define(TOPIC_DOWNLOAD_EVENTS, Type.STRING, Topics.DEFAULT_DOWNLOAD_EVENTS, Importance.MEDIUM,
                    "Download events in (Avro DownloadEvent).", TOPICS_GROUP, 3, ConfigDef.Width.MEDIUM,
                    "Download events")
            .define(TOPIC_PROFILES, Type.STRING, Topics.DEFAULT_PROFILES, Importance.MEDIUM,
                    "Lead profiles in (Avro LeadProfile, compacted, co-partitioned with the events).", TOPICS_GROUP,
                    4, ConfigDef.Width.MEDIUM, "Profiles")
            .define(TOPIC_SCORES, Type.STRING, Topics.DEFAULT_SCORES, Importance.MEDIUM,
                    "Current score of every lead out (Avro LeadScore, compacted).", TOPICS_GROUP, 5,
                    ConfigDef.Width.MEDIUM, "Scores")
            .define(TOPIC_STAGE_CHANGES, Type.STRING, Topics.DEFAULT_STAGE_CHANGES, Importance.MEDIUM,
                    "Every MQL and SQL change out (Avro StageChange).", TOPICS_GROUP, 6, ConfigDef.Width.MEDIUM,
                    "Stage changes")
            .define(TOPIC_SQL_HANDOFFS, Type.STRING, Topics.DEFAULT_SQL_HANDOFFS, Importance.MEDIUM,
                    "SQL handoffs out, what the CRM connector reads (Avro StageChange).", TOPICS_GROUP, 7,
                    ConfigDef.Width.MEDIUM, "SQL handoffs")
            .define(TOPIC_DEAD_LETTER, Type.STRING, Topics.DEFAULT_DEAD_LETTER, Importance.MEDIUM,
                    "Unreadable or invalid input records, original bytes with reason headers.", TOPICS_GROUP, 8,
                    ConfigDef.Width.MEDIUM, "Dead letters")
            .define(TOPICS_CREATE, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Create missing topics at start-up; when false, a missing topic stops start-up.", TOPICS_GROUP,
                    9, ConfigDef.Width.SHORT, "Create topics")
            .define(TOPICS_PARTITIONS, Type.INT, 6, Range.atLeast(1), Importance.MEDIUM,
                    "Partitions of created topics; they bound the number of parallel instances.", TOPICS_GROUP, 10,
                    ConfigDef.Width.SHORT, "Partitions")
            .define(TOPICS_REPLICATION_FACTOR, Type.SHORT, (short) -1, Importance.MEDIUM,
                    "Replication factor of created topics; -1 takes the broker's default.", TOPICS_GROUP, 11,
                    ConfigDef.Width.SHORT, "Replication factor")
            .define(TOPIC_ERASURES, Type.STRING, Topics.DEFAULT_ERASURES, Importance.MEDIUM,
                    "Erasure requests in (GDPR; key and value the lead id as UTF-8 text, co-partitioned with the "
                            + "events); bin/lead-scoring erase writes them.", TOPICS_GROUP, 12,
                    ConfigDef.Width.MEDIUM, "Erasure requests")
            .define(LATE_EVENT_HORIZON_MS, Type.LONG, Duration.ofDays(30).toMillis(), Range.atLeast(0),
                    Importance.LOW, "How late a record may arrive, behind the newest record in its partition, and "
                            + "still find its cap, duplicate and activity windows.")
            .define(STATE_STORES_IN_MEMORY, Type.BOOLEAN, false, Importance.LOW,
                    "In-memory state stores instead of RocksDB (both are changelogged).")
            .define(HTTP_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Serve the HTTP API (lead queries, top leads, health, Prometheus metrics).", HTTP_GROUP, 1,
                    ConfigDef.Width.SHORT, "HTTP API")
            .define(HTTP_HOST, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Address the HTTP API binds to: loopback by default; 0.0.0.0 to serve other machines (and "
                            + "the other instances, which forward queries to the instance that holds a lead).",
                    HTTP_GROUP, 2, ConfigDef.Width.MEDIUM, "Bind address")
            .define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65535), Importance.MEDIUM,
                    "Port of the HTTP API; 0 takes a free port, which the start-up log names.", HTTP_GROUP, 3,
                    ConfigDef.Width.SHORT, "Port")
            .define(HTTP_ADVERTISED_HOST, Type.STRING, "", Importance.MEDIUM,
                    "Host name the other instances reach this one's HTTP API at; empty: the bind address, or the "
                            + "machine's host name when bound to all interfaces. With the bound port it becomes "
                            + "application.server unless that is set.", HTTP_GROUP, 4, ConfigDef.Width.MEDIUM,
                    "Advertised host")
            .define(HTTP_AUTH_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                    "When set, every endpoint but /health requires 'Authorization: Bearer <token>'; every "
                            + "instance of the application needs the same token.", HTTP_GROUP, 5,
                    ConfigDef.Width.MEDIUM, "Bearer token");

    public ScoringConfig(Map<?, ?> props) {
        super(CONFIG, props, false);
    }

    public Topics topics() {
        return new Topics(getString(TOPIC_WEB_EVENTS), getString(TOPIC_EMAIL_EVENTS),
                getString(TOPIC_DOWNLOAD_EVENTS), getString(TOPIC_PROFILES), getString(TOPIC_SCORES),
                getString(TOPIC_STAGE_CHANGES), getString(TOPIC_SQL_HANDOFFS), getString(TOPIC_DEAD_LETTER),
                getString(TOPIC_ERASURES));
    }

    public Duration lateEventHorizon() {
        return Duration.ofMillis(getLong(LATE_EVENT_HORIZON_MS));
    }

    /** Every property that is not one of ours: Kafka Streams, clients and the schema registry read them. */
    public Map<String, Object> passThrough() {
        Map<String, Object> rest = new HashMap<>(originals());
        CONFIG.names().forEach(rest::remove);
        return rest;
    }
}
