package io.leadscoring.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM started with the test JVM's class path, its output (standard output and error) appended to a log file that
 * the test reads. {@link #kill} is SIGKILL ({@code destroyForcibly}): no shutdown hook, no close, no commit.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread killOnExit;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        // Should the test JVM die first, do not leave the child behind.
        this.killOnExit = new Thread(process::destroyForcibly, "kill-" + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts {@code mainClass args...} with {@code -Xmx<heap>}; {@code logLevels} are slf4j-simple properties. */
    static ChildJvm start(String name, String heap, List<String> logLevels, String mainClass, List<String> args,
            Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        logLevels.forEach(level -> command.add("-Dorg.slf4j.simpleLogger.log." + level));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "=== " + name + ": " + String.join(" ", args) + System.lineSeparator(),
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new ChildJvm(name, process, log);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits for a log line matching {@code pattern} written after {@code fromChar} characters of the log (the log is
     * shared by the restarts of one component); returns the match.
     */
    Matcher awaitLog(Pattern pattern, long fromChar, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String text = log();
            Matcher m = pattern.matcher(text);
            if (m.find((int) Math.min(fromChar, text.length()))) {
                return m;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before logging '"
                        + pattern + "'; " + tail());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("No '" + pattern + "' from " + name + " within " + timeout.toSeconds()
                        + " s; " + tail());
            }
            Thread.sleep(100);
        }
    }

    /** The log so far (every start of the component). */
    String log() {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long logLength() {
        return log().length();
    }

    String tail() {
        List<String> lines = log().lines().toList();
        return log + ", last lines:" + System.lineSeparator()
                + String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL for 60 s");
        }
        removeHook();
    }

    /** SIGTERM (the application's own shutdown: close, commit, leave the group); SIGKILL after {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        removeHook();
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                stop(Duration.ofSeconds(20));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway; the process is gone.
        }
    }
}
