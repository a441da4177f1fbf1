package io.leadscoring.serde;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.leadscoring.serde.registry.SchemaRegistryClientConfig;
import io.leadscoring.serde.subject.RecordNameStrategy;
import io.leadscoring.serde.subject.TopicNameStrategy;
import io.leadscoring.serde.subject.TopicRecordNameStrategy;

/**
 * Settings shared by the serializer and deserializer, under Confluent's names and defaults, on top of the registry
 * client's ({@link SchemaRegistryClientConfig}). Unknown keys are ignored, since the map is the whole producer,
 * consumer or Streams configuration. Confluent's subject strategy class names are accepted as aliases of ours.
 */
public class AbstractKafkaSchemaSerDeConfig extends AbstractConfig {

    public static final String SCHEMA_REGISTRY_URL_CONFIG = SchemaRegistryClientConfig.SCHEMA_REGISTRY_URL_CONFIG;
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE;
    public static final String USER_INFO_CONFIG = SchemaRegistryClientConfig.USER_INFO_CONFIG;
    public static final String MAX_SCHEMAS_PER_SUBJECT_CONFIG =
            SchemaRegistryClientConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG;
    public static final String LATEST_CACHE_TTL = SchemaRegistryClientConfig.LATEST_CACHE_TTL_CONFIG;

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final boolean AUTO_REGISTER_SCHEMAS_DEFAULT = true;
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final boolean USE_LATEST_VERSION_DEFAULT = false;
    public static final String NORMALIZE_SCHEMAS = "normalize.schemas";
    public static final boolean NORMALIZE_SCHEMAS_DEFAULT = false;
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String SUBJECT_NAME_STRATEGY_DEFAULT = TopicNameStrategy.class.getName();

    /** Confluent's strategy class names, which users' configurations carry, mapped to ours. */
    static final Map<String, String> STRATEGY_ALIASES = Map.of(
            "io.confluent.kafka.serializers.subject.TopicNameStrategy", TopicNameStrategy.class.getName(),
            "io.confluent.kafka.serializers.subject.RecordNameStrategy", RecordNameStrategy.class.getName(),
            "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
            TopicRecordNameStrategy.class.getName(),
            "TopicNameStrategy", TopicNameStrategy.class.getName(),
            "RecordNameStrategy", RecordNameStrategy.class.getName(),
            "TopicRecordNameStrategy", TopicRecordNameStrategy.class.getName());

    private static final Logger log = LoggerFactory.getLogger(AbstractKafkaSchemaSerDeConfig.class);

    protected AbstractKafkaSchemaSerDeConfig(ConfigDef definition, Map<?, ?> originals) {
        super(definition, withStrategyAliases(originals), false);
        // Kafka's own value dump would print URL credentials; ours redacts them and hides passwords.
        if (log.isInfoEnabled()) {
            log.info(SchemaRegistryClientConfig.describe(this));
        }
    }

    public AbstractKafkaSchemaSerDeConfig(Map<?, ?> originals) {
        this(baseConfigDef(), originals);
    }

    public static ConfigDef baseConfigDef() {
        return SchemaRegistryClientConfig.withClientConfigs(new ConfigDef())
                .define(AUTO_REGISTER_SCHEMAS, Type.BOOLEAN, AUTO_REGISTER_SCHEMAS_DEFAULT, Importance.MEDIUM,
                        "Whether the serializer registers the schema of the data it writes.")
                .define(USE_LATEST_VERSION, Type.BOOLEAN, USE_LATEST_VERSION_DEFAULT, Importance.LOW,
                        "Whether the serializer writes with the subject's latest version instead of looking the "
                                + "data's schema up (when auto.register.schemas is false).")
                .define(NORMALIZE_SCHEMAS, Type.BOOLEAN, NORMALIZE_SCHEMAS_DEFAULT, Importance.MEDIUM,
                        "Whether the registry should normalize schemas when registering or looking them up.")
                .define(KEY_SUBJECT_NAME_STRATEGY, Type.CLASS, SUBJECT_NAME_STRATEGY_DEFAULT, Importance.MEDIUM,
                        "How the subject of key schemas is named (TopicNameStrategy, RecordNameStrategy, "
                                + "TopicRecordNameStrategy; Confluent's class names are accepted).")
                .define(VALUE_SUBJECT_NAME_STRATEGY, Type.CLASS, SUBJECT_NAME_STRATEGY_DEFAULT, Importance.MEDIUM,
                        "How the subject of value schemas is named, as " + KEY_SUBJECT_NAME_STRATEGY + ".");
    }

    public boolean autoRegisterSchema() {
        return getBoolean(AUTO_REGISTER_SCHEMAS);
    }

    public boolean useLatestVersion() {
        return getBoolean(USE_LATEST_VERSION);
    }

    public boolean normalizeSchemas() {
        return getBoolean(NORMALIZE_SCHEMAS);
    }

    private static Map<?, ?> withStrategyAliases(Map<?, ?> originals) {
        Object key = originals.get(KEY_SUBJECT_NAME_STRATEGY);
        Object value = originals.get(VALUE_SUBJECT_NAME_STRATEGY);
        if (!(key instanceof String) && !(value instanceof String)) {
            return originals;
        }
        Map<Object, Object> copy = new HashMap<>(originals);
        for (String name : new String[] {KEY_SUBJECT_NAME_STRATEGY, VALUE_SUBJECT_NAME_STRATEGY}) {
            if (copy.get(name) instanceof String s) {
                copy.put(name, STRATEGY_ALIASES.getOrDefault(s.trim(), s.trim()));
            }
        }
        return copy;
    }

    @Override
    public String toString() {
        return SchemaRegistryClientConfig.describe(this);
    }
}
