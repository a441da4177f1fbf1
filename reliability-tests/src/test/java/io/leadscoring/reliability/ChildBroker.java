package io.leadscoring.reliability;

import io.leadscoring.demo.DemoParts;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.Uuid;

/**
 * The demo's broker ({@code KafkaRaftServer}, broker and controller in one node) in a child JVM, so that it can be
 * killed and started again on the same ports and log directory, as an operator's broker restarts.
 */
final class ChildBroker implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("READY ");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Path logDir;
    private final Path log;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int brokerPort;
    private final int controllerPort;
    private ChildJvm process;
    private int starts;

    ChildBroker(Path dir) throws IOException {
        this.logDir = dir.resolve("kafka");
        this.log = dir.resolve("logs").resolve("broker.log");
        Files.createDirectories(logDir);
        this.brokerPort = freePort();
        this.controllerPort = freePort();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Starts the broker (formatting its storage the first time) and waits until it answers. */
    void start() throws Exception {
        long from = process == null ? 0 : process.logLength();
        process = ChildJvm.start("broker", "512m", List.of(), DemoParts.class.getName(),
                List.of(logDir.toString(), clusterId, Integer.toString(brokerPort), Integer.toString(controllerPort)),
                log);
        process.awaitLog(READY, from, START_TIMEOUT);
        starts++;
    }

    /** SIGKILL: no controlled shutdown, the logs are recovered at the next start. */
    void kill() throws InterruptedException {
        process.kill();
    }

    int starts() {
        return starts;
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
