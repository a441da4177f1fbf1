package io.leadscoring.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadscoring.cli.CliRuns;
import io.leadscoring.events.LeadProfile;
import io.leadscoring.events.LeadScore;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.WebAction;
import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.streams.DeadLetterHandler;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.testkit.SaslKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lead-scoring run} against a broker that only speaks SASL_PLAINTEXT (PLAIN), with a schema registry that
 * requires HTTP Basic authentication and the HTTP API behind a bearer token, every secret in the properties file as
 * an operator writes it. The application must score (Kafka Streams' consumer, producer and admin client, the topic
 * provisioner's admin client, the registry client and the recent-handoffs consumer all log in), and none of the three
 * secrets may appear anywhere in what the JVM writes, with Kafka's loggers at INFO (every client's configuration)
 * and the application's own at DEBUG.
 */
class SecuredRunIT {

    private static final Path ROOT = CliRuns.ROOT;
    private static final Path LAUNCHER = CliRuns.LAUNCHER;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String registrySecret = "registry-secret-" + UUID.randomUUID();
    private final String apiToken = "api-token-" + UUID.randomUUID();

    @TempDir
    Path dir;

    @Test
    void runsScoresAndServesOverSaslWithEverySecretKeptOutOfItsLog() throws Exception {
        try (SaslKafkaBroker broker = SaslKafkaBroker.start();
                BasicAuthSchemaRegistry registry = new BasicAuthSchemaRegistry("scoring",
                        registrySecret)) {
            String prefix = "secured-" + UUID.randomUUID().toString().substring(0, 8);
            Path config = writeConfig(broker, registry.url(), prefix);
            Path log = dir.resolve("run.log");
            Process process = start(config, log);
            try {
                CliRuns.awaitLog(log, "State transition from REBALANCING to RUNNING", TIMEOUT, process);
                int port = httpPort(log);
                String base = "http://127.0.0.1:" + port;

                // The bearer token: every endpoint but /health and the static page needs it, exactly.
                assertThat(get(base + "/health", null).statusCode()).isEqualTo(200);
                assertThat(get(base + "/leads/lead-sasl", null).statusCode()).isEqualTo(401);
                assertThat(get(base + "/leads/lead-sasl", "wrong-" + apiToken).statusCode()).isEqualTo(401);
                assertThat(get(base + "/metrics", apiToken.substring(1)).statusCode()).isEqualTo(401);
                assertThat(send(HttpRequest.newBuilder(URI.create(base + "/handoffs"))
                        .header("Authorization", "Basic " + apiToken)).statusCode()).isEqualTo(401);
                assertThat(get(base + "/internal/leads/top?n=3", null).statusCode()).isEqualTo(401);

                // Events in through SASL with the registry's credentials: a profile and a demo request (SQL by the
                // sample rules), and one record of garbage for the dead-letter producer.
                Map<String, Object> serdeConfig = registryConfig(registry.url());
                long t = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
                try (KafkaAvroSerializer values = new KafkaAvroSerializer();
                        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig(broker),
                                new StringSerializer(), new ByteArraySerializer())) {
                    values.configure(serdeConfig, false);
                    LeadProfile profile = LeadProfile.newBuilder().setLeadId("lead-sasl")
                            .setUpdatedAt(Instant.ofEpochMilli(t)).setJobTitle("VP Engineering")
                            .setCompanySize(400).setIndustry("software").setEmail("vp@acme.example")
                            .setAuthority("DECISION_MAKER").build();
                    producer.send(new ProducerRecord<>(prefix + ".profiles", "lead-sasl",
                            values.serialize(prefix + ".profiles", profile))).get(30, TimeUnit.SECONDS);
                    try (ScoringSerdes serdes = ScoringSerdes.avro(serdeConfig)) {
                        // The profile is in the table (its lead scored: MQL on fit) before the events come.
                        readAll(broker, prefix + ".scores", serdes.leadScore().deserializer(), 1);
                    }
                    for (String[] visit : new String[][] {{"/pricing", "PAGE_VIEW"}, {"/demo", "FORM_SUBMIT"},
                            {"/contact", "FORM_SUBMIT"}}) {
                        t += 60_000;
                        WebEvent event = WebEvent.newBuilder().setEventId("e-" + visit[0]).setLeadId("lead-sasl")
                                .setOccurredAt(Instant.ofEpochMilli(t)).setUrl("https://www.example.com" + visit[0])
                                .setAction(WebAction.valueOf(visit[1])).build();
                        producer.send(new ProducerRecord<>(prefix + ".web-events", "lead-sasl",
                                values.serialize(prefix + ".web-events", event))).get(30, TimeUnit.SECONDS);
                    }
                    producer.send(new ProducerRecord<>(prefix + ".web-events", "lead-sasl",
                            new byte[] {0x7f, 1, 2, 3})).get(30, TimeUnit.SECONDS);
                }

                try (ScoringSerdes serdes = ScoringSerdes.avro(serdeConfig)) {
                    List<StageChange> handoffs = values(readAll(broker, prefix + ".sql-handoffs",
                            serdes.stageChange().deserializer(), 1));
                    assertThat(handoffs).singleElement().satisfies(h -> {
                        assertThat(h.getLeadId()).isEqualTo("lead-sasl");
                        assertThat(h.getEmail()).isEqualTo("vp@acme.example");
                    });
                    List<LeadScore> scores = values(readAll(broker, prefix + ".scores",
                            serdes.leadScore().deserializer(), 4));
                    assertThat(scores).extracting(LeadScore::getLeadId).containsOnly("lead-sasl");
                }
                List<ConsumerRecord<String, byte[]>> dead = readAll(broker, prefix + ".dead-letter",
                        new ByteArrayDeserializer(), 1);
                assertThat(new String(dead.get(0).headers().lastHeader(DeadLetterHandler.HEADER_REASON).value(),
                        StandardCharsets.UTF_8)).isEqualTo("NO_MAGIC_BYTE");

                // The recent-handoffs consumer read it through SASL too; the API answers with the token.
                JsonNode recent = awaitHandoffs(base);
                assertThat(recent.get("handoffs").get(0).get("leadId").asText()).isEqualTo("lead-sasl");
                HttpResponse<String> lead = get(base + "/leads/lead-sasl", apiToken);
                assertThat(lead.statusCode()).isEqualTo(200);
                assertThat(JSON.readTree(lead.body()).get("stage").asText()).isEqualTo("SQL");
                String metrics = get(base + "/metrics", apiToken).body();
                assertThat(metrics).contains("leadscoring_handoffs_total 1.0")
                        .contains("leadscoring_dead_letters_total{reason=\"NO_MAGIC_BYTE\"} 1.0");
                assertThat(registry.authorized.get()).as("the registry was used, with the credentials")
                        .isPositive();
                assertThat(registry.refused.get()).isZero();
            } finally {
                process.destroy(); // SIGTERM
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s of SIGTERM").isTrue();

            String output = Files.readString(log);
            assertThat(output).as("the log holds the clients' configurations (so the check below means something)")
                    .contains("sasl.mechanism = PLAIN").contains("sasl.jaas.config = [hidden]")
                    .contains("Shutting down");
            assertThat(output).as("the SASL password").doesNotContain(SaslKafkaBroker.PASSWORD);
            assertThat(output).as("the registry's basic-auth secret").doesNotContain(registrySecret);
            assertThat(output).as("the API's bearer token").doesNotContain(apiToken);
        }
    }

