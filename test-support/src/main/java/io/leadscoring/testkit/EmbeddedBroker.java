package io.leadscoring.testkit;

import java.lang.reflect.Field;
import java.net.BindException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Owns the broker process-in-JVM and its shared admin; JUnit closes it through the root store. */
final class EmbeddedBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final int START_ATTEMPTS = 3;
    private static final AtomicInteger STARTS = new AtomicInteger();

    private final KafkaClusterTestKit cluster;
    private final Admin admin;
    private final KafkaBroker handle;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private EmbeddedBroker(KafkaClusterTestKit cluster, Admin admin, String bootstrapServers, Duration startupTime) {
        this.cluster = cluster;
        this.admin = admin;
        this.handle = new KafkaBroker(bootstrapServers, admin, startupTime);
        // Safety net in case the store is not closed (e.g. AutoCloseable support disabled in JUnit).
        this.shutdownHook = new Thread(this::close, "embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** How many brokers this JVM has started; tests use it to prove the broker is shared. */
    static int starts() {
        return STARTS.get();
    }

    KafkaBroker handle() {
        return handle;
    }

    static EmbeddedBroker start() {
        Map<String, String> config = BrokerConfig.resolve(System.getProperties());
        long begin = System.nanoTime();
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            KafkaClusterTestKit cluster = null;
            Admin admin = null;
            try {
                TestKitNodes nodes = new TestKitNodes.Builder(productionBootstrapMetadata())
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build();
                KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
                builder.setConfigProp("listeners", nodes.brokerListenerName().value() + "://127.0.0.1:0,"
                        + nodes.controllerListenerName().value() + "://127.0.0.1:0");
                config.forEach(builder::setConfigProp);
                cluster = builder.build();
                cluster.format();
                rebindOnListenerHost(cluster);
                cluster.startup();
                cluster.waitForReadyBrokers();

                // The testkit reports "localhost"; the listener is bound to 127.0.0.1 only.
                String bootstrapServers = cluster.bootstrapServers().replace("localhost:", "127.0.0.1:");
                admin = Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-admin"));
                admin.describeCluster().nodes().get();

                Duration startupTime = Duration.ofNanos(System.nanoTime() - begin);
                STARTS.incrementAndGet();
                log.info("Embedded Kafka {} (KRaft, metadata.version {}) started at {} in {} ms",
                        AppInfoParser.getVersion(), MetadataVersion.latestProduction(), bootstrapServers,
                        startupTime.toMillis());
                return new EmbeddedBroker(cluster, admin, bootstrapServers, startupTime);
            } catch (Exception e) {
                closeQuietly(admin);
                closeQuietly(cluster);
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                RuntimeException wrapped = new IllegalStateException(
                        "Could not start the embedded Kafka broker (attempt " + attempt + ")", e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
                // Only a lost port race is worth another try; anything else fails the same way again.
                if (!causedBy(e, BindException.class) || Thread.currentThread().isInterrupted()) {
                    break;
                }
                log.warn("Embedded Kafka lost a port race, retrying", e);
            }
        }
        throw failure;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // Called from the hook itself.
        }
        long begin = System.nanoTime();
        closeQuietly(() -> admin.close(Duration.ofSeconds(5)));
        closeQuietly(cluster);
        log.info("Embedded Kafka stopped in {} ms", Duration.ofNanos(System.nanoTime() - begin).toMillis());
    }

    /** Production metadata.version and feature levels, as a freshly formatted 4.x cluster has. */
    static BootstrapMetadata productionBootstrapMetadata() {
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = new HashMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            features.put(feature.featureName(), feature.defaultLevel(version));
        }
        return BootstrapMetadata.fromVersions(version, features, "embedded-kafka");
    }

    /**
     * The testkit pre-binds each listener on the wildcard address to reserve its port. Closing those
     * sockets makes the broker re-bind the same ports on the listener's host (127.0.0.1) at start-up.
     * Reflection on testkit internals: if they change, fall back to the wildcard binding.
     */
    static void rebindOnListenerHost(KafkaClusterTestKit cluster) {
        try {
            Field managerField = KafkaClusterTestKit.class.getDeclaredField("socketFactoryManager");
            managerField.setAccessible(true);
            Object manager = managerField.get(cluster);
            Field socketsField = manager.getClass().getDeclaredField("sockets");
            socketsField.setAccessible(true);
            synchronized (manager) {
                Map<?, ?> byNode = (Map<?, ?>) socketsField.get(manager);
                for (Object byListener : byNode.values()) {
                    for (Object socket : ((Map<?, ?>) byListener).values()) {
                        ((ServerSocketChannel) socket).close();
                    }
                }
            }
        } catch (Exception | LinkageError e) {
            log.warn("Embedded Kafka listens on all interfaces: could not release the testkit's pre-bound sockets", e);
        }
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("Error closing {}", closeable, e);
        }
    }
}
