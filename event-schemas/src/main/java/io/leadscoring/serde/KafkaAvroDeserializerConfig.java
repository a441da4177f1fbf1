package io.leadscoring.serde;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of {@link KafkaAvroDeserializer}. */
public class KafkaAvroDeserializerConfig extends AbstractKafkaSchemaSerDeConfig {

    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    public static final boolean SPECIFIC_AVRO_READER_DEFAULT = false;
    public static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG =
            KafkaAvroSerializerConfig.AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG;
    public static final boolean AVRO_USE_LOGICAL_TYPE_CONVERTERS_DEFAULT = false;

    public KafkaAvroDeserializerConfig(Map<?, ?> props) {
        super(configDef(), props);
    }

    public static ConfigDef configDef() {
        return baseConfigDef()
                .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, SPECIFIC_AVRO_READER_DEFAULT, Importance.LOW,
                        "Whether records are read into their generated SpecificRecord classes (else GenericRecord).")
                .define(AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, Type.BOOLEAN,
                        AVRO_USE_LOGICAL_TYPE_CONVERTERS_DEFAULT, Importance.LOW,
                        "Whether generic records carry logical types as Java objects (Instant, LocalDate, "
                                + "BigDecimal, UUID, ...) instead of their underlying Avro values.");
    }

    public boolean specificAvroReader() {
        return getBoolean(SPECIFIC_AVRO_READER_CONFIG);
    }

    public boolean useLogicalTypeConverters() {
        return getBoolean(AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG);
    }
}
