package io.leadscoring.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@EmbeddedKafka
class KafkaBrokerIT {

    @Test
    void createTopicMakesUniqueTopicsWithTheRequestedPartitions(KafkaBroker kafka) throws Exception {
        String three = kafka.createTopic("scores", 3);
        String one = kafka.createTopic("scores", 1);

        assertThat(three).startsWith("scores-").isNotEqualTo(one);
        Map<String, TopicDescription> topics = kafka.admin().describeTopics(List.of(three, one)).allTopicNames().get();
        assertThat(topics.get(three).partitions()).hasSize(3);
        assertThat(topics.get(one).partitions()).hasSize(1);
    }

    @Test
    void createTopicAppliesTopicConfigs(KafkaBroker kafka) throws Exception {
        String topic = kafka.createTopic("lead-state", 2, Map.of("cleanup.policy", "compact"));

        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = kafka.admin().describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void createTopicsWithExactNamesIsIdempotent(KafkaBroker kafka) throws Exception {
        String name = "fixed-name-topic";

        kafka.createTopics(name);
        kafka.createTopics(name);

        assertThat(kafka.admin().listTopics().names().get()).contains(name);
    }

    @Test
    void consumeTimesOutWithWhatItGot(KafkaBroker kafka) throws Exception {
        String topic = kafka.createTopic("short", 1);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "lead-1", "visited-pricing")).get();
        }

        assertThatThrownBy(() -> kafka.consume(topic, new StringDeserializer(), new StringDeserializer(), 2,
                Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expected at least 2 committed records in topic '" + topic + "'")
                .hasMessageContaining("but got 1")
                .hasMessageContaining("p0@0 lead-1 -> visited-pricing");
    }

    @Test
    void consumingAMissingTopicSaysSo(KafkaBroker kafka) {
        String topic = kafka.uniqueTopic("never-created");

        assertThatThrownBy(() -> kafka.consume(topic, new StringDeserializer(), new StringDeserializer(), 1,
                Duration.ofMillis(300)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'" + topic + "' does not exist");
    }

    @Test
    void closingTheSharedAdminIsIgnored(KafkaBroker kafka) throws Exception {
        try (var admin = kafka.admin()) {
            admin.listTopics().names().get();
        }

        assertThat(kafka.admin().listTopics().names().get()).isNotNull();
    }

    @Test
    void clientConfigsAreSetUpForExactlyOnce(KafkaBroker kafka) {
        assertThat(kafka.producerConfig())
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers())
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        assertThat(kafka.transactionalProducerConfig("tx-1"))
                .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-1");
        assertThat(kafka.consumerConfig("group-1"))
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "group-1")
                .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        assertThat(kafka.uniqueGroupId("g")).isNotEqualTo(kafka.uniqueGroupId("g"));
    }

    @Test
    void listensOnLoopbackOnly(KafkaBroker kafka) throws Exception {
        // Reads the kernel's socket table rather than probing other addresses: no traffic leaves loopback.
        Path tcp4 = Path.of("/proc/net/tcp");
        Path tcp6 = Path.of("/proc/net/tcp6");
        assumeTrue(Files.isReadable(tcp4), "needs Linux /proc/net");
        String port = String.format(Locale.ROOT, "%04X",
                Integer.parseInt(kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1)));

        List<String> listeningOn = new ArrayList<>();
        for (Path table : List.of(tcp4, tcp6)) {
            if (!Files.isReadable(table)) {
                continue;
            }
            for (String line : Files.readAllLines(table)) {
                String[] fields = line.trim().split("\\s+");
                // fields: sl local_address rem_address st ...; st 0A is LISTEN
                if (fields.length > 3 && fields[3].equals("0A") && fields[1].endsWith(":" + port)) {
                    listeningOn.add(fields[1].substring(0, fields[1].indexOf(':')));
                }
            }
        }

        // 127.0.0.1 as IPv4, or as an IPv4-mapped IPv6 address.
        assertThat(listeningOn).isNotEmpty()
                .allSatisfy(address -> assertThat(address).isIn("0100007F", "0000000000000000FFFF00000100007F"));
    }

    @Test
    void startupTimeIsReported(KafkaBroker kafka) {
        assertThat(kafka.startupTime()).isPositive();
    }
}
