package io.leadscoring.demo;

import io.leadscoring.scoring.RuleFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bin/lead-scoring demo}: the whole pipeline on this machine, with simulated traffic and a CRM inbox. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the whole pipeline in one JVM on loopback: a Kafka broker (KRaft), the scoring "
                + "application, a Kafka Connect worker with the CRM sink, a CRM inbox it delivers to, and simulated "
                + "traffic. Shows progress and each SQL handoff as the CRM receives it; Ctrl-C stops cleanly.",
                "Kafka's and Connect's logs go to <data-dir>/logs/demo.log."})
public final class DemoCommand implements Callable<Integer> {

    /** Exit status of a bad option or an unusable data directory or rule file. */
    static final int EXIT_BAD_INPUT = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = DemoDefaults.DURATION,
            converter = DurationConverter.class,
            description = "How long to run once ready: 90s, 5m, 1h or ISO-8601 (PT5M); 0 runs until Ctrl-C "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--rate", paramLabel = "N", defaultValue = DemoDefaults.RATE,
            description = "Simulated events per second; 0 publishes nothing (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--leads", paramLabel = "N", defaultValue = DemoDefaults.LEADS,
            description = "Simulated leads active at a time; finished leads are replaced by new ones "
                    + "(default: ${DEFAULT-VALUE}).")
    int leads;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = DemoDefaults.DATA_DIR,
            description = "Broker storage, application state, logs; reused by the next start "
                    + "(default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the simulated traffic; the same seed gives the same leads and events "
                    + "(default: random, printed at start).")
    Long seed;

    @Option(names = "--rules", paramLabel = "FILE",
            description = "YAML rule file (default: " + DemoDefaults.RULES + ").")
    Path rules;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = DemoDefaults.API_PORT,
            description = "Port of the scoring application's HTTP API on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--schema-registry", paramLabel = "URL",
            description = "A real schema registry (Confluent API) instead of the in-process one.")
    String schemaRegistry;

    @Option(names = "--bad-rate", paramLabel = "SHARE", defaultValue = DemoDefaults.BAD_RATE,
            description = "Share of simulated records sent as garbage, to show the dead-letter topic "
                    + "(default: ${DEFAULT-VALUE}).")
    double badRate;

    @Option(names = "--crm-faults", paramLabel = "N", defaultValue = DemoDefaults.CRM_FAULT_EVERY,
            description = "The CRM inbox answers every N-th request 503 or 429 (alternately), which the connector "
                    + "retries; 0: never (default: ${DEFAULT-VALUE}).")
    int crmFaultEvery;

    @Override
    public Integer call() throws Exception {
        String problem = validate();
        if (problem != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        }
        Path rulesFile = resolveRules();
        if (rulesFile == null) {
            System.err.println("lead-scoring demo: no rule file: " + DemoDefaults.RULES + " is not in this "
                    + "directory; pass --rules FILE");
            return EXIT_BAD_INPUT;
        }
        // Before anything creates a logger: slf4j-simple reads its settings once.
        DemoLogging.toFile(DataDir.logFile(dataDir));
        long actualSeed = seed != null ? seed : new SecureRandom().nextLong();
        var settings = new Demo.Settings(duration, rate, leads, dataDir, actualSeed, rulesFile, port,
                schemaRegistry, badRate, crmFaultEvery);
        Console console = Console.system();
        try {
            return new Demo(settings, console, new StopSignal()).run();
        } catch (RuleFileException e) {
            console.endProgress();
            System.err.println(e.getMessage());
            return EXIT_BAD_INPUT;
        } catch (Exception e) {
            // Start-up problems (a port in use, a locked data directory, a component that did not start) say what
            // to do; the stack trace goes to the log.
            console.endProgress();
            LoggerFactory.getLogger(DemoCommand.class).error("The demo failed", e);
            String hint = String.valueOf(e.getMessage()).contains("http.port") ? "; pass --port to use another" : "";
            System.err.println("lead-scoring demo: " + e.getMessage() + hint + " (details in "
                    + DataDir.logFile(dataDir) + ")");
            return 1;
        }
    }

    private String validate() {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            return "--rate must be 0 or more, was " + rate;
        }
        if (leads < 1) {
            return "--leads must be at least 1, was " + leads;
        }
        if (port < 0 || port > 65535) {
            return "--port must be between 0 and 65535, was " + port;
        }
        if (!(badRate >= 0 && badRate < 1)) {
            return "--bad-rate must be at least 0 and below 1, was " + badRate;
        }
        if (crmFaultEvery < 0) {
            return "--crm-faults must be 0 or more, was " + crmFaultEvery;
        }
        if (duration.isNegative()) {
            return "--duration must not be negative";
        }
        return null;
    }

    /** The option, else the samples in this directory, else the samples of the installation. */
    private Path resolveRules() {
        if (rules != null) {
            return rules.toAbsolutePath().normalize();
        }
        Path local = Path.of(DemoDefaults.RULES);
        if (Files.isRegularFile(local)) {
            return local.toAbsolutePath().normalize();
        }
        String home = System.getProperty(DemoDefaults.HOME_PROPERTY);
        if (home != null && Files.isRegularFile(Path.of(home, DemoDefaults.RULES))) {
            return Path.of(home, DemoDefaults.RULES).toAbsolutePath().normalize();
        }
        return null;
    }

    /** {@code 0}, {@code 500ms}, {@code 90s}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT5M}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h)");

        @Override
        public Duration convert(String value) {
            String text = value.trim().toLowerCase(Locale.ROOT);
            if (text.equals("0")) {
                return Duration.ZERO;
            }
            Matcher m = SHORT.matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            try {
                return Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (90s, 5m, 1h, 0)");
            }
        }
    }
}