    private Path writeConfig(SaslKafkaBroker broker, String registryUrl, String prefix) throws IOException {
        StringBuilder props = new StringBuilder()
                .append("bootstrap.servers=").append(broker.bootstrapServers()).append('\n')
                .append("security.protocol=SASL_PLAINTEXT\n")
                .append("sasl.mechanism=PLAIN\n")
                .append("sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ")
                .append("username=\"").append(SaslKafkaBroker.USER).append("\" password=\"")
                .append(SaslKafkaBroker.PASSWORD).append("\";\n")
                .append("schema.registry.url=").append(registryUrl).append('\n')
                .append("basic.auth.credentials.source=USER_INFO\n")
                .append("basic.auth.user.info=scoring:").append(registrySecret).append('\n')
                .append("http.auth.token=").append(apiToken).append('\n')
                .append("application.id=").append(prefix).append('\n')
                .append("state.dir=").append(dir.resolve("state")).append('\n')
                .append("rules.file=").append(ROOT.resolve("samples/rules.yaml")).append('\n')
                .append("topics.partitions=2\n")
                .append("topics.replication.factor=1\n")
                .append("commit.interval.ms=100\n")
                .append("http.port=0\n");
        for (String topic : new String[] {"web-events", "email-events", "download-events", "profiles", "scores",
                "stage-changes", "sql-handoffs", "dead-letter"}) {
            props.append("topic.").append(topic).append('=').append(prefix).append('.').append(topic).append('\n');
        }
        Path file = dir.resolve("secured.properties");
        Files.writeString(file, props.toString(), StandardCharsets.UTF_8);
        return file;
    }

    private Map<String, Object> registryConfig(String url) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", url);
        config.put("basic.auth.credentials.source", "USER_INFO");
        config.put("basic.auth.user.info", "scoring:" + registrySecret);
        return config;
    }

    private static Map<String, Object> producerConfig(SaslKafkaBroker broker) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    private static <V> List<ConsumerRecord<String, V>> readAll(SaslKafkaBroker broker, String topic,
            Deserializer<V> values, int expected) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records of %s", topic).hasSizeGreaterThanOrEqualTo(expected);
        return records;
    }

    private static <V> List<V> values(List<ConsumerRecord<String, V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }

    private JsonNode awaitHandoffs(String base) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            HttpResponse<String> response = get(base + "/handoffs", apiToken);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode json = JSON.readTree(response.body());
            if (json.get("handoffs").size() > 0) {
                return json;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no handoff in /handoffs: " + response.body());
            }
            Thread.sleep(200);
        }
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Process start(Path config, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(LAUNCHER.toString(), "run", "--config", config.toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // More than an operator sees (Kafka logs at WARN by default): every client's configuration at INFO and
        // the application's own loggers, the serde's configuration included, at DEBUG.
        builder.environment().put("LEAD_SCORING_OPTS", "-Xmx256m -Dorg.slf4j.simpleLogger.log.org.apache.kafka=info"
                + " -Dorg.slf4j.simpleLogger.log.io.leadscoring=debug"
                + " -Dorg.slf4j.simpleLogger.log.io.leadscoring.serde=debug");
        return builder.start();
    }

    private static int httpPort(Path log) throws IOException {
        Matcher m = Pattern.compile("HTTP API listening on http://127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(log));
        assertThat(m.find()).as("the start-up line names the port").isTrue();
        return Integer.parseInt(m.group(1));
    }
}
