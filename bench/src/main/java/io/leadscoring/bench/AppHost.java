package io.leadscoring.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadscoring.app.ScoringApplication;
import io.leadscoring.streams.ScoringConfig;
import io.leadscoring.streams.ScoringSerdes;
import io.leadscoring.streams.ScoringTopology;
import io.leadscoring.streams.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A child JVM that runs one Kafka Streams application for the end-to-end runs, so that its heap, resident set and CPU
 * time are its own: the scoring application exactly as {@code run} starts it, or a pass-through topology with the
 * same Kafka Streams configuration. Talks over standard streams: prints {@code READY} once Kafka Streams is RUNNING;
 * on a {@code STOP} line closes the application and prints {@code RESULT <json>}.
 *
 * <p>Arguments: {@code scoring|passthrough-avro|passthrough-bytes PROPERTIES-FILE}.
 */
public final class AppHost {

    static final String READY = "READY";
    static final String STOP = "STOP";
    static final String RESULT = "RESULT ";
    /** Prefix of the pass-through topology's output topics (bench-only property, not passed to Kafka). */
    static final String PASS_THROUGH_PREFIX = "bench.passthrough.prefix";

    private AppHost() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        String prefix = (String) props.remove(PASS_THROUGH_PREFIX);
        Schemas.registerAll();

        AtomicLong heapPeak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                heapPeak.accumulateAndGet(Memory.heapUsed(), Math::max);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-memory-sampler");
        sampler.setDaemon(true);
        sampler.start();

        AutoCloseable app;
        KafkaStreams streams;
        if (mode.equals("scoring")) {
            props.put(ScoringConfig.HTTP_ENABLED, "false");
            ScoringApplication scoring = new ScoringApplication(props);
            scoring.start();
            app = scoring;
            streams = scoring.streams();
        } else {
            boolean avro = mode.equals("passthrough-avro");
            ScoringConfig config = new ScoringConfig(props);
            Topics topics = config.topics();
            ScoringSerdes serdes = ScoringSerdes.avro(config.passThrough());
            // The same properties the scoring application gives Kafka Streams (ScoringApplication#streamsProperties).
            Properties streamsProps = ScoringTopology.streamsDefaults(topics);
            streamsProps.putAll(config.passThrough());
            streams = new KafkaStreams(PassThroughTopology.build(topics, prefix, avro ? serdes : null), streamsProps);
            KafkaStreams passThrough = streams;
            app = () -> {
                passThrough.close(CloseOptions.timeout(Duration.ofSeconds(30))
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
                serdes.close();
            };
            streams.start();
        }
        awaitRunning(streams, Duration.ofSeconds(120));
        long cpuAtReady = cpuNanos();
        System.out.println(READY);
        System.out.flush();

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.trim().equals(STOP)) {
            // Nothing else is said on standard input.
        }
        long cpu = cpuNanos() - cpuAtReady;
        long heapAtStop = Memory.heapUsed();
        long heapLive = Memory.heapLive();
        app.close();
        sampler.interrupt();

        ObjectNode result = new ObjectMapper().createObjectNode();
        result.put("mode", mode);
        result.put("cpuSeconds", cpu / 1e9);
        result.put("heapPeakBytes", Math.max(heapPeak.get(), heapAtStop));
        result.put("heapLiveBytes", heapLive);
        result.put("heapMaxBytes", Memory.heapMax());
        result.put("rssBytes", Memory.rss());
        result.put("rssPeakBytes", Memory.rssPeak());
        Path stateDir = Path.of(props.getProperty(StreamsConfig.STATE_DIR_CONFIG));
        result.put("stateSstBytes", sizeOf(stateDir, true));
        result.put("stateDirBytes", sizeOf(stateDir, false));
        System.out.println(RESULT + result);
        System.out.flush();
        System.exit(0);
    }

    private static void awaitRunning(KafkaStreams streams, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (!streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                throw new IllegalStateException("Kafka Streams stopped while starting: " + streams.state());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka Streams not RUNNING within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /** CPU time of the whole process (every thread), nanoseconds. */
    static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /**
     * Bytes under the state directory after a clean close, which flushes RocksDB's memtables: the SST files alone
     * (RocksDB's total-sst-files-size) or every file (with RocksDB's logs, manifests and options, and checkpoints).
     */
    static long sizeOf(Path dir, boolean sstOnly) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !sstOnly || p.getFileName().toString().endsWith(".sst"))
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        }
    }
}
