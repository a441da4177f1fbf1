package io.leadscoring.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** promtool's own validation of the shipped Prometheus configuration and rules. */
class PromtoolTest {

    @Test
    void configurationIsValid() throws Exception {
        // check config also loads and checks the rule_files it names, resolved next to the configuration.
        assertThat(promtool("check", "config", Queries.PROMETHEUS_CONFIG.toString())).contains("SUCCESS");
    }

    @Test
    void rulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", Queries.ALERTS.toString()))
                .contains("SUCCESS: " + Queries.alertExpressions().size() + " rules found");
    }

    private static String promtool(String... args) throws Exception {
        Path promtool = Binaries.require("promtool");
        String[] command = new String[args.length + 1];
        command[0] = promtool.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
