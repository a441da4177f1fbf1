package io.leadscoring.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadscoring.scoring.RuleSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Test-only door into the package-private replay path, for tests in other packages (the pipeline IT): JSON Lines are
 * turned into Avro records exactly as {@code replay} does it, and {@link Replay} runs without touching System.out.
 */
public final class ReplayAccess {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which input topic a record belongs on. */
    public enum Kind { WEB, EMAIL, DOWNLOAD, PROFILE, ERASURE }

    /** One JSON Lines record after {@link JsonRecords#parse}: the key is the lead id. */
    public record Input(Kind kind, String leadId, SpecificRecord value) {
    }

    /** Replay's standard output and standard error, as lines. */
    public record Output(List<String> stdout, List<String> stderr) {
    }

    private ReplayAccess() {
    }

    /** Parses one JSON line as replay does; throws when replay would skip it. */
    public static Input parse(String line) {
        try {
            JsonRecords.Parsed parsed = JsonRecords.parse(JSON.readTree(line));
            return new Input(Kind.valueOf(parsed.kind().name()), parsed.leadId(), parsed.value());
        } catch (IOException | JsonRecords.BadRecordException e) {
            throw new IllegalArgumentException("replay would skip: " + line + " (" + e.getMessage() + ")", e);
        }
    }

    /** Every line of the file that replay would read, in file order; lines replay skips are left out. */
    public static List<Input> readReadable(Path jsonl) {
        List<Input> inputs = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    inputs.add(parse(line));
                } catch (IllegalArgumentException skipped) {
                    // replay skips it too, and reports it on standard error
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inputs;
    }

    /** Runs {@link Replay} over the files ({@code profiles} may be null, and is replayed first). */
    public static Output replay(RuleSet rules, Path profiles, Path events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
                Replay replay = new Replay(rules, outStream, errStream)) {
            if (profiles != null) {
                replay.replay(profiles);
            }
            replay.replay(events);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Output(lines(out), lines(err));
    }

    private static List<String> lines(ByteArrayOutputStream bytes) {
        String text = bytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\\R"));
    }
}
