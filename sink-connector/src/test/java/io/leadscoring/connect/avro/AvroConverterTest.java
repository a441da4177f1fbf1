package io.leadscoring.connect.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.leadscoring.connect.Handoff;
import io.leadscoring.connect.HandoffMapper;
import io.leadscoring.events.Activity;
import io.leadscoring.events.FitGrade;
import io.leadscoring.events.Reason;
import io.leadscoring.events.Stage;
import io.leadscoring.events.StageChange;
import io.leadscoring.events.Temperature;
import io.leadscoring.serde.KafkaAvroDeserializer;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.serde.registry.MockSchemaRegistry;

/** The converter against the project's own serde, on the real StageChange records of leads.sql-handoffs. */
class AvroConverterTest {

    private static final String TOPIC = "leads.sql-handoffs";
    private static final Instant AT = Instant.parse("2026-03-01T10:15:30.123Z");

    private final String scope = "avro-converter-" + UUID.randomUUID();
    private final String url = "mock://" + scope;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        MockSchemaRegistry.dropScope(scope);
    }

    static StageChange stageChange() {
        return StageChange.newBuilder()
                .setHandoffId("h-1").setLeadId("lead-42")
                .setStage(Stage.SQL).setPreviousStage(Stage.MQL)
                .setAt(AT)
                .setScore(112.5).setEngagement(72.5).setFit(40.0)
                .setFitGrade(FitGrade.A).setTemperature(Temperature.HOT).setActivity(Activity.ACTIVE)
                .setRuleSet("default@3")
                .setReasons(List.of(new Reason("pricing-page", 30.25), new Reason("unsubscribed", -10.0)))
                .setEmail("ada@example.com").setFirstName("Ada").setLastName(null).setCompany("Analytical Engines")
                .build();
    }

    private Map<String, Object> config(Object... keyValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", url);
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    private AvroConverter converter(boolean isKey, Object... keyValues) {
        AvroConverter converter = new AvroConverter();
        converter.configure(config(keyValues), isKey);
        closeables.add(converter);
        return converter;
    }

    private byte[] serialize(Object value, boolean isKey) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config(), isKey);
        closeables.add(serializer);
        return serializer.serialize(TOPIC, value);
    }

    private Object deserialize(byte[] bytes, boolean specific) {
        KafkaAvroDeserializer deserializer = new KafkaAvroDeserializer();
        deserializer.configure(config("specific.avro.reader", specific), false);
        closeables.add(deserializer);
        return deserializer.deserialize(TOPIC, bytes);
    }

    @Test
    void stageChangeFromTheSerializerIsTheStructHandoffMapperReads() {
        byte[] bytes = serialize(stageChange(), false);

        SchemaAndValue converted = converter(false).toConnectData(TOPIC, bytes);

        Schema schema = converted.schema();
        assertThat(schema.name()).isEqualTo("io.leadscoring.events.StageChange");
        Struct struct = (Struct) converted.value();
        assertThat(struct.getString("handoffId")).isEqualTo("h-1");
        assertThat(struct.getString("leadId")).isEqualTo("lead-42");
        assertThat(struct.get("stage")).isEqualTo("SQL");
        assertThat(schema.field("stage").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(schema.field("stage").schema().parameters())
                .containsEntry("io.confluent.connect.avro.Enum", "io.leadscoring.events.Stage")
                .containsEntry("io.confluent.connect.avro.Enum.SQL", "SQL");
        assertThat(schema.field("at").schema()).isEqualTo(Timestamp.SCHEMA);
        assertThat(struct.get("at")).isEqualTo(Date.from(AT));
        assertThat(struct.getFloat64("score")).isEqualTo(112.5);
        assertThat(struct.get("fitGrade")).isEqualTo("A");
        List<Object> reasons = struct.getArray("reasons");
        assertThat(reasons).hasSize(2);
        assertThat(((Struct) reasons.get(0)).getString("rule")).isEqualTo("pricing-page");
        assertThat(((Struct) reasons.get(0)).getFloat64("points")).isEqualTo(30.25);
        assertThat(((Struct) reasons.get(1)).getFloat64("points")).isEqualTo(-10.0);
        assertThat(schema.field("email").schema().isOptional()).isTrue();
        assertThat(struct.getString("email")).isEqualTo("ada@example.com");
        assertThat(struct.getString("lastName")).isNull();
        struct.validate();

        Handoff handoff = HandoffMapper.map(struct);

        assertThat(handoff.handoffId()).isEqualTo("h-1");
        assertThat(handoff.leadId()).isEqualTo("lead-42");
        assertThat(handoff.stage()).isEqualTo("SQL");
        assertThat(handoff.previousStage()).isEqualTo("MQL");
        assertThat(handoff.at()).isEqualTo(AT);
        assertThat(handoff.score()).isEqualTo(112.5);
        assertThat(handoff.fitGrade()).isEqualTo("A");
        assertThat(handoff.temperature()).isEqualTo("HOT");
        assertThat(handoff.activity()).isEqualTo("ACTIVE");
        assertThat(handoff.ruleSet()).isEqualTo("default@3");
        assertThat(handoff.reasons()).containsExactly(new Handoff.Reason("pricing-page", 30.25),
                new Handoff.Reason("unsubscribed", -10.0));
        assertThat(handoff.email()).isEqualTo("ada@example.com");
        assertThat(handoff.lastName()).isNull();
        assertThat(handoff.company()).isEqualTo("Analytical Engines");
    }

    @Test
    void writtenBackItIsByteForByteTheSerializersRecord() {
        byte[] bytes = serialize(stageChange(), false);
        AvroConverter converter = converter(false);
        SchemaAndValue converted = converter.toConnectData(TOPIC, new RecordHeaders(), bytes);

        byte[] written = converter.fromConnectData(TOPIC, new RecordHeaders(), converted.schema(), converted.value());

        assertThat(written).isEqualTo(bytes);
        assertThat(deserialize(written, true)).isEqualTo(stageChange());
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).containsExactly(TOPIC + "-value");
    }

    @Test
    void aHandBuiltStructIsWrittenInConfluentsWireFormat() {
        Schema reason = SchemaBuilder.struct().name("io.leadscoring.events.Reason")
                .field("rule", Schema.STRING_SCHEMA).field("points", Schema.FLOAT64_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().name("io.leadscoring.events.StageChange")
                .field("handoffId", Schema.STRING_SCHEMA)
                .field("leadId", Schema.STRING_SCHEMA)
                .field("stage", Schema.STRING_SCHEMA)
                .field("at", Timestamp.SCHEMA)
                .field("score", Schema.FLOAT64_SCHEMA)
                .field("reasons", SchemaBuilder.array(reason).build())
                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct struct = new Struct(schema).put("handoffId", "h-2").put("leadId", "lead-7").put("stage", "SQL")
                .put("at", Date.from(AT)).put("score", 99.0)
                .put("reasons", List.of(new Struct(reason).put("rule", "demo-request").put("points", 50.0)))
                .put("email", null);
        AvroConverter converter = converter(false);

        byte[] bytes = converter.fromConnectData(TOPIC, schema, struct);

        MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
        int id = registry.getLatestVersion(TOPIC + "-value").id();
        assertThat(bytes[0]).isZero();
        assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        GenericRecord read = (GenericRecord) deserialize(bytes, false);
        assertThat(read.getSchema().getFullName()).isEqualTo("io.leadscoring.events.StageChange");
        assertThat(read.get("handoffId").toString()).isEqualTo("h-2");
        assertThat(read.get("at")).isEqualTo(AT.toEpochMilli());
        assertThat(read.get("email")).isNull();

        SchemaAndValue back = converter(false).toConnectData(TOPIC, bytes);
        assertThat(back.schema()).isEqualTo(schema);
        assertThat(back.value()).isEqualTo(struct);
        assertThat(HandoffMapper.map(back.value()).leadId()).isEqualTo("lead-7");
    }

    @Test
    void keysAndValuesUseTheirOwnSubjects() {
        AvroConverter keys = converter(true);
        AvroConverter values = converter(false);

        byte[] key = keys.fromConnectData(TOPIC, Schema.STRING_SCHEMA, "lead-42");
        byte[] value = values.fromConnectData(TOPIC, Schema.STRING_SCHEMA, "not a key");

        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects())
                .containsExactlyInAnyOrder(TOPIC + "-key", TOPIC + "-value");
        assertThat(key).isEqualTo(serialize("lead-42", true));
        assertThat(deserialize(key, false)).isEqualTo("lead-42");
        assertThat(deserialize(value, false)).isEqualTo("not a key");
        assertThat(keys.toConnectData(TOPIC, key)).isEqualTo(new SchemaAndValue(Schema.STRING_SCHEMA, "lead-42"));
    }

    @Test
    void subjectNameStrategiesUnderConfluentsClassNames() {
        AvroConverter converter = converter(false, "value.subject.name.strategy",
                "io.confluent.kafka.serializers.subject.RecordNameStrategy");
        SchemaAndValue converted = converter(false).toConnectData(TOPIC, serialize(stageChange(), false));

        converter.fromConnectData(TOPIC, converted.schema(), converted.value());

        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects())
                .containsExactlyInAnyOrder(TOPIC + "-value", "io.leadscoring.events.StageChange");
    }

    @Test
    void useLatestVersionWritesWithTheRegisteredSchema() {
        byte[] original = serialize(stageChange(), false);
        // Another converter's Connect schema: this one derives its own Avro schema, without avro.java.string.
        SchemaAndValue converted = converter(false).toConnectData(TOPIC, original);

        AvroConverter latest = converter(false, "auto.register.schemas", false, "use.latest.version", true);
        assertThat(latest.fromConnectData(TOPIC, converted.schema(), converted.value())).isEqualTo(original);

        AvroConverter lookupOnly = converter(false, "auto.register.schemas", "false");
        assertThatThrownBy(() -> lookupOnly.fromConnectData(TOPIC, converted.schema(), converted.value()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("auto.register.schemas=false");
    }

    @Test
    void tombstonesStayNull() {
        AvroConverter converter = converter(false);

        assertThat(converter.toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
        assertThat(converter.toConnectData(TOPIC, new byte[0])).isEqualTo(SchemaAndValue.NULL);
        assertThat(converter.toConnectData(TOPIC, new RecordHeaders(), null)).isEqualTo(SchemaAndValue.NULL);
        assertThat(converter.fromConnectData(TOPIC, Schema.OPTIONAL_STRING_SCHEMA, null)).isNull();
        assertThat(converter.fromConnectData(TOPIC, null, null)).isNull();
        assertThat(MockSchemaRegistry.forScope(scope).getAllSubjects()).isEmpty();
    }

    @Test
    void badBytesAreDataExceptionsNamingTopicAndReason() {
        AvroConverter converter = converter(false);
        byte[] good = serialize(stageChange(), false);

        assertThatThrownBy(() -> converter.toConnectData(TOPIC, "{\"json\":true}".getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(DataException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("NO_MAGIC_BYTE")
                .hasMessageContaining("magic byte");
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, new byte[] {0, 0, 1}))
                .isExactlyInstanceOf(DataException.class)
                .hasMessageContaining("TRUNCATED");
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, new byte[] {0, 0, 0, 0x7f, 0x01, 2, 4}))
                .isExactlyInstanceOf(DataException.class)
                .hasMessageContaining("'" + TOPIC + "'")
                .hasMessageContaining("UNKNOWN_SCHEMA_ID")
                .hasMessageContaining("unknown schema id " + 0x7f01);
        byte[] cut = java.util.Arrays.copyOf(good, 12);
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, cut))
                .isExactlyInstanceOf(DataException.class)
                .hasMessageContaining("'" + TOPIC + "'");
    }

    @Test
    void schemalessDataCannotBeWritten() {
        AvroConverter converter = converter(false);

        assertThatThrownBy(() -> converter.fromConnectData(TOPIC, null, Map.of("leadId", "x")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("no schema");
        assertThatThrownBy(() -> converter.fromConnectData(TOPIC,
                SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build(), Map.of("a", "b")))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("top-level map");
    }

    @Test
    void anUnreachableRegistryIsRetriable() {
        AvroConverter converter = new AvroConverter();
        closeables.add(converter);
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", "http://127.0.0.1:1");
        config.put("max.retries", 0);
        config.put("retries.wait.ms", 0);
        config.put("http.connect.timeout.ms", 1000);
        converter.configure(config, false);
        byte[] bytes = serialize(stageChange(), false);

        assertThatThrownBy(() -> converter.toConnectData(TOPIC, bytes))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("Schema registry unavailable");
        SchemaAndValue converted = converter(false).toConnectData(TOPIC, bytes);
        assertThatThrownBy(() -> converter.fromConnectData(TOPIC, converted.schema(), converted.value()))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining(TOPIC);
    }

    @Test
    void aRegistryRefusingTheSettingsIsRetriableNotTheRecordsFault() throws IOException {
        // Wrong credentials (401), missing permissions (403) or a URL that is no registry (404 without a registry
        // error code, an answer that is not JSON): every record would fail alike, so none may be dead-lettered as bad.
        AtomicReference<Integer> status = new AtomicReference<>(401);
        AtomicReference<String> answer = new AtomicReference<>(
                "{\"error_code\":40101,\"message\":\"Unauthorized\"}");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            AvroConverter converter = new AvroConverter();
            closeables.add(converter);
            Map<String, Object> config = new HashMap<>();
            config.put("schema.registry.url", "http://127.0.0.1:" + server.getAddress().getPort());
            config.put("basic.auth.credentials.source", "USER_INFO");
            config.put("basic.auth.user.info", "connect:wr0ng-pa55");
            converter.configure(config, false);
            byte[] bytes = serialize(stageChange(), false);
            SchemaAndValue converted = converter(false).toConnectData(TOPIC, bytes);

            assertThatThrownBy(() -> converter.toConnectData(TOPIC, bytes))
                    .isInstanceOf(RetriableException.class)
                    .hasMessageContaining("'" + TOPIC + "'")
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("schema.registry.url")
                    .hasMessageNotContaining("wr0ng-pa55");
            assertThatThrownBy(() -> converter.fromConnectData(TOPIC, converted.schema(), converted.value()))
                    .isInstanceOf(RetriableException.class)
                    .hasMessageContaining("'" + TOPIC + "'")
                    .hasMessageContaining("HTTP 401");

            status.set(403);
            answer.set("{\"error_code\":40301,\"message\":\"User is denied operation Read on Subject\"}");
            assertThatThrownBy(() -> converter.toConnectData(TOPIC, bytes))
                    .isInstanceOf(RetriableException.class)
                    .hasMessageContaining("HTTP 403");

            status.set(404);
            answer.set("<html>Not Found</html>");
            assertThatThrownBy(() -> converter.toConnectData(TOPIC, bytes))
                    .isInstanceOf(RetriableException.class)
                    .hasMessageContaining("HTTP 404");

            status.set(200);
            answer.set("<html>Please sign in</html>");
            assertThatThrownBy(() -> converter.toConnectData(TOPIC, bytes))
                    .isInstanceOf(RetriableException.class)
                    .hasMessageContaining("not JSON");

            // The registry's own "not found" still blames the record's bytes (its schema id): a DataException.
            status.set(404);
            answer.set("{\"error_code\":40403,\"message\":\"Schema not found\"}");
            assertThatThrownBy(() -> converter.toConnectData(TOPIC, bytes))
                    .isExactlyInstanceOf(DataException.class)
                    .hasMessageContaining("UNKNOWN_SCHEMA_ID");
            // ... and an unregistered subject with auto.register.schemas=false blames the record's schema.
            AvroConverter lookupOnly = new AvroConverter();
            closeables.add(lookupOnly);
            Map<String, Object> lookupConfig = new HashMap<>(config);
            lookupConfig.put("auto.register.schemas", false);
            lookupOnly.configure(lookupConfig, false);
            answer.set("{\"error_code\":40401,\"message\":\"Subject not found\"}");
            assertThatThrownBy(() -> lookupOnly.fromConnectData(TOPIC, converted.schema(), converted.value()))
                    .isExactlyInstanceOf(DataException.class);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void basicAuthSettingsReachTheRegistry() throws IOException {
        AtomicReference<String> authorization = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"error_code\":40403,\"message\":\"Schema 7 not found\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            AvroConverter converter = new AvroConverter();
            closeables.add(converter);
            Map<String, Object> config = new HashMap<>();
            config.put("schema.registry.url", "http://127.0.0.1:" + server.getAddress().getPort());
            config.put("basic.auth.credentials.source", "USER_INFO");
            config.put("basic.auth.user.info", "connect:s3cret");
            converter.configure(config, false);

            assertThatThrownBy(() -> converter.toConnectData(TOPIC, new byte[] {0, 0, 0, 0, 7, 2}))
                    .isExactlyInstanceOf(DataException.class)
                    .hasMessageContaining("UNKNOWN_SCHEMA_ID");
            assertThat(authorization.get()).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("connect:s3cret".getBytes(StandardCharsets.UTF_8)));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void configDefLetsTheWorkerValidateConverterSettings() {
        ConfigDef def = new AvroConverter().config();

        assertThat(def.names()).contains("schema.registry.url", "basic.auth.credentials.source",
                "basic.auth.user.info", "auto.register.schemas", "use.latest.version", "normalize.schemas",
                "key.subject.name.strategy", "value.subject.name.strategy", "max.retries",
                "schema.registry.ssl.truststore.location", "specific.avro.reader", "schemas.cache.config");
        Map<String, ConfigValue> missing = byName(def.validate(Map.of()));
        assertThat(missing.get("schema.registry.url").errorMessages()).isNotEmpty();
        Map<String, ConfigValue> wrong = byName(def.validate(Map.of("schema.registry.url", "http://r:8081",
                "basic.auth.credentials.source", "SASL_INHERIT", "schemas.cache.config", "0",
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy")));
        assertThat(wrong.get("schema.registry.url").errorMessages()).isEmpty();
        assertThat(wrong.get("value.subject.name.strategy").errorMessages()).isEmpty();
        assertThat(wrong.get("basic.auth.credentials.source").errorMessages()).isNotEmpty();
        assertThat(wrong.get("schemas.cache.config").errorMessages()).isNotEmpty();

        AvroConverter converter = new AvroConverter();
        assertThatThrownBy(() -> converter.configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
        assertThat(converter.version()).isNotBlank().isNotEqualTo("undefined");
    }

    @Test
    void theWorkerFindsItThroughServiceLoader() {
        List<Class<?>> converters = new ArrayList<>();
        ServiceLoader.load(Converter.class).stream().forEach(provider -> converters.add(provider.type()));

        assertThat(converters).contains(AvroConverter.class);
    }

    private static Map<String, ConfigValue> byName(List<ConfigValue> values) {
        Map<String, ConfigValue> out = new HashMap<>();
        values.forEach(v -> out.put(v.name(), v));
        return out;
    }
}
