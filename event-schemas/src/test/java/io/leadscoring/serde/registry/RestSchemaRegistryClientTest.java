package io.leadscoring.serde.registry;

import static io.leadscoring.serde.registry.MockSchemaRegistryTest.V1;
import static io.leadscoring.serde.registry.MockSchemaRegistryTest.V2_OPTIONAL;
import static io.leadscoring.serde.registry.MockSchemaRegistryTest.V2_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

class RestSchemaRegistryClientTest {

    private FakeSchemaRegistry registry;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = FakeSchemaRegistry.http();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    static Map<String, Object> config(String urls, Object... keyValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", urls);
        config.put("retries.wait.ms", 10);
        config.put("retries.max.wait.ms", 40);
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    private RestSchemaRegistryClient client(Object... keyValues) {
        return new RestSchemaRegistryClient(config(registry.url(), keyValues));
    }

    @Test
    void speaksConfluentsApi() throws Exception {
        RestSchemaRegistryClient client = client();

        assertThat(client.register("leads value/v1", V1)).isEqualTo(1);
        FakeSchemaRegistry.Request register = registry.last();
        assertThat(register.method()).isEqualTo("POST");
        assertThat(register.rawPath()).isEqualTo("/subjects/leads%20value%2Fv1/versions");
        assertThat(register.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(register.header("Accept")).isEqualTo("application/vnd.schemaregistry.v1+json, "
                + "application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5");
        assertThat(new ObjectMapper().readTree(register.body()).get("schema").asText()).isEqualTo(V1.toString());
        assertThat(registry.backend.getAllSubjects()).containsExactly("leads value/v1");

        assertThat(client.register("leads value/v1", V2_OPTIONAL)).isEqualTo(2);
        assertThat(client.getAllSubjects()).containsExactly("leads value/v1");
        assertThat(client.getAllVersions("leads value/v1")).containsExactly(1, 2);
        assertThat(client.getLatestVersion("leads value/v1"))
                .isEqualTo(new RegisteredSchema("leads value/v1", 2, 2, V2_OPTIONAL));
        assertThat(client.testCompatibility("leads value/v1", V2_REQUIRED)).isFalse();
        assertThat(client.testCompatibility("leads value/v1", V2_OPTIONAL)).isTrue();
        assertThat(registry.last().rawPath()).isEqualTo("/compatibility/subjects/leads%20value%2Fv1/versions/latest");
        assertThat(client.getCompatibility("leads value/v1")).isEqualTo("BACKWARD");
        assertThat(client.updateCompatibility("leads value/v1", "FULL")).isEqualTo("FULL");
        assertThat(registry.last().method()).isEqualTo("PUT");
        assertThat(registry.last().body()).isEqualTo("{\"compatibility\":\"FULL\"}");
        assertThat(client.getCompatibility("leads value/v1")).isEqualTo("FULL");

        RestSchemaRegistryClient fresh = client();
        assertThat(fresh.getId("leads value/v1", V1)).isEqualTo(1);
        assertThat(registry.last().rawPath()).isEqualTo("/subjects/leads%20value%2Fv1");
        assertThat(fresh.getSchemaById(2)).isEqualTo(V2_OPTIONAL);
        assertThat(registry.last().rawPath()).isEqualTo("/schemas/ids/2");
    }

    @Test
    void normalizeIsPassedAsQueryParameter() {
        client().register("s", V1, true);
        assertThat(registry.last().rawPath()).isEqualTo("/subjects/s/versions?normalize=true");
        client().getId("s", V1, true);
        assertThat(registry.last().rawPath()).isEqualTo("/subjects/s?normalize=true");
    }

    @Test
    void cachesIdsSchemasAndLatestVersions() {
        RestSchemaRegistryClient client = client();
        client.register("s", V1);
        client.register("s", V1);
        client.register("s", new Schema.Parser().parse(V1.toString()));
        assertThat(client.getSchemaById(1)).isEqualTo(V1);
        assertThat(client.getId("s", V1)).isEqualTo(1);
        assertThat(registry.count("POST", "/subjects/s")).isEqualTo(1);
        assertThat(registry.count("GET", "/schemas/ids/")).isZero();

        RestSchemaRegistryClient reader = client();
        reader.getSchemaById(1);
        reader.getSchemaById(1);
        assertThat(registry.count("GET", "/schemas/ids/1")).isEqualTo(1);

        reader.getLatestVersion("s");
        reader.getLatestVersion("s");
        assertThat(registry.count("GET", "/subjects/s/versions/latest")).isEqualTo(1);

        RestSchemaRegistryClient noLatestCache = client("latest.cache.ttl.sec", 0);
        noLatestCache.getLatestVersion("s");
        noLatestCache.getLatestVersion("s");
        assertThat(registry.count("GET", "/subjects/s/versions/latest")).isEqualTo(3);
    }

    @Test
    void cachesAreBounded() {
        RestSchemaRegistryClient client = client("max.schemas.per.subject", 2);
        for (int i = 0; i < 5; i++) {
            registry.backend.register("s" + i, MockSchemaRegistryTest.record(
                    "{\"name\":\"f" + i + "\",\"type\":\"int\"}"));
        }
        for (int id = 1; id <= 5; id++) {
            client.getSchemaById(id);
        }
        client.getSchemaById(5);
        client.getSchemaById(1);
        // the latest entry stayed; at least one of the first ones was evicted and fetched again
        assertThat(registry.count("GET", "/schemas/ids/5")).isEqualTo(1);
        assertThat(registry.count("GET", "/schemas/ids/")).isEqualTo(6);
    }

    @Test
    void retriesServerErrorsThenSucceeds() {
        registry.forcedStatuses.addAll(List.of(503, 500, 429));

        assertThat(client().register("s", V1)).isEqualTo(1);

        assertThat(registry.count("POST", "/subjects/s/versions")).isEqualTo(4);
    }

    @Test
    void givesUpAfterMaxRetriesAsUnavailable() {
        registry.forcedStatuses.addAll(List.of(503, 503, 503, 503, 503));

        SchemaRegistryUnavailableException e = catchThrowableOfType(SchemaRegistryUnavailableException.class,
                () -> client("max.retries", 2).getSchemaById(1));

        assertThat(e).isInstanceOf(org.apache.kafka.common.errors.RetriableException.class)
                .hasMessageContaining("failed 3 time(s)").hasMessageContaining("HTTP 503");
        assertThat(e.lastStatus()).isEqualTo(503);
        assertThat(registry.count("GET", "/schemas/ids/1")).isEqualTo(3);
    }

    @Test
    void backoffDoublesUpToTheMaximum() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(Map.of("schema.registry.url", registry.url()));
        assertThat(List.of(client.backoffMs(0), client.backoffMs(1), client.backoffMs(2), client.backoffMs(4),
                client.backoffMs(5), client.backoffMs(40))).containsExactly(1000L, 2000L, 4000L, 16000L, 20000L, 20000L);
    }

    @Test
    void clientErrorsAreNotRetried() {
        RestSchemaRegistryClient client = client();
        client.register("s", V1);

        RestClientException notFound = catchThrowableOfType(RestClientException.class, () -> client.getSchemaById(42));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.errorCode()).isEqualTo(40403);
        assertThat(notFound.isNotFound()).isTrue();
        assertThat(notFound).hasMessage("Schema 42 not found; error code: 40403");
        assertThat(registry.count("GET", "/schemas/ids/42")).isEqualTo(1);

        RestClientException noSubject = catchThrowableOfType(RestClientException.class,
                () -> client.getLatestVersion("nope"));
        assertThat(noSubject.errorCode()).isEqualTo(40401);

        RestClientException incompatible = catchThrowableOfType(RestClientException.class,
                () -> client.register("s", V2_REQUIRED));
        assertThat(incompatible.status()).isEqualTo(409);
        assertThat(incompatible.errorCode()).isEqualTo(409);
        assertThat(incompatible).hasMessageContaining("incompatible");
        assertThat(registry.count("POST", "/subjects/s/versions")).isEqualTo(2);
    }

