package io.leadscoring.connect;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CRM sink's metrics as Kafka Connect plugin metrics (KIP-877, {@code SinkTaskContext.pluginMetrics()}): they
 * live in the worker's metrics registry and appear in JMX like Connect's own, as
 * {@code kafka.connect:type=plugins,connector=<name>,task=<n>,target=<crm>,...} with the metric name as attribute,
 * and disappear when the task stops. docker/connect/jmx-exporter.yml maps them to Prometheus names.
 *
 * <ul>
 *   <li>{@value #REQUESTS} {outcome, status}: HTTP requests to the CRM ({@link RequestOutcome});</li>
 *   <li>{@value #LATENCY}-bucket {le}, -sum, -count: request latency in seconds ({@link LatencyHistogram});
 *       the {@code +Inf} bucket is tagged {@code le=Inf} ({@code +} is not a plain JMX value; the exporter rules
 *       restore it);</li>
 *   <li>{@value #HANDOFFS} {outcome = delivered, retriable, rejected}: per handoff and delivery attempt;</li>
 *   <li>{@value #RETRIES}: delivery attempts scheduled again after a transient failure;</li>
 *   <li>{@value #DEAD_LETTERS} {reason = rejected, unmappable}: records written to the dead-letter queue.</li>
 * </ul>
 * Every series but the requests' exists from the start at 0, so a rate over it is 0, not absent. Request series
 * appear with their first (outcome, status) pair: the statuses a CRM answers are not known in advance.
 */
public final class ConnectCrmMetrics implements CrmMetrics {

    public static final String REQUESTS = "crm-requests-total";
    public static final String LATENCY = "crm-request-latency-seconds";
    public static final String HANDOFFS = "crm-handoffs-total";
    public static final String RETRIES = "crm-retries-total";
    public static final String DEAD_LETTERS = "crm-dead-letter-records-total";
    /** The {@code le} tag of the bucket that counts every request. */
    public static final String INF = "Inf";

    private static final Logger log = LoggerFactory.getLogger(ConnectCrmMetrics.class);

    private final PluginMetrics plugin;
    private final String target;
    private final ConcurrentMap<List<String>, LongAdder> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<Outcome.Kind, LongAdder> handoffs = new ConcurrentHashMap<>();
    private final ConcurrentMap<DeadLetterReason, LongAdder> deadLetters = new ConcurrentHashMap<>();
    private final LongAdder retries = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    public ConnectCrmMetrics(PluginMetrics plugin, CrmTarget target) {
        this.plugin = plugin;
        this.target = target.name().toLowerCase(Locale.ROOT);
        for (Outcome.Kind kind : Outcome.Kind.values()) {
            LongAdder adder = new LongAdder();
            handoffs.put(kind, adder);
            add(HANDOFFS, "Handoffs by outcome of a delivery attempt: delivered, retriable (tried again) or rejected "
                    + "(dead-lettered)", tags("outcome", handoffLabel(kind)), adder::sum);
        }
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            LongAdder adder = new LongAdder();
            deadLetters.put(reason, adder);
            add(DEAD_LETTERS, "Records written to the dead-letter queue, by reason",
                    tags("reason", reason.name().toLowerCase(Locale.ROOT)), adder::sum);
        }
        add(RETRIES, "Delivery attempts scheduled again after a transient failure", tags(), retries::sum);
        for (int i = 0; i < LatencyHistogram.BOUNDS.size(); i++) {
            int index = i;
            add(LATENCY + "-bucket", "CRM requests that took at most le seconds",
                    tags("le", LatencyHistogram.label(LatencyHistogram.BOUNDS.get(i))),
                    () -> latency.cumulativeCount(index));
        }
        add(LATENCY + "-bucket", "CRM requests that took at most le seconds", tags("le", INF), latency::count);
        add(LATENCY + "-sum", "Total seconds of CRM requests", tags(), latency::sumSeconds);
        add(LATENCY + "-count", "CRM requests timed", tags(), latency::count);
    }

    /** The tag value of a handoff outcome: delivered, retriable or rejected. */
    static String handoffLabel(Outcome.Kind kind) {
        return switch (kind) {
            case DELIVERED -> "delivered";
            case TRANSIENT -> "retriable";
            case PERMANENT -> "rejected";
        };
    }

    @Override
    public void request(RequestOutcome outcome, String status, Duration took) {
        latency.record(took);
        requests.computeIfAbsent(List.of(outcome.label(), status), key -> {
            LongAdder adder = new LongAdder();
            add(REQUESTS, "HTTP requests to the CRM by outcome and status", tags("outcome", key.get(0), "status",
                    key.get(1)), adder::sum);
            return adder;
        }).increment();
    }

    @Override
    public void handoff(Outcome.Kind kind) {
        handoffs.get(kind).increment();
    }

    @Override
    public void retry() {
        retries.increment();
    }

    @Override
    public void deadLettered(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    private LinkedHashMap<String, String> tags(String... keysAndValues) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("target", target);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            tags.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return tags;
    }

    private void add(String name, String description, LinkedHashMap<String, String> tags, DoubleSupplier value) {
        try {
            MetricName metricName = plugin.metricName(name, description, tags);
            plugin.addMetric(metricName, (Measurable) (config, now) -> value.getAsDouble());
        } catch (RuntimeException e) {
            // Closed with the task while a late response was still being counted: the count is simply not exported.
            log.debug("Could not register plugin metric {} {}", name, tags, e);
        }
    }
}
