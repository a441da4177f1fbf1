package io.leadscoring.connect.avro;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;

import io.leadscoring.serde.AbstractKafkaSchemaSerDeConfig;
import io.leadscoring.serde.AvroSerializationException;
import io.leadscoring.serde.KafkaAvroDeserializer;
import io.leadscoring.serde.KafkaAvroDeserializerConfig;
import io.leadscoring.serde.KafkaAvroSerializer;
import io.leadscoring.serde.KafkaAvroSerializerConfig;
import io.leadscoring.serde.registry.RestClientException;
import io.leadscoring.serde.registry.SchemaRegistryClient;
import io.leadscoring.serde.registry.SchemaRegistryClientConfig;
import io.leadscoring.serde.registry.SchemaRegistryClients;
import io.leadscoring.serde.registry.SchemaRegistryUnavailableException;

/**
 * A drop-in for Confluent's {@code io.confluent.connect.avro.AvroConverter}, which is not on Maven Central: reads
 * and writes Confluent's wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) through the project's
 * {@link KafkaAvroSerializer} / {@link KafkaAvroDeserializer} and Schema Registry client, and maps Avro to Connect
 * data with {@link AvroData}. It takes Confluent's settings ({@code schema.registry.url} including
 * {@code mock://SCOPE}, {@code basic.auth.*}, {@code auto.register.schemas}, {@code use.latest.version},
 * {@code key/value.subject.name.strategy}, {@code schema.registry.ssl.*}, {@code schemas.cache.config}, ...), e.g.
 * {@code value.converter.schema.registry.url=http://registry:8081} in a connector or worker configuration.
 *
 * <p>Errors are reported the way Connect's error handling expects: bytes that cannot be read or data that cannot be
 * written raise a {@link DataException} naming the topic and the reason (so {@code errors.tolerance=all} sends the
 * record to the dead letter queue); a registry that cannot be reached raises a {@link RetriableException}, which
 * Connect retries for up to {@code errors.retry.timeout}. So does a registry answer that blames the converter's
 * settings rather than the record (see {@link #isSettingsError}): 401/403/407 (wrong {@code basic.auth.*} or missing
 * permissions), a 404 without a registry error code or a body that is not the registry's (wrong
 * {@code schema.registry.url}), a 5xx the client did not retry. Note that once {@code errors.retry.timeout} (default
 * 0) has passed, Connect treats a retriable failure like any other: with {@code errors.tolerance=all} the record still
 * goes to the dead letter queue, so set {@code errors.retry.timeout} (e.g. -1: until the settings are fixed) to keep
 * a credential problem from dead-lettering every record. Null or empty bytes are a tombstone
 * ({@link SchemaAndValue#NULL}); a null value is written as null bytes.
 *
 * <p>Unlike Confluent's converter, schemaless values (null schema) are rejected, and a top-level value that is not a
 * record, array, enum or fixed is written with the Avro schema of its Java value (e.g. a Connect INT8 or Timestamp
 * key as a plain int or long; a top-level map cannot be written): the serializer registers the value's own schema.
 */
public class AvroConverter implements Converter {

    /** Confluent's name for the bound of the Avro/Connect schema caches. */
    public static final String SCHEMAS_CACHE_SIZE_CONFIG = "schemas.cache.config";
    public static final int SCHEMAS_CACHE_SIZE_DEFAULT = 1000;

    private static final String VERSION = loadVersion();
    private static final Set<String> STRATEGY_CONFIGS = Set.of(
            AbstractKafkaSchemaSerDeConfig.KEY_SUBJECT_NAME_STRATEGY,
            AbstractKafkaSchemaSerDeConfig.VALUE_SUBJECT_NAME_STRATEGY);

    private final SchemaRegistryClient givenClient;
    private SchemaRegistryClient client;
    private boolean ownsClient;
    private boolean isKey;
    private KafkaAvroSerializer serializer;
    private KafkaAvroDeserializer deserializer;
    private AvroData avroData;

    /** As instantiated by the Connect worker: the registry client comes from {@code schema.registry.url}. */
    public AvroConverter() {
        this(null);
    }

