package io.leadscoring.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

import io.leadscoring.serde.AvroSerializationException.Reason;
import io.leadscoring.serde.registry.BoundedCache;
import io.leadscoring.serde.registry.RestClientException;
import io.leadscoring.serde.registry.SchemaRegistryClient;

/**
 * Reads Confluent's wire format: the writer schema comes from the registry by the id in the header; the reader
 * schema is the generated class's when {@code specific.avro.reader} is on, else the writer schema (giving a
 * GenericRecord). Strings come back as String, bytes as byte[], as with Confluent. Null bytes give null.
 *
 * <p>Bytes that cannot be read raise {@link AvroSerializationException} with a {@link Reason}; a registry that
 * cannot be reached raises {@link io.leadscoring.serde.registry.SchemaRegistryUnavailableException} instead.
 * Thread-safe; the Avro reader is cached per schema id and decoders are reused per thread.
 */
public class KafkaAvroDeserializer extends AbstractKafkaAvroSerDe implements Deserializer<Object> {

    private static final DecoderFactory DECODERS = DecoderFactory.get();
    private static final ThreadLocal<BinaryDecoder[]> DECODER = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

    private boolean specificReader = KafkaAvroDeserializerConfig.SPECIFIC_AVRO_READER_DEFAULT;
    private Boolean forcedSpecific;
    private GenericData genericData = GenericData.get();
    private volatile BoundedCache<Integer, Reader> readers = new BoundedCache<>(1000);

    public KafkaAvroDeserializer() {
    }

    /** With a given registry client (e.g. a {@link io.leadscoring.serde.registry.MockSchemaRegistry}). */
    public KafkaAvroDeserializer(SchemaRegistryClient client) {
        super(client);
    }

    public KafkaAvroDeserializer(SchemaRegistryClient client, Map<String, ?> props) {
        super(client);
        configure(props, false);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(new KafkaAvroDeserializerConfig(configs), isKey);
    }

    protected void configure(KafkaAvroDeserializerConfig config, boolean isKey) {
        configureClient(config);
        this.specificReader = forcedSpecific != null ? forcedSpecific : config.specificAvroReader();
        this.genericData = config.useLogicalTypeConverters() ? AvroSchemaUtils.genericDataWithConversions()
                : GenericData.get();
        this.readers = new BoundedCache<>(config.getInt(AbstractKafkaSchemaSerDeConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG));
    }

    /** For the typed wrappers: read specific (or generic) records whatever specific.avro.reader says. */
    void forceSpecificReader(boolean specific) {
        this.forcedSpecific = specific;
        this.specificReader = specific;
        this.readers = new BoundedCache<>(1000);
    }

    @Override
    public Object deserialize(String topic, byte[] bytes) {
        return bytes == null ? null : deserialize(topic, bytes, 0, bytes.length);
    }

    @Override
    public Object deserialize(String topic, Headers headers, byte[] bytes) {
        return deserialize(topic, bytes);
    }

