package io.leadscoring.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Evolution policy: BACKWARD_TRANSITIVE. A consumer built with the current schemas must read every record any
 * released version wrote. Released versions live in {@code src/test/resources/schema-history/<Record>/vN.avsc}, the
 * full schema as a registry stores it; a change to a schema adds the next {@code vN.avsc}.
 */
class SchemaEvolutionTest {

    static final List<Schema> SCHEMAS = EventSchemas.ALL;

    @ParameterizedTest(name = "{0}")
    @FieldSource("SCHEMAS")
    void currentSchemaReadsEveryReleasedVersion(Schema current) {
        List<Path> versions = history(current.getName());
        assertThat(versions).as("released versions of %s", current.getName()).isNotEmpty();
        for (Path version : versions) {
            Schema old = parse(version);
            var result = SchemaCompatibility.checkReaderWriterCompatibility(current, old).getResult();
            assertThat(result.getCompatibility())
                    .as("%s cannot read data written with %s: %s", current.getName(), version.getFileName(),
                            result.getIncompatibilities())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("SCHEMAS")
    void latestReleasedVersionIsTheCurrentSchema(Schema current) {
        List<Path> versions = history(current.getName());
        Path latest = versions.get(versions.size() - 1);
        assertThat(parse(latest))
                .as("%s changed: add it as the next version under schema-history/%s/ (the full schema, as "
                        + "getClassSchema().toString(true) prints it)", current.getName(), current.getName())
                .isEqualTo(current);
    }

    @Test
    void aRequiredFieldWithoutDefaultIsRejectedAsBackwardIncompatible() {
        Schema current = WebEvent.getClassSchema();
        String json = current.toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},");
        Schema breaking = new Schema.Parser().parse(json);
        var result = SchemaCompatibility.checkReaderWriterCompatibility(breaking, current).getResult();
        assertThat(result.getCompatibility()).isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static List<Path> history(String record) {
        var resource = SchemaEvolutionTest.class.getResource("/schema-history/" + record);
        if (resource == null) {
            return List.of();
        }
        try {
            try (Stream<Path> files = Files.list(Path.of(resource.toURI()))) {
                return files.filter(f -> f.getFileName().toString().matches("v\\d+\\.avsc"))
                        .sorted(Comparator.comparingInt(SchemaEvolutionTest::versionNumber))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int versionNumber(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.length() - ".avsc".length()));
    }

    private static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