    /** With a given registry client (tests, embedding); it is not closed by {@link #close()}. */
    public AvroConverter(SchemaRegistryClient client) {
        this.givenClient = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // The serializer and deserializer parse (and reject) their own settings; only ours are parsed here.
        ConfigDef own = new ConfigDef().define(cacheSizeKey());
        if (givenClient == null) {
            own.define(urlKey());
        }
        AbstractConfig config = new AbstractConfig(own, configs, false);
        closeClient();
        this.isKey = isKey;
        if (givenClient != null) {
            client = givenClient;
        } else {
            client = SchemaRegistryClients.create(configs);
            ownsClient = true;
        }
        // One registry client (and its caches) for both directions; the serde classes then do not own it.
        serializer = new KafkaAvroSerializer(client);
        serializer.configure(configs, isKey);
        Map<String, Object> readerConfigs = new HashMap<>(configs);
        // AvroData works on generic data with raw logical values (long millis, bytes for decimals, ...).
        readerConfigs.put(KafkaAvroDeserializerConfig.SPECIFIC_AVRO_READER_CONFIG, false);
        readerConfigs.put(KafkaAvroDeserializerConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, false);
        deserializer = new KafkaAvroDeserializer(client);
        deserializer.configure(readerConfigs, isKey);
        avroData = new AvroData(config.getInt(SCHEMAS_CACHE_SIZE_CONFIG));
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        return toConnectData(topic, null, value);
    }

    @Override
    public SchemaAndValue toConnectData(String topic, Headers headers, byte[] value) {
        if (value == null || value.length == 0) {
            return SchemaAndValue.NULL;
        }
        checkConfigured();
        Object avroValue;
        org.apache.avro.Schema avroSchema;
        try {
            avroValue = deserializer.deserialize(topic, headers, value);
            // The writer schema, not the value's: a union at the top must become Confluent's Union struct. The
            // deserializer has checked the header and fetched this id, so it comes from the client's cache.
            avroSchema = client.getSchemaById(schemaIdOf(value));
        } catch (SchemaRegistryUnavailableException e) {
            throw new RetriableException("Schema registry unavailable while reading the " + part() + " of a record "
                    + "from topic '" + topic + "': " + e.getMessage(), e);
        } catch (AvroSerializationException e) {
            throw new DataException("Cannot convert the " + part() + " of a record from topic '" + topic
                    + "' to Connect data (" + e.reason() + "): " + e.getMessage(), e);
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            RestClientException settings = settingsError(e);
            if (settings != null) {
                throw refused(settings, "reading the " + part() + " of a record from topic '" + topic + "'", e);
            }
            throw new DataException("Cannot convert the " + part() + " of a record from topic '" + topic
                    + "' to Connect data: " + e.getMessage(), e);
        }
        try {
            return avroData.toConnectData(avroSchema, avroValue);
        } catch (DataException e) {
            throw new DataException("Cannot convert the " + part() + " of a record from topic '" + topic
                    + "' (Avro schema " + avroSchema.getFullName() + ") to Connect data: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        return fromConnectData(topic, null, schema, value);
    }

    @Override
    public byte[] fromConnectData(String topic, Headers headers, Schema schema, Object value) {
        checkConfigured();
        if (value == null) {
            return null;
        }
        if (schema == null) {
            throw new DataException("Cannot write the " + part() + " of a record for topic '" + topic + "' as Avro: "
                    + "it has no schema (schemaless " + value.getClass().getName() + ")");
        }
        Object avroValue;
        try {
            avroValue = avroData.fromConnectData(schema, value);
        } catch (DataException e) {
            throw new DataException("Cannot convert the " + part() + " of a record for topic '" + topic
                    + "' to Avro: " + e.getMessage(), e);
        }
        if (avroValue instanceof Map) {
            throw new DataException("Cannot write the " + part() + " of a record for topic '" + topic
                    + "' as Avro: a top-level map has no schema of its own for the serializer; wrap it in a struct");
        }
        try {
            return serializer.serialize(topic, headers, avroValue);
        } catch (SchemaRegistryUnavailableException e) {
            throw new RetriableException("Schema registry unavailable while writing the " + part() + " of a record "
                    + "for topic '" + topic + "': " + e.getMessage(), e);
        } catch (InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            RestClientException settings = settingsError(e);
            if (settings != null) {
                throw refused(settings, "writing the " + part() + " of a record for topic '" + topic + "'", e);
            }
            throw new DataException("Cannot serialize the " + part() + " of a record for topic '" + topic
                    + "' as Avro: " + e.getMessage(), e);
        }
    }

    /** Connect validates {@code key.converter.*} / {@code value.converter.*} settings against this. */
    @Override
    public ConfigDef config() {
        return configDef();
    }

    /** The settings the converter reads: the serializer's and deserializer's, and the schema cache size. */
    public static ConfigDef configDef() {
        ConfigDef def = new ConfigDef();
        Set<String> seen = new LinkedHashSet<>();
        for (ConfigDef source : new ConfigDef[] {KafkaAvroSerializerConfig.configDef(),
                KafkaAvroDeserializerConfig.configDef()}) {
            for (ConfigDef.ConfigKey key : source.configKeys().values()) {
                if (!seen.add(key.name)) {
                    continue;
                }
                if (SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG.equals(key.name)) {
                    def.define(urlKey());
                } else if (key.type == Type.CLASS && STRATEGY_CONFIGS.contains(key.name)) {
                    // Names, not classes: Confluent's class names (not on the classpath) are aliases the serde maps.
                    def.define(key.name, Type.STRING, ((Class<?>) key.defaultValue).getName(), key.importance,
                            key.documentation);
                } else {
                    def.define(key);
                }
            }
        }
        return def.define(cacheSizeKey());
    }

    private static ConfigDef.ConfigKey urlKey() {
        return new ConfigDef().define(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG, Type.LIST,
                ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH, "Comma-separated list of schema registry URLs, tried in "
                        + "turn; 'mock://SCOPE' selects an in-process registry shared by every client of that scope.")
                .configKeys().get(SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG);
    }

    private static ConfigDef.ConfigKey cacheSizeKey() {
        return new ConfigDef().define(SCHEMAS_CACHE_SIZE_CONFIG, Type.INT, SCHEMAS_CACHE_SIZE_DEFAULT,
                Range.atLeast(1), Importance.LOW,
                "How many Avro and Connect schemas the converter keeps converted (each way).")
                .configKeys().get(SCHEMAS_CACHE_SIZE_CONFIG);
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public void close() {
        if (serializer != null) {
            serializer.close();
        }
        if (deserializer != null) {
            deserializer.close();
        }
        closeClient();
    }

    private void closeClient() {
        if (ownsClient && client != null) {
            client.close();
        }
        ownsClient = false;
        client = null;
    }

    private void checkConfigured() {
        if (avroData == null) {
            throw new IllegalStateException("AvroConverter is not configured: call configure() first");
        }
    }

    /** The registry error answer behind {@code e} (the serializer wraps it), when it blames the settings. */
    private static RestClientException settingsError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RestClientException rest) {
                return isSettingsError(rest) ? rest : null;
            }
        }
        return null;
    }

