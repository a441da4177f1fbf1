package io.leadscoring.app;

import io.leadscoring.app.http.BearerAuth;
import io.leadscoring.app.http.HttpApi;
import io.leadscoring.app.http.StreamsApiBackend;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.streams.DeadLetterHandler;
import io.leadscoring.streams.LeadQueries;
import io.leadscoring.streams.ScoringConfig;
import io.leadscoring.streams.ScoringMetrics;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.ScoringTopology;
import io.leadscoring.streams.StateStoreSizes;
import io.leadscoring.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live pipeline: configuration in, a running {@link KafkaStreams} out, with its HTTP API ({@link HttpApi}: lead
 * queries, top leads, health, Prometheus metrics) unless {@code http.enabled=false}. Wiring only.
 */
public final class ScoringApplication implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScoringApplication.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a measurement of the state stores' sizes serves scrapes: it may iterate in-memory stores. */
    private static final Duration STORE_SIZES_MAX_AGE = Duration.ofSeconds(10);

    private final ScoringConfig config;
    private final RuleSet rules;
    private final Properties streamsProperties;
    private final ScoringSerdes serdes;
    private final Topology topology;
    private final PrometheusMeterRegistry meterRegistry;
    private final MicrometerScoringMetrics scoringMetrics;
    private final JvmGcMetrics gcMetrics;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;
    private HttpApi http;
    private RecentHandoffs recentHandoffs;
    /** What the web page's handoff list keeps, and how far back it starts. */
    private static final int RECENT_HANDOFFS = 200;
    private static final Duration RECENT_HANDOFFS_LOOKBACK = Duration.ofDays(1);

    public ScoringApplication(Map<?, ?> properties) throws Exception {
        this.config = new ScoringConfig(properties);
        this.rules = RuleFileLoader.load(Path.of(config.getString(ScoringConfig.RULES_FILE)));
        Topics topics = config.topics();
        this.meterRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.scoringMetrics = new MicrometerScoringMetrics(meterRegistry, rules);
        this.streamsProperties = streamsProperties(config, topics, scoringMetrics);
        var settings = new ScoringTopology.Settings(topics, rules, config.lateEventHorizon(),
                config.getBoolean(ScoringConfig.STATE_STORES_IN_MEMORY));
        this.serdes = ScoringSerdes.avro(config.passThrough());
        this.topology = ScoringTopology.build(settings, serdes, scoringMetrics);
        new JvmMemoryMetrics().bindTo(meterRegistry);
        this.gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(meterRegistry);
        new JvmThreadMetrics().bindTo(meterRegistry);
        new ProcessorMetrics().bindTo(meterRegistry);
    }

    /**
     * The topology's defaults, then the user's properties; the dead-letter wiring is the topology's own and stays,
     * since a bad record must never stop the pipeline or vanish.
     */
    static Properties streamsProperties(ScoringConfig config, Topics topics) {
        return streamsProperties(config, topics, ScoringMetrics.NONE);
    }

    /** {@link #streamsProperties(ScoringConfig, Topics)} with the metrics the dead-letter handler counts in. */
    static Properties streamsProperties(ScoringConfig config, Topics topics, ScoringMetrics metrics) {
        Properties defaults = ScoringTopology.streamsDefaults(topics, metrics);
        Properties props = new Properties();
        props.putAll(defaults);
        props.putAll(config.passThrough());
        for (String wiring : new String[] {StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DeadLetterHandler.METRICS_CONFIG}) {
            Object value = defaults.get(wiring);
            if (value == null) {
                props.remove(wiring);
            } else {
                props.put(wiring, value);
            }
        }
        return props;
    }

    public Topology topology() {
        return topology;
    }

    public RuleSet rules() {
        return rules;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Where metrics go: JVM, Kafka Streams and the domain metrics ({@link MicrometerScoringMetrics}). /metrics. */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** The HTTP API's bound port once started (the chosen one when {@code http.port=0}); -1 when it is disabled. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Provisions the topics and starts processing; returns once Kafka Streams is starting. */
    public void start() throws Exception {
        Topics topics = config.topics();
        Map<String, Object> adminProps = new HashMap<>();
        streamsProperties.forEach((k, v) -> adminProps.put(k.toString(), v));
        adminProps.keySet().retainAll(AdminClientConfig.configNames());
        try (Admin admin = Admin.create(adminProps)) {
            new TopicProvisioner(admin, 60_000).provision(topics, config.getBoolean(ScoringConfig.TOPICS_CREATE),
                    config.getInt(ScoringConfig.TOPICS_PARTITIONS),
                    config.getShort(ScoringConfig.TOPICS_REPLICATION_FACTOR));
        }
        Properties props = new Properties();
        props.putAll(streamsProperties);
        HttpApi.Settings httpSettings = httpSettings(config);
        if (httpSettings != null) {
            // Bound before Kafka Streams is configured: application.server needs the port, also when it is 0.
            http = HttpApi.bind(httpSettings);
            props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, http.advertisedEndpoint());
        }
        try {
            streams = new KafkaStreams(topology, props);
            streams.setUncaughtExceptionHandler(exception -> {
                log.error("Stream thread failed; replacing it (state is restored from its changelog)", exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            streamsMetrics = new KafkaStreamsMetrics(streams);
            streamsMetrics.bindTo(meterRegistry);
            scoringMetrics.bindStateStores(new StateStoreSizes(streams,
                    config.getBoolean(ScoringConfig.STATE_STORES_IN_MEMORY), STORE_SIZES_MAX_AGE));
            if (http != null) {
                HostInfo self = HostInfo.buildFromEndpoint(
                        String.valueOf(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)));
                recentHandoffs = new RecentHandoffs(config.passThrough(), topics.sqlHandoffs(),
                        serdes.stageChange().deserializer(), RECENT_HANDOFFS, RECENT_HANDOFFS_LOOKBACK, Clock.systemUTC());
                recentHandoffs.start();
                http.start(new StreamsApiBackend(streams, new LeadQueries(streams, rules, topology), self,
                        httpSettings.auth(), meterRegistry::scrape, rules.id(), Clock.systemUTC(),
                        recentHandoffs::snapshot));
            }
        } catch (RuntimeException e) {
            if (http != null) {
                http.close();
                http = null;
            }
            throw e;
        }
        log.info("Scoring with rule set {} ({} behaviour rules, {} fit rules); processing.guarantee={}",
                rules.id(), rules.behaviorRuleCount(), rules.fitRuleCount(),
                props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        streams.start();
    }

    /** The API's settings; null when {@code http.enabled=false}. */
    static HttpApi.Settings httpSettings(ScoringConfig config) {
        if (!config.getBoolean(ScoringConfig.HTTP_ENABLED)) {
            return null;
        }
        Password token = config.getPassword(ScoringConfig.HTTP_AUTH_TOKEN);
        return new HttpApi.Settings(config.getString(ScoringConfig.HTTP_HOST),
                config.getInt(ScoringConfig.HTTP_PORT), config.getString(ScoringConfig.HTTP_ADVERTISED_HOST),
                BearerAuth.of(token == null ? null : token.value()));
    }

    /** Runs until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes cleanly. */
    public void runUntilShutdown() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutting down");
            close();
            stopped.countDown();
        }, "lead-scoring-shutdown"));
        start();
        stopped.await();
    }

    @Override
    public void close() {
        if (http != null) {
            http.close(); // first: no queries against stores that are closing
        }
        if (recentHandoffs != null) {
            recentHandoffs.close();
        }
        if (streams != null) {
            // Leave the group: the partitions move to the other instances now, not after session.timeout.ms.
            streams.close(CloseOptions.timeout(CLOSE_TIMEOUT)
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        gcMetrics.close();
        meterRegistry.close();
        serdes.close();
    }
}
