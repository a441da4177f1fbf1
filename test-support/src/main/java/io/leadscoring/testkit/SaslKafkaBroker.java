package io.leadscoring.testkit;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A second, separate single-node KRaft broker whose listeners are {@code SASL_PLAINTEXT} with the PLAIN
 * mechanism (the test kit's users; the kit's {@code StandardAuthorizer} makes {@value #USER} a super user), bound to
 * 127.0.0.1. For tests that prove clients carry their security settings; it is not shared, so close it.
 *
 * <p>The test kit writes the broker's JAAS file and points the JVM's {@code java.security.auth.login.config} at it;
 * clients here always pass {@code sasl.jaas.config} themselves.
 */
public final class SaslKafkaBroker implements AutoCloseable {

    /** The PLAIN user clients log in as. */
    public static final String USER = JaasUtils.KAFKA_PLAIN_ADMIN;
    /** Its password: a secret that must never show in a log. */
    public static final String PASSWORD = JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD;

    private final KafkaClusterTestKit cluster;
    private final String bootstrapServers;
    private final Admin admin;

    private SaslKafkaBroker(KafkaClusterTestKit cluster, String bootstrapServers) {
        this.cluster = cluster;
        this.bootstrapServers = bootstrapServers;
        Map<String, Object> adminConfig = new HashMap<>(clientConfig());
        adminConfig.put(CommonClientConfigs.CLIENT_ID_CONFIG, "sasl-kafka-admin");
        this.admin = Admin.create(adminConfig);
    }

    /** Starts the broker, with {@link BrokerConfig}'s settings (exactly-once on one node). */
    public static SaslKafkaBroker start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder(EmbeddedBroker.productionBootstrapMetadata())
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBrokerListenerName(new ListenerName("EXTERNAL"))
                .setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                // The controller's listener too: the authorizer lets only the super user register the broker.
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        builder.setConfigProp("listeners", nodes.brokerListenerName().value() + "://127.0.0.1:0,"
                + nodes.controllerListenerName().value() + "://127.0.0.1:0");
        BrokerConfig.resolve(System.getProperties()).forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            EmbeddedBroker.rebindOnListenerHost(cluster);
            cluster.startup();
            cluster.waitForReadyBrokers();
            SaslKafkaBroker broker = new SaslKafkaBroker(cluster,
                    cluster.bootstrapServers().replace("localhost:", "127.0.0.1:"));
            broker.admin.describeCluster().nodes().get();
            return broker;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code host:port} of the SASL_PLAINTEXT listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** What every client needs to connect: bootstrap servers, {@code security.protocol}, mechanism and JAAS login. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name);
        config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"" + USER + "\" password=\"" + PASSWORD + "\";");
        return config;
    }

    /** An admin client logged in as {@link #USER}; closed with the broker. */
    public Admin admin() {
        return admin;
    }

    @Override
    public void close() throws Exception {
        try {
            admin.close();
        } finally {
            cluster.close();
        }
    }
}
