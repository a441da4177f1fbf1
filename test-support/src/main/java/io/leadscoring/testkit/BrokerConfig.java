package io.leadscoring.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Broker properties for a fast, quiet single node that still supports transactions and exactly-once. */
final class BrokerConfig {

    static final String SYSTEM_PROPERTY_PREFIX = "embedded.kafka.broker.";

    private BrokerConfig() {
    }

    static Map<String, String> defaults() {
        Map<String, String> config = new LinkedHashMap<>();
        // Internal topics: replication factor and ISR of 1, or the coordinators never become available.
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
        // Tests create their topics explicitly; a typo must fail, not silently create a topic.
        config.put("auto.create.topics.enable", "false");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("group.streams.initial.rebalance.delay.ms", "0");
        // The default dedupe buffer takes 128 MiB of the test JVM's heap.
        config.put("log.cleaner.dedupe.buffer.size", "2097152");
        // Behave like a released broker: the testkit enables unstable APIs and features by default.
        config.put("unstable.api.versions.enable", "false");
        config.put("unstable.feature.versions.enable", "false");
        return config;
    }

    /** {@link #defaults()} overlaid with {@code embedded.kafka.broker.<name>=<value>} system properties. */
    static Map<String, String> resolve(Properties systemProperties) {
        Map<String, String> config = defaults();
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PROPERTY_PREFIX) && name.length() > SYSTEM_PROPERTY_PREFIX.length()) {
                config.put(name.substring(SYSTEM_PROPERTY_PREFIX.length()), systemProperties.getProperty(name));
            }
        }
        return config;
    }
}
