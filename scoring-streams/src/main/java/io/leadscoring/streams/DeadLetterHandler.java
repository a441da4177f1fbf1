package io.leadscoring.streams;

import io.leadscoring.serde.AvroSerializationException;
import io.leadscoring.serde.registry.RestClientException;
import io.leadscoring.serde.registry.SchemaRegistryUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
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

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null ? Topics.DEFAULT_DEAD_LETTER : topic.toString();
        if (configs.get(METRICS_CONFIG) instanceof ScoringMetrics configured) {
            metrics = configured;
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
        log.warn("Dead-lettering record {}-{}@{}: {} ({})", context.topic(), context.partition(), context.offset(),
                reason, exception.getMessage());
        Headers headers = new RecordHeaders(context.headers() == null ? null : context.headers().toArray());
        headers.add(HEADER_REASON, bytes(reason));
        headers.add(HEADER_ERROR, bytes(String.valueOf(exception.getMessage())));
        headers.add(HEADER_TOPIC, bytes(context.topic()));
        headers.add(HEADER_PARTITION, bytes(Integer.toString(context.partition())));
        headers.add(HEADER_OFFSET, bytes(Long.toString(context.offset())));
        headers.add(HEADER_PROCESSOR, bytes(context.processorNodeId()));
        Long timestamp = context.timestamp() >= 0 ? context.timestamp() : null;
        metrics.deadLetter(reason);
        return List.of(new ProducerRecord<>(deadLetterTopic, null, timestamp, key, value, headers));
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
