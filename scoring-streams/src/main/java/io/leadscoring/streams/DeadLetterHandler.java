package io.leadscoring.streams;

import io.leadscoring.serde.AvroSerializationException;
import io.leadscoring.serde.registry.RestClientException;
import io.leadscoring.serde.registry.SchemaRegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every record that cannot be read (bad bytes) or breaks the input contract to the dead-letter topic, as its
 * original bytes with headers saying why and where it came from, and lets processing go on. Anything else (a schema
 * registry that is down or refuses a request, a failure inside processing, a bug) fails the task: such a record is
 * not bad, and skipping it would lose it.
 */
public class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    public static final String HEADER_REASON = "dlq.reason";
    public static final String HEADER_ERROR = "dlq.error";
    public static final String HEADER_TOPIC = "dlq.topic";
    public static final String HEADER_PARTITION = "dlq.partition";
    public static final String HEADER_OFFSET = "dlq.offset";
    public static final String HEADER_PROCESSOR = "dlq.processor";
    /** Present when the original key and value were left out because the dead letter would be too large. */
    public static final String HEADER_OMITTED = "dlq.omitted";

    /** Longest {@value #HEADER_ERROR} and logged error: a message may quote a multi-megabyte input. */
    static final int MAX_ERROR_LENGTH = 1000;
    /** Room left for the record's and batch's own framing under the producer's size limit. */
    static final int FRAMING_BYTES = 1024;

    /** Reason of a record that decoded but broke the input contract. */
    public static final String REASON_INVALID_RECORD = "INVALID_RECORD";
    /** Reason of bytes a serde other than the Avro one refused (e.g. a key that is not UTF-8). */
    public static final String REASON_UNREADABLE = "UNREADABLE";

    /**
     * Configuration key of the {@link ScoringMetrics} that counts dead letters: Kafka Streams makes this handler from
     * its class name, so the instance comes in with the configuration ({@link ScoringTopology#streamsDefaults}).
     */
    public static final String METRICS_CONFIG = "leadscoring.scoring.metrics";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String deadLetterTopic;
    private ScoringMetrics metrics = ScoringMetrics.NONE;
    private int maxRecordBytes = 1024 * 1024; // the producer's default max.request.size

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null ? Topics.DEFAULT_DEAD_LETTER : topic.toString();
        if (configs.get(METRICS_CONFIG) instanceof ScoringMetrics configured) {
            metrics = configured;
        }
        Object maxRequest = configs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (maxRequest == null) {
            maxRequest = configs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        if (maxRequest != null) {
            maxRecordBytes = Integer.parseInt(maxRequest.toString().trim());
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
            ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = unreadableReason(exception);
        if (reason == null) {
            return DeserializationExceptionHandler.Response.fail();
        }
        return DeserializationExceptionHandler.Response.resume(
                deadLetter(context, record.key(), record.value(), reason, exception));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
            Exception exception) {
        if (!(exception instanceof InvalidRecordException)) {
            return ProcessingExceptionHandler.Response.fail();
        }
        String reason = REASON_INVALID_RECORD;
        return ProcessingExceptionHandler.Response.resume(
                deadLetter(context, context.sourceRawKey(), context.sourceRawValue(), reason, exception));
    }

    /** Why the bytes of a record cannot be read, or null when that is not the record's fault. */
    static String unreadableReason(Exception exception) {
        // The serde has already judged these bytes bad (an unknown schema id carries the registry's 404 as cause).
        if (exception instanceof AvroSerializationException avro) {
            return avro.reason().name();
        }
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryUnavailableException || t instanceof RestClientException) {
                return null;
            }
        }
        return exception instanceof SerializationException ? REASON_UNREADABLE : null;
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, byte[] key, byte[] value,
            String reason, Exception exception) {
        String error = shorten(String.valueOf(exception.getMessage()));
        log.warn("Dead-lettering record {}-{}@{}: {} ({})", context.topic(), context.partition(), context.offset(),
                reason, error);
        Headers headers = new RecordHeaders(context.headers() == null ? null : context.headers().toArray());
        headers.add(HEADER_REASON, bytes(reason));
        headers.add(HEADER_ERROR, bytes(error));
        headers.add(HEADER_TOPIC, bytes(context.topic()));
        headers.add(HEADER_PARTITION, bytes(Integer.toString(context.partition())));
        headers.add(HEADER_OFFSET, bytes(Long.toString(context.offset())));
        headers.add(HEADER_PROCESSOR, bytes(context.processorNodeId()));
        Long timestamp = context.timestamp() >= 0 ? context.timestamp() : null;
        int size = length(key) + length(value);
        for (Header header : headers) {
            size += header.key().length() + length(header.value());
        }
        if (size + FRAMING_BYTES > maxRecordBytes) {
            // The producer would refuse it and fail the task on every retry: a stall. The original stays in its
            // input topic at the offset the headers name, for as long as that topic retains it.
            headers.add(HEADER_OMITTED, bytes("key of " + length(key) + " and value of " + length(value)
                    + " bytes left out: the dead letter would exceed max.request.size=" + maxRecordBytes));
            log.warn("Dead letter of {}-{}@{} without its key and value: {} bytes exceed max.request.size={}",
                    context.topic(), context.partition(), context.offset(), size, maxRecordBytes);
            key = null;
            value = null;
        }
        metrics.deadLetter(reason);
        return List.of(new ProducerRecord<>(deadLetterTopic, null, timestamp, key, value, headers));
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    static String shorten(String message) {
        return message.length() <= MAX_ERROR_LENGTH ? message
                : message.substring(0, MAX_ERROR_LENGTH) + "... (" + message.length() + " characters)";
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
