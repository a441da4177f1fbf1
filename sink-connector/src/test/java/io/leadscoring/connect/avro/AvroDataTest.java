package io.leadscoring.connect.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
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
import org.junit.jupiter.api.Test;

import io.leadscoring.events.StageChange;

/** Avro and Connect schemas and data, both ways, on the conventions of Confluent's AvroData. */
class AvroDataTest {

    private final AvroData avroData = new AvroData(100);

    private static org.apache.avro.Schema parse(String json) {
        return new org.apache.avro.Schema.Parser().parse(json);
    }

    @Test
    void stageChangeSchemaMapsToTheStructHandoffMapperReads() {
        Schema schema = avroData.toConnectSchema(StageChange.getClassSchema());

        assertThat(schema.type()).isEqualTo(Schema.Type.STRUCT);
        assertThat(schema.name()).isEqualTo("io.leadscoring.events.StageChange");
        assertThat(schema.doc()).startsWith("A lead's move to MQL or SQL");
        assertThat(schema.parameters()).containsEntry(AvroData.FIELD_DOC_PREFIX + "at",
                "Evaluation time T of the change.");
        assertThat(schema.fields()).extracting(Field::name).containsExactly("handoffId", "leadId", "stage",
                "previousStage", "at", "score", "engagement", "fit", "fitGrade", "temperature", "activity", "ruleSet",
                "reasons", "email", "firstName", "lastName", "company");
        assertThat(schema.field("handoffId").schema()).isEqualTo(Schema.STRING_SCHEMA);
        Schema stage = schema.field("stage").schema();
        assertThat(stage.type()).isEqualTo(Schema.Type.STRING);
        assertThat(stage.isOptional()).isFalse();
        assertThat(stage.parameters()).containsEntry(AvroData.ENUM, "io.leadscoring.events.Stage")
                .containsEntry(AvroData.ENUM + ".SQL", "SQL");
        assertThat(stage.parameters().keySet()).containsExactly(AvroData.ENUM, AvroData.ENUM + ".NEW",
                AvroData.ENUM + ".MQL", AvroData.ENUM + ".SQL");
        assertThat(schema.field("at").schema()).isEqualTo(Timestamp.SCHEMA);
        assertThat(schema.field("score").schema()).isEqualTo(Schema.FLOAT64_SCHEMA);
        Schema reasons = schema.field("reasons").schema();
        assertThat(reasons.type()).isEqualTo(Schema.Type.ARRAY);
        assertThat(reasons.valueSchema().name()).isEqualTo("io.leadscoring.events.Reason");
        assertThat(reasons.valueSchema().fields()).extracting(Field::name).containsExactly("rule", "points");
        assertThat(schema.field("email").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
    }

    @Test
    void schemasAreCachedAndComeBackAsTheAvroSchemaTheyCameFrom() {
        org.apache.avro.Schema avro = StageChange.getClassSchema();
        Schema first = avroData.toConnectSchema(avro);
        Schema second = avroData.toConnectSchema(parse(avro.toString()));

        assertThat(second).isSameAs(first);
        // Same text (avro.java.string and docs included), so the serializer finds the same registry id.
        assertThat(avroData.fromConnectSchema(first).toString()).isEqualTo(avro.toString());
        assertThat(avroData.fromConnectSchema(first)).isSameAs(avroData.fromConnectSchema(first));
    }

    @Test
    void derivedAvroSchemaOfAHandBuiltStruct() {
        Schema reason = SchemaBuilder.struct().name("io.leadscoring.events.Reason")
                .field("rule", Schema.STRING_SCHEMA).field("points", Schema.FLOAT64_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().name("io.leadscoring.events.StageChange").doc("handoff")
                .field("handoffId", Schema.STRING_SCHEMA)
                .field("at", Timestamp.SCHEMA)
                .field("reasons", SchemaBuilder.array(reason).build())
                .field("moreReasons", SchemaBuilder.array(reason).optional().build())
                .field("email", Schema.OPTIONAL_STRING_SCHEMA)
                .field("tier", SchemaBuilder.string().optional().defaultValue("gold").build())
                .field("count", SchemaBuilder.int32().defaultValue(3).build())
                .build();

        org.apache.avro.Schema avro = avroData.fromConnectSchema(schema);

        assertThat(avro.getFullName()).isEqualTo("io.leadscoring.events.StageChange");
        assertThat(avro.getDoc()).isEqualTo("handoff");
        assertThat(avro.getField("at").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(avro.getField("reasons").schema().getElementType().getFullName())
                .isEqualTo("io.leadscoring.events.Reason");
        // The second use of Reason is a reference to the first definition.
        assertThat(avro.getField("moreReasons").schema().getTypes().get(1).getElementType())
                .isSameAs(avro.getField("reasons").schema().getElementType());
        assertThat(avro.getField("email").schema().getTypes()).extracting(org.apache.avro.Schema::getType)
                .containsExactly(org.apache.avro.Schema.Type.NULL, org.apache.avro.Schema.Type.STRING);
        assertThat(avro.getField("email").defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(avro.getField("tier").schema().getTypes()).extracting(org.apache.avro.Schema::getType)
                .containsExactly(org.apache.avro.Schema.Type.STRING, org.apache.avro.Schema.Type.NULL);
        assertThat(avro.getField("tier").defaultVal()).isEqualTo("gold");
        assertThat(avro.getField("count").defaultVal()).isEqualTo(3);
        assertThat(avro.getField("handoffId").hasDefaultValue()).isFalse();

        // And back: defaults survive both ways.
        AvroData fresh = new AvroData(10);
        Schema back = fresh.toConnectSchema(parse(avro.toString()));
        assertThat(back.field("tier").schema().defaultValue()).isEqualTo("gold");
        assertThat(back.field("tier").schema().isOptional()).isTrue();
        assertThat(back.field("count").schema().defaultValue()).isEqualTo(3);
        assertThat(back.field("email").schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
    }

    @Test
    void everyLogicalType() {
        org.apache.avro.Schema avro = parse("""
                {"type": "record", "name": "Logical", "namespace": "t", "fields": [
                  {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
                  {"name": "tod", "type": {"type": "int", "logicalType": "time-millis"}},
                  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
                  {"name": "fixedAmount", "type": {"type": "fixed", "name": "Money", "size": 8,
                     "logicalType": "decimal", "precision": 18, "scale": 3}},
                  {"name": "tsMicros", "type": {"type": "long", "logicalType": "timestamp-micros"}},
                  {"name": "todMicros", "type": {"type": "long", "logicalType": "time-micros"}},
                  {"name": "localTs", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
                  {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
                  {"name": "maybeTs", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}],
                     "default": null}
                ]}""");
        GenericData.Record record = new GenericData.Record(avro);
        record.put("ts", 1_772_360_130_123L);
        record.put("day", 20_513);
        record.put("tod", 36_930_123);
        record.put("amount", ByteBuffer.wrap(new BigDecimal("-1234.56").unscaledValue().toByteArray()));
        byte[] fixed = new byte[8];
        byte[] unscaled = new BigDecimal("-9.875").unscaledValue().toByteArray();
        java.util.Arrays.fill(fixed, (byte) 0xff);
        System.arraycopy(unscaled, 0, fixed, 8 - unscaled.length, unscaled.length);
        record.put("fixedAmount", new GenericData.Fixed(avro.getField("fixedAmount").schema(), fixed));
        record.put("tsMicros", 1_772_360_130_123_456L);
        record.put("todMicros", 36_930_123_456L);
        record.put("localTs", 1_772_360_130_123L);
        record.put("id", "5f0c6f5e-3f0a-4a55-9a43-0c8a4f7e1f2b");
        record.put("maybeTs", 1_000L);

        SchemaAndValue connect = avroData.toConnectData(avro, record);
        Schema schema = connect.schema();
        Struct struct = (Struct) connect.value();

        assertThat(schema.field("ts").schema()).isEqualTo(Timestamp.SCHEMA);
        assertThat(struct.get("ts")).isEqualTo(new java.util.Date(1_772_360_130_123L));
        assertThat(schema.field("day").schema()).isEqualTo(Date.SCHEMA);
        assertThat(struct.get("day")).isEqualTo(new java.util.Date(20_513L * 86_400_000L));
        assertThat(schema.field("tod").schema()).isEqualTo(Time.SCHEMA);
        assertThat(struct.get("tod")).isEqualTo(new java.util.Date(36_930_123L));
        Schema amount = schema.field("amount").schema();
        assertThat(amount.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(amount.parameters()).containsEntry(Decimal.SCALE_FIELD, "2")
                .containsEntry(AvroData.DECIMAL_PRECISION, "10");
        assertThat(struct.get("amount")).isEqualTo(new BigDecimal("-1234.56"));
        Schema fixedAmount = schema.field("fixedAmount").schema();
        assertThat(fixedAmount.name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(fixedAmount.parameters()).containsEntry(Decimal.SCALE_FIELD, "3")
                .containsEntry(AvroData.FIXED_SIZE, "8");
        assertThat(struct.get("fixedAmount")).isEqualTo(new BigDecimal("-9.875"));
        // No Connect type for these: the base type and raw value, the logical type kept as a parameter.
        assertThat(schema.field("tsMicros").schema().type()).isEqualTo(Schema.Type.INT64);
        assertThat(schema.field("tsMicros").schema().parameters())
                .containsEntry(AvroData.LOGICAL_TYPE, "timestamp-micros");
        assertThat(struct.get("tsMicros")).isEqualTo(1_772_360_130_123_456L);
        assertThat(struct.get("todMicros")).isEqualTo(36_930_123_456L);
        assertThat(struct.get("localTs")).isEqualTo(1_772_360_130_123L);
        assertThat(schema.field("id").schema().type()).isEqualTo(Schema.Type.STRING);
        assertThat(schema.field("id").schema().parameters()).containsEntry(AvroData.LOGICAL_TYPE, "uuid");
        assertThat(struct.get("id")).isEqualTo("5f0c6f5e-3f0a-4a55-9a43-0c8a4f7e1f2b");
        assertThat(schema.field("maybeTs").schema().isOptional()).isTrue();
        assertThat(schema.field("maybeTs").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(struct.get("maybeTs")).isEqualTo(new java.util.Date(1_000L));

        // Back to Avro, through a derived schema (a fresh instance has no memory of the original).
        AvroData fresh = new AvroData(10);
        org.apache.avro.Schema derived = fresh.fromConnectSchema(schema);
        assertThat(derived.getField("ts").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(derived.getField("day").schema().getLogicalType()).isEqualTo(LogicalTypes.date());
        assertThat(derived.getField("tod").schema().getLogicalType()).isEqualTo(LogicalTypes.timeMillis());
        assertThat(derived.getField("amount").schema().getLogicalType()).isEqualTo(LogicalTypes.decimal(10, 2));
        assertThat(derived.getField("fixedAmount").schema().getType()).isEqualTo(org.apache.avro.Schema.Type.FIXED);
        assertThat(derived.getField("fixedAmount").schema().getLogicalType()).isEqualTo(LogicalTypes.decimal(18, 3));
        assertThat(derived.getField("tsMicros").schema().getLogicalType()).isEqualTo(LogicalTypes.timestampMicros());
        assertThat(derived.getField("todMicros").schema().getLogicalType()).isEqualTo(LogicalTypes.timeMicros());
        assertThat(derived.getField("localTs").schema().getLogicalType())
                .isEqualTo(LogicalTypes.localTimestampMillis());
        assertThat(derived.getField("id").schema().getLogicalType()).isEqualTo(LogicalTypes.uuid());
        assertThat(derived.getField("id").schema().getObjectProp("connect.parameters")).isNull();

        GenericRecord written = (GenericRecord) fresh.fromConnectData(schema, struct);
        assertThat(GenericData.get().validate(derived, written)).isTrue();
        assertThat(written.get("ts")).isEqualTo(1_772_360_130_123L);
        assertThat(written.get("day")).isEqualTo(20_513);
        assertThat(written.get("tod")).isEqualTo(36_930_123);
        assertThat(written.get("amount")).isEqualTo(record.get("amount"));
        assertThat(((GenericData.Fixed) written.get("fixedAmount")).bytes()).isEqualTo(fixed);
        assertThat(written.get("tsMicros")).isEqualTo(1_772_360_130_123_456L);
        assertThat(written.get("id")).isEqualTo("5f0c6f5e-3f0a-4a55-9a43-0c8a4f7e1f2b");
        assertThat(written.get("maybeTs")).isEqualTo(1_000L);

        // And with the original schema remembered, the exact original record comes back.
        assertThat(avroData.fromConnectData(schema, struct)).isEqualTo(record);
    }

    @Test
    void confluentConnectPropertiesAreRead() {
        org.apache.avro.Schema avro = parse("""
                {"type": "record", "name": "R", "fields": [
                  {"name": "ts", "type": {"type": "long", "connect.version": 1,
                     "connect.name": "org.apache.kafka.connect.data.Timestamp"}},
                  {"name": "small", "type": {"type": "int", "connect.type": "int8"}},
                  {"name": "medium", "type": {"type": "int", "connect.type": "int16"}},
                  {"name": "price", "type": {"type": "bytes", "connect.name": "org.apache.kafka.connect.data.Decimal",
                     "connect.version": 1, "connect.parameters": {"scale": "2"}}},
                  {"name": "code", "type": {"type": "string", "connect.name": "com.example.Code",
                     "connect.doc": "a code", "connect.version": 4, "connect.parameters": {"k": "v"}}}
                ]}""");
        Schema schema = avroData.toConnectSchema(avro);

        assertThat(schema.field("ts").schema()).isEqualTo(Timestamp.SCHEMA);
        assertThat(schema.field("small").schema()).isEqualTo(Schema.INT8_SCHEMA);
        assertThat(schema.field("medium").schema()).isEqualTo(Schema.INT16_SCHEMA);
        assertThat(schema.field("price").schema()).isEqualTo(Decimal.schema(2));
        Schema code = schema.field("code").schema();
        assertThat(code.name()).isEqualTo("com.example.Code");
        assertThat(code.doc()).isEqualTo("a code");
        assertThat(code.version()).isEqualTo(4);
        assertThat(code.parameters()).containsEntry("k", "v");

        GenericData.Record record = new GenericData.Record(avro);
        record.put("ts", 5L);
        record.put("small", 7);
        record.put("medium", 300);
        record.put("price", ByteBuffer.wrap(new byte[] {0x04, (byte) 0xd2}));
        record.put("code", "X");
        Struct struct = (Struct) avroData.toConnectData(avro, record).value();
        assertThat(struct.get("small")).isEqualTo((byte) 7);
        assertThat(struct.get("medium")).isEqualTo((short) 300);
        assertThat(struct.get("price")).isEqualTo(new BigDecimal("12.34"));

        // Derived the other way, the same conventions are written.
        org.apache.avro.Schema derived = new AvroData(10).fromConnectSchema(schema);
        assertThat(derived.getField("small").schema().getProp("connect.type")).isEqualTo("int8");
        assertThat(derived.getField("medium").schema().getProp("connect.type")).isEqualTo("int16");
        assertThat(derived.getField("code").schema().getProp("connect.name")).isEqualTo("com.example.Code");
        assertThat(derived.getField("code").schema().getProp("connect.doc")).isEqualTo("a code");
        assertThat(derived.getField("code").schema().getObjectProp("connect.version")).isEqualTo(4);
        assertThat(derived.getField("code").schema().getObjectProp("connect.parameters")).isEqualTo(Map.of("k", "v"));
        assertThat(new AvroData(10).toConnectSchema(derived)).isEqualTo(schema);
    }

    @Test
    void enumRoundTrip() {
        org.apache.avro.Schema stageSchema = StageChange.getClassSchema().getField("stage").schema();
        SchemaAndValue connect = avroData.toConnectData(stageSchema, new GenericData.EnumSymbol(stageSchema, "SQL"));

        assertThat(connect.value()).isEqualTo("SQL");
        assertThat(connect.schema().type()).isEqualTo(Schema.Type.STRING);

        org.apache.avro.Schema back = new AvroData(10).fromConnectSchema(connect.schema());
        assertThat(back.getType()).isEqualTo(org.apache.avro.Schema.Type.ENUM);
        assertThat(back.getFullName()).isEqualTo("io.leadscoring.events.Stage");
        assertThat(back.getEnumSymbols()).containsExactly("NEW", "MQL", "SQL");
        assertThat(back.getDoc()).isEqualTo(stageSchema.getDoc());
        assertThat(back).isEqualTo(stageSchema);
        Object symbol = new AvroData(10).fromConnectData(connect.schema(), "MQL");
        assertThat(symbol).isEqualTo(new GenericData.EnumSymbol(stageSchema, "MQL"));

        assertThatThrownBy(() -> avroData.fromConnectData(connect.schema(), "LOST"))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("'LOST' is not a symbol of enum io.leadscoring.events.Stage");
    }

    @Test
    @SuppressWarnings("unchecked")
    void generalUnionsBecomeConfluentUnionStructsNestedAnywhere() {
        org.apache.avro.Schema avro = parse("""
                {"type": "record", "name": "Holder", "namespace": "t", "fields": [
                  {"name": "choice", "type": ["null", "string", "int",
                     {"type": "record", "name": "Point", "fields": [{"name": "x", "type": "int"}]},
                     {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN"]}], "default": null},
                  {"name": "required", "type": ["long", "string"]},
                  {"name": "list", "type": {"type": "array", "items": ["null", "Point", "string"]}},
                  {"name": "byName", "type": {"type": "map", "values": ["int", "boolean"]}}
                ]}""");
        org.apache.avro.Schema point = avro.getField("choice").schema().getTypes().get(3);
        org.apache.avro.Schema color = avro.getField("choice").schema().getTypes().get(4);
        GenericData.Record p = new GenericData.Record(point);
        p.put("x", 3);
        GenericData.Record record = new GenericData.Record(avro);
        record.put("choice", p);
        record.put("required", "text");
        record.put("list", List.of(p, "s"));
        Map<String, Object> byName = new LinkedHashMap<>();
        byName.put("a", 1);
        byName.put("b", true);
        record.put("byName", byName);

        SchemaAndValue connect = avroData.toConnectData(avro, record);
        Schema schema = connect.schema();
        Struct struct = (Struct) connect.value();

        Schema choice = schema.field("choice").schema();
        assertThat(choice.name()).isEqualTo(AvroData.UNION);
        assertThat(choice.isOptional()).isTrue();
        assertThat(choice.fields()).extracting(Field::name).containsExactly("string", "int", "Point", "Color");
        assertThat(choice.fields()).allMatch(f -> f.schema().isOptional());
        Struct chosen = struct.getStruct("choice");
        assertThat(chosen.get("string")).isNull();
        assertThat(chosen.getStruct("Point").get("x")).isEqualTo(3);
        Schema required = schema.field("required").schema();
        assertThat(required.isOptional()).isFalse();
        assertThat(struct.getStruct("required").get("string")).isEqualTo("text");
        assertThat(struct.getStruct("required").get("long")).isNull();
        List<Object> list = struct.getArray("list");
        assertThat(((Struct) list.get(0)).getStruct("Point").get("x")).isEqualTo(3);
        assertThat(((Struct) list.get(1)).get("string")).isEqualTo("s");
        Map<Object, Object> map = struct.getMap("byName");
        assertThat(((Struct) map.get("a")).get("int")).isEqualTo(1);
        assertThat(((Struct) map.get("b")).get("boolean")).isEqualTo(true);

        // Derived back, the unions are the same unions.
        AvroData fresh = new AvroData(10);
        org.apache.avro.Schema derived = fresh.fromConnectSchema(schema);
        assertThat(derived.getField("choice").schema().getTypes()).extracting(org.apache.avro.Schema::getType)
                .containsExactly(org.apache.avro.Schema.Type.NULL, org.apache.avro.Schema.Type.STRING,
                        org.apache.avro.Schema.Type.INT, org.apache.avro.Schema.Type.RECORD,
                        org.apache.avro.Schema.Type.ENUM);
        assertThat(derived.getField("required").schema()).isEqualTo(avro.getField("required").schema());
        Object written = fresh.fromConnectData(schema, struct);
        assertThat(GenericData.get().validate(derived, written)).isTrue();
        assertThat(written.toString()).isEqualTo(record.toString());

        // A null union and an enum branch.
        Struct other = new Struct(schema)
                .put("choice", new Struct(choice).put("Color", "GREEN"))
                .put("required", new Struct(required).put("long", 9L))
                .put("list", java.util.Arrays.asList(null, new Struct(schema.field("list").schema().valueSchema())
                        .put("string", "x")))
                .put("byName", Map.of());
        GenericRecord otherAvro = (GenericRecord) avroData.fromConnectData(schema, other);
        assertThat(otherAvro.get("choice")).isEqualTo(new GenericData.EnumSymbol(color, "GREEN"));
        assertThat(otherAvro.get("required")).isEqualTo(9L);
        assertThat((List<Object>) otherAvro.get("list")).containsExactly(null, "x");
        assertThat(avroData.toConnectData(avro, otherAvro).value()).isEqualTo(other);
    }

    @Test
    void fixedBytesArraysAndMaps() {
        org.apache.avro.Schema avro = parse("""
                {"type": "record", "name": "Bin", "fields": [
                  {"name": "hash", "type": {"type": "fixed", "name": "Md5", "namespace": "h", "size": 4}},
                  {"name": "blob", "type": "bytes"},
                  {"name": "tags", "type": {"type": "array", "items": "string"}, "default": ["a"]},
                  {"name": "attrs", "type": {"type": "map", "values": "string"}, "default": {}}
                ]}""");
        GenericData.Record record = new GenericData.Record(avro);
        record.put("hash", new GenericData.Fixed(avro.getField("hash").schema(), new byte[] {1, 2, 3, 4}));
        record.put("blob", ByteBuffer.wrap("hi".getBytes(StandardCharsets.UTF_8)));
        record.put("tags", List.of("x", "y"));
        record.put("attrs", Map.of("k", "v"));

        SchemaAndValue connect = avroData.toConnectData(avro, record);
        Schema schema = connect.schema();
        Struct struct = (Struct) connect.value();

        Schema hash = schema.field("hash").schema();
        assertThat(hash.type()).isEqualTo(Schema.Type.BYTES);
        assertThat(hash.name()).isEqualTo("h.Md5");
        assertThat(hash.parameters()).containsEntry(AvroData.FIXED_SIZE, "4");
        assertThat(struct.getBytes("hash")).containsExactly(1, 2, 3, 4);
        assertThat(struct.getBytes("blob")).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
        assertThat(schema.field("tags").schema().defaultValue()).isEqualTo(List.of("a"));
        assertThat(schema.field("attrs").schema().keySchema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(schema.field("attrs").schema().defaultValue()).isEqualTo(Map.of());
        assertThat(struct.getArray("tags")).containsExactly("x", "y");
        assertThat(struct.getMap("attrs")).containsEntry("k", "v");

        org.apache.avro.Schema derived = new AvroData(10).fromConnectSchema(schema);
        assertThat(derived.getField("hash").schema().getType()).isEqualTo(org.apache.avro.Schema.Type.FIXED);
        assertThat(derived.getField("hash").schema().getFullName()).isEqualTo("h.Md5");
        assertThat(derived.getField("tags").defaultVal()).isEqualTo(List.of("a"));

        Struct tooShort = new Struct(schema).put("hash", new byte[] {1}).put("blob", new byte[0])
                .put("tags", List.of()).put("attrs", Map.of());
        assertThatThrownBy(() -> new AvroData(10).fromConnectData(schema, tooShort))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("field 'hash'")
                .hasMessageContaining("size 4");
    }

    @Test
    void mapsWithNonStringKeysTravelAsMapEntryArrays() {
        Schema schema = SchemaBuilder.struct().name("t.Counts")
                .field("byId", SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA).build())
                .field("byDay", SchemaBuilder.map(Date.SCHEMA, Schema.INT64_SCHEMA).build())
                .build();
        Map<Integer, String> byId = new LinkedHashMap<>();
        byId.put(1, "one");
        byId.put(2, null);
        Struct struct = new Struct(schema).put("byId", byId)
                .put("byDay", Map.of(new java.util.Date(86_400_000L), 5L));

        org.apache.avro.Schema avro = avroData.fromConnectSchema(schema);
        org.apache.avro.Schema entries = avro.getField("byId").schema();
        assertThat(entries.getType()).isEqualTo(org.apache.avro.Schema.Type.ARRAY);
        assertThat(entries.getElementType().getFullName()).isEqualTo(AvroData.MAP_ENTRY);
        assertThat(avro.getField("byDay").schema().getElementType().getFullName()).isEqualTo(AvroData.MAP_ENTRY + "2");

        Object written = avroData.fromConnectData(schema, struct);
        assertThat(GenericData.get().validate(avro, written)).isTrue();

        AvroData fresh = new AvroData(10);
        org.apache.avro.Schema reparsed = parse(avro.toString());
        SchemaAndValue back = fresh.toConnectData(reparsed, written);
        assertThat(back.schema().field("byId").schema().type()).isEqualTo(Schema.Type.MAP);
        assertThat(back.schema().field("byId").schema().keySchema()).isEqualTo(Schema.INT32_SCHEMA);
        assertThat(((Struct) back.value()).getMap("byId")).isEqualTo(byId);
        assertThat(((Struct) back.value()).getMap("byDay")).containsEntry(new java.util.Date(86_400_000L), 5L);
    }

    @Test
    void unnamedStructsGetConfluentDefaultNames() {
        Schema inner = SchemaBuilder.struct().field("a", Schema.INT32_SCHEMA).build();
        Schema other = SchemaBuilder.struct().field("b", Schema.INT32_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().field("x", inner).field("y", other).build();

        org.apache.avro.Schema avro = avroData.fromConnectSchema(schema);

        assertThat(avro.getFullName()).isEqualTo(AvroData.DEFAULT_RECORD_NAME);
        assertThat(avro.getField("x").schema().getFullName()).isEqualTo(AvroData.DEFAULT_RECORD_NAME + "2");
        assertThat(avro.getField("y").schema().getFullName()).isEqualTo(AvroData.DEFAULT_RECORD_NAME + "3");
    }

    @Test
    void int8AndInt16RoundTrip() {
        Schema schema = SchemaBuilder.struct().name("t.Small")
                .field("b", Schema.INT8_SCHEMA).field("s", Schema.OPTIONAL_INT16_SCHEMA).build();
        Struct struct = new Struct(schema).put("b", (byte) -3).put("s", (short) 1000);

        org.apache.avro.Schema avro = avroData.fromConnectSchema(schema);
        GenericRecord record = (GenericRecord) avroData.fromConnectData(schema, struct);
        assertThat(record.get("b")).isEqualTo(-3);
        assertThat(record.get("s")).isEqualTo(1000);

        AvroData fresh = new AvroData(10);
        SchemaAndValue back = fresh.toConnectData(parse(avro.toString()), record);
        assertThat(back.schema()).isEqualTo(schema);
        assertThat(back.value()).isEqualTo(struct);
    }

    @Test
    void conflictingNamesRecursionAndNullSchemasAreDataErrors() {
        Schema a = SchemaBuilder.struct().name("t.Same").field("a", Schema.INT32_SCHEMA).build();
        Schema b = SchemaBuilder.struct().name("t.Same").field("b", Schema.STRING_SCHEMA).build();
        Schema both = SchemaBuilder.struct().name("t.Both").field("a", a).field("b", b).build();
        assertThatThrownBy(() -> avroData.fromConnectSchema(both))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("Two different Connect schemas map to the Avro name t.Same");

        org.apache.avro.Schema recursive = parse("""
                {"type": "record", "name": "Node", "fields": [
                  {"name": "next", "type": ["null", "Node"], "default": null}]}""");
        assertThatThrownBy(() -> avroData.toConnectSchema(recursive))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("Recursive Avro record Node");

        assertThatThrownBy(() -> avroData.toConnectSchema(org.apache.avro.Schema.create(
                org.apache.avro.Schema.Type.NULL)))
                .isInstanceOf(DataException.class);

        Schema badName = SchemaBuilder.struct().name("t.Bad").field("not-a-name", Schema.INT32_SCHEMA).build();
        assertThatThrownBy(() -> avroData.fromConnectSchema(badName))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("not-a-name");
    }

    @Test
    void wrongValuesNameTheField() {
        Schema stage = avroData.toConnectSchema(StageChange.getClassSchema()).field("stage").schema();
        Schema reason = SchemaBuilder.struct().name("t.Reason")
                .field("rule", stage).field("points", Schema.FLOAT64_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().name("t.Holder")
                .field("reasons", SchemaBuilder.array(reason).build()).build();
        // Connect checks Java types only: that "LOST" is no symbol of the enum is found on the way to Avro.
        Struct struct = new Struct(schema).put("reasons", List.of(
                new Struct(reason).put("rule", "SQL").put("points", 1.0),
                new Struct(reason).put("rule", "LOST").put("points", 2.0)));

        assertThatThrownBy(() -> avroData.fromConnectData(schema, struct))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("field 'reasons[1].rule'")
                .hasMessageContaining("'LOST' is not a symbol of enum io.leadscoring.events.Stage");
    }

    @Test
    void topLevelOptionalAndPrimitives() {
        org.apache.avro.Schema optionalString = parse("[\"null\", \"string\"]");
        SchemaAndValue none = avroData.toConnectData(optionalString, null);
        assertThat(none.schema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(none.value()).isNull();

        SchemaAndValue text = avroData.toConnectData(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING),
                new org.apache.avro.util.Utf8("lead-42"));
        assertThat(text.schema()).isEqualTo(Schema.STRING_SCHEMA);
        assertThat(text.value()).isEqualTo("lead-42");

        assertThat(avroData.fromConnectSchema(Schema.OPTIONAL_STRING_SCHEMA)).isEqualTo(optionalString);
        assertThat(avroData.fromConnectData(Schema.OPTIONAL_STRING_SCHEMA, "x")).isEqualTo("x");
        assertThat(avroData.fromConnectData(Schema.OPTIONAL_STRING_SCHEMA, null)).isNull();
        assertThatThrownBy(() -> avroData.fromConnectData(Schema.STRING_SCHEMA, null))
                .isInstanceOf(DataException.class);
        assertThat(avroData.fromConnectData(Schema.BYTES_SCHEMA, new byte[] {1}))
                .isEqualTo(ByteBuffer.wrap(new byte[] {1}));
    }
}
