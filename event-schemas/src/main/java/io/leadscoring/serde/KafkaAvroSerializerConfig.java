package io.leadscoring.serde;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of {@link KafkaAvroSerializer}. */
public class KafkaAvroSerializerConfig extends AbstractKafkaSchemaSerDeConfig {

    public static final String AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG = "avro.use.logical.type.converters";
    public static final boolean AVRO_USE_LOGICAL_TYPE_CONVERTERS_DEFAULT = false;

    public KafkaAvroSerializerConfig(Map<?, ?> props) {
        super(configDef(), props);
    }

    public static ConfigDef configDef() {
        return baseConfigDef().define(AVRO_USE_LOGICAL_TYPE_CONVERTERS_CONFIG, Type.BOOLEAN,
                AVRO_USE_LOGICAL_TYPE_CONVERTERS_DEFAULT, Importance.LOW,
                "Accepted for compatibility: generic records holding java.time or BigDecimal values are written "
                        + "through Avro's logical type conversions whatever its value.");
    }
}
