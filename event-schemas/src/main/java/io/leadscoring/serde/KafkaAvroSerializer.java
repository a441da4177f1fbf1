package io.leadscoring.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import io.leadscoring.serde.registry.BoundedCache;
import io.leadscoring.serde.registry.RegisteredSchema;
import io.leadscoring.serde.registry.RestClientException;
import io.leadscoring.serde.registry.SchemaRegistryClient;
import io.leadscoring.serde.subject.SubjectNameStrategy;
import io.leadscoring.serde.subject.TopicNameStrategy;

/**
 * Writes Confluent's wire format: magic byte 0, the 4-byte big-endian schema id, then the Avro binary encoding
 * (byte arrays as they are, as Confluent does). Accepts SpecificRecord, GenericRecord and other Avro containers,
 * and the primitives null, Boolean, Integer, Long, Float, Double, CharSequence, byte[] and ByteBuffer. A null value
 * gives null bytes (a tombstone).
 *
 * <p>The schema id comes from registering the schema ({@code auto.register.schemas}, default), else from the
 * subject's latest version ({@code use.latest.version}), else from looking the schema up. Thread-safe; the id and
 * the Avro writer are cached per topic and schema, and encoders are reused per thread.
 */
public class KafkaAvroSerializer extends AbstractKafkaAvroSerDe implements Serializer<Object> {

    private static final EncoderFactory ENCODERS = EncoderFactory.get();
    private static final GenericData GENERIC = AvroSchemaUtils.genericDataWithConversions();
    private static final ThreadLocal<WriteBuffer> BUFFERS = ThreadLocal.withInitial(WriteBuffer::new);

    private boolean isKey;
    private boolean autoRegister = AbstractKafkaSchemaSerDeConfig.AUTO_REGISTER_SCHEMAS_DEFAULT;
    private boolean useLatest = AbstractKafkaSchemaSerDeConfig.USE_LATEST_VERSION_DEFAULT;
    private boolean normalize = AbstractKafkaSchemaSerDeConfig.NORMALIZE_SCHEMAS_DEFAULT;
    private SubjectNameStrategy keyStrategy = new TopicNameStrategy();
    private SubjectNameStrategy valueStrategy = new TopicNameStrategy();
    private volatile BoundedCache<WriterKey, Writer> writers = new BoundedCache<>(1000);

    public KafkaAvroSerializer() {
    }

    /** With a given registry client (e.g. a {@link io.leadscoring.serde.registry.MockSchemaRegistry}). */
    public KafkaAvroSerializer(SchemaRegistryClient client) {
        super(client);
    }

    public KafkaAvroSerializer(SchemaRegistryClient client, Map<String, ?> props) {
        super(client);
        configure(props, false);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        configure(new KafkaAvroSerializerConfig(configs), isKey);
    }

    protected void configure(KafkaAvroSerializerConfig config, boolean isKey) {
        this.isKey = isKey;
        configureClient(config);
        this.autoRegister = config.autoRegisterSchema();
        this.useLatest = config.useLatestVersion();
        this.normalize = config.normalizeSchemas();
        this.keyStrategy = config.getConfiguredInstance(AbstractKafkaSchemaSerDeConfig.KEY_SUBJECT_NAME_STRATEGY,
                SubjectNameStrategy.class);
        this.valueStrategy = config.getConfiguredInstance(
                AbstractKafkaSchemaSerDeConfig.VALUE_SUBJECT_NAME_STRATEGY, SubjectNameStrategy.class);
        this.writers = new BoundedCache<>(config.getInt(AbstractKafkaSchemaSerDeConfig.MAX_SCHEMAS_PER_SUBJECT_CONFIG));
    }

    @Override
    public byte[] serialize(String topic, Object data) {
        if (data == null) {
            return null;
        }
        Schema schema = AvroSchemaUtils.schemaOf(data);
        Class<?> specificClass = data instanceof SpecificRecord ? data.getClass() : null;
        WriterKey key = new WriterKey(topic, schema, specificClass, -1);
        Writer writer;
        if (useLatest && !autoRegister) {
            writer = latestWriter(key);
        } else {
            writer = writers.get(key);
            if (writer == null) {
                writer = newWriter(key);
                writers.put(key, writer);
            }
        }
        return write(topic, writer, data);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, Object data) {
        return serialize(topic, data);
    }

    @Override
    public void close() {
        super.close();
    }

    private Writer newWriter(WriterKey key) {
        String subject = subjectOf(key.topic, key.schema);
        int id;
        try {
            id = autoRegister ? client().register(subject, key.schema, normalize)
                    : client().getId(subject, key.schema, normalize);
        } catch (RestClientException e) {
            throw new SerializationException((autoRegister ? "Error registering Avro schema under subject '"
                    : "Error looking up Avro schema (auto.register.schemas=false) under subject '") + subject
                    + "' for topic '" + key.topic + "': " + e.getMessage(), e);
        }
        return new Writer(subject, id, datumWriter(key.schema, key.specificClass));
    }

