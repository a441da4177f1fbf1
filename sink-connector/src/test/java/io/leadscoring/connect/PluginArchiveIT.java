package io.leadscoring.connect;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.leadscoring.testkit.EmbeddedKafka;
import io.leadscoring.testkit.KafkaBroker;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The acceptance test, as an operator would run it: the plugin archive built by {@code mvn package} is
 * unzipped into a {@code plugin.path} directory and a standalone Connect worker, in its own JVM
 * ({@code java -cp ... ConnectStandalone worker.properties connector.properties}), delivers JSON handoffs from a
 * real broker to a WireMock webhook.
 *
 * <p>The worker's classpath is the test JVM's Kafka Connect runtime without this project's classes and without the
 * jars the archive bundles (except Jackson, which Connect itself needs), so the connector can only be loaded from
 * the archive.
 *
 * <p>The archive is {@code target/lead-scoring-crm-sink-<version>.zip} of the module directory (system property
 * {@code basedir}, set by Failsafe, else the working directory), or the file named by the system property
 * {@value #ARCHIVE_PROPERTY}. The worker's log is kept in {@code target/plugin-archive-it/}.
 */
@EmbeddedKafka
class PluginArchiveIT {

    static final String ARCHIVE_PROPERTY = "connect.plugin.archive";

    private static final String PLUGIN_NAME = "lead-scoring-crm-sink";
    private static final String CONNECTOR_CLASS = "io.leadscoring.connect.CrmSinkConnector";
    private static final String CONNECTOR_CLASS_FILE = CONNECTOR_CLASS.replace('.', '/') + ".class";
    private static final String CONNECT_STANDALONE_CLASS_FILE = "org/apache/kafka/connect/cli/ConnectStandalone.class";
    private static final String SECRET = "plugin-archive-it-secret";
    private static final int HANDOFFS = 50;
    private static final Duration WORKER_START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CONNECTOR_START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    /** Connect's own JSON support and REST layer need Jackson: the one bundled jar family the worker keeps. */
    private static final Pattern SHARED_WITH_WORKER = Pattern.compile("jackson-.*\\.jar");
    /** Test tooling an operator's worker would not have; WireMock even bundles (relocated) Jetty and Jackson. */
    private static final Pattern TEST_TOOLING = Pattern.compile(
            "[/\\\\](org[/\\\\](wiremock|junit|opentest4j|apiguardian|assertj)|net[/\\\\]bytebuddy)[/\\\\]"
                    + "|surefire|failsafe|-tests?\\.jar$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path moduleDir;
    private static String projectVersion;
    private static Path archive;
    private static WireMockServer crm;

    @BeforeAll
    static void locateArchiveAndStartCrm() throws IOException {
        moduleDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();
        projectVersion = projectVersion(moduleDir);
        String configured = System.getProperty(ARCHIVE_PROPERTY, "");
        archive = configured.isBlank()
                ? moduleDir.resolve("target").resolve(PLUGIN_NAME + "-" + projectVersion + ".zip")
                : Path.of(configured).toAbsolutePath();
        assertThat(archive).as("plugin archive (run 'mvn package' first)").isRegularFile();

        crm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        crm.start();
        crm.stubFor(post(urlPathMatching("/hooks/.*")).willReturn(okJson("{\"status\":\"accepted\"}")));
    }

    @AfterAll
    static void stopCrm() {
        if (crm != null) {
            crm.stop();
        }
    }

    @ParameterizedTest(name = "plugin.discovery={0}")
    @ValueSource(strings = {"service_load", "hybrid_warn"})
    void standaloneWorkerRunsTheConnectorFromTheUnzippedArchive(String discovery, KafkaBroker broker,
            @TempDir Path work) throws Exception {
        Path plugins = Files.createDirectories(work.resolve("plugins")).toRealPath();
        Path pluginDir = unzip(archive, plugins);
        assertThat(pluginDir).isEqualTo(plugins.resolve(PLUGIN_NAME + "-" + projectVersion));
        assertThat(pluginDir.resolve("manifest.json")).isRegularFile();
        assertThat(pluginDir.resolve("lib").resolve("sink-connector-" + projectVersion + ".jar")).isRegularFile();

        List<String> classpath = workerClasspath(pluginDir.resolve("lib"));
        assertThat(classpath)
                .as("the worker's classpath must not offer the connector: it has to come from plugin.path")
                .noneMatch(entry -> containsEntry(Path.of(entry), CONNECTOR_CLASS_FILE))
                .anyMatch(entry -> containsEntry(Path.of(entry), CONNECT_STANDALONE_CLASS_FILE));

        String topic = broker.createTopic("sql-handoffs", 3);
        String connectorName = "crm-sink-" + discovery.replace('_', '-');
        String hookPath = "/hooks/" + connectorName;

        Properties worker = new Properties();
        worker.setProperty("bootstrap.servers", broker.bootstrapServers());
        worker.setProperty("plugin.path", plugins.toString());
        worker.setProperty("plugin.discovery", discovery);
        worker.setProperty("offset.storage.file.filename", work.resolve("connect.offsets").toString());
        worker.setProperty("offset.flush.interval.ms", "500");
        worker.setProperty("listeners", "http://127.0.0.1:0");
        worker.setProperty("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.setProperty("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        worker.setProperty("value.converter.schemas.enable", "false");
        // Stop quickly when the test kills the worker.
        worker.setProperty("task.shutdown.graceful.timeout.ms", "2000");

        Properties connector = new Properties();
        connector.setProperty("name", connectorName);
        connector.setProperty("connector.class", CONNECTOR_CLASS);
        connector.setProperty("tasks.max", "1");
        connector.setProperty("topics", topic);
        connector.setProperty("crm.target", "WEBHOOK");
        connector.setProperty("webhook.url", "http://127.0.0.1:" + crm.port() + hookPath);
        connector.setProperty("webhook.secret", SECRET);

        Path log = Files.createDirectories(moduleDir.resolve("target").resolve("plugin-archive-it"))
                .resolve("worker-" + discovery + ".log");
        StandaloneWorker connect = StandaloneWorker.start(classpath, write(worker, work.resolve("worker.properties")),
                write(connector, work.resolve("connector.properties")), work, log);
        try {
            connect.awaitRestServer(WORKER_START_TIMEOUT);
            assertWorkerAndPlugin(connect);
            awaitRunning(connect, connectorName);
            assertLoadedFromPluginPath(connect.log(), pluginDir, discovery);

            Map<String, String> sent = produceHandoffs(broker, topic, connectorName);
            Map<String, List<LoggedRequest>> received = awaitDeliveries(connect, hookPath, sent.keySet());
            assertDeliveries(received, sent);

            // The task that delivered is ours (its own log line) and is still running afterwards.
            assertThat(connect.log()).contains("Started CRM sink task: crm.target=WEBHOOK");
            assertStatusRunning(connect.getJson("/connectors/" + connectorName + "/status"));
        } catch (Throwable failure) {
            System.err.println("PluginArchiveIT [" + discovery + "] failed; the worker's log is " + log + "\n"
                    + connect.diagnostics());
            throw failure;
        } finally {
            connect.close();
        }
    }

    /** The worker is the Kafka runtime the test JVM has, and lists the connector with the project's version. */
    private static void assertWorkerAndPlugin(StandaloneWorker connect) throws IOException, InterruptedException {
        JsonNode root = connect.getJson("/");
        assertThat(root.path("version").asText()).as("worker's Kafka version").isEqualTo(AppInfoParser.getVersion());

        JsonNode plugins = connect.getJson("/connector-plugins");
        List<JsonNode> ours = new ArrayList<>();
        plugins.forEach(p -> {
            if (CONNECTOR_CLASS.equals(p.path("class").asText())) {
                ours.add(p);
            }
        });
        assertThat(ours).as("GET /connector-plugins: %s", plugins).hasSize(1);
        assertThat(ours.get(0).path("type").asText()).isEqualTo("sink");
        assertThat(ours.get(0).path("version").asText()).isEqualTo(projectVersion);
    }

    private static void awaitRunning(StandaloneWorker connect, String connectorName) {
        String path = "/connectors/" + connectorName + "/status";
        connect.await("connector " + connectorName + " and its task RUNNING", CONNECTOR_START_TIMEOUT, () -> {
            HttpResponse<String> response = connect.get(path);
            if (response.statusCode() != 200) {
                return false;
            }
            JsonNode status = JSON.readTree(response.body());
            // A FAILED state never recovers: fail now, with the trace, instead of at the deadline.
            assertThat(status.path("connector").path("state").asText()).as("%s", status).isNotEqualTo("FAILED");
            status.path("tasks").forEach(t -> assertThat(t.path("state").asText()).as("%s", status)
                    .isNotEqualTo("FAILED"));
            return isRunning(status);
        });
    }

    private static void assertStatusRunning(JsonNode status) {
        assertThat(isRunning(status)).as("connector status %s", status).isTrue();
    }

    private static boolean isRunning(JsonNode status) {
        JsonNode tasks = status.path("tasks");
        boolean tasksRunning = tasks.size() == 1;
        for (JsonNode task : tasks) {
            tasksRunning &= "RUNNING".equals(task.path("state").asText());
        }
        return "RUNNING".equals(status.path("connector").path("state").asText()) && tasksRunning;
    }

    /** The worker's own log says where the connector came from: an isolated loader on the plugin path. */
    private static void assertLoadedFromPluginPath(String log, Path pluginDir, String discovery) {
        assertThat(log).contains("Loading plugin from: " + pluginDir);
        assertThat(log.lines().filter(line -> line.contains("Registered loader: PluginClassLoader{pluginLocation=")))
                .as("plugin class loaders registered")
                .anyMatch(line -> line.contains("pluginLocation=file:" + pluginDir));
        if (discovery.equals("hybrid_warn")) {
            // hybrid_warn also scans reflectively, then either names the plugins without a ServiceLoader manifest
            // or says that all have one.
            int missing = log.indexOf("missing ServiceLoader manifests");
            if (missing < 0) {
                assertThat(log).contains("All plugins have ServiceLoader manifests");
            } else {
                int end = log.indexOf("Read the documentation", missing);
                assertThat(log.substring(missing, end < 0 ? log.length() : end)).doesNotContain("io.leadscoring");
            }
        }
    }

    /** HANDOFFS schemaless JSON handoffs keyed by lead id; returns handoffId to the JSON sent. */
    private static Map<String, String> produceHandoffs(KafkaBroker broker, String topic, String run)
            throws Exception {
        Map<String, String> sent = new LinkedHashMap<>();
        Map<String, Object> config = broker.producerConfig();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < HANDOFFS; i++) {
                String handoffId = run + "-handoff-" + i;
                String leadId = "lead-" + i;
                ObjectNode value = JSON.createObjectNode()
                        .put("handoffId", handoffId)
                        .put("leadId", leadId)
                        .put("stage", "SQL")
                        .put("previousStage", "MQL")
                        .put("at", 1_767_225_600_000L + i)
                        .put("score", 80.5 + i)
                        .put("fitGrade", "A")
                        .put("email", "lead" + i + "@example.com")
                        .put("company", "Acme " + i);
                value.putArray("reasons").addObject().put("rule", "pricing-page-visit").put("points", 20 + i);
                String json = JSON.writeValueAsString(value);
                acks.add(producer.send(new ProducerRecord<>(topic, leadId, json)));
                sent.put(handoffId, json);
            }
            producer.flush();
            // A record the broker refused would otherwise only show up as a missing delivery.
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        }
        return sent;
    }

    /** Polls WireMock until every handoff id arrived at least once; returns the requests by idempotency key. */
    private static Map<String, List<LoggedRequest>> awaitDeliveries(StandaloneWorker connect, String hookPath,
            Set<String> expected) {
        Map<String, List<LoggedRequest>> byKey = new TreeMap<>();
        connect.await(expected.size() + " handoffs at the webhook", DELIVERY_TIMEOUT, () -> {
            byKey.clear();
            for (LoggedRequest request : crm.findAll(postRequestedFor(urlPathEqualTo(hookPath)))) {
                byKey.computeIfAbsent(String.valueOf(request.getHeader("Idempotency-Key")), k -> new ArrayList<>())
                        .add(request);
            }
            return byKey.keySet().containsAll(expected);
        }, () -> "missing " + missing(expected, byKey.keySet()));
        return byKey;
    }

    private static void assertDeliveries(Map<String, List<LoggedRequest>> received, Map<String, String> sent)
            throws IOException, GeneralSecurityException {
        assertThat(received.keySet()).as("idempotency keys delivered")
                .containsExactlyInAnyOrderElementsOf(sent.keySet());
        for (Map.Entry<String, List<LoggedRequest>> entry : received.entrySet()) {
            String key = entry.getKey();
            // At-least-once may deliver a key twice, but a redelivery must be the same document.
            Set<String> bodies = entry.getValue().stream().map(LoggedRequest::getBodyAsString)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            assertThat(bodies).as("distinct bodies delivered under Idempotency-Key %s", key).hasSize(1);

            for (LoggedRequest request : entry.getValue()) {
                assertThat(request.getHeader("Content-Type")).as("Content-Type of %s", key)
                        .startsWith("application/json");
                assertThat(request.getHeader("X-Signature-SHA256")).as("signature of %s", key)
                        .isEqualTo("sha256=" + hmacSha256Hex(SECRET, request.getBody()));
            }

            JsonNode body = JSON.readTree(entry.getValue().get(0).getBody());
            JsonNode original = JSON.readTree(sent.get(key));
            assertThat(body.path("handoffId").asText()).as("body of %s", key).isEqualTo(key);
            assertThat(body.path("leadId").asText()).isEqualTo(original.path("leadId").asText());
            assertThat(body.path("stage").asText()).isEqualTo("SQL");
            assertThat(body.path("previousStage").asText()).isEqualTo("MQL");
            assertThat(body.path("at").asLong()).isEqualTo(original.path("at").asLong());
            assertThat(body.path("score").asDouble()).isEqualTo(original.path("score").asDouble());
            assertThat(body.path("fitGrade").asText()).isEqualTo("A");
            assertThat(body.path("email").asText()).isEqualTo(original.path("email").asText());
            assertThat(body.path("company").asText()).isEqualTo(original.path("company").asText());
            assertThat(body.path("reasons")).hasSize(1);
            assertThat(body.path("reasons").get(0).path("rule").asText()).isEqualTo("pricing-page-visit");
            assertThat(body.path("reasons").get(0).path("points").asDouble())
                    .isEqualTo(original.path("reasons").get(0).path("points").asDouble());
        }
    }

    /** Computed here with javax.crypto, independently of the connector's {@code Signatures}. */
    private static String hmacSha256Hex(String secret, byte[] body) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static Set<String> missing(Set<String> expected, Set<String> actual) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        return missing;
    }

    /**
     * The test JVM's classpath minus: this project's classes (this module's target/, event-schemas, test-support),
     * the jars the archive bundles in lib/ except Jackson, and test tooling.
     */
    private static List<String> workerClasspath(Path pluginLib) throws IOException {
        Set<String> bundled;
        try (Stream<Path> jars = Files.list(pluginLib)) {
            bundled = jars.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
        Path target = moduleDir.resolve("target");
        List<String> classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            Path path = Path.of(entry).toAbsolutePath().normalize();
            String name = path.getFileName() == null ? "" : path.getFileName().toString();
            boolean excluded = path.startsWith(target)
                    || (bundled.contains(name) && !SHARED_WITH_WORKER.matcher(name).matches())
                    || TEST_TOOLING.matcher(path.toString()).find()
                    || containsEntry(path, "io/leadscoring/");
            if (!excluded && Files.exists(path)) {
                classpath.add(path.toString());
            }
        }
        return classpath;
    }

    /** Whether a classpath directory or jar has this entry (a name ending in '/' matches any entry below it). */
    private static boolean containsEntry(Path classpathEntry, String name) {
        if (Files.isDirectory(classpathEntry)) {
            return Files.exists(classpathEntry.resolve(name));
        }
        if (!Files.isRegularFile(classpathEntry)) {
            return false;
        }
        try (ZipFile zip = new ZipFile(classpathEntry.toFile())) {
            if (!name.endsWith("/")) {
                return zip.getEntry(name) != null;
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                if (entries.nextElement().getName().startsWith(name)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Unzips the archive into {@code into} and returns its single top-level directory. */
    private static Path unzip(Path zipFile, Path into) throws IOException {
        Set<Path> topLevel = new LinkedHashSet<>();
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = into.resolve(entry.getName()).normalize();
                // Zip-slip guard: an entry must stay inside the target directory.
                assertThat(out.startsWith(into)).as("zip entry %s stays inside %s", entry.getName(), into).isTrue();
                topLevel.add(into.resolve(into.relativize(out).getName(0)));
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, out);
                    }
                }
            }
        }
        assertThat(topLevel).as("top-level entries of %s", zipFile).hasSize(1);
        return topLevel.iterator().next();
    }

    private static Path write(Properties properties, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "PluginArchiveIT");
        }
        return file;
    }

    /** The version Maven built: target/maven-archiver/pom.properties, written by the jar plugin. */
    private static String projectVersion(Path moduleDir) throws IOException {
        Path pomProperties = moduleDir.resolve("target").resolve("maven-archiver").resolve("pom.properties");
        assertThat(pomProperties).as("built by 'mvn package'").isRegularFile();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(pomProperties)) {
            p.load(in);
        }
        return p.getProperty("version");
    }

    /** A ConnectStandalone JVM, its log file and a client for its REST API. */
    private static final class StandaloneWorker implements AutoCloseable {

        private static final Pattern REST_URL = Pattern.compile("REST server listening at (http://[^,\\s]+?)/?,");
        private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

        private final Process process;
        private final Path log;
        private final Thread killOnExit;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private URI restUrl;

        private StandaloneWorker(Process process, Path log) {
            this.process = process;
            this.log = log;
            // Should the test JVM be torn down without running finally blocks, do not leave the worker behind.
            this.killOnExit = new Thread(process::destroyForcibly, "kill-connect-standalone");
            Runtime.getRuntime().addShutdownHook(killOnExit);
        }

        static StandaloneWorker start(List<String> classpath, Path workerProperties, Path connectorProperties,
                Path workDir, Path log) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx256m");
            command.add("-XX:+UseSerialGC");
            command.add("-Djava.net.preferIPv4Stack=true");
            // slf4j-simple (from the test classpath) logs INFO to stderr; the plugin-loading lines are INFO.
            command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
            command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
            command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
            command.add("-cp");
            command.add(String.join(File.pathSeparator, classpath));
            command.add("org.apache.kafka.connect.cli.ConnectStandalone");
            command.add(workerProperties.toString());
            command.add(connectorProperties.toString());
            Files.deleteIfExists(log);
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new StandaloneWorker(process, log);
        }

        /** Waits until the log names the REST listener and the API answers. */
        void awaitRestServer(Duration timeout) {
            await("the worker's REST server", timeout, () -> {
                if (restUrl == null) {
                    Matcher m = REST_URL.matcher(log());
                    if (!m.find()) {
                        return false;
                    }
                    restUrl = URI.create(m.group(1));
                }
                try {
                    return get("/").statusCode() == 200;
                } catch (IOException notYet) {
                    return false;
                }
            });
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(restUrl.resolve(path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json")
                    .GET()
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }

        JsonNode getJson(String path) throws IOException, InterruptedException {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        }

        void await(String what, Duration timeout, Callable<Boolean> condition) {
            await(what, timeout, condition, () -> "");
        }

        /** Polls the condition; fails at the deadline or as soon as the worker process has died. */
        void await(String what, Duration timeout, Callable<Boolean> condition, Callable<String> detail) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    throw new AssertionError("The Connect worker exited with " + process.exitValue()
                            + " while waiting for " + what + "; " + log + ":\n" + diagnostics());
                }
                try {
                    if (condition.call()) {
                        return;
                    }
                } catch (AssertionError | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("Failed while waiting for " + what, e);
                }
                if (System.nanoTime() - deadline > 0) {
                    String more;
                    try {
                        more = detail.call();
                    } catch (Exception e) {
                        more = e.toString();
                    }
                    throw new AssertionError("Timed out after " + timeout.toSeconds() + " s waiting for " + what
                            + (more.isEmpty() ? "" : ": " + more));
                }
                try {
                    Thread.sleep(POLL_INTERVAL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted waiting for " + what, e);
                }
            }
        }

        /** The log so far; lenient about bytes that are not UTF-8. */
        String log() {
            try {
                return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The log's first errors and their causes (rarely at the end, after the shutdown), then its last lines. */
        String diagnostics() {
            try {
                List<String> all = log().lines().toList();
                String errors = all.stream()
                        .filter(line -> line.contains(" ERROR ") || line.startsWith("Caused by: "))
                        .limit(15)
                        .collect(Collectors.joining("\n"));
                String tail = String.join("\n", all.subList(Math.max(0, all.size() - 100), all.size()));
                return (errors.isEmpty() ? "" : "--- ERROR lines ---\n" + errors + "\n")
                        + "--- last lines ---\n" + tail;
            } catch (UncheckedIOException e) {
                return "(cannot read " + log + ": " + e + ")";
            }
        }

        /** SIGTERM first, so the worker stops its task and commits offsets; then kill it. */
        @Override
        public void close() {
            try {
                process.destroy();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(killOnExit);
                } catch (IllegalStateException shuttingDown) {
                    // The hook is running or will run: nothing to remove.
                }
            }
        }
    }
}