    /**
     * True for registry answers that say the converter's settings are wrong, not the record: 401/403/407
     * (credentials, permissions, proxy authentication), a 404 without one of the registry's 404xx error codes (a URL
     * that is not a registry, or a wrong path), a 5xx or one of the registry's 5xxxx error codes (a server error the
     * client did not retry, or an answer that is not the registry's, e.g. a proxy's or a login page). Record
     * problems keep their own codes (40401 subject, 40403 schema not found, 409 incompatible, 422xx invalid) and stay
     * {@link DataException}s.
     */
    static boolean isSettingsError(RestClientException e) {
        int status = e.status();
        int code = e.errorCode();
        return status == 401 || status == 403 || status == 407
                || (status == 404 && code == 404)
                || status >= 500
                || (code >= 50000 && code < 60000);
    }

    private static RetriableException refused(RestClientException rest, String what, KafkaException e) {
        return new RetriableException("Schema registry refused a request while " + what + " (HTTP " + rest.status()
                + "): " + rest.getMessage() + ". The record is not at fault: check "
                + SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG + " and the basic.auth.* "
                + "settings of the converter, and the registry user's permissions", e);
    }

    private String part() {
        return isKey ? "key" : "value";
    }

    private static int schemaIdOf(byte[] value) {
        return (value[1] & 0xff) << 24 | (value[2] & 0xff) << 16 | (value[3] & 0xff) << 8 | value[4] & 0xff;
    }

    private static String loadVersion() {
        String version = AvroConverter.class.getPackage() == null ? null
                : AvroConverter.class.getPackage().getImplementationVersion();
        if (version != null && !version.isBlank()) {
            return version;
        }
        try (InputStream in = AvroConverter.class.getResourceAsStream(
                "/META-INF/maven/io.leadscoring/sink-connector/pom.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String fromPom = properties.getProperty("version");
                if (fromPom != null && !fromPom.isBlank()) {
                    return fromPom.trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return "unknown";
    }
}
