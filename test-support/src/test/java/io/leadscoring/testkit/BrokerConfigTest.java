package io.leadscoring.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    @Test
    void everyDefaultIsABrokerConfigOfThisKafkaVersion() {
        // The broker ignores unknown names silently: a rename in a Kafka upgrade must fail here.
        Set<String> known = KafkaConfig.configDef().names();

        assertThat(BrokerConfig.defaults().keySet()).allSatisfy(name -> assertThat(known).contains(name));
    }

    @Test
    void exactlyOnceWorksOnOneNode() {
        assertThat(BrokerConfig.defaults()).contains(
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("auto.create.topics.enable", "false"));
    }

    @Test
    void systemPropertiesWithThePrefixOverrideAndExtend() {
        Properties system = new Properties();
        system.setProperty("embedded.kafka.broker.num.partitions", "3");
        system.setProperty("embedded.kafka.broker.log.retention.ms", "60000");
        system.setProperty("embedded.kafka.broker.", "ignored");
        system.setProperty("num.partitions", "7");

        Map<String, String> config = BrokerConfig.resolve(system);

        assertThat(config)
                .containsEntry("num.partitions", "3")
                .containsEntry("log.retention.ms", "60000")
                .containsEntry("offsets.topic.replication.factor", "1")
                .doesNotContainKey("");
    }
}
