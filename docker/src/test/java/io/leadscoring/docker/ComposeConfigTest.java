package io.leadscoring.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as Compose itself reads it: Debian's {@code docker-compose} (1.29) validates the file against
 * the Compose schema and resolves it ({@code config -q}), which needs no Docker engine. CI ({@code .ci/run}) installs
 * it and sets {@code REQUIRE_DOCKER_COMPOSE=true}; elsewhere the test is skipped without it.
 */
class ComposeConfigTest {

    @Test
    void dockerComposeAcceptsTheFile() throws Exception {
        Path dockerCompose = Binaries.require("docker-compose", "docker-compose", "REQUIRE_DOCKER_COMPOSE");
        Process process = new ProcessBuilder(dockerCompose.toString(), "-f",
                Queries.MODULE.resolve("docker-compose.yml").toString(), "config", "-q")
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("docker-compose config finished").isTrue();
        assertThat(process.exitValue()).as("docker-compose config -q:%n%s", output).isZero();
    }
}
