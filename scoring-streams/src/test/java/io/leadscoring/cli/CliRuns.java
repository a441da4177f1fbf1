package io.leadscoring.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Running {@code lead-scoring}: the command in this JVM, or the launcher script as a user starts it. */
public final class CliRuns {

    /** The repository's root: tests run in the module's directory. */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    public static final Path LAUNCHER = ROOT.resolve("bin/lead-scoring");

    private CliRuns() {
    }

    /** What a user at a terminal sees of one command. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /** The command in this JVM, System.out and System.err captured (synchronized: they are global). */
    public static synchronized Result execute(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = LeadScoringCli.execute(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Waits for a line of a launched process's log; fails with the log if the process exits or time runs out. */
    public static void awaitLog(Path log, String text, Duration timeout, Process process) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("run exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + Files.readString(log));
    }
}
