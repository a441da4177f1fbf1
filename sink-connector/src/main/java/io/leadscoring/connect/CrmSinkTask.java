package io.leadscoring.connect;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps each record to a {@link Handoff}, buffers the handoffs and delivers them to the CRM in batches of
 * {@code batch.size}; a partial batch waits up to {@code linger.ms} for more records.
 *
 * <p>Per record: delivered, or permanently failed (reported to the errant record reporter when Connect has one,
 * else the task fails), or transiently failed (kept and retried by {@link RetryPolicy}: {@code context.timeout}
 * plus a {@link RetriableException}, so Connect redelivers the same records after the wait; records this task
 * already handled or still buffers are skipped on redelivery).
 *
 * <p>Offsets: {@link #preCommit} commits, per partition, only up to the first record that is not yet handled
 * (delivered or permanently failed), so a buffered or retrying record holds its partition back.
 *
 * <p>Metrics: handoff outcomes, retries, dead letters and the clients' HTTP requests go to {@link ConnectCrmMetrics}
 * on the worker's plugin metrics ({@code context.pluginMetrics()}).
 */
public class CrmSinkTask extends SinkTask {

    private static final Logger log = LoggerFactory.getLogger(CrmSinkTask.class);

    private final BiFunction<CrmSinkConfig, CrmMetrics, CrmClient> clientFactory;
    private final Clock clock;
    private final DoubleSupplier random;

    private CrmSinkConfig config;
    private CrmClient client;
    private CrmMetrics metrics = CrmMetrics.NONE;
    private RetryPolicy retryPolicy;
    private int batchSize;
    private Duration linger;

    /** Mapped records awaiting delivery, in arrival order. */
    private final List<Pending> buffer = new ArrayList<>();
    /** Per original topic-partition: which records are handled, for redelivery skipping and preCommit. */
    private final Map<TopicPartition, Progress> progress = new HashMap<>();

    private int retries;
    private Instant firstFailure;
    private Instant retryNotBefore = Instant.MIN;
    /**
     * The fatal failure of this task, if any: found in {@link #flush} it is thrown by the next {@link #put}
     * (throwing from flush only makes Connect rewind); once set, nothing more is delivered.
     */
    private ConnectException deferredFailure;

    public CrmSinkTask() {
        this(CrmSinkTask::createClient, Clock.systemUTC(), new SecureRandom()::nextDouble);
    }

    /** For tests: the CRM client, the clock and the jitter source of the retry backoff ([0, 1)). */
    CrmSinkTask(BiFunction<CrmSinkConfig, CrmMetrics, CrmClient> clientFactory, Clock clock, DoubleSupplier random) {
        this.clientFactory = Objects.requireNonNull(clientFactory, "clientFactory");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    static CrmClient createClient(CrmSinkConfig config, CrmMetrics metrics) {
        return switch (config.target()) {
            case WEBHOOK -> WebhookCrmClient.fromConfig(config, metrics);
            case HUBSPOT -> HubSpotCrmClient.fromConfig(config, metrics);
            case SALESFORCE -> SalesforceCrmClient.fromConfig(config, metrics);
        };
    }

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        config = new CrmSinkConfig(props);
        batchSize = config.batchSize();
        linger = config.linger();
        retryPolicy = new RetryPolicy(config.getInt(CrmSinkConfig.MAX_RETRIES),
                Duration.ofMillis(config.getLong(CrmSinkConfig.RETRY_BACKOFF_MS)),
                Duration.ofMillis(config.getLong(CrmSinkConfig.RETRY_BACKOFF_MAX_MS)),
                Duration.ofMillis(config.getLong(CrmSinkConfig.RETRY_TIMEOUT_MS)), random, clock);
        metrics = createMetrics(config.target());
        client = Objects.requireNonNull(clientFactory.apply(config, metrics), "CRM client");
        log.info("Started CRM sink task: crm.target={}, batch.size={}, linger.ms={}", config.target(), batchSize,
                linger.toMillis());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (deferredFailure != null) {
            throw deferredFailure;
        }
        try {
            bufferAndDeliver(records);
        } catch (RetriableException e) {
            throw e;
        } catch (ConnectException e) {
            // Fatal: Connect still calls preCommit/close while shutting the task down; deliver nothing more.
            deferredFailure = e;
            throw e;
        }
    }

    private void bufferAndDeliver(Collection<SinkRecord> records) {
        for (SinkRecord record : records) {
            accept(record);
        }
        if (buffer.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(retryNotBefore)) {
            if (buffer.size() >= batchSize) {
                // Backpressure: no new records until the backoff is over (these are skipped on redelivery).
                long wait = Math.max(1, Duration.between(now, retryNotBefore).toMillis());
                context.timeout(wait);
                throw new RetriableException("CRM delivery is backing off for " + wait + " ms before retry " + retries);
            }
            return;
        }
        deliver(false);
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        if (buffer.isEmpty() || deferredFailure != null || clock.instant().isBefore(retryNotBefore)) {
            return;
        }
        try {
            deliver(true);
        } catch (RetriableException e) {
            log.debug("Flush left {} handoffs buffered for retry: {}", buffer.size(), e.getMessage());
        } catch (ConnectException e) {
            log.error("CRM delivery failed during flush; the task fails at the next put", e);
            deferredFailure = e;
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        flush(currentOffsets);
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : currentOffsets.keySet()) {
            Progress p = progress.get(tp);
            if (p != null && p.committable >= 0) {
                commit.put(tp, new OffsetAndMetadata(p.committable));
            }
        }
        return commit;
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        // The new owner of these partitions starts at the committed offsets: drop what we hold for them.
        Set<TopicPartition> closed = new HashSet<>(partitions);
        int before = buffer.size();
        buffer.removeIf(p -> closed.contains(p.tp));
        closed.forEach(progress::remove);
        if (buffer.size() != before) {
            log.info("Dropped {} undelivered handoffs of closed partitions {}", before - buffer.size(), closed);
        }
        if (buffer.isEmpty()) {
            resetRetries();
        }
    }

    @Override
    public void stop() {
        if (client != null) {
            try {
                client.close();
            } catch (RuntimeException e) {
                log.warn("Closing the CRM client failed", e);
            } finally {
                client = null;
            }
        }
    }

    // ---- internals ----

    private void accept(SinkRecord record) {
        TopicPartition tp = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
        long offset = record.originalKafkaOffset();
        Progress p = progress.computeIfAbsent(tp, k -> new Progress());
        if (p.isKnown(offset)) {
            log.debug("Skipping {}-{}@{}: already delivered, handled or buffered by this task", tp.topic(),
                    tp.partition(), offset);
            return;
        }
        p.track(offset);
        Handoff handoff;
        try {
            handoff = HandoffMapper.map(record.value());
        } catch (UnmappableRecordException e) {
            String message = "Record " + coordinates(tp, offset) + " cannot be mapped to a handoff: " + e.getMessage();
            failPermanently(record, tp, offset, message, e, CrmMetrics.DeadLetterReason.UNMAPPABLE);
            return;
        }
        buffer.add(new Pending(record, tp, offset, handoff, clock.instant()));
    }

    /**
     * Delivers full batches; the last partial batch only when {@code force} or older than linger.ms. Throws
     * {@link RetriableException} (after {@code context.timeout}) on a transient failure that will be retried,
     * {@link ConnectException} when giving up or on a permanent failure without an errant record reporter.
     */
    private void deliver(boolean force) {
        while (!buffer.isEmpty()) {
            if (!force && retries == 0 && buffer.size() < batchSize
                    && Duration.between(buffer.get(0).bufferedAt, clock.instant()).compareTo(linger) < 0) {
                return; // linger: wait for more records (put is called periodically, flush forces)
            }
            List<Pending> batch = new ArrayList<>(buffer.subList(0, Math.min(batchSize, buffer.size())));
            DeliveryResult result = client.deliver(batch.stream().map(Pending::handoff).toList());
            if (result.outcomes().size() != batch.size()) {
                throw new ConnectException("CRM client returned " + result.outcomes().size() + " outcomes for a batch of "
                        + batch.size() + " handoffs");
            }
            int transients = 0;
            Set<Pending> handled = new HashSet<>();
            for (int i = 0; i < batch.size(); i++) {
                Pending pending = batch.get(i);
                Outcome outcome = result.outcomes().get(i).outcome();
                metrics.handoff(outcome.kind());
                if (outcome instanceof Outcome.Delivered) {
                    handled.add(pending);
                    progress.get(pending.tp).markHandled(pending.offset);
                } else if (outcome instanceof Outcome.Permanent perm) {
                    handled.add(pending);
                    failPermanently(pending.record, pending.tp, pending.offset, "Handoff " + pending.handoff.handoffId()
                            + " (lead " + pending.handoff.leadId() + ") from " + coordinates(pending.tp, pending.offset)
                            + " was rejected permanently: " + perm.reason(), null, CrmMetrics.DeadLetterReason.REJECTED);
                } else {
                    transients++; // stays buffered, in order
                }
            }
            buffer.removeIf(handled::contains);
            if (transients == 0) {
                resetRetries();
                continue;
            }
            retryLater(batch, result, transients);
        }
    }

    private void retryLater(List<Pending> batch, DeliveryResult result, int transients) {
        Instant now = clock.instant();
        if (firstFailure == null) {
            firstFailure = now;
        }
        String reason = result.withKind(Outcome.Kind.TRANSIENT).stream()
                .map(o -> ((Outcome.Transient) o.outcome()).reason()).findFirst().orElse("transient failure");
        String what = transients + " of " + batch.size() + " handoffs (first: " + describe(firstTransient(batch, result))
                + ")";
        RetryPolicy.Decision decision = retryPolicy.decide(retries, firstFailure, result.longestRetryAfter());
        if (decision instanceof RetryPolicy.Retry retry) {
            retries++;
            metrics.retry();
            long wait = Math.max(1, retry.delay().toMillis());
            retryNotBefore = now.plusMillis(wait);
            context.timeout(wait);
            throw new RetriableException("Transient CRM failure of " + what + ": " + reason + "; retry " + retries
                    + " in " + wait + " ms");
        }
        throw new ConnectException("CRM delivery of " + what + " failed: " + reason + "; "
                + ((RetryPolicy.GiveUp) decision).reason());
    }

    private static Pending firstTransient(List<Pending> batch, DeliveryResult result) {
        for (int i = 0; i < batch.size(); i++) {
            if (result.outcomes().get(i).outcome().kind() == Outcome.Kind.TRANSIENT) {
                return batch.get(i);
            }
        }
        return batch.get(0);
    }

    private void failPermanently(SinkRecord record, TopicPartition tp, long offset, String message, Throwable cause,
            CrmMetrics.DeadLetterReason reason) {
        ErrantRecordReporter reporter = errantRecordReporter();
        if (reporter == null) {
            throw new ConnectException(message + " (no errant record reporter: set errors.tolerance=all and "
                    + "errors.deadletterqueue.topic.name to skip such records)", cause);
        }
        log.warn("{}; reporting it to the errant record reporter", message);
        try {
            // Its offset may be committed next: the dead-letter write must have landed by then.
            reporter.report(record, new ConnectException(message, cause)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while reporting " + message, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ConnectException("Could not report to the dead-letter queue: " + message, e.getCause());
        }
        metrics.deadLettered(reason);
        progress.get(tp).markHandled(offset);
    }

    /** The worker's plugin metrics for this task; none on a worker older than Kafka 4.1 (KIP-877). */
    private CrmMetrics createMetrics(CrmTarget target) {
        PluginMetrics plugin;
        try {
            plugin = context == null ? null : context.pluginMetrics();
        } catch (NoSuchMethodError | NoClassDefFoundError | UnsupportedOperationException e) {
            plugin = null;
        }
        if (plugin == null) {
            log.info("The worker offers no plugin metrics (Kafka Connect before 4.1): the CRM sink's metrics are off");
            return CrmMetrics.NONE;
        }
        return new ConnectCrmMetrics(plugin, target);
    }

    private ErrantRecordReporter errantRecordReporter() {
        try {
            return context == null ? null : context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null; // worker older than Kafka 2.6
        }
    }

    private void resetRetries() {
        retries = 0;
        firstFailure = null;
        retryNotBefore = Instant.MIN;
    }

    private static String coordinates(TopicPartition tp, long offset) {
        return "topic " + tp.topic() + " partition " + tp.partition() + " offset " + offset;
    }

    private static String describe(Pending p) {
        return "handoff " + p.handoff.handoffId() + " at " + coordinates(p.tp, p.offset);
    }

    /** A mapped record in the buffer. Identity equality: the buffer never holds the same offset twice. */
    private record Pending(SinkRecord record, TopicPartition tp, long offset, Handoff handoff, Instant bufferedAt) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /**
     * The records of one partition this task has seen, in offset order: {@code committable} is the offset after
     * the last of the leading handled ones (-1 when none yet); {@code seen} holds the later ones, handled or not.
     */
    private static final class Progress {
        long committable = -1;
        final TreeMap<Long, Boolean> seen = new TreeMap<>();

        boolean isKnown(long offset) {
            return offset < committable || seen.containsKey(offset);
        }

        void track(long offset) {
            seen.putIfAbsent(offset, Boolean.FALSE);
        }

        void markHandled(long offset) {
            seen.put(offset, Boolean.TRUE);
            Iterator<Map.Entry<Long, Boolean>> it = seen.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Long, Boolean> e = it.next();
                if (!e.getValue()) {
                    break;
                }
                committable = e.getKey() + 1;
                it.remove();
            }
        }
    }
}
