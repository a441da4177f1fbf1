package io.leadscoring.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.leadscoring.serde.registry.MockSchemaRegistry;
import io.leadscoring.serde.registry.RestSchemaRegistryClient;
import io.leadscoring.serde.registry.SchemaRegistryClientConfig;
import io.leadscoring.serde.registry.SchemaRegistryClients;
import io.leadscoring.serde.subject.RecordNameStrategy;
import io.leadscoring.serde.subject.TopicNameStrategy;
import io.leadscoring.serde.subject.TopicRecordNameStrategy;

class SerdeConfigTest {

    private static final String SECRET = "s3cr3t-Pa55";
    private static final String URL_SECRET = "url-Pa55w0rd";

    /** A consumer configuration as a Confluent user writes it, Kafka settings and all. */
    static Map<String, Object> confluentConsumerConfig() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "broker:9092");
        props.put("group.id", "scoring");
        props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        props.put("value.deserializer", "io.confluent.kafka.serializers.KafkaAvroDeserializer");
        props.put("schema.registry.url", "https://sr1.example.com:8081,https://sr2.example.com:8081");
        props.put("basic.auth.credentials.source", "USER_INFO");
        props.put("basic.auth.user.info", "svc-scoring:" + SECRET);
        props.put("auto.register.schemas", "false");
        props.put("use.latest.version", "true");
        props.put("specific.avro.reader", "true");
        props.put("latest.cache.ttl.sec", "300");
        props.put("max.schemas.per.subject", "50");
        props.put("value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy");
        props.put("key.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy");
        props.put("schema.registry.ssl.truststore.password", SECRET);
        props.put("http.connect.timeout.ms", "5000");
        props.put("max.retries", "5");
        props.put("retries.wait.ms", "250");
        props.put("retries.max.wait.ms", "4000");
        props.put("some.unknown.setting", "whatever");
        Map<String, Object> map = new HashMap<>();
        props.forEach((k, v) -> map.put((String) k, v));
        return map;
    }

    @Test
    void confluentPropertiesConfigureOursUnchanged() {
        KafkaAvroDeserializerConfig config = new KafkaAvroDeserializerConfig(confluentConsumerConfig());

        assertThat(config.getList("schema.registry.url"))
                .containsExactly("https://sr1.example.com:8081", "https://sr2.example.com:8081");
        assertThat(config.getString("basic.auth.credentials.source")).isEqualTo("USER_INFO");
        assertThat(config.getPassword("basic.auth.user.info").value()).isEqualTo("svc-scoring:" + SECRET);
        assertThat(config.autoRegisterSchema()).isFalse();
        assertThat(config.useLatestVersion()).isTrue();
        assertThat(config.specificAvroReader()).isTrue();
        assertThat(config.getInt("latest.cache.ttl.sec")).isEqualTo(300);
        assertThat(config.getInt("max.schemas.per.subject")).isEqualTo(50);
        assertThat(config.getInt("http.connect.timeout.ms")).isEqualTo(5000);
        assertThat(config.getInt("max.retries")).isEqualTo(5);
        assertThat(config.getClass("value.subject.name.strategy")).isEqualTo(RecordNameStrategy.class);
        assertThat(config.getClass("key.subject.name.strategy")).isEqualTo(TopicRecordNameStrategy.class);

        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(confluentConsumerConfig(), false);
        assertThat(deserializer.client()).isInstanceOf(RestSchemaRegistryClient.class)
                .hasToString("RestSchemaRegistryClient[https://sr1.example.com:8081, https://sr2.example.com:8081]");
        deserializer.close();
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(confluentConsumerConfig(), true);
        serializer.close();
    }

    @Test
    void confluentDefaults() {
        KafkaAvroDeserializerConfig config = new KafkaAvroDeserializerConfig(Map.of("schema.registry.url", "mock://x"));

        assertThat(config.getString("basic.auth.credentials.source")).isEqualTo("URL");
        assertThat(config.autoRegisterSchema()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.normalizeSchemas()).isFalse();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.useLogicalTypeConverters()).isFalse();
        assertThat(config.getInt("latest.cache.ttl.sec")).isEqualTo(-1);
        assertThat(config.getInt("max.schemas.per.subject")).isEqualTo(1000);
        assertThat(config.getInt("http.connect.timeout.ms")).isEqualTo(60_000);
        assertThat(config.getInt("http.read.timeout.ms")).isEqualTo(60_000);
        assertThat(config.getInt("max.retries")).isEqualTo(3);
        assertThat(config.getInt("retries.wait.ms")).isEqualTo(1_000);
        assertThat(config.getInt("retries.max.wait.ms")).isEqualTo(20_000);
        assertThat(config.getString("schema.registry.ssl.endpoint.identification.algorithm")).isEqualTo("https");
        assertThat(config.getClass("key.subject.name.strategy")).isEqualTo(TopicNameStrategy.class);
        assertThat(config.getClass("value.subject.name.strategy")).isEqualTo(TopicNameStrategy.class);
    }

    @Test
    void secretsStayOutOfToStringAndLogs() {
        Map<String, Object> config = confluentConsumerConfig();
        config.put("schema.registry.url", "https://svc:" + URL_SECRET + "@sr1.example.com:8081");
        config.put("schema.registry.basic.auth.user.info", "old:" + SECRET);
        config.put("schema.registry.ssl.keystore.password", SECRET);
        config.put("schema.registry.ssl.key.password", SECRET);

        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String described;
        String clientText;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            KafkaAvroDeserializerConfig parsed = new KafkaAvroDeserializerConfig(config);
            described = parsed.toString() + new SchemaRegistryClientConfig(config);
            KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
            deserializer.configure(config, false);
            clientText = deserializer.client().toString();
            deserializer.close();
        } finally {
            System.setErr(originalErr);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(log).contains("KafkaAvroDeserializerConfig values").contains("basic.auth.user.info = [hidden]")
                .contains("https://***@sr1.example.com:8081");
        assertThat(described).contains("[hidden]").contains("***@sr1.example.com");
        assertThat(clientText).contains("sr1.example.com");
        for (String text : new String[] {log, described, clientText}) {
            assertThat(text).doesNotContain(SECRET).doesNotContain(URL_SECRET);
        }
    }

    @Test
    void mockUrlSelectsTheScopeRegistry() {
        String scope = "cfg-" + UUID.randomUUID();
        try {
            assertThat(SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://" + scope)))
                    .isSameAs(MockSchemaRegistry.forScope(scope));
            assertThatThrownBy(() -> SchemaRegistryClients.create(
                    Map.of("schema.registry.url", "mock://" + scope + ",http://localhost:8081")))
                    .isInstanceOf(ConfigException.class);
        } finally {
            MockSchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void invalidSettingsAreRefusedClearly() {
        assertThatThrownBy(() -> new KafkaAvroSerializer().configure(Map.of("auto.register.schemas", "false"), false))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
        assertThatThrownBy(() -> new KafkaAvroSerializerConfig(Map.of("schema.registry.url", "mock://x",
                "basic.auth.credentials.source", "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("basic.auth.credentials.source");
        assertThatThrownBy(() -> new KafkaAvroSerializerConfig(Map.of("schema.registry.url", "mock://x",
                "value.subject.name.strategy", "com.example.NoSuchStrategy")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> SchemaRegistryClients.create(Map.of("schema.registry.url", "ftp://host")))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new KafkaAvroSerializer().serialize("t", "x"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not configured");
    }

    @Test
    void strategyClassesAreAcceptedAsClassObjects() {
        KafkaAvroSerializerConfig config = new KafkaAvroSerializerConfig(Map.of("schema.registry.url", "mock://x",
                "value.subject.name.strategy", TopicRecordNameStrategy.class,
                "key.subject.name.strategy", RecordNameStrategy.class.getName()));
        assertThat(config.getClass("value.subject.name.strategy")).isEqualTo(TopicRecordNameStrategy.class);
        assertThat(config.getClass("key.subject.name.strategy")).isEqualTo(RecordNameStrategy.class);
    }
}
