package io.leadscoring.cli;

import io.leadscoring.app.ScoringApplication;
import io.leadscoring.scoring.RuleFileException;
import io.leadscoring.scoring.RuleFileLoader;
import io.leadscoring.scoring.RuleSet;
import io.leadscoring.streams.DeadLetterHandler;
import io.leadscoring.streams.ScoringConfig;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/lead-scoring}: the replay, run and erase commands. */
@Command(name = "lead-scoring", mixinStandardHelpOptions = true, version = "lead-scoring 0.1.0",
        description = {"Real-time, explainable lead scoring on Apache Kafka.",
                "bin/lead-scoring demo runs the whole pipeline on this machine (see demo/README.md)."},
        subcommands = {LeadScoringCli.ReplayCommand.class, LeadScoringCli.RunCommand.class,
                LeadScoringCli.EraseCommand.class, CommandLine.HelpCommand.class})
public final class LeadScoringCli {

    /** Exit code of a refused rule file or configuration. */
    static final int EXIT_BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return new CommandLine(new LeadScoringCli()).execute(args);
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Runs the live topology over recorded JSON Lines and prints every stage change it "
                    + "would emit, one JSON object a line, in emission order. Logs and skipped lines go to "
                    + "standard error."})
    static final class ReplayCommand implements Callable<Integer> {

        @Option(names = "--rules", required = true, paramLabel = "FILE", description = "YAML rule file.")
        Path rules;

        @Option(names = "--events", required = true, paramLabel = "FILE",
                description = "JSON Lines of web, email, download (and profile and erasure) records, replayed in "
                        + "file order.")
        Path events;

        @Option(names = "--profiles", paramLabel = "FILE",
                description = "JSON Lines of profile records, replayed before the events.")
        Path profiles;

        @Override
        public Integer call() throws Exception {
            // Replay reports dead letters itself, with their line numbers.
            System.setProperty("org.slf4j.simpleLogger.log." + DeadLetterHandler.class.getName(), "error");
            RuleSet ruleSet;
            try {
                ruleSet = RuleFileLoader.load(rules);
            } catch (RuleFileException e) {
                System.err.println(e.getMessage());
                return EXIT_BAD_INPUT;
            }
            for (Path file : profiles == null ? List.of(events) : List.of(profiles, events)) {
                if (!Files.isReadable(file)) {
                    System.err.println(file + ": cannot read the file");
                    return EXIT_BAD_INPUT;
                }
            }
            // Buffered: a million records would otherwise pay a system call per printed line.
            // Through System.out (not FileDescriptor.out), so that a caller or test that redirects it gets them.
            PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false,
                    StandardCharsets.UTF_8);
            try (Replay replay = new Replay(ruleSet, out, System.err)) {
                if (profiles != null) {
                    replay.replay(profiles);
                }
                replay.replay(events);
                out.flush();
                System.err.println(replay.summary());
            } finally {
                out.flush(); // what was emitted before a failure is still printed
            }
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Runs the pipeline against a Kafka cluster until SIGTERM or Ctrl-C.",
                    "The properties file holds bootstrap.servers, schema.registry.url, application.id, state.dir, "
                            + "rules.file and topic.* names; every other Kafka Streams, client or schema registry "
                            + "property passes through.",
                    "Serves the HTTP API (GET /leads/{id}, /leads/top?n=, /health, /metrics) on http.host:http.port, "
                            + "127.0.0.1:8080 by default; http.enabled=false turns it off."})
    static final class RunCommand implements Callable<Integer> {

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "Properties file.")
        Path config;

        @Override
        public Integer call() throws Exception {
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                props.load(reader);
            }
            ScoringApplication app;
            try {
                app = new ScoringApplication(props);
            } catch (RuleFileException e) {
                System.err.println(e.getMessage());
                return EXIT_BAD_INPUT;
            } catch (org.apache.kafka.common.config.ConfigException e) {
                System.err.println(config + ": " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            try {
                app.runUntilShutdown();
            } catch (IllegalStateException e) {
                // Start-up checks (missing or mis-partitioned topics, an unreachable cluster) say what to fix.
                System.err.println("lead-scoring run: " + e.getMessage());
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "erase", mixinStandardHelpOptions = true,
            description = {"Requests the erasure (GDPR) of leads: writes a tombstone to the profiles topic and an "
                    + "erasure request to topic.erasures for each lead id; the running application deletes the "
                    + "lead's state and tombstones its score (docs/ERASURE.md).",
                    "Uses the Kafka settings and topic names of the properties file that 'run' uses."})
    static final class EraseCommand implements Callable<Integer> {

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "Properties file of 'run'.")
        Path config;

        @Parameters(arity = "1..*", paramLabel = "LEAD_ID", description = "Lead ids to erase.")
        List<String> leadIds;

        @Override
        public Integer call() throws Exception {
            String bad = Erase.checkLeadIds(leadIds);
            if (bad != null) {
                System.err.println("lead-scoring erase: " + bad + "; nothing was written");
                return EXIT_BAD_INPUT;
            }
            Properties props = new Properties();
            try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                props.load(reader);
            }
            ScoringConfig scoringConfig;
            try {
                scoringConfig = new ScoringConfig(props);
            } catch (org.apache.kafka.common.config.ConfigException e) {
                System.err.println(config + ": " + e.getMessage());
                return EXIT_BAD_INPUT;
            }
            try {
                new Erase(scoringConfig, System.out).erase(leadIds);
            } catch (IllegalStateException e) {
                System.err.println("lead-scoring erase: " + e.getMessage());
                return 1;
            } finally {
                System.out.flush();
            }
            return 0;
        }
    }
}
