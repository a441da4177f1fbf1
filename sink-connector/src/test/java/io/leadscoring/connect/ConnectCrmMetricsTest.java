package io.leadscoring.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ConnectCrmMetrics on Kafka's real metrics registry and JMX reporter, with the task tags Connect gives plugin
 * metrics (connector, task): the values and the JMX names docker/connect/jmx-exporter.yml matches.
 */
class ConnectCrmMetricsTest {

    static final String CONNECTOR = "crm-metrics-test";

    final Metrics metrics = new Metrics(new MetricConfig(), List.of(new JmxReporter()), Time.SYSTEM,
            new KafkaMetricsContext("kafka.connect"));
    final PluginMetricsImpl plugin = new PluginMetricsImpl(metrics,
            new LinkedHashMap<>(Map.of("connector", CONNECTOR, "task", "0")));

    @AfterEach
    void close() throws IOException {
        plugin.close();
        metrics.close();
    }

    static Map<String, String> tags(String... keysAndValues) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("connector", CONNECTOR);
        tags.put("task", "0");
        tags.put("target", "webhook");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            tags.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return tags;
    }

    double value(String name, String... tags) {
        var metric = metrics.metric(new MetricName(name, "plugins", "", tags(tags)));
        assertThat(metric).as("metric %s %s", name, tags(tags)).isNotNull();
        return ((Number) metric.metricValue()).doubleValue();
    }

    @Test
    void fixedSeriesExistAtZeroFromTheStart() {
        new ConnectCrmMetrics(plugin, CrmTarget.WEBHOOK);
        for (String outcome : List.of("delivered", "retriable", "rejected")) {
            assertThat(value(ConnectCrmMetrics.HANDOFFS, "outcome", outcome)).isZero();
        }
        assertThat(value(ConnectCrmMetrics.DEAD_LETTERS, "reason", "rejected")).isZero();
        assertThat(value(ConnectCrmMetrics.DEAD_LETTERS, "reason", "unmappable")).isZero();
        assertThat(value(ConnectCrmMetrics.RETRIES)).isZero();
        assertThat(value(ConnectCrmMetrics.LATENCY + "-bucket", "le", "Inf")).isZero();
        assertThat(value(ConnectCrmMetrics.LATENCY + "-count")).isZero();
        assertThat(metrics.metrics().keySet()).as("no request series before a request")
                .noneMatch(n -> n.name().equals(ConnectCrmMetrics.REQUESTS));
    }

    @Test
    void countsRequestsByOutcomeAndStatusAndTheirLatencyInCumulativeBuckets() {
        ConnectCrmMetrics crm = new ConnectCrmMetrics(plugin, CrmTarget.WEBHOOK);
        crm.request(RequestOutcome.SUCCESS, "201", Duration.ofMillis(30));
        crm.request(RequestOutcome.RATE_LIMITED, "429", Duration.ofMillis(200));
        crm.request(RequestOutcome.RETRIABLE, "503", Duration.ofSeconds(2));
        crm.request(RequestOutcome.RETRIABLE, "503", Duration.ofSeconds(2));
        crm.request(RequestOutcome.RETRIABLE, "timeout", Duration.ofSeconds(40));

        assertThat(value(ConnectCrmMetrics.REQUESTS, "outcome", "success", "status", "201")).isEqualTo(1);
        assertThat(value(ConnectCrmMetrics.REQUESTS, "outcome", "rate_limited", "status", "429")).isEqualTo(1);
        assertThat(value(ConnectCrmMetrics.REQUESTS, "outcome", "retriable", "status", "503")).isEqualTo(2);
        assertThat(value(ConnectCrmMetrics.REQUESTS, "outcome", "retriable", "status", "timeout")).isEqualTo(1);

        String bucket = ConnectCrmMetrics.LATENCY + "-bucket";
        assertThat(value(bucket, "le", "0.025")).isZero();
        assertThat(value(bucket, "le", "0.05")).isEqualTo(1);
        assertThat(value(bucket, "le", "0.25")).isEqualTo(2);
        assertThat(value(bucket, "le", "1.0")).isEqualTo(2);
        assertThat(value(bucket, "le", "2.5")).isEqualTo(4);
        assertThat(value(bucket, "le", "30.0")).isEqualTo(4);
        assertThat(value(bucket, "le", "Inf")).as("over the last bound: only +Inf").isEqualTo(5);
        assertThat(value(ConnectCrmMetrics.LATENCY + "-count")).isEqualTo(5);
        assertThat(value(ConnectCrmMetrics.LATENCY + "-sum")).isCloseTo(44.23, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void countsHandoffsRetriesAndDeadLetters() {
        ConnectCrmMetrics crm = new ConnectCrmMetrics(plugin, CrmTarget.WEBHOOK);
        crm.handoff(Outcome.Kind.DELIVERED);
        crm.handoff(Outcome.Kind.DELIVERED);
        crm.handoff(Outcome.Kind.TRANSIENT);
        crm.handoff(Outcome.Kind.PERMANENT);
        crm.retry();
        crm.deadLettered(CrmMetrics.DeadLetterReason.UNMAPPABLE);

        assertThat(value(ConnectCrmMetrics.HANDOFFS, "outcome", "delivered")).isEqualTo(2);
        assertThat(value(ConnectCrmMetrics.HANDOFFS, "outcome", "retriable")).isEqualTo(1);
        assertThat(value(ConnectCrmMetrics.HANDOFFS, "outcome", "rejected")).isEqualTo(1);
        assertThat(value(ConnectCrmMetrics.RETRIES)).isEqualTo(1);
        assertThat(value(ConnectCrmMetrics.DEAD_LETTERS, "reason", "unmappable")).isEqualTo(1);
        assertThat(value(ConnectCrmMetrics.DEAD_LETTERS, "reason", "rejected")).isZero();
    }

    @Test
    void appearsInJmxUnderConnectsPluginGroup() throws Exception {
        ConnectCrmMetrics crm = new ConnectCrmMetrics(plugin, CrmTarget.HUBSPOT);
        crm.request(RequestOutcome.RATE_LIMITED, "429", Duration.ofMillis(120));

        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        String base = "kafka.connect:type=plugins,connector=" + CONNECTOR + ",task=0,target=hubspot";
        assertThat(jmx.getAttribute(new ObjectName(base + ",outcome=rate_limited,status=429"),
                ConnectCrmMetrics.REQUESTS)).isEqualTo(1.0);
        assertThat(jmx.getAttribute(new ObjectName(base + ",le=0.25"), ConnectCrmMetrics.LATENCY + "-bucket"))
                .isEqualTo(1.0);
        assertThat(jmx.getAttribute(new ObjectName(base + ",le=Inf"), ConnectCrmMetrics.LATENCY + "-bucket"))
                .isEqualTo(1.0);
        assertThat(jmx.getAttribute(new ObjectName(base), ConnectCrmMetrics.RETRIES)).isEqualTo(0.0);
    }

    @Test
    void metricsOfAStoppedTaskAreGoneAndLateRequestsDoNotThrow() throws IOException {
        ConnectCrmMetrics crm = new ConnectCrmMetrics(plugin, CrmTarget.WEBHOOK);
        plugin.close();
        crm.request(RequestOutcome.SUCCESS, "200", Duration.ofMillis(5));
        assertThat(metrics.metrics().keySet()).noneMatch(n -> n.group().equals("plugins"));
    }

    @Test
    void requestOutcomesFollowTheStatusClasses() {
        assertThat(RequestOutcome.of(200)).isEqualTo(RequestOutcome.SUCCESS);
        assertThat(RequestOutcome.of(207)).isEqualTo(RequestOutcome.SUCCESS);
        assertThat(RequestOutcome.of(429)).isEqualTo(RequestOutcome.RATE_LIMITED);
        assertThat(RequestOutcome.of(503)).isEqualTo(RequestOutcome.RETRIABLE);
        assertThat(RequestOutcome.of(408)).isEqualTo(RequestOutcome.RETRIABLE);
        assertThat(RequestOutcome.of(423)).isEqualTo(RequestOutcome.RETRIABLE);
        assertThat(RequestOutcome.of(401)).isEqualTo(RequestOutcome.CONFIG_ERROR);
        assertThat(RequestOutcome.of(404)).isEqualTo(RequestOutcome.CONFIG_ERROR);
        assertThat(RequestOutcome.of(302)).isEqualTo(RequestOutcome.CONFIG_ERROR);
        assertThat(RequestOutcome.of(400)).isEqualTo(RequestOutcome.REJECTED);
        assertThat(RequestOutcome.of(422)).isEqualTo(RequestOutcome.REJECTED);
        assertThat(RequestOutcome.failureStatus(new CompletionException(new HttpTimeoutException("t"))))
                .isEqualTo("timeout");
        assertThat(RequestOutcome.failureStatus(new TimeoutException())).isEqualTo("timeout");
        assertThat(RequestOutcome.ofFailure(new CompletionException(new IOException("reset"))))
                .isEqualTo(RequestOutcome.RETRIABLE);
        assertThat(RequestOutcome.failureStatus(new IOException("reset"))).isEqualTo("io_error");
        assertThat(RequestOutcome.ofFailure(new IllegalArgumentException("bad header")))
                .isEqualTo(RequestOutcome.ERROR);
    }
}
