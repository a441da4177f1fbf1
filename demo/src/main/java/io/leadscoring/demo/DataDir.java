package io.leadscoring.demo;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import org.apache.kafka.common.Uuid;

/**
 * The demo's data directory: the broker's log directory, the scoring application's state, Connect's offsets, the CRM
 * inbox's journal, the log file, and {@code demo.properties} with what a restart must reuse (the broker's ports and
 * cluster id, the next simulated lead's number). One demo at a time: the directory is locked while in use.
 */
final class DataDir implements AutoCloseable {

    static final String STATE_FILE = "demo.properties";
    private static final String LOCK_FILE = ".lock";
    private static final String CLUSTER_ID = "cluster.id";
    private static final String BROKER_PORT = "broker.port";
    private static final String CONTROLLER_PORT = "controller.port";
    private static final String NEXT_LEAD = "simulator.next-lead";

    /** What a restart reuses. */
    record State(String clusterId, int brokerPort, int controllerPort, long nextLead) {

        State withNextLead(long next) {
            return new State(clusterId, brokerPort, controllerPort, next);
        }
    }

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final boolean fresh;
    private State state;

    private DataDir(Path root, FileChannel lockChannel, FileLock lock, boolean fresh, State state) {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.fresh = fresh;
        this.state = state;
    }

    /** The log file, known before the directory is opened: logging is set up first. */
    static Path logFile(Path root) {
        return root.resolve("logs").resolve("demo.log");
    }

    /**
     * Opens (creating it when needed) and locks the directory; a new one gets a cluster id and two free loopback
     * ports, saved at once.
     */
    static DataDir open(Path root) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("Another demo is running on " + dir + " (stop it, or pass --data-dir)");
        }
        try {
            Path stateFile = dir.resolve(STATE_FILE);
            boolean fresh = !Files.exists(stateFile);
            State state = fresh ? newState() : read(stateFile);
            DataDir dataDir = new DataDir(dir, channel, lock, fresh, state);
            if (fresh) {
                dataDir.save(state);
            }
            return dataDir;
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    Path root() {
        return root;
    }

    /** True when this run created the directory's state (first start). */
    boolean fresh() {
        return fresh;
    }

    State state() {
        return state;
    }

    Path kafkaLogDir() {
        return root.resolve("kafka");
    }

    Path streamsStateDir() {
        return root.resolve("streams");
    }

    Path connectOffsetsFile() {
        return root.resolve("connect").resolve("offsets.dat");
    }

    /** The port of the Connect worker's Prometheus metrics, written at each start. */
    Path connectMetricsPortFile() {
        return root.resolve("connect-metrics.port");
    }

    Path inboxJournal() {
        return root.resolve("crm-inbox.jsonl");
    }

    /** Saves the state; written to a temporary file first, so that a crash never leaves half a file. */
    void save(State newState) throws IOException {
        Properties props = new Properties();
        props.setProperty(CLUSTER_ID, newState.clusterId());
        props.setProperty(BROKER_PORT, Integer.toString(newState.brokerPort()));
        props.setProperty(CONTROLLER_PORT, Integer.toString(newState.controllerPort()));
        props.setProperty(NEXT_LEAD, Long.toString(newState.nextLead()));
        Path file = root.resolve(STATE_FILE);
        Path temp = root.resolve(STATE_FILE + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
            props.store(writer, "bin/lead-scoring demo: reused on restart (the broker's ports and cluster id, the next "
                    + "simulated lead). Delete the whole directory to start afresh.");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        state = newState;
    }

    /** Throws when a saved port is taken: the broker could not start, and its clients would reach the wrong one. */
    void checkPortsFree() {
        for (int port : new int[] {state.brokerPort(), state.controllerPort()}) {
            if (!isFree(port)) {
                throw new IllegalStateException("Port " + port + " (saved in " + root.resolve(STATE_FILE)
                        + ") is in use: is another Kafka or demo running? Stop it, or use another --data-dir");
            }
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }

    private static State newState() throws IOException {
        int broker = freePort();
        int controller = freePort();
        while (controller == broker) {
            controller = freePort();
        }
        return new State(Uuid.randomUuid().toString(), broker, controller, 1);
    }

    private static State read(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        try {
            return new State(required(props, CLUSTER_ID, file), Integer.parseInt(required(props, BROKER_PORT, file)),
                    Integer.parseInt(required(props, CONTROLLER_PORT, file)),
                    Long.parseLong(props.getProperty(NEXT_LEAD, "1")));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + ": " + e.getMessage() + " (delete the data directory to start "
                    + "afresh)", e);
        }
    }

    private static String required(Properties props, String key, Path file) {
        String value = props.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(file + ": " + key + " is missing (delete the data directory to start "
                    + "afresh)");
        }
        return value.trim();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(DemoDefaults.LOOPBACK), 0));
            return socket.getLocalPort();
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(DemoDefaults.LOOPBACK), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