    /** Reads straight from the consumer's buffer when it has an array, without copying the record. */
    @Override
    public Object deserialize(String topic, Headers headers, ByteBuffer data) {
        if (data == null) {
            return null;
        }
        if (data.hasArray()) {
            return deserialize(topic, data.array(), data.arrayOffset() + data.position(), data.remaining());
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return deserialize(topic, copy, 0, copy.length);
    }

    @Override
    public void close() {
        super.close();
    }

    private Object deserialize(String topic, byte[] buf, int offset, int length) {
        if (length == 0) {
            throw new AvroSerializationException(topic, Reason.NO_MAGIC_BYTE, -1, "no magic byte (empty payload)",
                    null);
        }
        if (buf[offset] != MAGIC_BYTE) {
            throw new AvroSerializationException(topic, Reason.NO_MAGIC_BYTE, -1,
                    String.format("no magic byte (first byte 0x%02x, expected 0x00)", buf[offset] & 0xff), null);
        }
        if (length < HEADER_SIZE) {
            throw new AvroSerializationException(topic, Reason.TRUNCATED, -1, "truncated header (" + length
                    + " bytes, expected at least " + HEADER_SIZE + ")", null);
        }
        int id = (buf[offset + 1] & 0xff) << 24 | (buf[offset + 2] & 0xff) << 16 | (buf[offset + 3] & 0xff) << 8
                | buf[offset + 4] & 0xff;
        Reader reader = readers.get(id);
        if (reader == null) {
            reader = newReader(topic, id);
            readers.put(id, reader);
        }
        if (reader.failure != null) {
            throw new AvroSerializationException(topic, reader.failure, id, reader.failureDetail, null);
        }
        int bodyOffset = offset + HEADER_SIZE;
        int bodyLength = length - HEADER_SIZE;
        if (reader.datumReader == null) {
            return Arrays.copyOfRange(buf, bodyOffset, bodyOffset + bodyLength);
        }
        BinaryDecoder[] holder = DECODER.get();
        BinaryDecoder decoder = DECODERS.binaryDecoder(buf, bodyOffset, bodyLength, holder[0]);
        holder[0] = decoder;
        try {
            Object value = reader.datumReader.read(null, decoder);
            return reader.writer.getType() == Schema.Type.STRING ? value.toString() : value;
        } catch (EOFException e) {
            throw new AvroSerializationException(topic, Reason.TRUNCATED, id, "truncated Avro body (" + bodyLength
                    + " bytes after the header end before a complete " + reader.writer.getFullName()
                    + " of schema id " + id + ")", e);
        } catch (IOException | RuntimeException e) {
            // Avro reports malformed data with AvroRuntimeException, IndexOutOfBounds, NegativeArraySize, ...
            throw new AvroSerializationException(topic, Reason.INVALID_AVRO, id, "Avro body does not decode with "
                    + "writer schema id " + id + " (" + reader.writer.getFullName() + "): " + e, e);
        }
    }

    private Reader newReader(String topic, int id) {
        Schema writer;
        try {
            writer = client().getSchemaById(id);
        } catch (RestClientException e) {
            // Only the registry's "schema not found" blames the record: a bare 404 means a wrong URL or path.
            if (e.errorCode() == RestClientException.SCHEMA_NOT_FOUND) {
                throw new AvroSerializationException(topic, Reason.UNKNOWN_SCHEMA_ID, id, "unknown schema id " + id
                        + " (" + e.getMessage() + ")", e);
            }
            if (e.errorCode() == RestClientException.INVALID_SCHEMA) {
                throw new AvroSerializationException(topic, Reason.INVALID_AVRO, id, e.getMessage(), e);
            }
            throw e;
        }
        if (writer.getType() == Schema.Type.BYTES) {
            return new Reader(writer, null, null, null);
        }
        if (!specificReader || AvroSchemaUtils.isPrimitive(writer)) {
            return new Reader(writer, new GenericDatumReader<>(writer, writer, genericData), null, null);
        }
        return switch (writer.getType()) {
            case RECORD, ENUM, FIXED -> specificReader(id, writer);
            default -> new Reader(writer, new SpecificDatumReader<>(writer, writer, SpecificData.get()), null, null);
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Reader specificReader(int id, Schema writer) {
        Class<?> type = specificClass(writer);
        if (type == null) {
            return new Reader(writer, null, Reason.UNKNOWN_READER_CLASS, "no generated class "
                    + writer.getFullName() + " for writer schema id " + id + " (specific.avro.reader=true)");
        }
        SpecificData model = SpecificData.getForClass((Class) type);
        Schema readerSchema = model.getSchema(type);
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
        // A writer that only adds enum symbols is read: a record that uses a new symbol gets the reader enum's
        // default, or fails alone (INVALID_AVRO, "No match for ..."), instead of every record of that schema.
        if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE && !onlyMissingEnumSymbols(compatibility)) {
            return new Reader(writer, null, Reason.INCOMPATIBLE_SCHEMA, "writer schema id " + id
                    + " cannot be read as " + type.getName() + ": " + compatibility.getResult().getIncompatibilities());
        }
        return new Reader(writer, new SpecificDatumReader<>(writer, readerSchema, model), null, null);
    }

    private static boolean onlyMissingEnumSymbols(SchemaCompatibility.SchemaPairCompatibility compatibility) {
        var incompatibilities = compatibility.getResult().getIncompatibilities();
        return !incompatibilities.isEmpty() && incompatibilities.stream()
                .allMatch(i -> i.getType() == SchemaCompatibility.SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS);
    }

    private static Class<?> specificClass(Schema writer) {
        Class<?> type = SpecificData.get().getClass(writer);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (type == null && context != null && context != SpecificData.class.getClassLoader()) {
            type = new SpecificData(context).getClass(writer);
        }
        if (type != null && writer.getType() == Schema.Type.RECORD && !SpecificRecord.class.isAssignableFrom(type)) {
            return null;
        }
        return type;
    }

    /** How to read one schema id: an Avro reader (null for raw bytes), or why its records cannot be read. */
    private record Reader(Schema writer, DatumReader<Object> datumReader, Reason failure, String failureDetail) {
    }
}
