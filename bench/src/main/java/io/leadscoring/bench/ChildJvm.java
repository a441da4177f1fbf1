package io.leadscoring.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started with this JVM's class path, spoken to line by line: its standard output is read here, its standard
 * error goes to a log file. Used for the Kafka Streams applications ({@link AppHost}) and the scaling runs
 * ({@link ScalingHost}), so that each measures its own heap, resident set and CPU time.
 */
final class ChildJvm implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EOF = "\u0000EOF";

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The process ended; EOF below tells the waiter.
            }
            lines.add(EOF);
        }, "bench-child-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJvm start(List<String> jvmArgs, Class<?> main, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        // For profiling, e.g. -Dbench.childJvmArgs="-XX:StartFlightRecording=filename=/tmp/jfr/%p.jfr,settings=profile".
        String extra = System.getProperty("bench.childJvmArgs", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        // The suite prints its own table: Kafka's INFO logs go nowhere, warnings to the child's log file.
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + System.getProperty("bench.childLogLevel", "warn"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        return new ChildJvm(process, log);
    }

    /** Waits for a line equal to {@code expected}, or starting with it when {@code prefix}; returns that line. */
    String await(String expected, boolean prefix, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IOException("no '" + expected.trim() + "' from the child JVM within " + timeout.toSeconds()
                        + " s; see " + log);
            }
            if (line.equals(EOF)) {
                lines.add(EOF);
                throw new IOException("the child JVM ended (exit " + exitCode() + ") before '" + expected.trim()
                        + "'; see " + log);
            }
            if (prefix ? line.startsWith(expected) : line.equals(expected)) {
                return line;
            }
        }
    }

    /** Waits for {@code RESULT <json>} and parses the JSON. */
    JsonNode awaitResult(Duration timeout) throws IOException, InterruptedException {
        String line = await(AppHost.RESULT, true, timeout);
        return JSON.readTree(line.substring(AppHost.RESULT.length()));
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** Waits for the JVM to end (it exits after its result), and ends it when it does not. */
    @Override
    public void close() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
