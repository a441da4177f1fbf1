package io.leadscoring.demo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka: {@link KafkaRaftServer}, broker and controller in one, on loopback. Its log directory is
 * formatted on first start with Kafka's own {@link Formatter} (what {@code kafka-storage.sh format} runs) and reused
 * afterwards, with the ports saved in the data directory.
 */
final class DemoBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DemoBroker.class);
    private static final String META_PROPERTIES = "meta.properties";

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final boolean formatted;

    private DemoBroker(KafkaRaftServer server, String bootstrapServers, boolean formatted) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.formatted = formatted;
    }

    /** Broker and controller in one node, sized for a laptop: few threads, small buffers, replication factor 1. */
    static Map<String, String> config(Path logDir, int brokerPort, int controllerPort) {
        String host = DemoDefaults.LOOPBACK;
        String broker = DemoDefaults.BROKER_LISTENER;
        String controller = DemoDefaults.CONTROLLER_LISTENER;
        String threads = Integer.toString(DemoDefaults.BROKER_THREADS);
        String internalPartitions = Integer.toString(DemoDefaults.INTERNAL_TOPIC_PARTITIONS);
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", Integer.toString(DemoDefaults.NODE_ID));
        // A static quorum: the controller's address comes from this setting, not from the metadata log.
        config.put("controller.quorum.voters", DemoDefaults.NODE_ID + "@" + host + ":" + controllerPort);
        config.put("listeners", broker + "://" + host + ":" + brokerPort + "," + controller + "://" + host + ":"
                + controllerPort);
        config.put("advertised.listeners", broker + "://" + host + ":" + brokerPort);
        config.put("controller.listener.names", controller);
        config.put("inter.broker.listener.name", broker);
        config.put("listener.security.protocol.map", broker + ":PLAINTEXT," + controller + ":PLAINTEXT");
        config.put("log.dirs", logDir.toString());
        // One node: every replication factor and ISR is 1, or the coordinators never become available.
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", internalPartitions);
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", internalPartitions);
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("share.coordinator.state.topic.num.partitions", "1");
        config.put("num.partitions", "1");
        // The pipeline creates its topics itself; a typo must fail, not create a topic.
        config.put("auto.create.topics.enable", "false");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("group.streams.initial.rebalance.delay.ms", "0");
        // Two cores and 1 GiB for everything: keep the broker small.
        config.put("log.cleaner.dedupe.buffer.size", Integer.toString(DemoDefaults.CLEANER_DEDUPE_BUFFER_BYTES));
        config.put("log.cleaner.threads", "1");
        config.put("num.network.threads", threads);
        config.put("num.io.threads", threads);
        config.put("background.threads", threads);
        config.put("num.replica.fetchers", "1");
        config.put("num.recovery.threads.per.data.dir", "1");
        return config;
    }

    static boolean isFormatted(Path logDir) {
        return Files.exists(logDir.resolve(META_PROPERTIES));
    }

    /** Formats the log directory when it is new, starts the broker and waits until it answers. */
    static DemoBroker start(Path logDir, DataDir.State state, Duration timeout) throws Exception {
        Properties props = new Properties();
        props.putAll(config(logDir, state.brokerPort(), state.controllerPort()));
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        boolean format = !isFormatted(logDir);
        if (format) {
            format(config, state.clusterId());
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        String bootstrap = DemoDefaults.LOOPBACK + ":" + state.brokerPort();
        try {
            server.startup();
            awaitReady(bootstrap, timeout);
        } catch (Exception | Error e) {
            shutdown(server);
            throw e;
        }
        return new DemoBroker(server, bootstrap, format);
    }

    /** What {@code kafka-storage.sh format --cluster-id ID --config FILE} does, at the latest production version. */
    static void format(KafkaConfig config, String clusterId) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(config.nodeId())
                    .setClusterId(clusterId)
                    .setDirectories(List.copyOf(config.logDirs()))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName(config.controllerListenerNames().get(0))
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setUnstableFeatureVersionsEnabled(false)
                    .run();
        }
        log.info("Formatted the broker's storage: {}", output.toString(StandardCharsets.UTF_8).strip());
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** True when this start formatted the storage (the first start on this data directory). */
    boolean formatted() {
        return formatted;
    }

    @Override
    public void close() {
        shutdown(server);
    }

    private static void awaitReady(String bootstrap, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "demo-broker-check"))) {
            while (true) {
                try {
                    int timeoutMs = (int) Math.max(1000, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
                            .get(timeoutMs, TimeUnit.MILLISECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("The broker did not answer within " + timeout.toSeconds()
                                + " s: " + e.getCause().getMessage(), e.getCause());
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    private static void shutdown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }
}
