package io.leadscoring.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The scoring application's image as Jib builds it from scoring-streams/pom.xml: the build's jib-test-image profile
 * runs that configuration on the empty {@code scratch} base (the real base, eclipse-temurin:17-jre, needs a registry)
 * into a tar, opened here. Entrypoint, command, port, user, labels and the layers' content are what
 * docker-compose.yml relies on; the base image is the one thing not checked.
 */
class JibImageTest {

    private static final Path TAR = Queries.MODULE.resolveSibling("scoring-streams/target/jib-test/image.tar");
    private static final String VERSION = System.getProperty("project.version");

    @Test
    void theImageRunsTheCliAsANonRootUserWithTheApplicationAndItsDependencies() throws Exception {
        assumeFalse(Boolean.getBoolean("skipJibTest"), "-DskipJibTest: no test image was built");
        assertThat(TAR).as("the jib-test-image profile's tar (./mvnw package in scoring-streams)").isRegularFile();
        Map<String, byte[]> entries = readTar(Files.newInputStream(TAR), true);

        JsonNode manifest = Queries.JSON.readTree(entries.get("manifest.json")).get(0);
        assertThat(manifest.path("RepoTags").get(0).asText()).isEqualTo("lead-scoring/scoring:" + VERSION)
                .isEqualTo(ComposeFileTest.scoringImage());
        JsonNode config = Queries.JSON.readTree(entries.get(manifest.path("Config").asText())).path("config");

        List<String> entrypoint = strings(config.path("Entrypoint"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint).contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");
        assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo("io.leadscoring.cli.LeadScoringCli");
        assertThat(strings(config.path("Cmd"))).containsExactly("run", "--config",
                "/etc/lead-scoring/pipeline.properties");
        assertThat(config.path("ExposedPorts").has("8080/tcp")).isTrue();
        assertThat(config.path("User").asText()).isEqualTo("10001:10001");
        assertThat(config.path("Labels").path("org.opencontainers.image.version").asText()).isEqualTo(VERSION);
        assertThat(config.path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo("lead-scoring");

        List<String> files = new ArrayList<>();
        for (JsonNode layer : manifest.path("Layers")) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(entries.get(layer.asText())))) {
                files.addAll(readTar(in, false).keySet());
            }
        }
        assertThat(files).contains("app/classes/io/leadscoring/cli/LeadScoringCli.class", "app/jib-classpath-file",
                "app/jib-main-class-file");
        assertThat(files).anyMatch(f -> f.startsWith("app/libs/kafka-streams-") && f.endsWith(".jar"));
        assertThat(files).anyMatch(f -> f.startsWith("app/libs/micrometer-registry-prometheus-"));
        assertThat(files).anyMatch(f -> f.startsWith("app/resources/"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /**
     * The regular files of a tar: name to content (content only when {@code withContent}). Handles the ustar name
     * prefix and PAX ({@code x}) and GNU ({@code L}) long names.
     */
    static Map<String, byte[]> readTar(InputStream in, boolean withContent) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String longName = null;
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
            String name = field(header, 0, 100);
            String prefix = field(header, 345, 155);
            if (!prefix.isEmpty()) {
                name = prefix + "/" + name;
            }
            long size = Long.parseLong(field(header, 124, 12).trim().isEmpty() ? "0" : field(header, 124, 12).trim(), 8);
            char type = (char) header[156];
            byte[] data = readBlock(in, size, withContent || type == 'x' || type == 'L');
            if (type == 'x') {
                longName = paxPath(new String(data, StandardCharsets.UTF_8));
                continue;
            }
            if (type == 'L') {
                longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                continue;
            }
            if (longName != null) {
                name = longName;
                longName = null;
            }
            if (type == '0' || type == 0) {
                files.put(name.startsWith("/") ? name.substring(1) : name, data);
            }
        }
        return files;
    }

    private static byte[] readBlock(InputStream in, long size, boolean keep) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long padded = (size + 511) / 512 * 512;
        byte[] buffer = new byte[8192];
        long left = padded;
        long kept = 0;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("tar ends inside an entry");
            }
            if (keep && kept < size) {
                int k = (int) Math.min(n, size - kept);
                out.write(buffer, 0, k);
                kept += k;
            }
            left -= n;
        }
        return out.toByteArray();
    }

    private static String paxPath(String records) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
