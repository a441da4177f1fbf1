package io.leadscoring.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * One real KRaft node (broker and controller combined) in this JVM, set up as test-support's embedded broker is: the
 * production metadata.version, replication factor 1 everywhere, transactions available, loopback only. Its log
 * directories are temporary and removed on close.
 */
final class BenchBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;
    private final Admin admin;
    private final String bootstrapServers;
    private final Duration startupTime;

    private BenchBroker(KafkaClusterTestKit cluster, Admin admin, String bootstrapServers, Duration startupTime) {
        this.cluster = cluster;
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.startupTime = startupTime;
    }

    /** test-support's BrokerConfig defaults: a single node that still supports exactly-once. */
    static Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("share.coordinator.state.topic.num.partitions", "1");
        config.put("default.replication.factor", "1");
        config.put("min.insync.replicas", "1");
        config.put("num.partitions", "1");
        config.put("auto.create.topics.enable", "false");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("group.streams.initial.rebalance.delay.ms", "0");
        config.put("log.cleaner.dedupe.buffer.size", "2097152");
        config.put("unstable.api.versions.enable", "false");
        config.put("unstable.feature.versions.enable", "false");
        return config;
    }

    static BenchBroker start() throws Exception {
        long begin = System.nanoTime();
        MetadataVersion version = MetadataVersion.latestProduction();
        Map<String, Short> features = new HashMap<>();
        for (Feature feature : Feature.PRODUCTION_FEATURES) {
            features.put(feature.featureName(), feature.defaultLevel(version));
        }
        TestKitNodes nodes = new TestKitNodes.Builder(BootstrapMetadata.fromVersions(version, features, "bench"))
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        builder.setConfigProp("listeners", nodes.brokerListenerName().value() + "://127.0.0.1:0,"
                + nodes.controllerListenerName().value() + "://127.0.0.1:0");
        config().forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        Admin admin = null;
        try {
            formatQuietly(cluster);
            rebindOnListenerHost(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            String bootstrap = cluster.bootstrapServers().replace("localhost:", "127.0.0.1:");
            admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.CLIENT_ID_CONFIG, "bench-admin"));
            admin.describeCluster().nodes().get();
            return new BenchBroker(cluster, admin, bootstrap, Duration.ofNanos(System.nanoTime() - begin));
        } catch (Exception | Error e) {
            if (admin != null) {
                admin.close();
            }
            cluster.close();
            throw e;
        }
    }

    /** The testkit's formatter prints to standard output, which is the suite's table. */
    private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            cluster.format();
        } catch (Exception | Error e) {
            out.print(captured.toString(StandardCharsets.UTF_8));
            throw e;
        } finally {
            System.setOut(out);
        }
    }

    /**
     * The testkit reserves each port with a socket on the wildcard address; closing them makes the broker bind its
     * listener's own host, 127.0.0.1 (test-support does the same). If the internals change, it listens on all
     * interfaces instead, which only matters on a shared network.
     */
    private static void rebindOnListenerHost(KafkaClusterTestKit cluster) {
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
            System.err.println("bench: the broker listens on all interfaces (" + e + ")");
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    Admin admin() {
        return admin;
    }

    Duration startupTime() {
        return startupTime;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the embedded broker", e);
        }
    }
}
