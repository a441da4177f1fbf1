package io.leadscoring.demo;

import java.time.Duration;

/** Every fixed setting of the demo, in one place. */
final class DemoDefaults {

    // Command line defaults, as text for picocli's annotations.
    static final String DURATION = "5m";
    static final String RATE = "50";
    static final String LEADS = "200";
    static final String DATA_DIR = "./data";
    static final String API_PORT = "8080";
    static final String RULES = "samples/rules.yaml";
    /** Share of simulated records sent as garbage, like a buggy tracking pixel: they show the dead-letter path. */
    static final String BAD_RATE = "0.002";
    /** Every n-th CRM request is answered 503 or 429, as a busy CRM would: they show retries in the CRM metrics. */
    static final String CRM_FAULT_EVERY = "20";
    /** System property the launcher sets to the project root, to find the sample rules from any directory. */
    static final String HOME_PROPERTY = "lead-scoring.home";

    // Everything listens on loopback only.
    static final String LOOPBACK = "127.0.0.1";

    // The broker.
    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** The broker's default takes 128 MiB of heap; the demo's topics are tiny. The broker wants more than 1 MiB. */
    static final int CLEANER_DEDUPE_BUFFER_BYTES = 2 * 1024 * 1024;
    static final int BROKER_THREADS = 2;
    /** Internal topics (offsets, transactions): the broker's defaults of 50 partitions slow down the first start. */
    static final int INTERNAL_TOPIC_PARTITIONS = 3;

    // The schema registry.
    static final String REGISTRY_SCOPE = "demo";
    static final String MOCK_REGISTRY_URL = "mock://" + REGISTRY_SCOPE;

    // The scoring application.
    static final String APPLICATION_ID = "lead-scoring-demo";
    /** Two partitions: two tasks are plenty for the demo's rate on two cores. */
    static final int PARTITIONS = 2;
    /** Small, so that a handoff leaves a transaction (and reaches the connector) within a fraction of a second. */
    static final long COMMIT_INTERVAL_MS = 200;

    /**
     * Consumer session timeout of the scoring application and the connector: after a crash (or a second Ctrl-C) the
     * next start waits this long for the dead member to leave its group; the default is 45 s.
     */
    static final int SESSION_TIMEOUT_MS = 10_000;
    static final int HEARTBEAT_INTERVAL_MS = 3_000;

    // The Connect worker and the CRM sink.
    static final String CONNECTOR_NAME = "crm-inbox";
    static final String CRM_DEAD_LETTER_TOPIC = "leads.sql-handoffs.crm-dlq";
    static final String SIGNATURE_HEADER = "X-Signature-SHA256";
    static final long CONNECT_OFFSET_FLUSH_MS = 1000;

    // The CRM inbox.
    static final String INBOX_WEBHOOK_PATH = "/crm/handoffs";
    static final String INBOX_LIST_PATH = "/inbox";
    /** Handoffs kept in memory for display; every idempotency key is remembered. */
    static final int INBOX_CAPACITY = 1000;
    static final int INBOX_MAX_BODY_BYTES = 1 << 20;

    // Timing.
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    /** At the end, how long to wait for the last handoffs to reach the CRM before stopping Connect. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);
    /** Output quiet for this long means the pipeline has caught up. */
    static final Duration DRAIN_QUIET = Duration.ofMillis(4 * COMMIT_INTERVAL_MS + 700);
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
    /** Without a terminal, a progress line every few seconds instead of one rewritten in place. */
    static final Duration PROGRESS_INTERVAL_NO_TTY = Duration.ofSeconds(5);
    /** A second Ctrl-C, or this long after the first one, stops the JVM at once. */
    static final Duration SHUTDOWN_HOOK_TIMEOUT = Duration.ofSeconds(90);
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** An executive goes silent for this long after the burst, then leaves the simulation. */
    static final Duration EXECUTIVE_SILENCE = Duration.ofSeconds(60);

    private DemoDefaults() {
    }
}
