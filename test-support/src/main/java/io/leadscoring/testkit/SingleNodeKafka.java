package io.leadscoring.testkit;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;

/**
 * The pieces of {@link EmbeddedBroker}'s set-up for code outside the JUnit extension that starts its own node (the
 * benchmark suite): the broker defaults, the production metadata and the loopback-only listeners.
 */
public final class SingleNodeKafka {

    private SingleNodeKafka() {
    }

    /** Broker properties for a single node that still supports transactions and exactly-once. */
    public static Map<String, String> brokerDefaults() {
        return BrokerConfig.defaults();
    }

    /** The production metadata.version and feature levels, as a released broker formats them. */
    public static BootstrapMetadata productionBootstrapMetadata() {
        return EmbeddedBroker.productionBootstrapMetadata();
    }

    /** Makes the testkit's node bind its listeners on their own host (127.0.0.1) instead of the wildcard address. */
    public static void rebindOnListenerHost(KafkaClusterTestKit cluster) {
        EmbeddedBroker.rebindOnListenerHost(cluster);
    }
}
