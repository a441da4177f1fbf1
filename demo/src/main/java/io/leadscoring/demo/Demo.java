package io.leadscoring.demo;

import io.leadscoring.app.ScoringApplication;
import io.leadscoring.events.DownloadEvent;
import io.leadscoring.events.EmailEvent;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.serde.registry.SchemaRegistryClient;
import io.leadscoring.streams.Topics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole pipeline in this JVM, on loopback: broker, schema registry, scoring application, Connect worker with the
 * CRM sink, the CRM inbox it delivers to, and simulated traffic. Starts them in that order (the inbox before Connect,
 * which needs its URL), shows progress until the duration is over or the user stops it, then stops them in reverse:
 * traffic, Connect, scoring application, broker.
 */
final class Demo {

    /** The command line, resolved. */
    record Settings(
            Duration duration,
            double rate,
            int leads,
            Path dataDir,
            long seed,
            Path rules,
            int apiPort,
            String schemaRegistryUrl,
            double badRate,
            int crmFaultEvery) {

        boolean mockRegistry() {
            return schemaRegistryUrl == null;
        }

        String registryUrl() {
            return mockRegistry() ? DemoDefaults.MOCK_REGISTRY_URL : schemaRegistryUrl;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    /** No first handoff yet. */
    private static final long NONE = Long.MIN_VALUE;

    private final Settings settings;
    private final Console console;
    private final StopSignal stop;
    private final Topics topics = Topics.defaults();
    private final AtomicLong firstHandoffNanos = new AtomicLong(NONE);
    private final AtomicLong heapPeak = new AtomicLong();

    private DataDir dataDir;
    private DemoBroker broker;
    private ScoringApplication app;
    private CrmInbox inbox;
    private ConnectWorker connect;
    private ConnectMetricsExporter connectMetrics;
    private CompletableFuture<Void> exporterStart;
    private String connectMetricsStatus;
    private PipelineMonitor monitor;
    private TrafficSimulator simulator;
    private TrafficPlan plan;
    private long startNanos;
    private boolean ready;
    private long readyNanos;
    private long lastEvents;
    private long lastEventsNanos;

    Demo(Settings settings, Console console, StopSignal stop) {
        this.settings = settings;
        this.console = console;
        this.stop = stop;
    }

    /** Runs until the duration is over or a stop is asked for; 0 when it ran and stopped cleanly. */
    int run() throws Exception {
        startNanos = System.nanoTime();
        // Connect registers its own shutdown hook through Exit; the demo stops Connect itself, in order.
        Exit.setShutdownHookAdder((name, runnable) -> { });
        Runtime.getRuntime().addShutdownHook(stop.shutdownHook());
        stop.handleSignals(console);
        try {
            start();
            if (ready) {
                showProgressUntilStopped();
            }
            return 0;
        } finally {
            try {
                stopAll();
            } finally {
                stop.finished();
            }
        }
    }

    private void start() throws Exception {
        console.println("Lead scoring demo: data in " + settings.dataDir().toAbsolutePath().normalize()
                + ", logs in " + DataDir.logFile(settings.dataDir()).toAbsolutePath().normalize());
        dataDir = DataDir.open(settings.dataDir());
        dataDir.checkPortsFree();
        if (settings.mockRegistry()) {
            registerSchemas(MockSchemaRegistry.forScope(DemoDefaults.REGISTRY_SCOPE), topics);
        }

        long t = System.nanoTime();
        broker = DemoBroker.start(dataDir.kafkaLogDir(), dataDir.state(), DemoDefaults.STARTUP_TIMEOUT);
        console.println(String.format("  Kafka broker     %s (KRaft, storage %s %s)  %s", broker.bootstrapServers(),
                broker.formatted() ? "formatted in" : "reused from", dataDir.kafkaLogDir(), seconds(t)));
        if (stop.isRequested()) {
            return;
        }

        t = System.nanoTime();
        app = new ScoringApplication(scoringProperties());
        app.start(); // creates the topics, then Kafka Streams starts in the background
        console.println("  Scoring app      rules " + settings.rules() + " (" + app.rules().id() + "), registry "
                + settings.registryUrl() + "  " + seconds(t));

        t = System.nanoTime();
        String secret = randomSecret();
        inbox = new CrmInbox(secret.getBytes(StandardCharsets.UTF_8), DemoDefaults.SIGNATURE_HEADER,
                DemoDefaults.INBOX_CAPACITY, dataDir.inboxJournal(), this::onHandoff, Clock.systemUTC())
                .answeringFaults(settings.crmFaultEvery())
                .start(DemoDefaults.LOOPBACK, 0);
        connect = ConnectWorker.start(
                ConnectWorker.workerConfig(broker.bootstrapServers(), dataDir.connectOffsetsFile()),
                ConnectWorker.connectorConfig(DemoDefaults.CONNECTOR_NAME, topics.sqlHandoffs(), inbox.webhookUrl(),
                        secret, settings.registryUrl()),
                DemoDefaults.STARTUP_TIMEOUT);
        console.println("  Connect worker   connector " + connect.connectorName() + " -> " + inbox.webhookUrl()
                + "  " + seconds(t));
        // Off the start-up path: it overlaps with Kafka Streams' start and is joined before "Ready".
        exporterStart = CompletableFuture.runAsync(this::startConnectMetrics);
        if (stop.isRequested()) {
            return;
        }

        t = System.nanoTime();
        awaitRunning(app.streams(), DemoDefaults.STARTUP_TIMEOUT);
        console.println("  Kafka Streams    RUNNING, exactly_once_v2, commit every " + DemoDefaults.COMMIT_INTERVAL_MS
                + " ms  " + seconds(t));

        monitor = new PipelineMonitor(topics, DemoDefaults.CRM_DEAD_LETTER_TOPIC, broker.bootstrapServers(),
                registryConfig()).start();
        if (settings.rate() > 0) {
            long silenceTicks = (long) Math.ceil(DemoDefaults.EXECUTIVE_SILENCE.toSeconds() * settings.rate());
            plan = new TrafficPlan(settings.seed(), settings.leads(), silenceTicks, dataDir.state().nextLead(),
                    settings.badRate());
            simulator = new TrafficSimulator(plan, settings.rate(), topics, broker.bootstrapServers(),
                    registryConfig());
            simulator.start();
        }
        exporterStart.join();
        readyNanos = System.nanoTime();
        lastEventsNanos = readyNanos;
        ready = true;
        printReady();
    }

    private void printReady() {
        console.println("");
        console.println("Ready in " + Math.round((readyNanos - startNanos) / 1e9) + " s.");
        console.println("  Score API        " + apiStatus());
        console.println("  CRM inbox        " + inbox.listUrl());
        if (settings.crmFaultEvery() > 0) {
            console.println("  CRM faults       1 in " + settings.crmFaultEvery() + " requests answered 503 or 429, "
                    + "which the connector retries (--crm-faults)");
        }
        console.println("  Connect REST     " + connectorStatusUrl());
        console.println("  Connect metrics  " + connectMetricsStatus);
        console.println("  Kafka            bootstrap.servers=" + broker.bootstrapServers());
        if (simulator != null) {
            console.println(String.format("Simulating %s events/s over %d leads at a time (seed %d; personas: %s).",
                    Progress.number(settings.rate()), settings.leads(), settings.seed(), personas()));
        } else {
            console.println("No simulated traffic (--rate 0): publish events to " + topics.webEvents() + " and the "
                    + "other input topics yourself.");
        }
        console.println(settings.duration().isZero() ? "Running until Ctrl-C."
                : "Running for " + Progress.clock(settings.duration()) + "; Ctrl-C stops earlier.");
        console.println(Progress.legend());
        console.println("");
    }

    private void showProgressUntilStopped() throws InterruptedException {
        long interval = (console.tty() ? DemoDefaults.PROGRESS_INTERVAL : DemoDefaults.PROGRESS_INTERVAL_NO_TTY)
                .toNanos();
        boolean untilStopped = settings.duration().isZero();
        long deadline = readyNanos + settings.duration().toNanos();
        while (true) {
            long left = untilStopped ? interval : deadline - System.nanoTime();
            if (left <= 0) {
                stop.request("the duration is over");
                return;
            }
            if (stop.await(Math.min(interval, left))) {
                return;
            }
            sampleHeap();
            if (untilStopped || deadline - System.nanoTime() > 0) {
                console.progress(Progress.line(snapshot(true)));
            }
        }
    }

    private void stopAll() {
        console.endProgress();
        boolean wasReady = ready;
        if (stop.reason() != null && wasReady && !stop.bySignal()) {
            console.println("Stopping: " + stop.reason() + ".");
        }
        sampleHeap();
        long stoppedNanos = System.nanoTime();
        quietly("traffic simulator", simulator);
        if (wasReady && connect != null) {
            drain();
        }
        quietly("Connect worker", connect);
        if (exporterStart != null) {
            exporterStart.handle((done, failure) -> null).join();
        }
        quietly("Connect metrics exporter", connectMetrics);
        Progress.Snapshot last = wasReady ? snapshot(false) : null;
        quietly("pipeline monitor", monitor);
        quietly("scoring application", app);
        quietly("CRM inbox", inbox);
        quietly("Kafka broker", broker);
        if (dataDir != null) {
            if (plan != null) {
                try {
                    dataDir.save(dataDir.state().withNextLead(plan.nextLeadNumber()));
                } catch (Exception e) {
                    log.warn("Could not save the next lead number", e);
                }
            }
            quietly("data directory lock", dataDir);
        }
        if (last != null) {
            Duration firstHandoff = firstHandoffNanos.get() == NONE ? null
                    : Duration.ofNanos(Math.max(0, firstHandoffNanos.get() - readyNanos));
            console.println("");
            Progress.summary(last, firstHandoff, heapPeak.get(), Runtime.getRuntime().maxMemory())
                    .forEach(console::println);
            console.println("Stopped in " + Progress.number((System.nanoTime() - stoppedNanos) / 1e9)
                    + " s. The data stays in " + dataDir.root() + "; the next start reuses it.");
        }
    }

    /** Waits for the handoffs already scored to reach the CRM, so that the summary adds up. */
    private void drain() {
        if (monitor == null || inbox == null) {
            return;
        }
        console.println("Waiting for the last handoffs to reach the CRM...");
        long deadline = System.nanoTime() + DemoDefaults.DRAIN_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
                PipelineMonitor.Counts counts = monitor.counts();
                boolean quiet = System.nanoTime() - counts.lastChangeNanos() > DemoDefaults.DRAIN_QUIET.toNanos();
                if (quiet && inbox.containsAll(monitor.handoffIds())) {
                    return;
                }
                Thread.sleep(100);
            }
            log.warn("Stopping before every handoff reached the CRM inbox; the connector resumes on the next start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onHandoff(InboxHandoff handoff) {
        firstHandoffNanos.compareAndSet(NONE, System.nanoTime());
        console.println(Progress.handoff(handoff));
    }

    private Progress.Snapshot snapshot(boolean advanceRate) {
        long now = System.nanoTime();
        long events = simulator == null ? 0 : simulator.published();
        double perSecond = now > lastEventsNanos ? (events - lastEvents) * 1e9 / (now - lastEventsNanos) : 0;
        if (advanceRate) {
            lastEvents = events;
            lastEventsNanos = now;
        }
        PipelineMonitor.Counts counts = monitor == null
                ? new PipelineMonitor.Counts(0, 0, 0, 0, 0, 0) : monitor.counts();
        return new Progress.Snapshot(Duration.ofNanos(now - readyNanos), perSecond, events,
                simulator == null ? 0 : simulator.leads(), counts.mqls(), counts.sqls(), counts.handoffs(),
                inbox.createdThisRun(), inbox.duplicates(), inbox.rejected(), counts.deadLetters(),
                counts.crmDeadLetters());
    }

    /** What {@code bin/lead-scoring run} would read from its properties file, for this demo. */
    Map<String, String> scoringProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("application.id", DemoDefaults.APPLICATION_ID);
        props.put("state.dir", dataDir.streamsStateDir().toString());
        props.put("schema.registry.url", settings.registryUrl());
        props.put("rules.file", settings.rules().toString());
        props.put("topics.partitions", Integer.toString(DemoDefaults.PARTITIONS));
        props.put("topics.replication.factor", "1");
        props.put("processing.guarantee", "exactly_once_v2");
        props.put("commit.interval.ms", Long.toString(DemoDefaults.COMMIT_INTERVAL_MS));
        props.put("num.stream.threads", "1");
        props.put("session.timeout.ms", Integer.toString(DemoDefaults.SESSION_TIMEOUT_MS));
        props.put("heartbeat.interval.ms", Integer.toString(DemoDefaults.HEARTBEAT_INTERVAL_MS));
        // The scoring application's HTTP API (score lookups, top leads, health, metrics), on loopback.
        props.put("http.enabled", "true");
        props.put("http.host", DemoDefaults.LOOPBACK);
        props.put("http.port", Integer.toString(settings.apiPort()));
        return props;
    }

    /**
     * The worker's metrics as docker-compose.yml's Prometheus scrapes them (see {@link ConnectMetricsExporter}); the
     * port goes to the data directory for tools. Without the exporter jar (a build that skipped it) the demo runs on.
     */
    private void startConnectMetrics() {
        long t = System.nanoTime();
        Path home = Path.of(System.getProperty(DemoDefaults.HOME_PROPERTY, "."));
        try {
            connectMetrics = ConnectMetricsExporter.start(home.resolve(ConnectMetricsExporter.AGENT_JAR),
                    home.resolve(ConnectMetricsExporter.RULES), DemoDefaults.LOOPBACK);
            Files.writeString(dataDir.connectMetricsPortFile(), connectMetrics.port() + "\n");
            connectMetricsStatus = "http://" + DemoDefaults.LOOPBACK + ":" + connectMetrics.port() + "/metrics  (JMX "
                    + "exporter, " + ConnectMetricsExporter.RULES + ")";
            log.info("Connect metrics exporter on port {}, started in {}", connectMetrics.port(), seconds(t));
        } catch (IOException e) {
            log.warn("Connect metrics are not exported", e);
            connectMetricsStatus = "off: " + e.getMessage();
        }
    }

    private Map<String, Object> registryConfig() {
        return Map.of("schema.registry.url", settings.registryUrl());
    }

    /**
     * The in-process registry forgets everything when the JVM ends and numbers schemas in registration order.
     * Registering every schema first, always in the same order, gives each the same id in every run, so that the
     * records kept in the data directory stay readable after a restart.
     */
    static void registerSchemas(SchemaRegistryClient registry, Topics topics) {
        registry.register(topics.webEvents() + "-value", WebEvent.getClassSchema());
        registry.register(topics.emailEvents() + "-value", EmailEvent.getClassSchema());
        registry.register(topics.downloadEvents() + "-value", DownloadEvent.getClassSchema());
        registry.register(topics.profiles() + "-value", LeadProfile.getClassSchema());
        registry.register(topics.scores() + "-value", LeadScore.getClassSchema());
        registry.register(topics.stageChanges() + "-value", StageChange.getClassSchema());
        registry.register(topics.sqlHandoffs() + "-value", StageChange.getClassSchema());
    }

    private static void awaitRunning(KafkaStreams streams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING
                    || state == KafkaStreams.State.PENDING_ERROR) {
                throw new IllegalStateException("Kafka Streams stopped while starting (" + state + "); see the log");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Kafka Streams not running within " + timeout.toSeconds() + " s ("
                        + state + ")");
            }
            Thread.sleep(50);
        }
    }

    /** The scoring application's HTTP API and web page, on the port it bound (the chosen one for --port 0). */
    private String apiStatus() {
        int port = app.httpPort();
        if (port < 0) {
            return "off (http.enabled=false)";
        }
        return "http://" + DemoDefaults.LOOPBACK + ":" + port + "/  (web page; GET /leads/{id}, /leads/top?n=, "
                + "/handoffs, /health, /metrics)";
    }

    private URI connectorStatusUrl() {
        return connect.restUrl().resolve("/connectors/" + connect.connectorName() + "/status");
    }

    private String personas() {
        StringBuilder text = new StringBuilder();
        for (Persona persona : Persona.values()) {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(persona.weight()).append("% ").append(persona.label());
        }
        return text.toString();
    }

    private void sampleHeap() {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        heapPeak.accumulateAndGet(used, Math::max);
    }

    private static String seconds(long sinceNanos) {
        return Progress.number((System.nanoTime() - sinceNanos) / 1e9) + " s";
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static void quietly(String what, AutoCloseable component) {
        if (component == null) {
            return;
        }
        try {
            component.close();
        } catch (Exception e) {
            log.warn("Error stopping the {}", what, e);
        }
    }
}
