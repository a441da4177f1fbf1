package io.leadscoring.app.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The optional bearer token of {@code http.auth.token}. The token is never logged nor shown by {@link #toString()};
 * presented tokens are compared in constant time (digests of both, so not even the length leaks).
 */
public final class BearerAuth {

    private static final String SCHEME = "Bearer ";

    private final byte[] expectedDigest;
    private final String header;

    private BearerAuth(String token) {
        this.expectedDigest = token == null ? null : sha256(token);
        this.header = token == null ? null : SCHEME + token;
    }

    /** No token (null or empty): every request is allowed. */
    public static BearerAuth of(String tokenOrNull) {
        return new BearerAuth(tokenOrNull == null || tokenOrNull.isEmpty() ? null : tokenOrNull);
    }

    public boolean required() {
        return expectedDigest != null;
    }

    /** Whether a request with this {@code Authorization} header (null when absent) may pass. */
    public boolean allows(String authorization) {
        if (expectedDigest == null) {
            return true;
        }
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        String presented = authorization.substring(SCHEME.length()).trim();
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    /** The {@code Authorization} value that requests to the other instances carry; null without a token. */
    String headerValue() {
        return header;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return required() ? "BearerAuth[token set]" : "BearerAuth[none]";
    }
}
