package io.leadscoring.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Debian's {@code prometheus} and {@code docker-compose} package binaries. A developer machine without them skips the tests that need them;
 * CI ({@code .ci/run}) installs them and sets {@code REQUIRE_PROMETHEUS=true}, so there a missing binary fails
 * instead of silently skipping the only check that the dashboards' queries name real metrics.
 */
final class Binaries {

    private Binaries() {
    }

    /** The binary, or a skipped (or, with REQUIRE_PROMETHEUS=true, failed) test. */
    static Path require(String name) {
        return require(name, "prometheus", "REQUIRE_PROMETHEUS");
    }

    /**
     * The binary of Debian's {@code aptPackage}, or a skipped test; a failed one when the environment variable
     * {@code requireVariable} is {@code true} (CI sets it after installing the package).
     */
    static Path require(String name, String aptPackage, String requireVariable) {
        Optional<Path> found = find(name);
        if ("true".equalsIgnoreCase(System.getenv(requireVariable))) {
            assertThat(found).as("%s on the PATH (apt-get install %s), required by %s", name, aptPackage,
                    requireVariable).isPresent();
        } else {
            assumeTrue(found.isPresent(), name + " is not installed (Debian: apt-get install " + aptPackage + ")");
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
