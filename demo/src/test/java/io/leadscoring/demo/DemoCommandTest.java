package io.leadscoring.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leadscoring.cli.LeadScoringCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

    private final DemoCommand.DurationConverter durations = new DemoCommand.DurationConverter();

    @Test
    void readsDurationsTheWayPeopleWriteThem() {
        assertThat(durations.convert("0")).isEqualTo(Duration.ZERO);
        assertThat(durations.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(durations.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(durations.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(durations.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(durations.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> durations.convert("5 minutes"))
                .isInstanceOf(CommandLine.TypeConversionException.class);
    }

    @Test
    void theDemoIsASubcommandNextToReplayAndRun() {
        CommandLine cli = new CommandLine(new LeadScoringCli())
                .addSubcommand("demo", new DemoCommand());
        assertThat(cli.getSubcommands()).containsKeys("replay", "run", "demo");
        StringWriter usage = new StringWriter();
        cli.getSubcommands().get("demo").usage(new PrintWriter(usage));
        assertThat(usage.toString()).contains("--duration", "--rate", "--leads", "--data-dir", "--seed", "--rules",
                "--port", "--schema-registry", "default: 5m", "default: 50", "default: 200", "default: ./data");
    }

    @Test
    void refusesOptionsOutOfRangeBeforeStartingAnything() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new DemoCommand()).setErr(new PrintWriter(err));
        assertThat(cli.execute("--leads", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--leads must be at least 1");
        assertThat(cli.execute("--rate", "-1")).isEqualTo(2);
        assertThat(cli.execute("--duration", "soon")).isEqualTo(2);
    }
}
