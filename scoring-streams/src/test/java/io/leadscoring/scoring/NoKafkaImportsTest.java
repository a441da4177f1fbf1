package io.leadscoring.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The scoring core is plain Java: no class under io.leadscoring.scoring may use Kafka or Avro. */
class NoKafkaImportsTest {
    private static final List<String> FORBIDDEN = List.of("org.apache." + "kafka", "org.apache." + "avro");

    @Test
    void noSourceUnderTheScoringPackageUsesKafkaOrAvro() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("src/main/java/io/leadscoring/scoring", "src/test/java/io/leadscoring/scoring")) {
            Path dir = Path.of(root);
            assertThat(dir).as("run from the module directory").isDirectory();
            try (Stream<Path> s = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(30);
        List<String> offenders = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                for (String pkg : FORBIDDEN) {
                    if (line.contains(pkg)) {
                        offenders.add(f + ":" + (i + 1) + ": " + line.trim());
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
    }
}
