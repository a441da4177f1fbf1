package io.leadscoring.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml's references, checked without Docker: every mounted local file exists (the build's
 * artifacts included, so this runs after the reactor has packaged them), every {@code depends_on} names a
 * service, every named volume is declared. Compose itself would only find these at {@code up} time.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Queries.MODULE.resolve("docker-compose.yml");

    @Test
    void referencesResolve() throws Exception {
        JsonNode compose = Queries.YAML.readTree(COMPOSE.toFile());
        JsonNode services = compose.path("services");
        Set<String> serviceNames = new HashSet<>();
        services.fieldNames().forEachRemaining(serviceNames::add);
        Set<String> declaredVolumes = new HashSet<>();
        compose.path("volumes").fieldNames().forEachRemaining(declaredVolumes::add);
        assertThat(serviceNames).contains("kafka", "schema-registry", "connect", "scoring", "prometheus", "grafana");

        List<String> problems = new ArrayList<>();
        Set<String> usedVolumes = new HashSet<>();
        services.fields().forEachRemaining(service -> {
            String name = service.getKey();
            JsonNode definition = service.getValue();
            if (!definition.hasNonNull("image") && !definition.hasNonNull("build")) {
                problems.add(name + ": neither image nor build");
            }
            // depends_on is a list of names or a map keyed by them.
            JsonNode dependsOn = definition.path("depends_on");
            List<String> dependencies = new ArrayList<>();
            if (dependsOn.isArray()) {
                dependsOn.forEach(d -> dependencies.add(d.asText()));
            } else {
                dependsOn.fieldNames().forEachRemaining(dependencies::add);
            }
            dependencies.stream().filter(d -> !serviceNames.contains(d))
                    .forEach(d -> problems.add(name + ": depends on unknown service " + d));
            for (JsonNode volume : definition.path("volumes")) {
                String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
                if (source.startsWith(".") || source.startsWith("/")) {
                    // Relative host paths resolve against the compose file's directory.
                    Path local = COMPOSE.getParent().resolve(source).normalize();
                    if (!Files.exists(local)) {
                        problems.add(name + ": mounted " + source + " does not exist (" + local + ")");
                    }
                } else {
                    usedVolumes.add(source);
                    if (!declaredVolumes.contains(source)) {
                        problems.add(name + ": named volume " + source + " is not declared");
                    }
                }
            }
        });
        assertThat(problems).isEmpty();
        assertThat(declaredVolumes).as("declared volumes in use").isEqualTo(usedVolumes);
    }

    /** The scoring service's image: the one Jib builds (JibImageTest), tagged with the project version. */
    static String scoringImage() throws Exception {
        return Queries.YAML.readTree(COMPOSE.toFile()).path("services").path("scoring").path("image").asText();
    }

    @Test
    void scoringRunsTheJibImageOfThisVersion() throws Exception {
        assertThat(scoringImage()).isEqualTo("lead-scoring/scoring:" + System.getProperty("project.version"));
    }

    @Test
    void connectMountsThePluginAndTheExporterUnderNamesWithoutTheVersion() throws Exception {
        // The scoring image's tag is the only place for the version: an upgrade changes one line.
        String compose = Files.readString(COMPOSE).replace("image: " + scoringImage(), "");
        assertThat(compose).as("the compose file names no version of this project but the scoring image's")
                .doesNotContain(System.getProperty("project.version"), "SNAPSHOT");
        JsonNode connect = Queries.YAML.readTree(COMPOSE.toFile()).path("services").path("connect");
        List<String> mounts = new ArrayList<>();
        connect.path("volumes").forEach(v -> mounts.add(v.asText()));
        assertThat(mounts).contains("./target/connect-plugins:/opt/connect-plugins:ro",
                "./connect/jmx-exporter.yml:/etc/connect/jmx-exporter.yml:ro");
        // The unpacked plugin: its jar and the connector's service file, where plugin.path finds them.
        try (var files = Files.walk(COMPOSE.getParent().resolve("target/connect-plugins"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("sink-connector-") && n.endsWith(".jar"));
        }
        assertThat(connect.path("environment").path("KAFKA_OPTS").asText())
                .contains("-javaagent:/opt/jmx-exporter/jmx_prometheus_javaagent.jar=9404:/etc/connect/jmx-exporter.yml");
    }

    @Test
    void prometheusMountsTheShippedConfigurationAndRules() throws Exception {
        JsonNode volumes = Queries.YAML.readTree(COMPOSE.toFile()).path("services").path("prometheus").path("volumes");
        List<String> mounts = new ArrayList<>();
        volumes.forEach(v -> mounts.add(v.asText()));
        // prometheus.yml names alerts.yml relative to itself: both must land in one directory.
        assertThat(mounts).contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro",
                "./prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
    }
}
