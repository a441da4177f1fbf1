package io.leadscoring.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadscoring.events.StageChange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/lead-scoring demo} as a newcomer runs it, in its own JVM: SQL handoffs reach the CRM inbox through the
 * Connect worker within a minute, every handoff on {@code leads.sql-handoffs} is in the inbox exactly once, and the
 * demo stops cleanly and starts again on the same data directory.
 */
class DemoIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = ROOT.resolve("bin/lead-scoring");
    private static final Duration READY_WITHIN = Duration.ofSeconds(30);
    private static final Duration FIRST_HANDOFF_WITHIN = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofSeconds(40);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(60);

    private static final Pattern READY = Pattern.compile("^Ready in (\\d+) s\\.$");
    private static final Pattern INBOX = Pattern.compile("^  CRM inbox +(http://\\S+)$");
    private static final Pattern KAFKA = Pattern.compile("^  Kafka +bootstrap\\.servers=(\\S+)$");
    private static final Pattern HANDOFF = Pattern.compile("^  SQL -> CRM  (lead-\\d+)");
    private static final Pattern SQLS =
            Pattern.compile("^  SQLs +(\\d+) \\((\\d+) handoffs on leads\\.sql-handoffs\\)$");
    private static final Pattern DELIVERED = Pattern.compile("^  CRM deliveries +(\\d+) new in the inbox, (\\d+) dup");

    @TempDir
    Path dir;

    @Test
    void handoffsReachTheCrmInboxThroughTheConnectorAndTheDemoRestartsOnItsData() throws Exception {
        Path data = dir.resolve("data");
        int apiPort = DataDir.freePort();

        // First run: a fresh data directory, simulated traffic, stopped by --duration.
        DemoProcess first = DemoProcess.start(dir.resolve("first.log"), "--duration", RUN.toSeconds() + "s",
                "--data-dir", data.toString(), "--seed", "42", "--port", Integer.toString(apiPort));
        long readyAt;
        try {
            String ready = first.await(READY, READY_WITHIN.plusSeconds(30));
            readyAt = System.nanoTime();
            assertThat(Duration.ofSeconds(Long.parseLong(ready))).as("ready").isLessThan(READY_WITHIN);
            String lead = first.await(HANDOFF, FIRST_HANDOFF_WITHIN);
            System.out.printf("DemoIT: ready in %s s, first handoff printed %.1f s later%n", ready,
                    (System.nanoTime() - readyAt) / 1e9);
            assertThat(inboxHandoffIds(URI.create(first.await(INBOX, Duration.ofSeconds(10))))).isNotEmpty();
            // The README's promise: the score API answers for a lead the CRM just received.
            HttpResponse<String> score = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + apiPort + "/leads/" + lead)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(score.statusCode()).as(score.body()).isEqualTo(200);
            assertThat(score.body()).contains("\"leadId\":\"" + lead + "\"", "\"stage\":\"SQL\"");
        } catch (Throwable e) {
            first.destroy();
            throw e;
        }
        assertThat(first.waitFor(RUN.plus(STOP_WITHIN))).as("exit status of the first run:%n%s", first.output())
                .isZero();
        Matcher sqls = first.match(SQLS);
        Matcher delivered = first.match(DELIVERED);
        long onTopic = Long.parseLong(sqls.group(2));
        assertThat(onTopic).isPositive();
        assertThat(Long.parseLong(sqls.group(1))).as("SQL stage changes").isEqualTo(onTopic);
        assertThat(Long.parseLong(delivered.group(1))).as("distinct handoffs in the inbox").isEqualTo(onTopic);
        Set<String> printedLeads = first.all(HANDOFF);
        assertThat(printedLeads).hasSize((int) onTopic);
        assertThat(first.output()).contains("storage formatted in", "Stopped in")
                .as("no request with a bad signature").doesNotContain(" rejected");

        // Second run on the same data: the broker's storage is reused, the inbox remembers its handoffs.
        DemoProcess second = DemoProcess.start(dir.resolve("second.log"), "--duration", "0", "--rate", "0",
                "--data-dir", data.toString(), "--port", Integer.toString(apiPort));
        try {
            second.await(READY, READY_WITHIN.plusSeconds(30));
            assertThat(second.output()).contains("storage reused from");
            if (ListeningSockets.supported()) {
                // Every socket the demo listens on (broker, controller, Connect, CRM inbox, HTTP API) is loopback.
                List<ListeningSockets.Socket> sockets = ListeningSockets.of(second.pid());
                System.out.println("DemoIT: the demo listens on " + sockets);
                assertThat(sockets).as("listening sockets of the demo JVM").hasSizeGreaterThanOrEqualTo(5)
                        .allSatisfy(s -> assertThat(s.loopback()).as("%s:%d is loopback", s.address(), s.port())
                                .isTrue());
                assertThat(sockets).extracting(ListeningSockets.Socket::port).contains(apiPort);
            }
            Map<String, String> topic = handoffsOnTopic(second.await(KAFKA, Duration.ofSeconds(10)));
            assertThat(topic.values()).as("leads handed over").containsExactlyInAnyOrderElementsOf(printedLeads);
            assertThat(inboxHandoffIds(URI.create(second.await(INBOX, Duration.ofSeconds(10)))))
                    .as("the inbox holds each handoff once")
                    .containsExactlyInAnyOrderElementsOf(topic.keySet());
        } finally {
            second.destroy(); // SIGTERM
        }
        assertThat(second.waitFor(STOP_WITHIN)).as("exit status after SIGTERM:%n%s", second.output()).isZero();
        assertThat(second.output()).contains("Stopped in").doesNotContain("Exception");
    }

    /** Handoff id to lead id, for every committed record of {@code leads.sql-handoffs}. */
    private static Map<String, String> handoffsOnTopic(String bootstrapServers) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        SpecificDatumReader<StageChange> reader = new SpecificDatumReader<>(StageChange.class);
        Map<String, String> handoffs = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("leads.sql-handoffs").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read to the end in time").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    // Confluent's wire format: magic byte, 4-byte schema id, then the Avro binary.
                    byte[] value = record.value();
                    StageChange change = read(reader, value);
                    handoffs.put(change.getHandoffId(), change.getLeadId());
                }
            }
        }
        return handoffs;
    }

    private static StageChange read(SpecificDatumReader<StageChange> reader, byte[] value) {
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
        } catch (IOException e) {
            throw new AssertionError("not a StageChange", e);
        }
    }

    private static Set<String> inboxHandoffIds(URI inbox) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(inbox).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> json = new ObjectMapper().readValue(response.body(), new TypeReference<>() {
        });
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> handoffs = (List<Map<String, Object>>) json.get("handoffs");
        Set<String> ids = new HashSet<>();
        handoffs.forEach(h -> ids.add(h.get("handoffId").toString()));
        assertThat(json.get("distinct")).as("distinct").isEqualTo(ids.size());
        return ids;
    }

    /** The launcher in a child process, its output in a file. */
    private static final class DemoProcess {
        private final Process process;
        private final Path log;

        private DemoProcess(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        static DemoProcess start(Path log, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "demo"));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new DemoProcess(process, log);
        }

        /** Waits for a line matching the pattern; its first group. */
        String await(Pattern pattern, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = tryMatch(pattern);
                if (m != null) {
                    return m.group(1);
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the demo exited with " + process.exitValue() + " before '" + pattern
                            + "':\n" + output());
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no '" + pattern + "' within " + timeout.toSeconds() + " s:\n" + output());
        }

        Matcher match(Pattern pattern) throws IOException {
            Matcher m = tryMatch(pattern);
            if (m == null) {
                throw new AssertionError("no '" + pattern + "' in:\n" + output());
            }
            return m;
        }

        Set<String> all(Pattern pattern) throws IOException {
            Set<String> found = new HashSet<>();
            for (String line : output().split("\\R")) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    found.add(m.group(1));
                }
            }
            return found;
        }

        int waitFor(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the demo did not stop within " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        }

        void destroy() {
            process.destroy();
        }

        /** The demo JVM's: the launcher execs java. */
        long pid() {
            return process.pid();
        }

        String output() throws IOException {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        }

        private Matcher tryMatch(Pattern pattern) throws IOException {
            for (String line : output().split("\\R")) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            }
            return null;
        }
    }
}
