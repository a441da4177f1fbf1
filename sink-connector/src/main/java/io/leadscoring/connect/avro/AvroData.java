package io.leadscoring.connect.avro;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Converts between Avro schemas and data (generic representation, as {@code KafkaAvroDeserializer} reads it) and
 * Kafka Connect schemas and data, following the conventions of Confluent's {@code io.confluent.connect.avro.AvroData}
 * so that sinks and transforms written against Confluent's converter see the same Connect schemas.
 *
 * <p>Avro to Connect:
 * <ul>
 * <li>record: STRUCT named with the record's full name, its doc as the schema doc, field docs as parameters
 * {@value #FIELD_DOC_PREFIX}{@code <field>}, field defaults as Connect defaults (except record-typed defaults,
 * which Connect cannot hold);</li>
 * <li>enum: STRING with parameters {@value #ENUM} = full name and {@value #ENUM}{@code .<SYMBOL>} = symbol, in
 * symbol order, so the way back restores the enum;</li>
 * <li>union {@code [null, X]} (either order): optional X; any other union: an (optional if it holds null)
 * STRUCT named {@value #UNION} with one optional field per non-null branch, named by the branch's simple name
 * for records, enums and fixed, else by its type ({@code string}, {@code int}, ...), exactly one of them set;</li>
 * <li>array: ARRAY; map: MAP with STRING keys; an array of {@value #MAP_ENTRY} records {key, value}: MAP;</li>
 * <li>bytes: BYTES; fixed: BYTES named with the fixed's full name and parameter {@value #FIXED_SIZE};</li>
 * <li>int with {@code connect.type} int8/int16: INT8/INT16;</li>
 * <li>logical types: timestamp-millis to {@link Timestamp}, date to {@link Date}, time-millis to {@link Time},
 * decimal (bytes or fixed) to {@link Decimal} (scale parameter, precision other than 64 in
 * {@value #DECIMAL_PRECISION}). Logical
 * types Connect has no type for (timestamp-micros, time-micros, local-timestamp-*, uuid, ...) become their base
 * type (INT64, STRING, ...) holding the raw Avro value, with parameter {@value #LOGICAL_TYPE} naming the logical
 * type so that the way back restores it;</li>
 * <li>Confluent's {@code connect.name}, {@code connect.doc}, {@code connect.version} and
 * {@code connect.parameters} properties are read back.</li>
 * </ul>
 *
 * <p>Connect to Avro is the reverse. A Connect schema this instance produced from an Avro schema is turned back
 * into that very Avro schema (same text, so the same registry id), which keeps properties Connect cannot carry
 * (e.g. {@code avro.java.string}). Other schemas are derived: unnamed structs become records
 * {@code io.confluent.connect.avro.ConnectDefault}, {@code ConnectDefault2}, ...; an optional field becomes
 * {@code ["null", X]} with default null, or {@code [X, "null"]} when its Connect default is not null; maps with
 * keys other than required strings become arrays of {@value #MAP_ENTRY} records.
 *
 * <p>Not supported (a {@link DataException}): recursive Avro records (Connect schemas cannot refer to
 * themselves), standalone {@code null} schemas, and two different Connect schemas under one Avro name.
 *
 * <p>Converted schemas are cached (LRU, keyed by schema equality) so the per-record cost is the value walk.
 * Thread-safe.
 */
public class AvroData {

    public static final String NAMESPACE = "io.confluent.connect.avro";
    public static final String ENUM = NAMESPACE + ".Enum";
    public static final String UNION = NAMESPACE + ".Union";
    public static final String MAP_ENTRY = NAMESPACE + ".MapEntry";
    public static final String DEFAULT_RECORD_NAME = NAMESPACE + ".ConnectDefault";
    public static final String FIELD_DOC_PREFIX = NAMESPACE + ".field.doc.";
    public static final String FIXED_SIZE = "connect.fixed.size";
    public static final String DECIMAL_PRECISION = "connect.decimal.precision";
    /** Avro logical type without a Connect counterpart, kept so Connect to Avro can restore it. */
    public static final String LOGICAL_TYPE = "avro.logicalType";

    static final String CONNECT_NAME_PROP = "connect.name";
    static final String CONNECT_DOC_PROP = "connect.doc";
    static final String CONNECT_VERSION_PROP = "connect.version";
    static final String CONNECT_PARAMETERS_PROP = "connect.parameters";
    static final String CONNECT_TYPE_PROP = "connect.type";
    static final String KEY_FIELD = "key";
    static final String VALUE_FIELD = "value";
    static final int DEFAULT_DECIMAL_PRECISION = 64;

    private static final org.apache.avro.Schema AVRO_NULL = org.apache.avro.Schema.create(
            org.apache.avro.Schema.Type.NULL);
    private static final GenericData GENERIC = GenericData.get();

    private final Cache<org.apache.avro.Schema, Schema> toConnectCache;
    private final Cache<Schema, org.apache.avro.Schema> fromConnectCache;

    public AvroData(int cacheSize) {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cacheSize must be positive: " + cacheSize);
        }
        this.toConnectCache = new SynchronizedCache<>(new LRUCache<>(cacheSize));
        this.fromConnectCache = new SynchronizedCache<>(new LRUCache<>(cacheSize));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Avro -> Connect

    /** The Connect schema of Avro data of this schema; {@code [null, X]} at the top gives an optional X. */
    public Schema toConnectSchema(org.apache.avro.Schema avroSchema) {
        Schema cached = toConnectCache.get(avroSchema);
        if (cached != null) {
            return cached;
        }
        Schema schema = toConnectBuilder(avroSchema, new InProgress()).build();
        toConnectCache.put(avroSchema, schema);
        // Writing this Connect schema back must give the Avro schema it came from, byte for byte.
        fromConnectCache.put(schema, avroSchema);
        return schema;
    }

    /** Converts an Avro value (generic representation) of the given schema. */
    public SchemaAndValue toConnectData(org.apache.avro.Schema avroSchema, Object avroValue) {
        Schema schema = toConnectSchema(avroSchema);
        try {
            return new SchemaAndValue(schema, toConnectValue(schema, avroSchema, avroValue));
        } catch (ClassCastException e) {
            throw new DataException("Avro value does not match its schema " + avroSchema.getFullName() + ": "
                    + e.getMessage(), e);
        }
    }

    private SchemaBuilder toConnectBuilder(org.apache.avro.Schema avro, InProgress inProgress) {
        LogicalType logical = avro.getLogicalType();
        SchemaBuilder builder;
        switch (avro.getType()) {
            case NULL:
                throw new DataException("Standalone Avro null schemas have no Connect equivalent");
            case BOOLEAN:
                builder = SchemaBuilder.bool();
                break;
            case INT:
                builder = intBuilder(avro, logical);
                break;
            case LONG:
                builder = longBuilder(avro, logical);
                break;
            case FLOAT:
                builder = SchemaBuilder.float32();
                break;
            case DOUBLE:
                builder = SchemaBuilder.float64();
                break;
            case STRING:
                builder = unknownLogical(SchemaBuilder.string(), logical);
                break;
            case BYTES:
                builder = bytesBuilder(avro, logical);
                break;
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal decimal) {
                    builder = decimalBuilder(decimal);
                } else {
                    builder = unknownLogical(SchemaBuilder.bytes().name(avro.getFullName()), logical);
                    if (avro.getDoc() != null) {
                        builder.doc(avro.getDoc());
                    }
                }
                builder.parameter(FIXED_SIZE, String.valueOf(avro.getFixedSize()));
                break;
            case ENUM:
                builder = SchemaBuilder.string();
                if (avro.getDoc() != null) {
                    builder.doc(avro.getDoc());
                }
                builder.parameter(ENUM, avro.getFullName());
                for (String symbol : avro.getEnumSymbols()) {
                    builder.parameter(ENUM + "." + symbol, symbol);
                }
                break;
            case ARRAY:
                builder = arrayBuilder(avro, inProgress);
                break;
            case MAP:
                builder = SchemaBuilder.map(Schema.STRING_SCHEMA,
                        toConnectBuilder(avro.getValueType(), inProgress).build());
                break;
            case RECORD:
                builder = recordBuilder(avro, inProgress);
                break;
            case UNION:
                return unionBuilder(avro, inProgress);
            default:
                throw new DataException("Unsupported Avro type " + avro.getType());
        }
        applyConnectProps(builder, avro);
        return builder;
    }

    private static SchemaBuilder intBuilder(org.apache.avro.Schema avro, LogicalType logical) {
        if (logical instanceof LogicalTypes.Date) {
            return Date.builder();
        }
        if (logical instanceof LogicalTypes.TimeMillis) {
            return Time.builder();
        }
        if (logical == null) {
            String connectName = avro.getProp(CONNECT_NAME_PROP);
            if (Date.LOGICAL_NAME.equals(connectName)) {
                return Date.builder();
            }
            if (Time.LOGICAL_NAME.equals(connectName)) {
                return Time.builder();
            }
        }
        String connectType = avro.getProp(CONNECT_TYPE_PROP);
        if ("int8".equals(connectType)) {
            return SchemaBuilder.int8();
        }
        if ("int16".equals(connectType)) {
            return SchemaBuilder.int16();
        }
        return unknownLogical(SchemaBuilder.int32(), logical);
    }

    private static SchemaBuilder longBuilder(org.apache.avro.Schema avro, LogicalType logical) {
        if (logical instanceof LogicalTypes.TimestampMillis
                || logical == null && Timestamp.LOGICAL_NAME.equals(avro.getProp(CONNECT_NAME_PROP))) {
            return Timestamp.builder();
        }
        return unknownLogical(SchemaBuilder.int64(), logical);
    }

    private static SchemaBuilder bytesBuilder(org.apache.avro.Schema avro, LogicalType logical) {
        if (logical instanceof LogicalTypes.Decimal decimal) {
            return decimalBuilder(decimal);
        }
        if (logical == null && Decimal.LOGICAL_NAME.equals(avro.getProp(CONNECT_NAME_PROP))) {
            Map<String, String> params = connectParameters(avro);
            String scale = params == null ? null : params.get(Decimal.SCALE_FIELD);
            if (scale != null) {
                return Decimal.builder(Integer.parseInt(scale));
            }
        }
        return unknownLogical(SchemaBuilder.bytes(), logical);
    }

    private static SchemaBuilder decimalBuilder(LogicalTypes.Decimal decimal) {
        SchemaBuilder builder = Decimal.builder(decimal.getScale());
        // As Confluent: the precision is only spelled out when it is not the default a Connect Decimal gets.
        return decimal.getPrecision() == DEFAULT_DECIMAL_PRECISION ? builder
                : builder.parameter(DECIMAL_PRECISION, String.valueOf(decimal.getPrecision()));
    }

    private static SchemaBuilder unknownLogical(SchemaBuilder builder, LogicalType logical) {
        return logical == null ? builder : builder.parameter(LOGICAL_TYPE, logical.getName());
    }

    private SchemaBuilder arrayBuilder(org.apache.avro.Schema avro, InProgress inProgress) {
        org.apache.avro.Schema items = avro.getElementType();
        if (isMapEntry(items)) {
            Schema key = fieldBuilder(items.getField(KEY_FIELD), inProgress).build();
            Schema value = fieldBuilder(items.getField(VALUE_FIELD), inProgress).build();
            return SchemaBuilder.map(key, value);
        }
        return SchemaBuilder.array(toConnectBuilder(items, inProgress).build());
    }

    private static boolean isMapEntry(org.apache.avro.Schema schema) {
        return schema.getType() == org.apache.avro.Schema.Type.RECORD
                && schema.getFullName().startsWith(MAP_ENTRY)
                && schema.getFields().size() == 2
                && schema.getField(KEY_FIELD) != null
                && schema.getField(VALUE_FIELD) != null;
    }

    private SchemaBuilder recordBuilder(org.apache.avro.Schema avro, InProgress inProgress) {
        if (inProgress.put(avro, Boolean.TRUE) != null) {
            throw new DataException("Recursive Avro record " + avro.getFullName()
                    + " cannot be represented as a Connect schema");
        }
        try {
            SchemaBuilder builder = SchemaBuilder.struct().name(avro.getFullName());
            if (avro.getDoc() != null) {
                builder.doc(avro.getDoc());
            }
            for (org.apache.avro.Schema.Field field : avro.getFields()) {
                if (field.doc() != null) {
                    builder.parameter(FIELD_DOC_PREFIX + field.name(), field.doc());
                }
            }
            for (org.apache.avro.Schema.Field field : avro.getFields()) {
                builder.field(field.name(), fieldBuilder(field, inProgress).build());
            }
            return builder;
        } finally {
            inProgress.remove(avro);
        }
    }

    /** The field's schema with the Avro default as its Connect default, when Connect can hold it. */
    private SchemaBuilder fieldBuilder(org.apache.avro.Schema.Field field, InProgress inProgress) {
        SchemaBuilder builder = toConnectBuilder(field.schema(), inProgress);
        if (field.hasDefaultValue() && builder.type() != Schema.Type.STRUCT) {
            try {
                Object avroDefault = GENERIC.getDefaultValue(field);
                if (avroDefault != null) {
                    builder.defaultValue(toConnectValue(builder, field.schema(), avroDefault));
                }
            } catch (RuntimeException e) {
                // A default Connect cannot hold is dropped: it only matters to readers, not to this data.
            }
        }
        return builder;
    }

    private SchemaBuilder unionBuilder(org.apache.avro.Schema avro, InProgress inProgress) {
        List<org.apache.avro.Schema> branches = avro.getTypes();
        boolean hasNull = false;
        List<org.apache.avro.Schema> nonNull = new ArrayList<>(branches.size());
        for (org.apache.avro.Schema branch : branches) {
            if (branch.getType() == org.apache.avro.Schema.Type.NULL) {
                hasNull = true;
            } else {
                nonNull.add(branch);
            }
        }
        if (nonNull.isEmpty()) {
            throw new DataException("Avro union " + avro + " has no non-null branch");
        }
        if (hasNull && nonNull.size() == 1) {
            return toConnectBuilder(nonNull.get(0), inProgress).optional();
        }
        SchemaBuilder builder = SchemaBuilder.struct().name(UNION);
        List<String> names = unionFieldNames(nonNull);
        for (int i = 0; i < nonNull.size(); i++) {
            builder.field(names.get(i), toConnectBuilder(nonNull.get(i), inProgress).optional().build());
        }
        return hasNull ? builder.optional() : builder;
    }

    /** Confluent's names: simple name of named types, type name otherwise; full names when simple ones clash. */
    private static List<String> unionFieldNames(List<org.apache.avro.Schema> branches) {
        List<String> names = new ArrayList<>(branches.size());
        Map<String, Integer> counts = new HashMap<>();
        for (org.apache.avro.Schema branch : branches) {
            counts.merge(simpleBranchName(branch), 1, Integer::sum);
        }
        for (org.apache.avro.Schema branch : branches) {
            String simple = simpleBranchName(branch);
            names.add(counts.get(simple) > 1 && isNamed(branch) ? branch.getFullName() : simple);
        }
        return names;
    }

    private static String simpleBranchName(org.apache.avro.Schema branch) {
        return isNamed(branch) ? branch.getName() : branch.getType().getName();
    }

    private static boolean isNamed(org.apache.avro.Schema schema) {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> true;
            default -> false;
        };
    }

    /** Confluent's connect.* properties of non-record schemas (records carry name and doc natively). */
    private static void applyConnectProps(SchemaBuilder builder, org.apache.avro.Schema avro) {
        Object version = avro.getObjectProp(CONNECT_VERSION_PROP);
        if (version instanceof Number n && builder.version() == null) {
            builder.version(n.intValue());
        }
        if (!isNamed(avro)) {
            String name = avro.getProp(CONNECT_NAME_PROP);
            if (name != null && builder.name() == null) {
                builder.name(name);
            }
            String doc = avro.getProp(CONNECT_DOC_PROP);
            if (doc != null && builder.doc() == null) {
                builder.doc(doc);
            }
        }
        Map<String, String> params = connectParameters(avro);
        if (params != null) {
            Map<String, String> existing = builder.parameters();
            params.forEach((key, value) -> {
                if (existing == null || !existing.containsKey(key)) {
                    builder.parameter(key, value);
                }
            });
        }
    }

    private static Map<String, String> connectParameters(org.apache.avro.Schema avro) {
        if (!(avro.getObjectProp(CONNECT_PARAMETERS_PROP) instanceof Map<?, ?> raw)) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        raw.forEach((key, value) -> params.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        return params;
    }

    private Object toConnectValue(Schema schema, org.apache.avro.Schema avro, Object value) {
        if (value == null) {
            if (schema.isOptional() || avro.getType() == org.apache.avro.Schema.Type.NULL) {
                return null;
            }
            throw new DataException("null value for required " + describe(schema));
        }
        switch (avro.getType()) {
            case UNION:
                return unionToConnect(schema, avro, value);
            case RECORD:
                if (schema.type() == Schema.Type.STRUCT) {
                    return recordToConnect(schema, avro, (IndexedRecord) value);
                }
                break;
            case ENUM:
            case STRING:
                return value.toString();
            case ARRAY:
                if (schema.type() == Schema.Type.MAP) {
                    return mapEntriesToConnect(schema, avro.getElementType(), (Collection<?>) value);
                }
                return arrayToConnect(schema, avro.getElementType(), (Collection<?>) value);
            case MAP:
                return mapToConnect(schema, avro.getValueType(), (Map<?, ?>) value);
            case BYTES:
            case FIXED:
                byte[] bytes = bytesOf(value);
                if (Decimal.LOGICAL_NAME.equals(schema.name())) {
                    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                    return new BigDecimal(new BigInteger(bytes), scale);
                }
                return bytes;
            case INT:
                int i = (Integer) value;
                return switch (schema.type()) {
                    case INT8 -> (byte) i;
                    case INT16 -> (short) i;
                    case INT32 -> Date.LOGICAL_NAME.equals(schema.name()) ? Date.toLogical(schema, i)
                            : Time.LOGICAL_NAME.equals(schema.name()) ? Time.toLogical(schema, i) : value;
                    default -> throw new DataException("Avro int cannot be converted to " + describe(schema));
                };
            case LONG:
                return Timestamp.LOGICAL_NAME.equals(schema.name()) ? Timestamp.toLogical(schema, (Long) value)
                        : (Long) value;
            case FLOAT:
                return (Float) value;
            case DOUBLE:
                return (Double) value;
            case BOOLEAN:
                return (Boolean) value;
            case NULL:
                return null;
            default:
                break;
        }
        throw new DataException("Avro " + avro.getType() + " value cannot be converted to " + describe(schema));
    }

    private Object unionToConnect(Schema schema, org.apache.avro.Schema avro, Object value) {
        int index = resolveUnion(avro, value);
        org.apache.avro.Schema branch = avro.getTypes().get(index);
        if (!UNION.equals(schema.name()) || schema.type() != Schema.Type.STRUCT) {
            return toConnectValue(schema, branch, value); // [null, X]: the schema is X made optional
        }
        int fieldIndex = 0;
        for (int i = 0; i < index; i++) {
            if (avro.getTypes().get(i).getType() != org.apache.avro.Schema.Type.NULL) {
                fieldIndex++;
            }
        }
        Field field = schema.fields().get(fieldIndex);
        Struct struct = new Struct(schema);
        try {
            struct.put(field, toConnectValue(field.schema(), branch, value));
        } catch (RuntimeException e) {
            throw FieldException.at(field.name(), e);
        }
        return struct;
    }

    private static int resolveUnion(org.apache.avro.Schema union, Object value) {
        try {
            return GENERIC.resolveUnion(union, value);
        } catch (AvroRuntimeException e) {
            throw new DataException("Value of type " + value.getClass().getName() + " matches no branch of " + union,
                    e);
        }
    }

    private Struct recordToConnect(Schema schema, org.apache.avro.Schema avro, IndexedRecord record) {
        Struct struct = new Struct(schema);
        List<org.apache.avro.Schema.Field> avroFields = avro.getFields();
        List<Field> fields = schema.fields();
        for (int i = 0; i < avroFields.size(); i++) {
            org.apache.avro.Schema.Field avroField = avroFields.get(i);
            Field field = fields.get(i);
            try {
                struct.put(field, toConnectValue(field.schema(), avroField.schema(), record.get(avroField.pos())));
            } catch (RuntimeException e) {
                throw FieldException.at(field.name(), e);
            }
        }
        return struct;
    }

    private List<Object> arrayToConnect(Schema schema, org.apache.avro.Schema items, Collection<?> values) {
        Schema valueSchema = schema.valueSchema();
        List<Object> out = new ArrayList<>(values.size());
        int i = 0;
        for (Object item : values) {
            try {
                out.add(toConnectValue(valueSchema, items, item));
            } catch (RuntimeException e) {
                throw FieldException.at("[" + i + "]", e);
            }
            i++;
        }
        return out;
    }

    private Map<Object, Object> mapToConnect(Schema schema, org.apache.avro.Schema values, Map<?, ?> map) {
        Schema valueSchema = schema.valueSchema();
        Map<Object, Object> out = new LinkedHashMap<>(capacity(map.size()));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            try {
                out.put(key, toConnectValue(valueSchema, values, entry.getValue()));
            } catch (RuntimeException e) {
                throw FieldException.at("[" + key + "]", e);
            }
        }
        return out;
    }

    private Map<Object, Object> mapEntriesToConnect(Schema schema, org.apache.avro.Schema entry,
            Collection<?> entries) {
        org.apache.avro.Schema.Field keyField = entry.getField(KEY_FIELD);
        org.apache.avro.Schema.Field valueField = entry.getField(VALUE_FIELD);
        Map<Object, Object> out = new LinkedHashMap<>(capacity(entries.size()));
        int i = 0;
        for (Object item : entries) {
            IndexedRecord record = (IndexedRecord) item;
            try {
                out.put(toConnectValue(schema.keySchema(), keyField.schema(), record.get(keyField.pos())),
                        toConnectValue(schema.valueSchema(), valueField.schema(), record.get(valueField.pos())));
            } catch (RuntimeException e) {
                throw FieldException.at("[" + i + "]", e);
            }
            i++;
        }
        return out;
    }

    private static byte[] bytesOf(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer view = buffer.duplicate();
            byte[] bytes = new byte[view.remaining()];
            view.get(bytes);
            return bytes;
        }
        if (value instanceof GenericFixed fixed) {
            return fixed.bytes().clone();
        }
        throw new DataException("Expected Avro bytes or fixed but got " + value.getClass().getName());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Connect -> Avro

    /**
     * The Avro schema of Connect data of this schema: the one it was made from when {@link #toConnectSchema} made
     * it, else a derived one. An optional schema gives a union with null (at the top of a record value the
     * serializer registers the record's own schema, so the union only matters inside records).
     */
    public org.apache.avro.Schema fromConnectSchema(Schema schema) {
        org.apache.avro.Schema cached = fromConnectCache.get(schema);
        if (cached != null) {
            return cached;
        }
        org.apache.avro.Schema avro = new FromConnectContext().schemaOf(schema);
        fromConnectCache.put(schema, avro);
        return avro;
    }

    /** Converts Connect data to its Avro generic representation (records, enum symbols, fixed, raw logical values). */
    public Object fromConnectData(Schema schema, Object value) {
        return fromConnectData(schema, fromConnectSchema(schema), value);
    }

    /** As {@link #fromConnectData(Schema, Object)} with the Avro schema already known. */
    public Object fromConnectData(Schema schema, org.apache.avro.Schema avroSchema, Object value) {
        try {
            return toAvroValue(schema, avroSchema, value);
        } catch (FieldException e) {
            throw e;
        } catch (ClassCastException e) {
            throw new DataException("Connect value does not match its schema " + describe(schema) + ": "
                    + e.getMessage(), e);
        }
    }

    private Object toAvroValue(Schema schema, org.apache.avro.Schema avro, Object value) {
        if (value == null) {
            if (avro.getType() == org.apache.avro.Schema.Type.NULL || allowsNull(avro)) {
                return null;
            }
            throw new DataException("null value for required " + describe(schema));
        }
        switch (avro.getType()) {
            case UNION:
                return unionToAvro(schema, avro, value);
            case RECORD:
                if (value instanceof Struct struct) {
                    return structToAvro(schema, avro, struct);
                }
                throw new DataException("Expected a Struct for " + describe(schema) + " but got "
                        + value.getClass().getName());
            case ENUM:
                String symbol = value.toString();
                if (!avro.hasEnumSymbol(symbol)) {
                    throw new DataException("'" + symbol + "' is not a symbol of enum " + avro.getFullName() + " "
                            + avro.getEnumSymbols());
                }
                return new GenericData.EnumSymbol(avro, symbol);
            case STRING:
                return ((CharSequence) value).toString();
            case ARRAY:
                if (schema.type() == Schema.Type.MAP) {
                    return mapToAvroEntries(schema, avro, (Map<?, ?>) value);
                }
                return arrayToAvro(schema, avro, (Collection<?>) value);
            case MAP:
                return mapToAvro(schema, avro, (Map<?, ?>) value);
            case BYTES:
                if (Decimal.LOGICAL_NAME.equals(schema.name())) {
                    return ByteBuffer.wrap(Decimal.fromLogical(schema, (BigDecimal) value));
                }
                return value instanceof ByteBuffer buffer ? buffer : ByteBuffer.wrap((byte[]) value);
            case FIXED:
                return fixedToAvro(schema, avro, value);
            case INT:
                if (value instanceof java.util.Date date) {
                    return Time.LOGICAL_NAME.equals(schema.name()) ? Time.fromLogical(schema, date)
                            : Date.fromLogical(schema, date);
                }
                if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
                    return ((Number) value).intValue();
                }
                throw new DataException("Expected an integer for " + describe(schema) + " but got "
                        + value.getClass().getName());
            case LONG:
                if (value instanceof java.util.Date date) {
                    return Timestamp.fromLogical(schema, date);
                }
                return (Long) value;
            case FLOAT:
                return (Float) value;
            case DOUBLE:
                return (Double) value;
            case BOOLEAN:
                return (Boolean) value;
            default:
                throw new DataException("Unsupported Avro type " + avro.getType());
        }
    }

    private static boolean allowsNull(org.apache.avro.Schema avro) {
        if (avro.getType() != org.apache.avro.Schema.Type.UNION) {
            return false;
        }
        for (org.apache.avro.Schema branch : avro.getTypes()) {
            if (branch.getType() == org.apache.avro.Schema.Type.NULL) {
                return true;
            }
        }
        return false;
    }

    private Object unionToAvro(Schema schema, org.apache.avro.Schema avro, Object value) {
        List<org.apache.avro.Schema> branches = avro.getTypes();
        if (!UNION.equals(schema.name()) || schema.type() != Schema.Type.STRUCT) {
            for (org.apache.avro.Schema branch : branches) {
                if (branch.getType() != org.apache.avro.Schema.Type.NULL) {
                    return toAvroValue(schema, branch, value); // optional X
                }
            }
            throw new DataException("Avro union " + avro + " has no non-null branch");
        }
        Struct struct = (Struct) value;
        int fieldIndex = 0;
        for (org.apache.avro.Schema branch : branches) {
            if (branch.getType() == org.apache.avro.Schema.Type.NULL) {
                continue;
            }
            Field field = schema.fields().get(fieldIndex++);
            Object branchValue = struct.get(field.name());
            if (branchValue != null) {
                try {
                    return toAvroValue(field.schema(), branch, branchValue);
                } catch (RuntimeException e) {
                    throw FieldException.at(field.name(), e);
                }
            }
        }
        if (allowsNull(avro)) {
            return null;
        }
        throw new DataException("No field of union " + describe(schema) + " is set and the union has no null branch");
    }

    private GenericData.Record structToAvro(Schema schema, org.apache.avro.Schema avro, Struct struct) {
        GenericData.Record record = new GenericData.Record(avro);
        List<org.apache.avro.Schema.Field> avroFields = avro.getFields();
        List<Field> fields = schema.fields();
        if (fields.size() != avroFields.size()) {
            throw new DataException("Struct " + describe(schema) + " has " + fields.size() + " fields but Avro record "
                    + avro.getFullName() + " has " + avroFields.size());
        }
        for (int i = 0; i < avroFields.size(); i++) {
            Field field = fields.get(i);
            org.apache.avro.Schema.Field avroField = avroFields.get(i);
            try {
                record.put(i, toAvroValue(field.schema(), avroField.schema(), struct.get(field.name())));
            } catch (RuntimeException e) {
                throw FieldException.at(field.name(), e);
            }
        }
        return record;
    }

    private GenericData.Array<Object> arrayToAvro(Schema schema, org.apache.avro.Schema avro, Collection<?> values) {
        GenericData.Array<Object> array = new GenericData.Array<>(values.size(), avro);
        org.apache.avro.Schema items = avro.getElementType();
        int i = 0;
        for (Object item : values) {
            try {
                array.add(toAvroValue(schema.valueSchema(), items, item));
            } catch (RuntimeException e) {
                throw FieldException.at("[" + i + "]", e);
            }
            i++;
        }
        return array;
    }

    private Map<String, Object> mapToAvro(Schema schema, org.apache.avro.Schema avro, Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>(capacity(map.size()));
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getKey() == null) {
                throw new DataException("null key in " + describe(schema) + ": Avro map keys are strings");
            }
            String key = entry.getKey().toString();
            try {
                out.put(key, toAvroValue(schema.valueSchema(), avro.getValueType(), entry.getValue()));
            } catch (RuntimeException e) {
                throw FieldException.at("[" + key + "]", e);
            }
        }
        return out;
    }

    private GenericData.Array<Object> mapToAvroEntries(Schema schema, org.apache.avro.Schema avro, Map<?, ?> map) {
        org.apache.avro.Schema entrySchema = avro.getElementType();
        org.apache.avro.Schema keySchema = entrySchema.getField(KEY_FIELD).schema();
        org.apache.avro.Schema valueSchema = entrySchema.getField(VALUE_FIELD).schema();
        GenericData.Array<Object> array = new GenericData.Array<>(map.size(), avro);
        int i = 0;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            GenericData.Record record = new GenericData.Record(entrySchema);
            try {
                record.put(KEY_FIELD, toAvroValue(schema.keySchema(), keySchema, entry.getKey()));
                record.put(VALUE_FIELD, toAvroValue(schema.valueSchema(), valueSchema, entry.getValue()));
            } catch (RuntimeException e) {
                throw FieldException.at("[" + i + "]", e);
            }
            array.add(record);
            i++;
        }
        return array;
    }

    private static GenericData.Fixed fixedToAvro(Schema schema, org.apache.avro.Schema avro, Object value) {
        byte[] bytes;
        if (Decimal.LOGICAL_NAME.equals(schema.name())) {
            bytes = signExtend(Decimal.fromLogical(schema, (BigDecimal) value), avro.getFixedSize(), schema);
        } else {
            bytes = bytesOf(value);
        }
        if (bytes.length != avro.getFixedSize()) {
            throw new DataException(bytes.length + " bytes do not fit Avro fixed " + avro.getFullName() + " of size "
                    + avro.getFixedSize());
        }
        return new GenericData.Fixed(avro, bytes);
    }

    private static byte[] signExtend(byte[] unscaled, int size, Schema schema) {
        if (unscaled.length == size) {
            return unscaled;
        }
        if (unscaled.length > size) {
            throw new DataException("Decimal of " + unscaled.length + " bytes does not fit " + describe(schema)
                    + " of fixed size " + size);
        }
        byte[] out = new byte[size];
        byte pad = (byte) (unscaled.length > 0 && unscaled[0] < 0 ? 0xff : 0);
        int offset = size - unscaled.length;
        for (int i = 0; i < offset; i++) {
            out[i] = pad;
        }
        System.arraycopy(unscaled, 0, out, offset, unscaled.length);
        return out;
    }

    /** Derives Avro schemas for one top-level Connect schema, keeping Avro's names unique. */
    private final class FromConnectContext {

        private final Map<String, Schema> namedSources = new HashMap<>();
        private final Map<String, org.apache.avro.Schema> named = new HashMap<>();
        private int defaultRecords;
        private int mapEntries;
        private int fixeds;

        /** The schema, as a union with null when optional (null first: no default or a null default). */
        org.apache.avro.Schema schemaOf(Schema schema) {
            org.apache.avro.Schema base = baseOf(schema);
            return schema.isOptional() ? nullable(base, true) : base;
        }

        org.apache.avro.Schema baseOf(Schema schema) {
            Map<String, String> params = schema.parameters() == null ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(schema.parameters());
            org.apache.avro.Schema avro;
            String name = schema.name();
            switch (schema.type()) {
                case INT8:
                case INT16:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
                    avro.addProp(CONNECT_TYPE_PROP, schema.type() == Schema.Type.INT8 ? "int8" : "int16");
                    break;
                case INT32:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
                    if (Date.LOGICAL_NAME.equals(name)) {
                        LogicalTypes.date().addToSchema(avro);
                        name = null;
                    } else if (Time.LOGICAL_NAME.equals(name)) {
                        LogicalTypes.timeMillis().addToSchema(avro);
                        name = null;
                    }
                    break;
                case INT64:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
                    if (Timestamp.LOGICAL_NAME.equals(name)) {
                        LogicalTypes.timestampMillis().addToSchema(avro);
                        name = null;
                    }
                    break;
                case FLOAT32:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
                    break;
                case FLOAT64:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
                    break;
                case BOOLEAN:
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
                    break;
                case STRING:
                    if (params.containsKey(ENUM)) {
                        return enumOf(schema, params);
                    }
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
                    break;
                case BYTES:
                    if (params.containsKey(FIXED_SIZE)) {
                        return fixedOf(schema, params);
                    }
                    avro = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
                    if (Decimal.LOGICAL_NAME.equals(name)) {
                        decimalOf(params).addToSchema(avro);
                        name = null;
                    }
                    break;
                case ARRAY:
                    avro = org.apache.avro.Schema.createArray(schemaOf(schema.valueSchema()));
                    break;
                case MAP:
                    avro = mapOf(schema);
                    break;
                case STRUCT:
                    if (UNION.equals(name)) {
                        return unionOf(schema);
                    }
                    return recordOf(schema, params);
                default:
                    throw new DataException("Unsupported Connect type " + schema.type());
            }
            String logicalType = params.remove(LOGICAL_TYPE);
            if (logicalType != null) {
                addLogicalType(avro, logicalType);
            }
            if (name != null) {
                avro.addProp(CONNECT_NAME_PROP, name);
            }
            if (schema.doc() != null) {
                avro.addProp(CONNECT_DOC_PROP, schema.doc());
            }
            if (schema.version() != null && !isConnectLogical(schema.name())) {
                avro.addProp(CONNECT_VERSION_PROP, schema.version());
            }
            if (!params.isEmpty()) {
                avro.addProp(CONNECT_PARAMETERS_PROP, params);
            }
            return avro;
        }

        private org.apache.avro.Schema mapOf(Schema schema) {
            Schema keySchema = schema.keySchema();
            if (keySchema.type() == Schema.Type.STRING && !keySchema.isOptional() && keySchema.name() == null
                    && (keySchema.parameters() == null || keySchema.parameters().isEmpty())) {
                return org.apache.avro.Schema.createMap(schemaOf(schema.valueSchema()));
            }
            // Avro map keys are strings: other keys go into an array of {key, value} records, as Confluent does.
            mapEntries++;
            String entryName = mapEntries == 1 ? MAP_ENTRY : MAP_ENTRY + mapEntries;
            List<org.apache.avro.Schema.Field> fields = List.of(
                    new org.apache.avro.Schema.Field(KEY_FIELD, schemaOf(keySchema), null, (Object) null),
                    new org.apache.avro.Schema.Field(VALUE_FIELD, schemaOf(schema.valueSchema()), null, (Object) null));
            org.apache.avro.Schema entry = org.apache.avro.Schema.createRecord(entryName, null, null, false, fields);
            return org.apache.avro.Schema.createArray(entry);
        }

        private org.apache.avro.Schema enumOf(Schema schema, Map<String, String> params) {
            String name = params.remove(ENUM);
            List<String> symbols = new ArrayList<>();
            String prefix = ENUM + ".";
            params.entrySet().removeIf(e -> {
                if (e.getKey().startsWith(prefix)) {
                    symbols.add(e.getValue());
                    return true;
                }
                return false;
            });
            org.apache.avro.Schema existing = reuse(name, schema);
            if (existing != null) {
                return existing;
            }
            org.apache.avro.Schema avro;
            try {
                avro = org.apache.avro.Schema.createEnum(name, schema.doc(), null, symbols);
            } catch (AvroRuntimeException e) {
                throw new DataException("Invalid Avro enum " + name + ": " + e.getMessage(), e);
            }
            return define(name, schema, avro);
        }

        private org.apache.avro.Schema fixedOf(Schema schema, Map<String, String> params) {
            int size = Integer.parseInt(params.remove(FIXED_SIZE));
            boolean decimal = Decimal.LOGICAL_NAME.equals(schema.name());
            String name;
            if (!decimal && schema.name() != null) {
                name = schema.name();
            } else {
                fixeds++;
                name = NAMESPACE + ".Fixed" + (fixeds == 1 ? "" : String.valueOf(fixeds));
            }
            org.apache.avro.Schema existing = reuse(name, schema);
            if (existing != null) {
                return existing;
            }
            org.apache.avro.Schema avro;
            try {
                avro = org.apache.avro.Schema.createFixed(name, decimal ? null : schema.doc(), null, size);
            } catch (AvroRuntimeException e) {
                throw new DataException("Invalid Avro fixed " + name + ": " + e.getMessage(), e);
            }
            if (decimal) {
                decimalOf(params).addToSchema(avro);
            }
            String logicalType = params.remove(LOGICAL_TYPE);
            if (logicalType != null) {
                addLogicalType(avro, logicalType);
            }
            return define(name, schema, avro);
        }

        private LogicalTypes.Decimal decimalOf(Map<String, String> params) {
            int scale = Integer.parseInt(params.remove(Decimal.SCALE_FIELD));
            String precision = params.remove(DECIMAL_PRECISION);
            int p = precision == null ? Math.max(DEFAULT_DECIMAL_PRECISION, scale) : Integer.parseInt(precision);
            return LogicalTypes.decimal(p, scale);
        }

        private org.apache.avro.Schema unionOf(Schema schema) {
            List<org.apache.avro.Schema> branches = new ArrayList<>();
            if (schema.isOptional()) {
                branches.add(AVRO_NULL);
            }
            for (Field field : schema.fields()) {
                branches.add(baseOf(field.schema()));
            }
            try {
                return org.apache.avro.Schema.createUnion(branches);
            } catch (AvroRuntimeException e) {
                throw new DataException("Invalid Avro union for " + describe(schema) + ": " + e.getMessage(), e);
            }
        }

        private org.apache.avro.Schema recordOf(Schema schema, Map<String, String> params) {
            String name = schema.name();
            if (name == null) {
                defaultRecords++;
                name = DEFAULT_RECORD_NAME + (defaultRecords == 1 ? "" : String.valueOf(defaultRecords));
            }
            org.apache.avro.Schema existing = reuse(name, schema);
            if (existing != null) {
                return existing;
            }
            List<org.apache.avro.Schema.Field> fields = new ArrayList<>(schema.fields().size());
            for (Field field : schema.fields()) {
                String doc = params.remove(FIELD_DOC_PREFIX + field.name());
                fields.add(fieldOf(field, doc));
            }
            org.apache.avro.Schema avro;
            try {
                avro = org.apache.avro.Schema.createRecord(name, schema.doc(), null, false, fields);
            } catch (AvroRuntimeException e) {
                throw new DataException("Invalid Avro record name '" + name + "': " + e.getMessage(), e);
            }
            if (schema.version() != null) {
                avro.addProp(CONNECT_VERSION_PROP, schema.version());
            }
            if (!params.isEmpty()) {
                avro.addProp(CONNECT_PARAMETERS_PROP, params);
            }
            return define(name, schema, avro);
        }

        private org.apache.avro.Schema.Field fieldOf(Field field, String doc) {
            Schema schema = field.schema();
            org.apache.avro.Schema base = baseOf(schema);
            Object connectDefault = schema.defaultValue();
            org.apache.avro.Schema avro;
            Object avroDefault = null;
            if (schema.isOptional()) {
                avro = nullable(base, connectDefault == null);
                avroDefault = connectDefault == null ? JsonProperties.NULL_VALUE : null;
            } else {
                avro = base;
            }
            if (connectDefault != null) {
                try {
                    avroDefault = defaultOf(schema, base, connectDefault);
                } catch (RuntimeException e) {
                    avroDefault = null; // a default that cannot be expressed in Avro is left out
                }
            }
            try {
                return new org.apache.avro.Schema.Field(field.name(), avro, doc, avroDefault);
            } catch (org.apache.avro.SchemaParseException e) {
                throw new DataException("Invalid Avro field name '" + field.name() + "': " + e.getMessage(), e);
            } catch (AvroRuntimeException e) {
                // The default does not fit the Avro schema (e.g. a union whose default is not its first branch).
                return new org.apache.avro.Schema.Field(field.name(), avro, doc, (Object) null);
            }
        }

        /** A Connect default as the JSON-like Java value Avro's Field constructor takes. */
        private Object defaultOf(Schema schema, org.apache.avro.Schema avro, Object value) {
            if (value == null) {
                return JsonProperties.NULL_VALUE;
            }
            if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
                if (schema.type() == Schema.Type.STRUCT && UNION.equals(schema.name())) {
                    throw new DataException("union defaults are not carried over");
                }
                for (org.apache.avro.Schema branch : avro.getTypes()) {
                    if (branch.getType() != org.apache.avro.Schema.Type.NULL) {
                        return defaultOf(schema, branch, value);
                    }
                }
            }
            Object avroValue = toAvroValue(schema, avro, value);
            return jsonOf(avroValue);
        }

        private Object jsonOf(Object avroValue) {
            if (avroValue instanceof GenericData.Record record) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (org.apache.avro.Schema.Field f : record.getSchema().getFields()) {
                    out.put(f.name(), jsonOf(record.get(f.pos())));
                }
                return out;
            }
            if (avroValue instanceof Collection<?> list) {
                List<Object> out = new ArrayList<>(list.size());
                list.forEach(item -> out.add(jsonOf(item)));
                return out;
            }
            if (avroValue instanceof Map<?, ?> map) {
                Map<String, Object> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), jsonOf(v)));
                return out;
            }
            if (avroValue instanceof GenericData.EnumSymbol symbol) {
                return symbol.toString();
            }
            if (avroValue instanceof ByteBuffer || avroValue instanceof GenericFixed) {
                return bytesOf(avroValue);
            }
            return avroValue == null ? JsonProperties.NULL_VALUE : avroValue;
        }

        private org.apache.avro.Schema reuse(String name, Schema schema) {
            Schema source = namedSources.get(name);
            if (source == null) {
                return null;
            }
            if (!sameNamedType(source, schema)) {
                throw new DataException("Two different Connect schemas map to the Avro name " + name + ": "
                        + describe(source) + " and " + describe(schema));
            }
            return named.get(name);
        }

        private org.apache.avro.Schema define(String name, Schema schema, org.apache.avro.Schema avro) {
            namedSources.put(name, schema);
            named.put(name, avro);
            return avro;
        }
    }

    private static void addLogicalType(org.apache.avro.Schema avro, String logicalType) {
        avro.addProp(LogicalType.LOGICAL_TYPE_PROP, logicalType);
        LogicalType parsed = LogicalTypes.fromSchemaIgnoreInvalid(avro);
        if (parsed != null) {
            parsed.addToSchema(avro);
        }
    }

    /** {@code [null, X]} (or {@code [X, null]}); a union X gets null added to its branches. */
    private static org.apache.avro.Schema nullable(org.apache.avro.Schema base, boolean nullFirst) {
        List<org.apache.avro.Schema> branches = new ArrayList<>();
        if (base.getType() == org.apache.avro.Schema.Type.UNION) {
            if (allowsNull(base)) {
                return base;
            }
            branches.addAll(base.getTypes());
        } else {
            branches.add(base);
        }
        if (nullFirst) {
            branches.add(0, AVRO_NULL);
        } else {
            branches.add(AVRO_NULL);
        }
        return org.apache.avro.Schema.createUnion(branches);
    }

    /** Equal as types: optionality and default belong to the use, not to the named type. */
    private static boolean sameNamedType(Schema a, Schema b) {
        return a.type() == b.type()
                && Objects.equals(a.name(), b.name())
                && Objects.equals(a.version(), b.version())
                && Objects.equals(a.doc(), b.doc())
                && Objects.equals(a.parameters(), b.parameters())
                && (a.type() != Schema.Type.STRUCT || a.fields().equals(b.fields()));
    }

    private static boolean isConnectLogical(String name) {
        return Timestamp.LOGICAL_NAME.equals(name) || Date.LOGICAL_NAME.equals(name) || Time.LOGICAL_NAME.equals(name)
                || Decimal.LOGICAL_NAME.equals(name);
    }

    private static int capacity(int size) {
        return Math.max(4, (int) (size / 0.75f) + 1);
    }

    static String describe(Schema schema) {
        if (schema == null) {
            return "schemaless value";
        }
        return schema.type() + (schema.name() == null ? "" : " " + schema.name())
                + (schema.isOptional() ? " (optional)" : "") + " schema";
    }

    /** The Avro records being converted, to refuse recursive ones (a parsed schema refers back to the same object). */
    private static final class InProgress extends IdentityHashMap<org.apache.avro.Schema, Boolean> {
        private static final long serialVersionUID = 1L;
    }

    /** A conversion error with the path of the offending field, e.g. {@code reasons[1].points}. */
    static final class FieldException extends DataException {

        private static final long serialVersionUID = 1L;

        private final String path;
        private final String reason;

        private FieldException(String path, String reason, Throwable cause) {
            super("field '" + path + "': " + reason, cause);
            this.path = path;
            this.reason = reason;
        }

        static FieldException at(String segment, RuntimeException e) {
            if (e instanceof FieldException inner) {
                String joined = inner.path.startsWith("[") ? segment + inner.path : segment + "." + inner.path;
                return new FieldException(joined, inner.reason, inner.getCause());
            }
            String reason = e instanceof ClassCastException ? "value of the wrong type (" + e.getMessage() + ")"
                    : e.getMessage();
            return new FieldException(segment, reason, e);
        }

        String path() {
            return path;
        }
    }
}
