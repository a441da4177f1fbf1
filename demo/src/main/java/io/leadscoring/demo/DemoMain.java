package io.leadscoring.demo;

import io.leadscoring.cli.LeadScoringCli;
import picocli.CommandLine;

/** {@code bin/lead-scoring demo ...}: the application's command line with the demo command added. */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return new CommandLine(new LeadScoringCli()).addSubcommand("demo", new DemoCommand()).execute(args);
    }
}
