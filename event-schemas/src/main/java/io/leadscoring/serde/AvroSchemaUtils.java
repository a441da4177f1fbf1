package io.leadscoring.serde;

import java.nio.ByteBuffer;

import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.common.errors.SerializationException;

/** Schemas of the values the serde accepts, as Confluent derives them. */
final class AvroSchemaUtils {

    static final Schema NULL = Schema.create(Schema.Type.NULL);
    static final Schema BOOLEAN = Schema.create(Schema.Type.BOOLEAN);
    static final Schema INT = Schema.create(Schema.Type.INT);
    static final Schema LONG = Schema.create(Schema.Type.LONG);
    static final Schema FLOAT = Schema.create(Schema.Type.FLOAT);
    static final Schema DOUBLE = Schema.create(Schema.Type.DOUBLE);
    static final Schema STRING = Schema.create(Schema.Type.STRING);
    static final Schema BYTES = Schema.create(Schema.Type.BYTES);

    private AvroSchemaUtils() {
    }

    static Schema schemaOf(Object value) {
        if (value == null) {
            return NULL;
        } else if (value instanceof GenericContainer container) {
            return container.getSchema();
        } else if (value instanceof CharSequence) {
            return STRING;
        } else if (value instanceof Integer) {
            return INT;
        } else if (value instanceof Long) {
            return LONG;
        } else if (value instanceof Boolean) {
            return BOOLEAN;
        } else if (value instanceof Double) {
            return DOUBLE;
        } else if (value instanceof Float) {
            return FLOAT;
        } else if (value instanceof byte[] || value instanceof ByteBuffer) {
            return BYTES;
        }
        throw new SerializationException("Unsupported Avro type " + value.getClass().getName()
                + ": supported are null, Boolean, Integer, Long, Float, Double, CharSequence, byte[], ByteBuffer "
                + "and Avro records, enums, arrays and fixed");
    }

    static boolean isPrimitive(Schema schema) {
        return switch (schema.getType()) {
            case NULL, BOOLEAN, INT, LONG, FLOAT, DOUBLE, STRING, BYTES -> true;
            default -> false;
        };
    }

    /** Generic data with Avro's standard logical type conversions (java.time, BigDecimal, UUID). */
    static GenericData genericDataWithConversions() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        data.addLogicalTypeConversion(new Conversions.UUIDConversion());
        data.addLogicalTypeConversion(new TimeConversions.DateConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
        data.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
        return data;
    }
}
