package io.leadscoring.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Debian's {@code prometheus} package binaries. A developer machine without them skips the tests that need them;
 * CI ({@code .ci/run}) installs them and sets {@code REQUIRE_PROMETHEUS=true}, so there a missing binary fails
 * instead of silently skipping the only check that the dashboards' queries name real metrics.
 */
final class Binaries {

    private Binaries() {
    }

    /** The binary, or a skipped (or, with REQUIRE_PROMETHEUS=true, failed) test. */
    static Path require(String name) {
        Optional<Path> found = find(name);
        if ("true".equalsIgnoreCase(System.getenv("REQUIRE_PROMETHEUS"))) {
            assertThat(found).as("%s on the PATH (apt-get install prometheus), required by REQUIRE_PROMETHEUS", name)
                    .isPresent();
        } else {
            assumeTrue(found.isPresent(), name + " is not installed (Debian: apt-get install prometheus)");
        }
        return found.orElseThrow();
    }

    private static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
