package io.leadscoring.connect;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The connector's version: from the {@code pom.properties} Maven packs into the jar, else the jar manifest's
 * Implementation-Version, else {@value #UNKNOWN} (e.g. when running from {@code target/classes}).
 */
final class Version {

    static final String UNKNOWN = "unknown";
    private static final String POM_PROPERTIES = "/META-INF/maven/io.leadscoring/sink-connector/pom.properties";
    private static final String VERSION = load();

    private Version() {
    }

    static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank()) {
                    return v.trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        String v = Version.class.getPackage() == null ? null : Version.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? UNKNOWN : v;
    }
}
