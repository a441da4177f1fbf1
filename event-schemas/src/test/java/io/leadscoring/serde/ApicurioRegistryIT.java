package io.leadscoring.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadscoring.events.WebEvent;
import io.leadscoring.serde.registry.RestClientException;
import io.leadscoring.serde.registry.RestSchemaRegistryClient;

/** The serde and REST client against a real Apicurio Registry through its Confluent-compatible API. */
class ApicurioRegistryIT {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private static Process registry;
    private static Path log;
    private static String baseUrl;

    @BeforeAll
    static void startRegistry() throws Exception {
        String dir = System.getProperty("apicurio.dir");
        String version = System.getProperty("apicurio.version");
        assertThat(dir).as("system property apicurio.dir (set by the pom for Failsafe)").isNotNull();
        Path home = Path.of(dir);
        Path jar = home.resolve("apicurio-registry-app-" + version + "-runner.jar");
        assertThat(jar).as("Apicurio runner jar unpacked by the pre-integration-test phase").exists();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        log = home.getParent().resolve("apicurio-registry-it.log");
        registry = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-jar", jar.toString())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        awaitReady("http://127.0.0.1:" + port + "/health/ready");
        baseUrl = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    private static void awaitReady(String healthUrl) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!registry.isAlive()) {
                throw new IllegalStateException("Apicurio exited with " + registry.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(healthUrl))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("Apicurio not ready within " + STARTUP_TIMEOUT + ":\n" + logTail());
    }

    private static String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        if (registry == null) {
            return;
        }
        registry.descendants().forEach(ProcessHandle::destroy);
        registry.destroy();
        if (!registry.waitFor(20, TimeUnit.SECONDS)) {
            registry.descendants().forEach(ProcessHandle::destroyForcibly);
            registry.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", baseUrl);
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    private static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int schemaIdOf(byte[] bytes) {
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    @Test
    void serializerRegistersAndAFreshDeserializerReadsById() {
        String topic = uniqueTopic("leads.web-events");
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config(), false);
        byte[] bytes = serializer.serialize(topic, Samples.webEvent());

        KafkaAvroDeserializer specific = new KafkaAvroDeserializer();
        specific.configure(config("specific.avro.reader", "true"), false);
        KafkaAvroDeserializer generic = new KafkaAvroDeserializer();
        generic.configure(config(), false);

        assertThat(specific.deserialize(topic, bytes)).isEqualTo(Samples.webEvent());
        assertThat(((GenericRecord) generic.deserialize(topic, bytes)).get("utmCampaign")).hasToString("spring");
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config())) {
            assertThat(client.getAllSubjects()).contains(topic + "-value");
            assertThat(client.getSchemaById(schemaIdOf(bytes))).isEqualTo(WebEvent.getClassSchema());
            assertThat(client.getLatestVersion(topic + "-value").id()).isEqualTo(schemaIdOf(bytes));
        }
        serializer.close();
        specific.close();
        generic.close();
    }

    @Test
    void lookupWithoutAutoRegister() {
        String topic = uniqueTopic("leads.scores");
        KafkaAvroSerializer registering = new KafkaAvroSerializer();
        registering.configure(config(), true);
        byte[] registered = registering.serialize(topic, Samples.leadScore());

        KafkaAvroSerializer lookingUp = new KafkaAvroSerializer();
        lookingUp.configure(config("auto.register.schemas", "false"), true);

        assertThat(lookingUp.serialize(topic, Samples.leadScore())).isEqualTo(registered);
        SerializationException e = catchThrowableOfType(SerializationException.class,
                () -> lookingUp.serialize(uniqueTopic("never-registered"), Samples.leadScore()));
        assertThat(e.getCause()).isInstanceOfSatisfying(RestClientException.class, cause -> {
            assertThat(cause.status()).isEqualTo(404);
            assertThat(cause.isNotFound()).isTrue();
        });
    }

    @Test
    void useLatestVersionWritesWithTheSubjectsNewestSchema() {
        String topic = uniqueTopic("leads.web-events");
        String subject = topic + "-value";
        int latestId;
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config())) {
            client.register(subject, SerdeSchemaEvolutionTest.WEB_EVENT_V1);
            latestId = client.register(subject, WebEvent.getClassSchema());
            assertThat(client.getAllVersions(subject)).containsExactly(1, 2);
        }
        GenericRecord old = new GenericData.Record(SerdeSchemaEvolutionTest.WEB_EVENT_V1);
        old.put("eventId", "evt-old");
        old.put("leadId", "lead-1");
        old.put("occurredAt", Samples.T0.toEpochMilli());
        old.put("url", "https://example.com/");
        old.put("action", new GenericData.EnumSymbol(SerdeSchemaEvolutionTest.WEB_EVENT_V1.getField("action").schema(),
                "CLICK"));

        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config("auto.register.schemas", false, "use.latest.version", true), false);
        byte[] bytes = serializer.serialize(topic, old);

        assertThat(schemaIdOf(bytes)).isEqualTo(latestId);
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(config("specific.avro.reader", true), false);
        WebEvent read = (WebEvent) deserializer.deserialize(topic, bytes);
        assertThat(read.getEventId()).isEqualTo("evt-old");
        assertThat(read.getUtmSource()).isNull();
    }

    @Test
    void backwardCompatibilityRefusesANewRequiredFieldAndAcceptsAnOptionalOne() {
        String subject = uniqueTopic("it.compat") + "-value";
        Schema v1 = SerdeSchemaEvolutionTest.WEB_EVENT_V1;
        Schema requiredField = new Schema.Parser().parse(v1.toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},"));
        Schema optionalField = new Schema.Parser().parse(v1.toString()
                .replace("\"fields\":[", "\"fields\":[{\"name\":\"tenant\",\"type\":[\"null\",\"string\"],"
                        + "\"default\":null},"));

        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config())) {
            int v1Id = client.register(subject, v1);
            assertThat(client.updateCompatibility(subject, "BACKWARD")).isEqualTo("BACKWARD");
            assertThat(client.getCompatibility(subject)).isEqualTo("BACKWARD");

            assertThat(client.testCompatibility(subject, requiredField)).isFalse();
            RestClientException refused = catchThrowableOfType(RestClientException.class,
                    () -> client.register(subject, requiredField));
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.errorCode()).isEqualTo(409);

            assertThat(client.testCompatibility(subject, optionalField)).isTrue();
            int v2Id = client.register(subject, optionalField);
            assertThat(v2Id).isNotEqualTo(v1Id);
            assertThat(client.getAllVersions(subject)).containsExactly(1, 2);
            assertThat(client.getLatestVersion(subject).version()).isEqualTo(2);
        }
    }
}