    @Test
    void failsOverToTheNextUrl() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                config("http://127.0.0.1:" + closedPort + "," + registry.url(), "max.retries", 0));
        assertThat(client.register("s", V1)).isEqualTo(1);
        assertThat(client.getAllSubjects()).containsExactly("s");

        try (FakeSchemaRegistry sick = FakeSchemaRegistry.http()) {
            for (int i = 0; i < 10; i++) {
                sick.forcedStatuses.add(502);
            }
            RestSchemaRegistryClient other = new RestSchemaRegistryClient(
                    config(sick.url() + "," + registry.url(), "max.retries", 0));
            assertThat(other.getAllSubjects()).containsExactly("s");
            assertThat(other.getAllVersions("s")).containsExactly(1);
            // the second request went straight to the URL that answered
            assertThat(sick.requests).hasSize(1);
        }
    }

    @Test
    void unreachableRegistryIsUnavailableWithoutLeakingCredentials() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                config("http://user:hunter2@127.0.0.1:" + closedPort, "max.retries", 1));

        SchemaRegistryUnavailableException e = catchThrowableOfType(SchemaRegistryUnavailableException.class,
                client::getAllSubjects);
        assertThat(e.lastStatus()).isEqualTo(-1);
        assertThat(e).hasMessageContaining("127.0.0.1:" + closedPort).hasMessageNotContaining("hunter2");
        assertThat(client.toString()).doesNotContain("hunter2");
    }

    @Test
    void slowRegistryTimesOutAndIsRetried() {
        registry.delayMs = 500;
        SchemaRegistryUnavailableException e = catchThrowableOfType(SchemaRegistryUnavailableException.class,
                () -> client("http.read.timeout.ms", 100, "max.retries", 1).getAllSubjects());
        assertThat(e).hasMessageContaining("HttpTimeoutException");
        assertThat(registry.count("GET", "/subjects")).isEqualTo(2);
    }

    @Test
    void sendsBasicAuthFromTheUrl() {
        registry.requiredAuthorization = basic("svc:p@ss word");
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(
                config(registry.url().replace("://", "://svc:p%40ss%20word@")));

        assertThat(client.register("s", V1)).isEqualTo(1);
        assertThat(registry.last().header("Authorization")).isEqualTo(basic("svc:p@ss word"));
    }

    @Test
    void sendsBasicAuthFromUserInfo() {
        registry.requiredAuthorization = basic("svc:secret");

        assertThat(client("basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "svc:secret")
                .register("s", V1)).isEqualTo(1);
        assertThat(client("basic.auth.credentials.source", "USER_INFO",
                "schema.registry.basic.auth.user.info", "svc:secret").getAllSubjects()).containsExactly("s");

        RestClientException unauthorized = catchThrowableOfType(RestClientException.class,
                () -> client().getAllSubjects());
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(registry.count("GET", "/subjects")).isEqualTo(2);
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class Tls {

        @TempDir
        static Path dir;
        static TlsMaterial tls;

        @BeforeAll
        static void makeStores() throws Exception {
            tls = TlsMaterial.generate(dir);
        }

        private Map<String, Object> tlsConfig(String url, Object... more) {
            Map<String, Object> config = config(url, "max.retries", 0,
                    "schema.registry.ssl.truststore.location", tls.truststore.toString(),
                    "schema.registry.ssl.truststore.password", TlsMaterial.PASSWORD,
                    "schema.registry.ssl.truststore.type", "PKCS12");
            for (int i = 0; i < more.length; i += 2) {
                config.put((String) more[i], more[i + 1]);
            }
            return config;
        }

        @Test
        void mutualTls() throws Exception {
            try (FakeSchemaRegistry secure = FakeSchemaRegistry.https(tls.serverContext(tls.server, true), true)) {
                RestSchemaRegistryClient client = new RestSchemaRegistryClient(tlsConfig(
                        "https://localhost:" + secure.port(),
                        "schema.registry.ssl.keystore.location", tls.client.toString(),
                        "schema.registry.ssl.keystore.password", TlsMaterial.PASSWORD,
                        "schema.registry.ssl.keystore.type", "PKCS12",
                        "schema.registry.ssl.key.password", TlsMaterial.PASSWORD));
                assertThat(client.register("s", V1)).isEqualTo(1);
                assertThat(client.getAllSubjects()).containsExactly("s");

                RestSchemaRegistryClient withoutCertificate = new RestSchemaRegistryClient(
                        tlsConfig("https://localhost:" + secure.port()));
                assertThat(catchThrowableOfType(SchemaRegistryUnavailableException.class,
                        withoutCertificate::getAllSubjects)).isNotNull();
                assertThat(secure.requests).hasSize(2);
            }
        }

        @Test
        void hostNameIsCheckedUnlessTheAlgorithmIsEmpty() throws Exception {
            try (FakeSchemaRegistry wrongName = FakeSchemaRegistry.https(tls.serverContext(tls.wrongHost, false),
                    false)) {
                String url = "https://127.0.0.1:" + wrongName.port();
                SchemaRegistryUnavailableException e = catchThrowableOfType(SchemaRegistryUnavailableException.class,
                        () -> new RestSchemaRegistryClient(tlsConfig(url)).getAllSubjects());
                assertThat(e).hasCauseInstanceOf(SSLHandshakeException.class);

                RestSchemaRegistryClient lenient = new RestSchemaRegistryClient(tlsConfig(url,
                        "schema.registry.ssl.endpoint.identification.algorithm", ""));
                assertThat(lenient.getAllSubjects()).isEmpty();
                assertThat(wrongName.requests).hasSize(1);
            }
        }

        @Test
        void untrustedServerIsRefused() throws Exception {
            try (FakeSchemaRegistry secure = FakeSchemaRegistry.https(tls.serverContext(tls.server, false), false)) {
                Map<String, Object> noTruststore = config("https://localhost:" + secure.port(), "max.retries", 0);
                SchemaRegistryUnavailableException e = catchThrowableOfType(SchemaRegistryUnavailableException.class,
                        () -> new RestSchemaRegistryClient(noTruststore).getAllSubjects());
                assertThat(e).hasCauseInstanceOf(SSLHandshakeException.class);
                assertThat(secure.requests).isEmpty();
            }
        }

        @Test
        void wrongStorePasswordIsAConfigErrorWithoutThePassword() {
            Map<String, Object> config = tlsConfig("https://localhost:1",
                    "schema.registry.ssl.truststore.password", "not-the-password");
            assertThat(catchThrowableOfType(org.apache.kafka.common.config.ConfigException.class,
                    () -> new RestSchemaRegistryClient(config)))
                    .hasMessageContaining("schema.registry.ssl.truststore.location")
                    .hasMessageNotContaining("not-the-password");
        }
    }
}