    private Writer latestWriter(WriterKey dataKey) {
        String subject = subjectOf(dataKey.topic, dataKey.schema);
        RegisteredSchema latest;
        try {
            latest = client().getLatestVersion(subject);
        } catch (RestClientException e) {
            throw new SerializationException("use.latest.version: cannot get the latest version of subject '"
                    + subject + "' for topic '" + dataKey.topic + "': " + e.getMessage(), e);
        }
        WriterKey key = new WriterKey(dataKey.topic, dataKey.schema, dataKey.specificClass, latest.id());
        Writer writer = writers.get(key);
        if (writer == null) {
            writer = new Writer(subject, latest.id(), latestDatumWriter(dataKey, latest));
            writers.put(key, writer);
        }
        return writer;
    }

    /**
     * The bytes must match the latest schema's id: when the data's schema has another layout, the datum is
     * resolved into the latest schema (as a reader would) before being written with it.
     */
    private DatumWriter<Object> latestDatumWriter(WriterKey key, RegisteredSchema latest) {
        Schema target = latest.schema();
        if (SchemaNormalization.parsingFingerprint64(key.schema) == SchemaNormalization.parsingFingerprint64(target)) {
            return datumWriter(key.schema, key.specificClass);
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(target, key.schema);
        if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
            throw new SerializationException("use.latest.version: the latest version (id " + latest.id()
                    + ") of subject '" + latest.subject() + "' cannot represent data of schema "
                    + key.schema.getFullName() + ": " + compatibility.getDescription());
        }
        return new ProjectingWriter(datumWriter(key.schema, key.specificClass), key.schema, target);
    }

    private String subjectOf(String topic, Schema schema) {
        return (isKey ? keyStrategy : valueStrategy).subjectName(topic, isKey, schema);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static DatumWriter<Object> datumWriter(Schema schema, Class<?> specificClass) {
        if (schema.getType() == Schema.Type.BYTES) {
            return null; // written raw, as Confluent does
        }
        if (specificClass != null) {
            return new SpecificDatumWriter<>(schema, SpecificData.getForClass((Class) specificClass));
        }
        return new GenericDatumWriter<>(schema, GENERIC);
    }

    private byte[] write(String topic, Writer writer, Object data) {
        WriteBuffer buffer = BUFFERS.get();
        if (buffer.inUse) {
            buffer = new WriteBuffer(); // re-entered from inside a write on this thread
        }
        buffer.inUse = true;
        boolean written = false;
        try {
            ByteArrayOutputStream out = buffer.out;
            out.reset();
            out.write(MAGIC_BYTE);
            out.write(writer.id >>> 24);
            out.write(writer.id >>> 16);
            out.write(writer.id >>> 8);
            out.write(writer.id);
            if (writer.datumWriter == null) {
                if (data instanceof byte[] bytes) {
                    out.write(bytes, 0, bytes.length);
                } else {
                    ByteBuffer bytes = ((ByteBuffer) data).duplicate();
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    out.write(copy, 0, copy.length);
                }
            } else {
                BinaryEncoder encoder = ENCODERS.binaryEncoder(out, buffer.encoder);
                buffer.encoder = encoder;
                writer.datumWriter.write(data, encoder);
                encoder.flush();
            }
            byte[] bytes = out.toByteArray();
            written = true;
            return bytes;
        } catch (IOException | RuntimeException e) {
            // Avro reports a datum that does not fit its schema with NPEs, ClassCastExceptions and the like.
            throw new SerializationException("Error serializing Avro message for topic '" + topic + "' (subject '"
                    + writer.subject + "', schema id " + writer.id + "): " + e, e);
        } finally {
            buffer.release(written);
        }
    }

    private record WriterKey(String topic, Schema schema, Class<?> specificClass, int latestId) {
    }

    private record Writer(String subject, int id, DatumWriter<Object> datumWriter) {
    }

    private static final class WriteBuffer {
        private static final int KEEP_AT_MOST = 1 << 20;
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        BinaryEncoder encoder;
        boolean inUse;

        void release(boolean written) {
            inUse = false;
            // A failed write leaves bytes in the encoder's buffer, which reusing it would flush into the next record.
            if (!written || out.size() > KEEP_AT_MOST) {
                out = new ByteArrayOutputStream(512); // do not pin one huge record's buffer to the thread
                encoder = null;
            }
        }
    }

    /** Writes a datum of one schema as data of another, resolving it the way an Avro reader would. */
    private static final class ProjectingWriter implements DatumWriter<Object> {
        private final DatumWriter<Object> source;
        private final GenericDatumReader<Object> resolver;
        private final GenericDatumWriter<Object> target;

        ProjectingWriter(DatumWriter<Object> source, Schema sourceSchema, Schema targetSchema) {
            this.source = source;
            this.resolver = new GenericDatumReader<>(sourceSchema, targetSchema, GENERIC);
            this.target = new GenericDatumWriter<>(targetSchema, GENERIC);
        }

        @Override
        public void setSchema(Schema schema) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(Object datum, Encoder out) throws IOException {
            ByteArrayOutputStream tmp = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = ENCODERS.directBinaryEncoder(tmp, null);
            source.write(datum, encoder);
            encoder.flush();
            Object resolved = resolver.read(null, DecoderFactory.get().binaryDecoder(tmp.toByteArray(), null));
            target.write(resolved, out);
        }
    }
}
