package io.leadscoring.app.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** The web page ({@code /web/index.html} on the classpath): live handoffs and a lead lookup, no build step. */
final class WebPage {

    private static final byte[] HTML = load();

    private WebPage() {
    }

    static Reply reply() {
        // The page only talks to this origin; nothing inline but its own script and style.
        return new Reply(200, "text/html; charset=utf-8", HTML, Map.of("Content-Security-Policy",
                "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'"));
    }

    private static byte[] load() {
        try (InputStream in = WebPage.class.getResourceAsStream("/web/index.html")) {
            if (in == null) {
                throw new IllegalStateException("/web/index.html is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
