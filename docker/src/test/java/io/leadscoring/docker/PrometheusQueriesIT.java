package io.leadscoring.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every query of every dashboard panel and alert rule, run through a real Prometheus that scrapes the real
 * pipeline ({@code bin/lead-scoring demo}: broker, scoring application, Connect, traffic): the scoring application's
 * /metrics, and the Connect worker's through the Prometheus JMX exporter on docker/connect/jmx-exporter.yml, as in
 * docker-compose.yml (the demo runs the exporter in its JVM, where its Connect worker runs). The demo's CRM inbox
 * answers some requests 503 or 429, so failure and retry series exist. Each must succeed and
 * return a non-empty result: an empty result is how a misspelled metric or label shows. Alert rules are queried
 * without their thresholds (see {@link Queries#alertOperands}), which are empty by design while nothing fires.
 */
class PrometheusQueriesIT {

    private static final Path ROOT = Queries.MODULE.getParent();
    private static final Path WORK = Queries.MODULE.resolve("target/prometheus-it");
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    /**
     * Micrometer's Kafka binder registers the metrics of new tasks and nodes (end-to-end latency among them) on
     * its refresh, every 60 s after the client starts, so give it two of them.
     */
    private static final Duration METRICS_WITHIN = Duration.ofSeconds(150);

    /** The demo's line for the Connect worker's Prometheus endpoint. */
    private static final Pattern CONNECT_METRICS =
            Pattern.compile("^  Connect metrics +http://127\\.0\\.0\\.1:(\\d+)/metrics\\b.*");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        // Prometheus first, then the demo: SIGTERM lets the demo stop its broker and remove nothing it should keep.
        for (Process process : reversed(processes)) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void everyDashboardAndAlertQueryReturnsSeries() throws Exception {
        Path prometheus = Binaries.require("prometheus");
        deleteRecursively(WORK);
        Files.createDirectories(WORK);

        int apiPort = freePort();
        Path demoLog = WORK.resolve("demo.log");
        processes.add(new ProcessBuilder(ROOT.resolve("bin/lead-scoring").toString(), "demo",
                // Longer than this test: it is stopped by SIGTERM once the queries are done.
                "--duration", "600s", "--seed", "42", "--port", Integer.toString(apiPort),
                "--data-dir", WORK.resolve("demo-data").toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(demoLog.toFile()).start());
        awaitLine(demoLog, "Ready in ", READY_WITHIN);
        awaitLine(demoLog, "  Connect metrics ", Duration.ofSeconds(10));
        Matcher connectMetrics = Files.readAllLines(demoLog).stream().map(CONNECT_METRICS::matcher)
                .filter(Matcher::matches).findFirst().orElseThrow(() -> new AssertionError(
                        "the demo serves no Connect metrics:\n" + readQuietly(demoLog)));

        int prometheusPort = freePort();
        Path config = WORK.resolve("prometheus.yml");
        // The shipped alert rules, loaded as they are, so Prometheus also evaluates them (see rulesEvaluate).
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + Queries.ALERTS,
                "scrape_configs:",
                "  - job_name: lead-scoring",
                "    metrics_path: /metrics",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + apiPort + "']",
                "  - job_name: connect",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + connectMetrics.group(1) + "']",
                ""));
        Path prometheusLog = WORK.resolve("prometheus.log");
        processes.add(new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + WORK.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(prometheusLog.toFile()).start());
        URI api = URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/");

        Map<String, String> queries = new LinkedHashMap<>();
        Queries.dashboardQueries().forEach((panel, expr) -> queries.put("panel " + panel, expr));
        Queries.alertExpressions().forEach((alert, expr) -> {
            List<String> operands = Queries.alertOperands(expr);
            for (int i = 0; i < operands.size(); i++) {
                queries.put("alert " + alert + " operand " + (i + 1), operands.get(i));
            }
        });

        // Poll until every query has series: the first scrapes, rate()'s second sample and the binder's refresh
        // all take their time, and none of them is worth a fixed sleep.
        long deadline = System.nanoTime() + METRICS_WITHIN.toNanos();
        Map<String, String> empty = new LinkedHashMap<>(queries);
        while (!empty.isEmpty() && System.nanoTime() < deadline) {
            for (Map.Entry<String, String> query : new ArrayList<>(empty.entrySet())) {
                JsonNode answer = query(api, query.getValue());
                if (answer == null) {
                    break; // Prometheus not up yet
                }
                // A syntax error or an unknown function does not heal by waiting.
                assertThat(answer.path("status").asText()).as("%s: %s%n%s", query.getKey(), query.getValue(), answer)
                        .isEqualTo("success");
                if (!answer.path("data").path("result").isEmpty()) {
                    empty.remove(query.getKey());
                }
            }
            if (!empty.isEmpty()) {
                Thread.sleep(2000);
            }
        }
        System.out.printf("PrometheusQueriesIT: %d queries, %d empty%n", queries.size(), empty.size());
        assertThat(empty).as("queries with no series after %d s (a wrong metric or label name?)",
                METRICS_WITHIN.toSeconds()).isEmpty();

        rulesEvaluate(api);
    }

    /** Prometheus itself evaluates every shipped rule without an error. */
    private void rulesEvaluate(URI api) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            JsonNode groups = Queries.JSON.readTree(get(api.resolve("rules")).body()).path("data").path("groups");
            List<String> notOk = new ArrayList<>();
            int rules = 0;
            for (JsonNode group : groups) {
                for (JsonNode rule : group.path("rules")) {
                    rules++;
                    if (!"ok".equals(rule.path("health").asText())) {
                        notOk.add(rule.path("name").asText() + ": " + rule.path("health").asText() + " "
                                + rule.path("lastError").asText());
                    }
                }
            }
            if ((notOk.isEmpty() && rules == Queries.alertExpressions().size()) || System.nanoTime() > deadline) {
                assertThat(rules).isEqualTo(Queries.alertExpressions().size());
                assertThat(notOk).isEmpty();
                return;
            }
            Thread.sleep(1000);
        }
    }

    /** The API's answer, or null while Prometheus does not accept connections yet. */
    private JsonNode query(URI api, String promql) throws Exception {
        try {
            HttpResponse<String> response = get(api.resolve("query?query="
                    + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
            return Queries.JSON.readTree(response.body());
        } catch (IOException e) {
            return null;
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void awaitLine(Path log, String prefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readAllLines(log).stream().anyMatch(l -> l.startsWith(prefix))) {
                return;
            }
            Process demo = processes.get(0);
            assertThat(demo.isAlive()).as("the demo exited with %s:%n%s",
                    demo.isAlive() ? "" : demo.exitValue(), Files.readString(log)).isTrue();
            Thread.sleep(500);
        }
        throw new AssertionError("no '" + prefix + "' within " + timeout.toSeconds() + " s:\n" + Files.readString(log));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static List<Process> reversed(List<Process> list) {
        List<Process> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(p);
            }
        }
    }
}
