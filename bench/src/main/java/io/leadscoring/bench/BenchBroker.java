package io.leadscoring.bench;

import io.leadscoring.testkit.SingleNodeKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

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

    static BenchBroker start() throws Exception {
        long begin = System.nanoTime();
        TestKitNodes nodes = new TestKitNodes.Builder(SingleNodeKafka.productionBootstrapMetadata())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        builder.setConfigProp("listeners", nodes.brokerListenerName().value() + "://127.0.0.1:0,"
                + nodes.controllerListenerName().value() + "://127.0.0.1:0");
        SingleNodeKafka.brokerDefaults().forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        Admin admin = null;
        try {
            formatQuietly(cluster);
            SingleNodeKafka.rebindOnListenerHost(cluster);
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
