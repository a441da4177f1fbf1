package io.leadscoring.scoring;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Derived fields of SCORING.md, computed the same way by every adapter. */
public final class Fields {
    private Fields() {}

    /**
     * The decoded path of a URL ({@code java.net.URI#getPath()}), {@code "/"} when the URL has an empty path; null
     * when the URL is null, cannot be parsed, or is opaque (e.g. {@code mailto:}). Relative URLs ({@code /pricing})
     * give their path.
     */
    public static String path(String url) {
        return pathOf(parse(url));
    }

    /** {@link #path(String)} of an already parsed URL (see {@link #parse(String)}), so it is parsed once. */
    public static String pathOf(URI uri) {
        if (uri == null || uri.isOpaque()) {
            return null;
        }
        String path = uri.getPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    /** The lowercased host of a URL; null when the URL is null, cannot be parsed or has no host. */
    public static String host(String url) {
        return hostOf(parse(url));
    }

    /** {@link #host(String)} of an already parsed URL. */
    public static String hostOf(URI uri) {
        if (uri == null || uri.isOpaque()) {
            return null;
        }
        String host = uri.getHost();
        if (host == null) {
            // Registry-based authorities (e.g. a host with '_') have no parsed host: take the authority without
            // user info and port.
            String authority = uri.getRawAuthority();
            if (authority == null || authority.isEmpty()) {
                return null;
            }
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                authority = authority.substring(at + 1);
            }
            int colon = authority.lastIndexOf(':');
            if (colon >= 0 && !authority.endsWith("]")) {
                authority = authority.substring(0, colon);
            }
            host = authority;
        }
        return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
    }

    /** The lowercased part of an e-mail address after its last '@'; null when there is none. */
    public static String emailDomain(String email) {
        if (email == null) {
            return null;
        }
        String trimmed = email.trim();
        int at = trimmed.lastIndexOf('@');
        if (at < 0 || at == trimmed.length() - 1) {
            return null;
        }
        return trimmed.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** The URL as a URI; null when it is null, blank or cannot be parsed. */
    public static URI parse(String url) {
        if (url == null) {
            return null;
        }
        String trimmed = url.trim();
        if (trimmed.isEmpty()) {
            return null;
        }
        try {
            return new URI(trimmed);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
